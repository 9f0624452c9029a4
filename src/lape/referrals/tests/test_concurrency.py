"""Two steps at the same moment: exactly one wins, the others are refused and change nothing.

The receiver accepts a referral while the sender cancels it (and more of each at once); two
coordinators close the same request at once. On PostgreSQL the workers are threads of this test,
each with its own connection. SQLite's test database lives in shared-cache memory, where concurrent
writers fail at once instead of waiting, so on SQLite the workers are processes writing to a real
database file (as gunicorn's workers do), as in lape/access/tests/test_concurrency.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.directory.models import FamilyCentre, Organization, Service
from lape.people.models import Person
from lape.referrals.models import ContactRequest, Referral, ReferralTransition, RequestEvent

WORKERS = 6


def build() -> dict[str, str]:
    """A requested referral (sender: a family worker; receiver: the county's nurses) and a new request."""
    county = Organization.objects.create(name="County")
    centre = FamilyCentre.objects.create(name="Centre", coordinator=county)
    family_work = Service.objects.create(organization=county, name="Family work")
    counselling = Service.objects.create(organization=county, name="Counselling")

    def member(name: str, role: str) -> Membership:
        user = User.objects.create_user(name, password=None)
        return Membership.objects.create(
            user=user, organization=county, role=role, started=dt.date(2024, 1, 1)
        )

    sender = member("family-worker", "family_worker")
    nurses = [member(f"nurse-{n}", "public_health_nurse") for n in range(WORKERS // 2)]
    coordinators = [member(f"coordinator-{n}", "coordinator") for n in range(WORKERS)]
    child = Person.objects.create(given_names="Aino", family_name="Testinen", birth_date=dt.date(2015, 1, 1))
    now = dt.datetime.now(dt.UTC)
    request = ContactRequest.objects.create(
        reference="AAAA-AAAA",
        status_token_hash="0" * 64,
        asked_via="start_page",
        family_centre=centre,
        holder_organization=county,
        person=child,
        worry="Worried",
        contact_phone="040 1234567",
        assigned_service=family_work,
        assigned_membership=sender,
        status="assigned",
        due_on=now.date() + dt.timedelta(days=7),
    )
    referral = Referral.objects.create(
        status="requested",
        person=child,
        contact_request=request,
        sender_membership=sender,
        sender_organization=county,
        sender_category="social_services",
        receiver_service=counselling,
        receiver_organization=county,
        category="health",
        reason="Please see the family.",
        requested_at=now,
    )
    return {
        "referral": str(referral.pk),
        "request": str(request.pk),
        "sender": str(sender.pk),
        "nurses": json.dumps([str(n.pk) for n in nurses]),
        "coordinators": json.dumps([str(c.pk) for c in coordinators]),
    }


def attempt(step: str, membership_id: str, record_id: str) -> str:
    """One worker's step: "won" or "refused" (a nurse who lost to another nurse is off the referral: 404)."""
    from lape.access.guard import NotFoundOrForbidden
    from lape.referrals.flow import transition_referral
    from lape.referrals.handling import close_request
    from lape.referrals.steps import StepRefused

    actor = Actor.for_membership(
        Membership.objects.select_related("user").get(pk=membership_id), verified=True
    )
    try:
        if step == "close":
            close_request(actor, record_id, outcome="no_need")
        else:
            transition_referral(actor, record_id, step, reason="At the same moment.")
    except (StepRefused, NotFoundOrForbidden):
        return "refused"
    return "won"


def _jobs(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    nurses, coordinators = json.loads(ids["nurses"]), json.loads(ids["coordinators"])
    referral_jobs = [("accepted", nurse, ids["referral"]) for nurse in nurses]
    referral_jobs += [("cancelled", ids["sender"], ids["referral"])] * (WORKERS - len(nurses))
    return referral_jobs + [("close", coordinator, ids["request"]) for coordinator in coordinators]


def _in_threads(jobs: list[tuple[str, str, str]]) -> list[str]:
    start = threading.Barrier(len(jobs))
    results: list[str] = [""] * len(jobs)

    def worker(index: int, step: str, membership_id: str, record_id: str) -> None:
        try:
            start.wait()
            results[index] = attempt(step, membership_id, record_id)
        except BaseException as exc:  # reported in the test's own thread
            results[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, *job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


WORKER = """
import sys, time
import django
django.setup()
from lape.referrals.tests.test_concurrency import attempt
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
print(attempt(sys.argv[2], sys.argv[3], sys.argv[4]))
"""

SETUP = """
import json
import django
django.setup()
from lape.referrals.tests.test_concurrency import build
print(json.dumps(build()))
"""

REPORT = """
import json
import django
django.setup()
from lape.referrals.models import Referral, ReferralTransition, RequestEvent, ContactRequest
referral = Referral.objects.get()
print(json.dumps([referral.status, ReferralTransition.objects.count(), ContactRequest.objects.get().status,
                  RequestEvent.objects.filter(kind="closed").count()]))
"""


def _in_processes(tmp_path: Path) -> tuple[list[str], list[object]]:
    env = dict(
        os.environ,
        LAPE_ALLOW_INSECURE_KEY="1",
        LAPE_DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        DJANGO_SETTINGS_MODULE="lape.settings",
    )
    subprocess.run([sys.executable, "-m", "lape.cli", "migrate", "-v0"], env=env, check=True)
    ids = json.loads(
        subprocess.run(
            [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    start = time.time() + 4
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), *job],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in _jobs(ids)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate()
        results.append(out.strip() if worker.returncode == 0 else f"error: {err[-500:]}")
    report = subprocess.run(
        [sys.executable, "-c", REPORT], env=env, check=True, capture_output=True, text=True
    )
    return results, json.loads(report.stdout)


@pytest.mark.django_db(transaction=True)
def test_of_steps_taken_at_the_same_moment_exactly_one_wins(tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        results, (status, transitions, request_status, closings) = _in_processes(tmp_path)
    else:
        results = _in_threads(_jobs(build()))
        status = Referral.objects.get().status
        transitions = ReferralTransition.objects.count()
        request_status = ContactRequest.objects.get().status
        closings = RequestEvent.objects.filter(kind="closed").count()
    referral_results, request_results = results[:WORKERS], results[WORKERS:]
    assert not [r for r in results if r.startswith("error")], results
    assert sorted(referral_results) == ["refused"] * (WORKERS - 1) + ["won"]
    assert sorted(request_results) == ["refused"] * (WORKERS - 1) + ["won"]
    assert status in {"accepted", "cancelled"} and transitions == 1
    assert (request_status, closings) == ("closed", 1)
