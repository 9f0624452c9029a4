"""Steps on one plan at the same moment: exactly one wins, and the plan is never without a coordinator.

The member offered the coordination accepts it while the coordinator cancels the offer and removes
that member (each several times at once); three professionals start the same child's plan at once.
On PostgreSQL the workers are threads of this test, each with its own connection; on SQLite they
are processes writing to a real database file (as in lape/referrals/tests/test_concurrency.py,
whose reasons hold here too).
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
from django.utils import timezone

from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.directory.models import Organization
from lape.people.models import Person
from lape.plans.models import CoordinationOffer, Plan, PlanStatus, TeamMember

EACH = 3  # workers per kind of step


def build() -> dict[str, str]:
    """Aino's plan (coordinator: a family worker; a nurse offered the role) and Eino's closed plan."""
    county = Organization.objects.create(name="County")

    def member(name: str, role: str) -> Membership:
        user = User.objects.create_user(name, password=None)
        return Membership.objects.create(
            user=user, organization=county, role=role, started=dt.date(2024, 1, 1)
        )

    coordinator, nurse = member("family-worker", "family_worker"), member("nurse", "public_health_nurse")
    starters = [member(f"social-worker-{n}", "social_worker") for n in range(EACH)]
    aino = Person.objects.create(given_names="Aino", family_name="Testinen", birth_date=dt.date(2016, 1, 1))
    eino = Person.objects.create(given_names="Eino", family_name="Testinen", birth_date=dt.date(2018, 1, 1))
    plan = Plan.objects.create(child=aino, coordinator=coordinator)
    TeamMember.objects.create(plan=plan, membership=coordinator)
    place = TeamMember.objects.create(plan=plan, membership=nurse)
    offer = CoordinationOffer.objects.create(plan=plan, offered_by=coordinator, offered_to=nurse)
    closed = Plan.objects.create(
        child=eino, coordinator=starters[0], status="closed", closed_at=timezone.now()
    )
    for starter in starters:  # on Eino's closed plan: a relation that lets each start a new one
        TeamMember.objects.create(plan=closed, membership=starter)
    return {
        "plan": str(plan.pk),
        "offer": str(offer.pk),
        "place": str(place.pk),
        "coordinator": str(coordinator.pk),
        "nurse": str(nurse.pk),
        "eino": str(eino.pk),
        "starters": json.dumps([str(s.pk) for s in starters]),
    }


def attempt(step: str, membership_id: str, ids_json: str) -> str:
    """One worker's step: "won" or "refused"."""
    from django.core.exceptions import ValidationError

    from lape.access.guard import NotFoundOrForbidden
    from lape.plans.coordination import accept_coordination, cancel_coordination_offer
    from lape.plans.team import remove_member, start_plan

    ids = json.loads(ids_json)
    actor = Actor.for_membership(
        Membership.objects.select_related("user").get(pk=membership_id), verified=True
    )
    try:
        if step == "accept":
            accept_coordination(actor, ids["offer"])
        elif step == "cancel":
            cancel_coordination_offer(actor, ids["offer"])
        elif step == "remove":
            remove_member(actor, ids["plan"], ids["place"])
        else:
            start_plan(actor, ids["eino"])
    except (ValidationError, NotFoundOrForbidden):  # StepRefused is a ValidationError
        return "refused"
    return "won"


def _jobs(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    blob = json.dumps(ids)
    jobs = [("accept", ids["nurse"], blob)] * EACH
    jobs += [("cancel", ids["coordinator"], blob)] * EACH
    jobs += [("remove", ids["coordinator"], blob)] * EACH
    return jobs + [("start", starter, blob) for starter in json.loads(ids["starters"])]


def _in_threads(jobs: list[tuple[str, str, str]]) -> list[str]:
    start = threading.Barrier(len(jobs))
    results: list[str] = [""] * len(jobs)

    def worker(index: int, step: str, membership_id: str, ids_json: str) -> None:
        try:
            start.wait()
            results[index] = attempt(step, membership_id, ids_json)
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
from lape.plans.tests.test_concurrency import attempt
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
print(attempt(sys.argv[2], sys.argv[3], sys.argv[4]))
"""

SETUP = """
import json
import django
django.setup()
from lape.plans.tests.test_concurrency import build
print(json.dumps(build()))
"""

REPORT = """
import json, sys
import django
django.setup()
from lape.plans.tests.test_concurrency import state
print(json.dumps(state(json.loads(sys.argv[1]))))
"""


def state(ids: dict[str, str]) -> list[object]:
    """The offer's status, the coordinator, whether the coordinator is on the team, Eino's open plans."""
    plan = Plan.objects.get(pk=ids["plan"])
    on_team = TeamMember.objects.filter(plan=plan, membership_id=plan.coordinator_id, removed_at__isnull=True)
    return [
        CoordinationOffer.objects.get(pk=ids["offer"]).status,
        str(plan.coordinator_id),
        on_team.exists(),
        Plan.objects.filter(child__pk=ids["eino"], status=PlanStatus.OPEN).count(),
    ]


def _in_processes(tmp_path: Path) -> tuple[list[str], dict[str, str], list[object]]:
    env = dict(
        os.environ,
        LAPE_ALLOW_INSECURE_KEY="1",
        LAPE_DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        DJANGO_SETTINGS_MODULE="lape.settings",
    )
    subprocess.run([sys.executable, "-m", "lape.cli", "migrate", "-v0"], env=env, check=True)
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    ids = json.loads(setup.stdout)
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
        [sys.executable, "-c", REPORT, json.dumps(ids)], env=env, check=True, capture_output=True, text=True
    )
    return results, ids, json.loads(report.stdout)


@pytest.mark.django_db(transaction=True)
def test_of_steps_taken_at_the_same_moment_exactly_one_wins(tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        results, ids, (offer_status, coordinator, coordinator_on_team, open_plans) = _in_processes(tmp_path)
    else:
        ids = build()
        results = _in_threads(_jobs(ids))
        offer_status, coordinator, coordinator_on_team, open_plans = state(ids)
    assert not [r for r in results if r.startswith("error")], results
    accepts, cancels = results[:EACH], results[EACH : 2 * EACH]
    removals, starts = results[2 * EACH : 3 * EACH], results[3 * EACH :]
    # The offer is answered once: accepted, or cancelled (by a cancellation or by the removal).
    assert sorted(accepts + cancels).count("won") <= 1
    assert offer_status in {"accepted", "cancelled"}
    if offer_status == "accepted":
        assert accepts.count("won") == 1 and coordinator == ids["nurse"]
        assert removals.count("won") == 0  # the new coordinator cannot be removed
    else:
        assert accepts.count("won") == 0 and coordinator == ids["coordinator"]
        assert removals.count("won") <= 1
    assert coordinator_on_team  # never without a coordinator on the team
    assert sorted(starts) == ["refused"] * (EACH - 1) + ["won"] and open_plans == 1
