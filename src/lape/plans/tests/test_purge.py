"""Retention: `lape purge` removes the client data whose period has passed (dates put in the past),
keeps the access log, logs each removal, changes nothing on --dry-run, and is all or nothing."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access import retention
from lape.access.decisions import Target
from lape.access.models import AccessLogEntry
from lape.access.retention import Expired, purge
from lape.access.verify import verify_chain
from lape.accounts.tests.family_provider import Family, Provider, family, family_oidc, oidc_provider, sign_in
from lape.people.models import Person
from lape.referrals.models import ContactRequest
from lape.referrals.tests.conftest import child_code, identified_request
from lape.settings import RETENTION_DEFAULT_YEARS, _env_years

from ..concerns import register_signal, withdraw_signal
from ..entries import add_goal, add_note
from ..models import ConcernMatch, ConcernSignal, Entry, Plan, TeamMember
from ..team import close_plan
from .conftest import Team, World

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]


def _years_ago(years: int, days: int = 1) -> dt.datetime:
    now = timezone.now()
    return now.replace(year=now.year - years) - dt.timedelta(days=days)


def _closed(world: World, team: Team, years_ago: int) -> Plan:
    close_plan(world.family_worker, team.plan.pk, summary="The work ended well.")
    Plan.objects.filter(pk=team.plan.pk).update(closed_at=_years_ago(years_ago))
    return Plan.objects.get(pk=team.plan.pk)


def _purge_rows() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(username="lape:retention").order_by("id"))


def test_it_removes_a_closed_plan_after_its_longest_category_and_keeps_the_log(
    world: World, team: Team
) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    add_note(
        world.family_worker, team.plan.pk, category="social_services", text="Going well", goal_id=goal.pk
    )
    plan = _closed(world, team, years_ago=12)
    about_plan = AccessLogEntry.objects.filter(record_id=str(plan.pk)).count()
    batches = purge()
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not Entry.objects.filter(plan_id=plan.pk).exists() and not TeamMember.objects.filter(
        plan_id=plan.pk
    )
    removed = [(r.record_type, r.action, r.basis, r.law, r.reason) for r in _purge_rows()]
    assert sorted(r[0] for r in removed) == ["plan", "plan_goal", "plan_note"]
    assert {r[1:] for r in removed} == {("write", "statute", "2016/679 5 art.", "retention:closed_plans")}
    assert sum(len(b.targets) for b in batches) == 3
    # the earlier rows about the plan are all still there, and the chain is whole
    assert AccessLogEntry.objects.filter(record_id=str(plan.pk)).count() == about_plan + 1
    assert verify_chain().ok


def test_it_keeps_a_closed_plan_while_one_category_in_it_is_kept_longer(world: World, team: Team) -> None:
    add_goal(world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm")
    add_note(world.nurse, team.plan.pk, category="health", text="Health note")  # 120 years
    plan = _closed(world, team, years_ago=13)
    purge()
    assert Plan.objects.filter(pk=plan.pk).exists() and Entry.objects.filter(plan=plan).count() == 2
    assert _purge_rows() == []


def test_it_keeps_a_plan_closed_less_than_its_period_ago_and_never_an_open_one(
    world: World, team: Team
) -> None:
    Plan.objects.filter(pk=team.plan.pk).update(created_at=_years_ago(200))
    purge()
    assert Plan.objects.filter(pk=team.plan.pk).exists()
    _closed(world, team, years_ago=11)
    purge()
    assert Plan.objects.filter(pk=team.plan.pk).exists() and _purge_rows() == []


def test_it_takes_the_periods_from_the_settings(world: World, team: Team, settings: Any) -> None:
    add_note(world.nurse, team.plan.pk, category="health", text="Health note")
    _closed(world, team, years_ago=3)
    settings.LAPE_RETENTION_YEARS = RETENTION_DEFAULT_YEARS | {"health": 2, "contact": 2}
    purge()
    assert not Plan.objects.filter(pk=team.plan.pk).exists()


def test_it_lists_but_changes_nothing_on_a_dry_run(world: World, team: Team) -> None:
    plan = _closed(world, team, years_ago=13)
    rows = AccessLogEntry.objects.count()
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert f"plan {plan.pk}" in out.getvalue() and "Would remove 1 records" in out.getvalue()
    assert Plan.objects.filter(pk=plan.pk).exists() and AccessLogEntry.objects.count() == rows
    call_command("purge", stdout=(out := StringIO()))
    assert "Removed 1 records" in out.getvalue() and not Plan.objects.filter(pk=plan.pk).exists()


def test_it_removes_nothing_at_all_when_one_removal_fails(world: World, team: Team) -> None:
    plan = _closed(world, team, years_ago=13)
    rows = AccessLogEntry.objects.count()

    def a_failing_source(now: dt.datetime) -> list[Expired]:  # runs after the plans' removal
        target = Target("person", str(world.child.pk), world.child.pk, None, "")
        # the child is protected by her contact request: the database refuses
        return [
            Expired("broken", "broken", [target], lambda: Person.objects.filter(pk=world.child.pk).delete())
        ]

    retention.register_purge(a_failing_source)
    try:
        with pytest.raises(ProtectedError):
            purge()
    finally:
        retention._SOURCES.remove(a_failing_source)
    assert Plan.objects.filter(pk=plan.pk).exists() and AccessLogEntry.objects.count() == rows


def test_it_removes_concern_signals_and_their_matches_years_after_they_ended(world: World) -> None:
    code = child_code(world)
    old = register_signal(world.nurse, identity_code=code, contact="017 555 0101")
    register_signal(world.school_social_worker, identity_code=code, contact="017 555 0102")
    assert ConcernMatch.objects.count() == 1
    withdraw_signal(world.nurse, old.pk)
    ConcernSignal.objects.filter(pk=old.pk).update(withdrawn_at=_years_ago(5))
    purge()
    assert not ConcernSignal.objects.filter(pk=old.pk).exists() and ConcernMatch.objects.count() == 0
    assert ConcernSignal.objects.count() == 1  # the other, still in force
    assert sorted(r.record_type for r in _purge_rows()) == ["concern_match", "concern_signal"]


def test_it_removes_a_contact_request_years_after_it_was_closed(world: World) -> None:
    request = identified_request(world)
    ContactRequest.objects.filter(pk=request.pk).update(
        status="closed", closed_at=_years_ago(12), outcome="advice_given"
    )
    purge()
    assert not ContactRequest.objects.filter(pk=request.pk).exists()
    (row,) = _purge_rows()
    assert (row.record_type, row.record_id, row.person_id) == (
        "contact_request",
        str(request.pk),
        world.child.pk,
    )


def test_it_shows_the_family_what_the_purge_removed(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _closed(world, team, years_ago=13)
    purge()
    client = Client(headers={"Accept-Language": "en"})
    assert sign_in(client, "pekka").status_code == 302
    page = client.get(reverse("access:family_access_log", kwargs={"person_id": world.child.pk}))
    assert "the platform: the retention period had ended" in page.content.decode()


def test_it_refuses_a_retention_setting_it_cannot_read() -> None:
    for bad in ("health", "health:x", "nursery:3", "health:0"):
        os.environ["LAPE_TEST_RETENTION"] = bad
        try:
            with pytest.raises(ImproperlyConfigured, match="LAPE_TEST_RETENTION"):
                _env_years("LAPE_TEST_RETENTION", RETENTION_DEFAULT_YEARS)
        finally:
            del os.environ["LAPE_TEST_RETENTION"]
    os.environ["LAPE_TEST_RETENTION"] = " health:50 , ngo_support:3"
    try:
        years = _env_years("LAPE_TEST_RETENTION", RETENTION_DEFAULT_YEARS)
    finally:
        del os.environ["LAPE_TEST_RETENTION"]
    assert (years["health"], years["ngo_support"], years["social_services"]) == (50, 3, 12)
