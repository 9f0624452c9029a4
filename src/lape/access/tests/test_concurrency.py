"""Appends from many workers at once: the chain stays one unbroken line.

On PostgreSQL the workers are threads of this test, each with its own connection; they contend
for the chain head's row lock. SQLite's test database lives in shared-cache memory, where
concurrent writers fail at once instead of waiting, so on SQLite the workers are processes
writing to a real database file (as gunicorn's workers do), contending for its write lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from lape.access import log
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.models import AccessLogEntry
from lape.access.verify import verify_chain

from .conftest import World

WORKERS = 6
APPENDS = 15
ALLOWED = Decision(allowed=True, basis=Basis.OWN_REGISTER)


def _threads(world: World) -> list[BaseException]:
    target = Target("health_record", "1", world.child.pk, world.county.pk, "health")
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for n in range(APPENDS):
                with transaction.atomic():
                    log.append(world.nurse, Action.READ, target, ALLOWED)
                    if n % 5 == 0:
                        time.sleep(0.002)  # hold the head a moment: the others must wait, not fork the chain
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


WORKER = """
import os, sys, time
import django
django.setup()
from django.db import transaction
from lape.access import log
from lape.access.decisions import Action, Basis, Decision, Target
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
for n in range(int(sys.argv[2])):
    with transaction.atomic():
        log.append(None, Action.READ, Target("health_record", str(n), None, None, "health"),
                   Decision(allowed=True, basis=Basis.OWN_REGISTER))
"""

REPORT = """
import django
django.setup()
from lape.access.models import AccessLogEntry
from lape.access.verify import verify_chain
report = verify_chain(batch_size=7)
print(AccessLogEntry.objects.count(), report.checked, report.ok, report.problem)
"""


def _processes(tmp_path: Path) -> str:
    env = dict(
        os.environ,
        LAPE_ALLOW_INSECURE_KEY="1",
        LAPE_DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        DJANGO_SETTINGS_MODULE="lape.settings",
    )
    subprocess.run([sys.executable, "-m", "lape.cli", "migrate", "-v0"], env=env, check=True)
    start = time.time() + 3
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), str(APPENDS)], env=env, stderr=subprocess.PIPE
        )
        for _ in range(WORKERS)
    ]
    failures = [worker.communicate()[1] for worker in workers if worker.wait() != 0]
    assert failures == []
    return subprocess.run(
        [sys.executable, "-c", REPORT], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_whole(world: World, tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        assert _processes(tmp_path) == f"{WORKERS * APPENDS} {WORKERS * APPENDS} True"
        return
    assert _threads(world) == []
    assert AccessLogEntry.objects.count() == WORKERS * APPENDS
    report = verify_chain(batch_size=7)
    assert report.ok, report.problem
    assert report.checked == WORKERS * APPENDS
