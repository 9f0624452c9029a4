"""The access decision: deny by default; own register, consent or a named statute, for the team only."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone, translation

from lape.access import decide
from lape.access.consent_actions import grant_consent, withdraw_consent
from lape.access.decisions import Action, Basis, Refusal, Target
from lape.access.models import Consent
from lape.access.statutes import CHILD_PROTECTION_NOTIFICATION, CONTACT_REQUEST
from lape.accounts.acting import Actor
from lape.directory.models import Organization
from lape.people.models import Person

from .conftest import Team, World, make_actor


def _record(person: Person, owner: Organization, category: str, record_type: str = "record") -> Target:
    return Target(record_type, str(uuid.uuid4()), person.pk, owner.pk, category)


def _consent(
    world: World,
    team: Team,
    to: Organization,
    categories: list[str],
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Consent:
    """Aino's mother consents, recorded by the city's school social worker (on Aino's team)."""
    team.add(world.school_social_worker, world.child)
    return grant_consent(
        world.school_social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[to],
        categories=categories,
        purpose="Shared support at school",
        valid_from=valid_from,
        valid_until=valid_until,
    )


def test_it_denies_by_default(world: World, team: Team) -> None:
    decision = decide(world.nurse, Action.READ, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.basis, decision.reason) == (False, Basis.NONE, Refusal.NO_RELATION)


@pytest.mark.parametrize("action", [Action.READ, Action.WRITE, Action.EXPORT])
def test_it_allows_the_team_its_own_register(world: World, team: Team, action: Action) -> None:
    team.add(world.nurse, world.child)
    decision = decide(world.nurse, action, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.basis) == (True, Basis.OWN_REGISTER)


def test_it_keeps_education_and_health_registers_apart_in_one_organisation(world: World, team: Team) -> None:
    team.add(world.teacher, world.child)
    team.add(world.school_social_worker, world.child)
    city_health = _record(world.child, world.city, "health")
    city_pupil_welfare = _record(world.child, world.city, "pupil_welfare")
    assert decide(world.teacher, Action.READ, city_pupil_welfare).allowed
    assert decide(world.teacher, Action.READ, city_health).reason == Refusal.NO_BASIS
    team.add(world.nurse, world.child)
    assert decide(world.nurse, Action.READ, _record(world.child, world.county, "pupil_welfare")).reason == (
        Refusal.NO_BASIS
    )


def test_it_refuses_another_organisations_record_without_consent(world: World, team: Team) -> None:
    team.add(world.school_social_worker, world.child)
    decision = decide(world.school_social_worker, Action.READ, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.reason) == (False, Refusal.NO_BASIS)


def test_a_consent_lets_the_team_read_another_organisations_record(world: World, team: Team) -> None:
    consent = _consent(world, team, world.city, ["health"])
    decision = decide(world.school_social_worker, Action.READ, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.basis, decision.consent_id) == (True, Basis.CONSENT, consent.pk)


@pytest.mark.parametrize("action", [Action.WRITE, Action.EXPORT])
def test_a_consent_lets_no_one_write_or_export_another_organisations_record(
    world: World, team: Team, action: Action
) -> None:
    _consent(world, team, world.city, ["health"])
    decision = decide(world.school_social_worker, action, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.reason) == (False, Refusal.NO_BASIS)


def test_a_consent_covers_only_its_organisations_and_categories(world: World, team: Team) -> None:
    _consent(world, team, world.ngo, ["health"])
    _consent(world, team, world.city, ["social_services"])
    decision = decide(world.school_social_worker, Action.READ, _record(world.child, world.county, "health"))
    assert decision.reason == Refusal.NO_BASIS


def test_a_withdrawn_consent_stops_at_once(world: World, team: Team) -> None:
    consent = _consent(world, team, world.city, ["health"])
    record = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, record).allowed
    withdraw_consent(world.school_social_worker, consent.pk)
    assert decide(world.school_social_worker, Action.READ, record).reason == Refusal.NO_BASIS


def test_a_consent_ends_after_its_last_day(world: World, team: Team) -> None:
    _consent(world, team, world.city, ["health"], valid_until=timezone.localdate() + dt.timedelta(days=10))
    record = _record(world.child, world.county, "health")
    now = timezone.now()
    assert decide(world.school_social_worker, Action.READ, record, at=now + dt.timedelta(days=9)).allowed
    later = decide(world.school_social_worker, Action.READ, record, at=now + dt.timedelta(days=11))
    assert later.reason == Refusal.NO_BASIS


def test_a_consent_begins_on_its_first_day(world: World, team: Team) -> None:
    _consent(world, team, world.city, ["health"], valid_from=timezone.localdate() + dt.timedelta(days=3))
    record = _record(world.child, world.county, "health")
    now = timezone.now()
    assert decide(world.school_social_worker, Action.READ, record, at=now).reason == Refusal.NO_BASIS
    assert decide(world.school_social_worker, Action.READ, record, at=now + dt.timedelta(days=4)).allowed


def test_a_consent_is_no_use_to_someone_off_the_team(world: World, team: Team) -> None:
    _consent(world, team, world.city, ["health"])
    decision = decide(world.teacher, Action.READ, _record(world.child, world.county, "health"))
    assert decision.reason == Refusal.NO_RELATION


def test_it_refuses_an_actor_without_a_verified_second_factor(world: World, team: Team) -> None:
    unverified = Actor(**{**world.nurse.__dict__, "verified": False})
    team.add(unverified, world.child)
    decision = decide(unverified, Action.READ, _record(world.child, world.county, "health"))
    assert decision.reason == Refusal.UNVERIFIED


@pytest.mark.parametrize("role", ["manager", "publisher", "administrator"])
def test_it_never_lets_a_role_without_client_data_in(world: World, team: Team, role: str) -> None:
    actor = make_actor(f"county-{role}", world.county, role)
    team.add(actor, world.child)
    for category in ("health", "contact"):
        assert decide(actor, Action.READ, _record(world.child, world.county, category)).reason == Refusal.ROLE
    notification = _record(world.child, world.county, "child_protection", CHILD_PROTECTION_NOTIFICATION)
    assert decide(actor, Action.WRITE, notification).reason == Refusal.ROLE


def test_anyone_who_works_with_children_may_write_a_child_protection_notification(world: World) -> None:
    notification = _record(world.child, world.county, "child_protection", CHILD_PROTECTION_NOTIFICATION)
    decision = decide(world.teacher, Action.WRITE, notification)
    assert (decision.allowed, decision.basis, decision.law) == (True, Basis.STATUTE, "417/2007 25 §")


@pytest.mark.parametrize(
    ("action", "record_type"),
    [(Action.READ, CHILD_PROTECTION_NOTIFICATION), (Action.WRITE, "assessment")],
)
def test_the_duty_to_notify_opens_nothing_else(world: World, action: Action, record_type: str) -> None:
    decision = decide(
        world.teacher, action, _record(world.child, world.county, "child_protection", record_type)
    )
    assert decision.reason == Refusal.NO_RELATION


def test_a_contact_request_for_a_family_needs_its_consent_or_a_reason(world: World, team: Team) -> None:
    request = _record(world.child, world.county, "contact", CONTACT_REQUEST)
    assert decide(world.teacher, Action.WRITE, request).reason == Refusal.NO_RELATION
    urgent = decide(world.teacher, Action.WRITE, request, reason="The family has no food and no money left")
    assert (urgent.allowed, urgent.basis, urgent.law) == (True, Basis.STATUTE, "1301/2014 35 §")
    _consent(world, team, world.city, ["contact"])
    assert decide(world.teacher, Action.WRITE, request).law == "1301/2014 35 §"


def test_an_emergency_lets_an_emergency_role_read_with_a_reason(world: World, team: Team) -> None:
    record = _record(world.child, world.county, "health")
    reason = "Child found alone at night, injured"
    decision = decide(world.stranger, Action.READ, record, emergency=True, reason=reason)
    assert (decision.allowed, decision.basis) == (True, Basis.EMERGENCY)
    assert decide(world.stranger, Action.READ, record, emergency=True).reason == Refusal.EMERGENCY
    assert (
        decide(world.teacher, Action.READ, record, emergency=True, reason=reason).reason == Refusal.EMERGENCY
    )
    assert (
        decide(world.stranger, Action.WRITE, record, emergency=True, reason=reason).reason
        == Refusal.EMERGENCY
    )


def test_an_emergency_is_not_recorded_when_the_usual_basis_holds(world: World, team: Team) -> None:
    team.add(world.nurse, world.child)
    record = _record(world.child, world.county, "health")
    decision = decide(world.nurse, Action.READ, record, emergency=True, reason="Just to be sure of this")
    assert decision.basis == Basis.OWN_REGISTER


@pytest.mark.parametrize(("action", "category"), [("delete", "health"), ("read", "horoscope"), ("read", "")])
def test_it_refuses_unknown_actions_and_categories(
    world: World, team: Team, action: str, category: str
) -> None:
    team.add(world.nurse, world.child)
    decision = decide(world.nurse, action, _record(world.child, world.county, category))
    assert decision.reason == Refusal.INVALID


def test_it_explains_a_refusal_in_the_users_language(world: World, team: Team) -> None:
    decision = decide(world.nurse, Action.READ, _record(world.child, world.county, "health"))
    with translation.override("fi"):
        assert decision.explanation == "ei henkilön tiimissä eikä lähetteessä"
    with translation.override("sv"):
        assert decision.explanation == "inte med i personens team eller remiss"
