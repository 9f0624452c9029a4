"""`lape verify-access-log`: a changed, removed, reordered or cut row is found, and named."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lape.access import log
from lape.access.appendonly import lifted
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.models import AccessLogEntry
from lape.access.verify import verify_chain

from .conftest import World

ALLOWED = Decision(allowed=True, basis=Basis.OWN_REGISTER)


def _chain(world: World, count: int = 6) -> list[AccessLogEntry]:
    target = Target("health_record", "42", world.child.pk, world.county.pk, "health")
    return [log.append(world.nurse, Action.READ, target, ALLOWED) for _ in range(count)]


def _raw(sql: str, params: list[str | int]) -> None:
    """Tamper as someone with database access would: the triggers dropped first."""
    with lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_proves_an_intact_chain(world: World) -> None:
    entries = _chain(world)
    report = verify_chain(batch_size=4)
    assert report.ok
    assert (report.checked, report.last_hash) == (6, entries[-1].hash)


def test_it_proves_an_empty_log(db: None) -> None:
    assert verify_chain().ok


def test_it_finds_a_changed_row(world: World) -> None:
    entries = _chain(world)
    _raw("UPDATE access_accesslogentry SET username = %s WHERE id = %s", ["someone-else", entries[3].pk])
    report = verify_chain(batch_size=2)
    assert not report.ok
    assert (report.broken_id, report.checked) == (entries[3].pk, 3)
    assert "was changed" in report.problem


def test_it_finds_a_changed_row_whose_hash_was_recomputed(world: World) -> None:
    entries = _chain(world)
    values = AccessLogEntry.objects.values(*log.HASHED_FIELDS).get(pk=entries[2].pk)
    values["outcome"] = "refused"
    _raw(
        "UPDATE access_accesslogentry SET outcome = %s, hash = %s WHERE id = %s",
        ["refused", log.entry_hash(values), entries[2].pk],
    )
    report = verify_chain()
    assert report.broken_id == entries[3].pk
    assert "does not follow" in report.problem


def test_it_finds_a_deleted_row(world: World) -> None:
    entries = _chain(world)
    _raw("DELETE FROM access_accesslogentry WHERE id = %s", [entries[2].pk])
    report = verify_chain(batch_size=3)
    assert (report.ok, report.broken_id) == (False, entries[3].pk)


def test_it_finds_rows_cut_from_the_end(world: World) -> None:
    entries = _chain(world)
    _raw("DELETE FROM access_accesslogentry WHERE id >= %s", [entries[4].pk])
    report = verify_chain()
    assert not report.ok
    assert report.checked == 4
    assert "removed from the end" in report.problem


def test_it_finds_a_deleted_head(world: World) -> None:
    _chain(world, 2)
    _raw("DELETE FROM access_accessloghead WHERE id = %s", [1])
    report = verify_chain()
    assert not report.ok
    assert "head is missing" in report.problem


def test_the_command_reports_an_intact_chain(world: World) -> None:
    entries = _chain(world, 3)
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    assert f"3 rows, last hash {entries[-1].hash}" in out.getvalue()


def test_the_command_fails_on_a_broken_chain(world: World) -> None:
    entries = _chain(world, 3)
    _raw("UPDATE access_accesslogentry SET category = %s WHERE id = %s", ["child_protection", entries[1].pk])
    with pytest.raises(CommandError, match=f"Row {entries[1].pk} was changed") as raised:
        call_command("verify_access_log")
    assert raised.value.returncode == 1


def test_the_command_refuses_a_batch_size_below_one(db: None) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("verify_access_log", "--batch-size", "0")


LAPE = [sys.executable, "-m", "lape.cli"]
APPEND = """
from lape.access import log
from lape.access.decisions import Action, Basis, Decision, Target
for n in range(5):
    log.append(None, Action.READ, Target("health_record", str(n), None, None, "health"),
               Decision(allowed=True, basis=Basis.OWN_REGISTER))
"""


def test_an_operator_finds_tampering_with_lape_verify_access_log(tmp_path: Path) -> None:
    database = tmp_path / "lape.sqlite3"
    env = dict(
        os.environ, LAPE_ALLOW_INSECURE_KEY="1", LAPE_DATABASE_URL=f"sqlite:///{database}", LAPE_LANGUAGE="en"
    )
    subprocess.run([*LAPE, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*LAPE, "manage", "shell", "-c", APPEND], env=env, check=True, capture_output=True)
    intact = subprocess.run(
        [*LAPE, "verify-access-log"], env=env, capture_output=True, text=True, check=False
    )
    assert intact.returncode == 0, intact.stderr
    assert "intact: 5 rows" in intact.stdout
    with sqlite3.connect(database) as db:
        db.execute("DROP TRIGGER access_log_no_update")
        db.execute("UPDATE access_accesslogentry SET record_id = '999' WHERE id = 3")
    broken = subprocess.run(
        [*LAPE, "verify-access-log"], env=env, capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1
    assert "Row 3 was changed" in broken.stderr
