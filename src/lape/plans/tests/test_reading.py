"""Reading a plan through access: whole entries, "an entry exists, whose it is", consent (lape.plans.reading)."""

from __future__ import annotations

import uuid

import pytest

from lape.access.consent_actions import withdraw_consent
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.plans.coordination import offer_coordination
from lape.plans.entries import add_goal, add_note
from lape.plans.models import Entry
from lape.plans.reading import entry_for, offers_for, plan_for, plans_of
from lape.plans.team import remove_member

from .conftest import Team, World, consent_to, rows


def _entries(team: Team, world: World) -> tuple[Entry, Entry]:
    """The county nurse's health note and the city's pupil-welfare goal."""
    health = add_note(world.nurse, team.plan.pk, category="health", text="Sleeps better since March.")
    school = add_goal(
        world.school_social_worker,
        team.plan.pk,
        category="pupil_welfare",
        domain="included",
        words="Group work.",
    )
    return health, school


def _shown(view: object, entry: Entry) -> bool:
    return next(e for e in view.entries if e.id == entry.pk).shown  # type: ignore[attr-defined]


def test_it_shows_the_own_registers_entry_whole_and_anothers_as_a_heading(team: Team, world: World) -> None:
    health, school = _entries(team, world)
    AccessLogEntry.objects.all()  # (rows so far: the writes)
    view = plan_for(world.nurse, team.plan.pk)
    assert _shown(view, health) and not _shown(view, school)
    heading = next(e for e in view.entries if e.id == school.pk)
    assert heading.entry is None
    assert (heading.kind, heading.category, heading.organization) == ("goal", "pupil_welfare", world.city)
    assert [m.membership_id for m in view.team] == [
        world.family_worker.membership_id,
        world.nurse.membership_id,
        world.school_social_worker.membership_id,
        world.ngo_worker.membership_id,
    ]
    # One read of the plan's frame and one of the entry shown; the withheld entry is not logged.
    reads = [r for r in rows("nurse") if r[1] == "read"]
    assert reads == [("plan", "read", "allowed", ""), ("plan_note", "read", "allowed", "")]


def test_it_shows_another_organisations_entry_under_consent_and_hides_it_at_once_when_withdrawn(
    team: Team, world: World
) -> None:
    health, school = _entries(team, world)
    assert not _shown(plan_for(world.ngo_worker, team.plan.pk), health)
    consent = consent_to(world, world.ngo, "health")
    view = plan_for(world.ngo_worker, team.plan.pk)
    assert _shown(view, health) and not _shown(view, school)  # the consent covers health only
    row = AccessLogEntry.objects.filter(username="ngo-worker", record_type="plan_note").get()
    assert (row.basis, row.consent_id) == ("consent", consent.pk)
    withdraw_consent(world.family_worker, consent.pk)
    assert not _shown(plan_for(world.ngo_worker, team.plan.pk), health)
    with pytest.raises(NotFoundOrForbidden):
        entry_for(world.ngo_worker, health.pk)
    assert rows("ngo-worker")[-1] == ("plan_note", "read", "refused", "no_basis")


def test_it_reads_one_entry_by_id_only_when_access_allows(team: Team, world: World) -> None:
    health, school = _entries(team, world)
    assert entry_for(world.nurse, health.pk) == health
    assert rows("nurse")[-1] == ("plan_note", "read", "allowed", "")
    with pytest.raises(NotFoundOrForbidden):
        entry_for(world.nurse, school.pk)
    assert rows("nurse")[-1] == ("plan_goal", "read", "refused", "no_basis")


def test_it_answers_a_missing_and_a_forbidden_plan_or_entry_alike(team: Team, world: World) -> None:
    health, _ = _entries(team, world)
    attempts = [
        lambda: plan_for(world.stranger, team.plan.pk),
        lambda: plan_for(world.stranger, uuid.uuid4()),
        lambda: plan_for(world.stranger, "1; DROP TABLE"),
        lambda: entry_for(world.stranger, health.pk),
        lambda: entry_for(world.stranger, uuid.uuid4()),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(NotFoundOrForbidden) as raised:
            attempt()
        errors.append((type(raised.value), raised.value.args))
    assert len(set(errors)) == 1
    assert rows("stranger") == [
        ("plan", "read", "refused", "no_relation"),
        ("plan", "read", "refused", "not_found"),
        ("plan", "read", "refused", "not_found"),
        ("plan", "read", "refused", "no_relation"),
        ("plan_entry", "read", "refused", "not_found"),
    ]
    assert (
        AccessLogEntry.objects.filter(username="stranger", record_id="").count() == 1
    )  # the typed id is not kept


def test_it_refuses_someone_on_the_childs_referral_but_not_on_the_plans_team(
    team: Team, world: World
) -> None:
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    from lape.referrals.tests.conftest import identified_request

    identified_request(world, world.nurse)  # the nurse has the child's contact request now
    with pytest.raises(NotFoundOrForbidden):
        plan_for(world.nurse, team.plan.pk)
    assert rows("nurse")[-1] == ("plan", "read", "refused", "no_relation")


def test_it_lists_the_actors_plans_and_the_offers_waiting_for_them(team: Team, world: World) -> None:
    assert plans_of(world.nurse) == [team.plan]
    assert plans_of(world.stranger) == []
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    assert offers_for(world.nurse) == [offer]
    assert offers_for(world.ngo_worker) == []
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    assert plans_of(world.nurse) == [] and offers_for(world.nurse) == []
