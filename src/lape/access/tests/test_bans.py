"""Disclosure bans: a ban wins over consent and break-the-glass outside the owner organisation; a
named statute wins over a ban; setting and lifting follow the capacity rules of consents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lape.access import decide, guard, statutes
from lape.access.ban_actions import BAN_RECORD, lift_ban, set_ban
from lape.access.bans import bans_in_force
from lape.access.categories import Category
from lape.access.consent_actions import grant_consent
from lape.access.decisions import Action, Basis, Refusal, Target
from lape.access.models import AccessLogEntry, BanScope, DisclosureBan
from lape.access.statutes import STATUTES, Statute
from lape.directory.models import Organization, Service
from lape.people.models import Person

from .conftest import Team, World, make_guardian, make_person, years_ago

EMERGENCY_REASON = "Child found alone at night, injured"


def _record(
    person: Person,
    owner: Organization,
    category: str,
    *,
    service: Service | None = None,
    record_type: str = "record",
    record_id: str = "",
) -> Target:
    return Target(
        record_type,
        record_id or str(uuid.uuid4()),
        person.pk,
        owner.pk,
        category,
        service_id=service.pk if service else None,
    )


def _consent_to_city(world: World, team: Team, categories: list[str]) -> None:
    """Aino's mother shares her health (or other) information with the city; the city's school social
    worker (who records it) is on Aino's team."""
    team.add(world.school_social_worker, world.child)
    grant_consent(
        world.school_social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[world.city],
        categories=categories,
        purpose="Shared support at school",
    )


def _ban(world: World, team: Team, **scope: Any) -> DisclosureBan:
    """Aino's mother forbids disclosure, recorded by the county's nurse (on Aino's team)."""
    team.add(world.nurse, world.child)
    scope.setdefault("scope", BanScope.ORGANIZATION)
    if scope["scope"] == BanScope.ORGANIZATION:
        scope.setdefault("organization", world.county)
    return set_ban(world.nurse, person=world.child, set_by=world.mother, **scope)


@pytest.fixture
def clinic(world: World) -> Service:
    return Service.objects.create(organization=world.county, name="Lastenneuvola")


@pytest.fixture
def dental(world: World) -> Service:
    return Service.objects.create(organization=world.county, name="Suun terveydenhuolto")


# The decision


def test_a_ban_on_the_organisation_wins_over_consent(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    record = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, record).basis == Basis.CONSENT
    _ban(world, team)
    decision = decide(world.school_social_worker, Action.READ, record)
    assert (decision.allowed, decision.basis, decision.reason) == (False, Basis.NONE, Refusal.BAN)


def test_a_ban_on_one_record_covers_that_record_only(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    banned = _record(world.child, world.county, "health", record_type="plan_note")
    _ban(world, team, scope=BanScope.RECORD, record_type="plan_note", record_id=banned.record_id)
    assert decide(world.school_social_worker, Action.READ, banned).reason == Refusal.BAN
    other = _record(world.child, world.county, "health", record_type="plan_note")
    assert decide(world.school_social_worker, Action.READ, other).basis == Basis.CONSENT
    same_id_other_type = dataclasses.replace(banned, record_type="referral")
    assert decide(world.school_social_worker, Action.READ, same_id_other_type).basis == Basis.CONSENT


def test_a_ban_on_one_service_covers_that_services_records_only(
    world: World, team: Team, clinic: Service, dental: Service
) -> None:
    _consent_to_city(world, team, ["health"])
    _ban(world, team, scope=BanScope.SERVICE, service=clinic)
    at_clinic = _record(world.child, world.county, "health", service=clinic)
    assert decide(world.school_social_worker, Action.READ, at_clinic).reason == Refusal.BAN
    at_dental = _record(world.child, world.county, "health", service=dental)
    assert decide(world.school_social_worker, Action.READ, at_dental).basis == Basis.CONSENT
    # A record whose app names no service is not one service's record.
    no_service = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, no_service).basis == Basis.CONSENT


def test_a_ban_on_another_organisation_does_not_cover_this_ones_records(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    _ban(world, team, organization=world.ngo)
    record = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, record).basis == Basis.CONSENT


def test_a_ban_limited_to_categories_covers_those_only(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health", "social_services"])
    _ban(world, team, categories=["social_services"])
    social = _record(world.child, world.county, "social_services")
    assert decide(world.school_social_worker, Action.READ, social).reason == Refusal.BAN
    health = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, health).basis == Basis.CONSENT


def test_a_ban_without_categories_covers_every_category(world: World, team: Team) -> None:
    _consent_to_city(world, team, list(Category.values))
    _ban(world, team)
    for category in Category.values:
        record = _record(world.child, world.county, category)
        assert decide(world.school_social_worker, Action.READ, record).reason == Refusal.BAN, category


def test_a_ban_covers_only_its_person(world: World, team: Team) -> None:
    _ban(world, team)
    team.add(world.school_social_worker, world.teen)
    grant_consent(
        world.school_social_worker,
        person=world.teen,
        given_by=world.teen,
        organizations=[world.city],
        categories=["health"],
        purpose="School health",
    )
    record = _record(world.teen, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, record).basis == Basis.CONSENT


def test_a_ban_wins_over_break_the_glass(world: World, team: Team) -> None:
    record = _record(world.child, world.county, "health")
    before = decide(world.stranger, Action.READ, record, emergency=True, reason=EMERGENCY_REASON)
    assert before.basis == Basis.EMERGENCY
    _ban(world, team)
    after = decide(world.stranger, Action.READ, record, emergency=True, reason=EMERGENCY_REASON)
    assert (after.allowed, after.reason) == (False, Refusal.BAN)
    # Without a reason it stays the emergency's own refusal: the ban is not even asked.
    assert decide(world.stranger, Action.READ, record, emergency=True).reason == Refusal.EMERGENCY


def test_the_owner_organisation_still_reads_its_own_register(world: World, team: Team) -> None:
    _ban(world, team)
    record = _record(world.child, world.county, "health")
    assert decide(world.nurse, Action.READ, record).basis == Basis.OWN_REGISTER
    assert decide(world.nurse, Action.WRITE, record).basis == Basis.OWN_REGISTER


def test_reading_on_consent_inside_the_owner_organisation_is_no_disclosure(world: World, team: Team) -> None:
    """The county's social worker does not handle health in the county's register; the consent
    lets them read it, and the ban on the county's records does not reach inside the county."""
    team.add(world.social_worker, world.child)
    grant_consent(
        world.social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[world.county],
        categories=["health"],
        purpose="Family work with the clinic",
    )
    _ban(world, team)
    record = _record(world.child, world.county, "health")
    assert decide(world.social_worker, Action.READ, record).basis == Basis.CONSENT


@pytest.mark.parametrize("statute", STATUTES, ids=lambda s: s.law)
def test_every_statute_wins_over_a_ban(world: World, team: Team, statute: Statute) -> None:
    _consent_to_city(world, team, sorted(statute.categories))
    _ban(world, team)
    action = sorted(statute.actions)[0]
    record = _record(
        world.child, world.county, sorted(statute.categories)[0], record_type=sorted(statute.record_types)[0]
    )
    decision = decide(world.school_social_worker, action, record, reason="The family has nothing to eat")
    assert (decision.allowed, decision.basis, decision.law) == (True, Basis.STATUTE, statute.law)


def test_a_statute_that_needs_the_relation_wins_over_a_ban_on_a_consent(
    world: World, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No such statute is in the table yet (plans may bring one): one for the test shows its place."""
    right_to_know = Statute(
        law="999/2099 1 §",
        title="A right to information for the test",  # type: ignore[arg-type]
        summary="",  # type: ignore[arg-type]
        actions=frozenset({Action.READ}),
        categories=frozenset({Category.HEALTH}),
        record_types=frozenset({"record"}),
    )
    monkeypatch.setattr(statutes, "STATUTES", (*STATUTES, right_to_know))
    _consent_to_city(world, team, ["health"])
    _ban(world, team)
    decision = decide(world.school_social_worker, Action.READ, _record(world.child, world.county, "health"))
    assert (decision.allowed, decision.basis, decision.law) == (True, Basis.STATUTE, "999/2099 1 §")


def test_a_lifted_ban_no_longer_refuses_at_once(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    ban = _ban(world, team)
    record = _record(world.child, world.county, "health")
    assert decide(world.school_social_worker, Action.READ, record).reason == Refusal.BAN
    before_lifting = timezone.now()
    lifted = lift_ban(world.nurse, ban.pk, lifted_by=world.mother)
    assert decide(world.school_social_worker, Action.READ, record).basis == Basis.CONSENT
    # The history stays true: asked about a moment before the lifting, the ban still refused.
    earlier = decide(world.school_social_worker, Action.READ, record, at=before_lifting)
    assert earlier.reason == Refusal.BAN
    assert (lifted.lifted_by, lifted.lift_recorded_by_id) == (world.mother, world.nurse.user_id)
    assert DisclosureBan.objects.filter(pk=ban.pk).exists()  # kept as history


def test_a_ban_that_starts_later_refuses_from_its_first_day(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    _ban(world, team, valid_from=timezone.localdate() + dt.timedelta(days=3))
    record = _record(world.child, world.county, "health")
    now = timezone.now()
    assert decide(world.school_social_worker, Action.READ, record, at=now).basis == Basis.CONSENT
    later = decide(world.school_social_worker, Action.READ, record, at=now + dt.timedelta(days=4))
    assert later.reason == Refusal.BAN
    assert not bans_in_force(world.child.pk).exists()


def test_each_refusal_by_a_ban_is_logged_with_its_code(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    _ban(world, team)
    record = _record(world.child, world.county, "health")
    with pytest.raises(guard.NotFoundOrForbidden):
        guard.check(world.school_social_worker, Action.READ, record)
    with pytest.raises(guard.NotFoundOrForbidden):
        guard.check(world.stranger, Action.READ, record, emergency=True, reason=EMERGENCY_REASON)
    rows = AccessLogEntry.objects.filter(record_id=record.record_id).order_by("id")
    assert list(rows.values_list("username", "outcome", "basis", "refusal", "reason")) == [
        ("school-social-worker", "refused", "none", "ban", ""),
        ("stranger", "refused", "none", "ban", EMERGENCY_REASON),
    ]


def _queries(actor: Any, record: Target) -> tuple[int, str]:
    """How many queries a decision makes, and its basis or refusal."""
    with CaptureQueriesContext(connection) as captured:
        decision = decide(actor, Action.READ, record)
    return len(captured), decision.reason or decision.basis


def test_the_decision_asks_for_bans_with_the_consents_in_one_query(world: World, team: Team) -> None:
    _consent_to_city(world, team, ["health"])
    team.add(world.nurse, world.child)
    record = _record(world.child, world.county, "health")
    # The relation providers (the installed apps' and the test team) ask what they ask: counted once.
    relation, basis = _queries(world.nurse, record)
    assert basis == Basis.OWN_REGISTER  # own register: no consent and no ban is asked
    # The covering consents and the covering bans, in one query.
    assert _queries(world.school_social_worker, record) == (relation + 1, Basis.CONSENT)
    education = _record(world.child, world.county, "pupil_welfare")
    assert _queries(world.school_social_worker, education) == (relation + 1, Refusal.NO_BASIS)
    _ban(world, team)
    assert _queries(world.school_social_worker, record) == (relation + 1, Refusal.BAN)
    assert _queries(world.nurse, record) == (relation, Basis.OWN_REGISTER)


def test_break_the_glass_asks_for_bans_in_one_more_query(world: World, team: Team) -> None:
    record = _record(world.child, world.county, "health")
    with CaptureQueriesContext(connection) as plain:
        assert decide(world.stranger, Action.READ, record).reason == Refusal.NO_RELATION
    with CaptureQueriesContext(connection) as emergency:
        decision = decide(world.stranger, Action.READ, record, emergency=True, reason=EMERGENCY_REASON)
    assert (len(emergency) - len(plain), decision.basis) == (1, Basis.EMERGENCY)


# Setting and lifting: who may, and bad input


def test_setting_a_ban_is_logged_as_a_write(world: World, team: Team) -> None:
    ban = _ban(world, team, categories=["health", "social_services"])
    row = AccessLogEntry.objects.get(record_id=str(ban.pk))
    assert (row.username, row.action, row.outcome, row.record_type, row.category) == (
        "nurse",
        "write",
        "allowed",
        BAN_RECORD,
        "health,social_services",
    )
    assert (ban.set_by, ban.recorded_by_id, ban.valid_from) == (
        world.mother,
        world.nurse.user_id,
        timezone.localdate(),
    )


def test_only_the_scopes_own_fields_are_kept(world: World, team: Team, clinic: Service) -> None:
    ban = _ban(world, team, scope=BanScope.SERVICE, service=clinic, organization=world.city, record_id="x")
    assert (ban.service, ban.organization, ban.record_id) == (clinic, None, "")


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"scope": "everything"}, "scope"),
        ({"scope": BanScope.RECORD, "record_id": "abc"}, "record_type"),
        ({"scope": BanScope.RECORD, "record_type": "plan_note"}, "record_id"),
        ({"scope": BanScope.RECORD, "record_type": "horoscope", "record_id": "abc"}, "record_type"),
        ({"scope": BanScope.RECORD, "record_type": "consent", "record_id": "abc"}, "record_type"),
        ({"scope": BanScope.SERVICE}, "service"),
        ({"scope": BanScope.ORGANIZATION, "organization": None}, "organization"),
        ({"categories": ["horoscope"]}, "categories"),
        ({"valid_from": dt.date(2020, 1, 1)}, "valid_from"),
    ],
)
def test_bad_input_changes_nothing(world: World, team: Team, scope: dict[str, Any], field: str) -> None:
    log_rows = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _ban(world, team, **scope)
    assert field in raised.value.message_dict
    assert DisclosureBan.objects.count() == 0
    assert AccessLogEntry.objects.count() == log_rows


def test_someone_off_the_team_cannot_set_or_lift_a_ban(world: World, team: Team) -> None:
    with pytest.raises(guard.NotFoundOrForbidden):
        set_ban(
            world.teacher,
            person=world.child,
            set_by=world.mother,
            scope="organization",
            organization=world.city,
        )
    ban = _ban(world, team)
    with pytest.raises(guard.NotFoundOrForbidden):
        lift_ban(world.teacher, ban.pk, lifted_by=world.mother)
    refusals = AccessLogEntry.objects.filter(username="teacher", record_type=BAN_RECORD)
    assert list(refusals.values_list("action", "outcome", "refusal")) == [
        ("write", "refused", "no_relation"),
        ("write", "refused", "no_relation"),
    ]
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_a_ban_is_lifted_once(world: World, team: Team) -> None:
    ban = _ban(world, team)
    lift_ban(world.nurse, ban.pk, lifted_by=world.mother)
    with pytest.raises(ValidationError):
        lift_ban(world.nurse, ban.pk, lifted_by=world.mother)


def _decides(world: World, team: Team, person: Person, set_by: Person, **options: Any) -> str:
    """Who may set a ban about `person`: "" when they may, else the error's field and code."""
    team.add(world.nurse, person)
    try:
        set_ban(
            world.nurse,
            person=person,
            set_by=set_by,
            scope="organization",
            organization=world.city,
            **options,
        )
    except ValidationError as error:
        return next(f"{field}:{e.code}" for field, errors in error.error_dict.items() for e in errors)
    return ""


def test_a_guardian_sets_a_ban_for_a_young_child_and_the_child_cannot(world: World, team: Team) -> None:
    assert _decides(world, team, world.child, world.mother) == ""
    assert _decides(world, team, world.child, world.child) == "set_by:no_capacity"
    assert _decides(world, team, world.child, world.father) == "set_by:not_guardian"


def test_a_young_person_of_15_bans_alone_only_in_their_own_matters(world: World, team: Team) -> None:
    assert _decides(world, team, world.teen, world.teen, categories=["health"]) == ""
    # Every category includes early childhood education, never the child's to decide.
    assert _decides(world, team, world.teen, world.teen) == "set_by:no_capacity"
    assert (
        _decides(world, team, world.teen, world.teen, categories=["early_education"]) == "set_by:no_capacity"
    )


def test_a_guardian_hears_a_child_of_12_first(world: World, team: Team) -> None:
    child = make_person("Ella", "Esimerkki", years_ago(13))
    make_guardian(world.father, child)
    assert _decides(world, team, child, world.father) == "child_heard:child_not_heard"
    assert _decides(world, team, child, world.father, child_heard=True) == ""


def test_an_adult_decides_for_themselves_only(world: World, team: Team) -> None:
    assert _decides(world, team, world.mother, world.mother) == ""
    assert _decides(world, team, world.mother, world.father) == "set_by:adult_consents_self"


def test_lifting_follows_the_same_capacity_rules(world: World, team: Team) -> None:
    ban = _ban(world, team)
    with pytest.raises(ValidationError) as raised:
        lift_ban(world.nurse, ban.pk, lifted_by=world.child)
    assert list(raised.value.message_dict) == ["lifted_by"]
    ban.refresh_from_db()
    assert ban.lifted_at is None
