"""Recording consents: the right giver, clean input, logged writes; a withdrawal counts at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lape.access.consent_actions import grant_consent, withdraw_consent
from lape.access.consents import consents_covering
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry, Consent

from .conftest import Team, World, make_guardian, make_person, years_ago


def _grant(world: World, **changes: Any) -> Consent:
    arguments: dict[str, Any] = {
        "person": world.child,
        "given_by": world.mother,
        "organizations": [world.city],
        "categories": ["health"],
        "purpose": "Support at school",
    }
    arguments.update(changes)
    actor = arguments.pop("actor", world.school_social_worker)
    return grant_consent(actor, **arguments)


@pytest.fixture
def on_team(world: World, team: Team) -> Team:
    """The school social worker is on Aino's and Eetu's teams."""
    team.add(world.school_social_worker, world.child)
    team.add(world.school_social_worker, world.teen)
    return team


def test_a_guardian_consents_for_a_child(world: World, on_team: Team) -> None:
    consent = _grant(world)
    assert (consent.person, consent.given_by, consent.categories) == (world.child, world.mother, ["health"])
    assert list(consent.organizations.all()) == [world.city]
    assert consent.recorded_by_id == world.school_social_worker.user_id
    assert consents_covering(world.child.pk, world.city.pk, "health") == [consent]


def test_it_logs_the_consent_as_a_write(world: World, on_team: Team) -> None:
    consent = _grant(world, categories=["health", "pupil_welfare"])
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome, entry.record_type, entry.record_id) == (
        "write",
        "allowed",
        "consent",
        str(consent.pk),
    )
    assert (entry.person_id, entry.category) == (world.child.pk, "health,pupil_welfare")


def test_a_child_of_12_must_be_heard_before_a_guardian_consents(world: World, on_team: Team) -> None:
    twelve = make_person("Ville", "Testinen", years_ago(12))
    make_guardian(world.mother, twelve)
    on_team.add(world.school_social_worker, twelve)
    with pytest.raises(ValidationError) as raised:
        _grant(world, person=twelve)
    assert "child_heard" in raised.value.message_dict
    assert _grant(world, person=twelve, child_heard=True).child_heard


def test_a_child_of_15_consents_alone_in_health_matters(world: World, on_team: Team) -> None:
    consent = _grant(world, person=world.teen, given_by=world.teen)
    assert consent.given_by == world.teen


def test_a_child_of_15_does_not_consent_alone_in_early_education(world: World, on_team: Team) -> None:
    with pytest.raises(ValidationError) as raised:
        _grant(world, person=world.teen, given_by=world.teen, categories=["early_education"])
    assert "given_by" in raised.value.message_dict


def test_a_child_under_15_does_not_consent_alone(world: World, on_team: Team) -> None:
    with pytest.raises(ValidationError) as raised:
        _grant(world, given_by=world.child)
    assert raised.value.message_dict["given_by"] == [
        "A child under 15 cannot give this consent alone: a guardian must give it."
    ]


def test_only_a_current_guardian_consents_for_a_child(world: World, on_team: Team) -> None:
    with pytest.raises(ValidationError) as raised:
        _grant(world, given_by=world.father)
    assert raised.value.message_dict["given_by"] == [
        "The person giving consent is not a current guardian of the child."
    ]
    former = make_person("Entinen", "Huoltaja", years_ago(50))
    make_guardian(former, world.child, ended=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _grant(world, given_by=former)


def test_an_adult_consents_only_for_themselves(world: World, team: Team) -> None:
    team.add(world.school_social_worker, world.mother)
    consent = _grant(world, person=world.mother, given_by=world.mother)
    assert consent.given_by == world.mother
    with pytest.raises(ValidationError):
        _grant(world, person=world.mother, given_by=world.father)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["health", "horoscope"]}, "categories"),
        ({"organizations": []}, "organizations"),
        ({"purpose": "   "}, "purpose"),
        ({"valid_from": dt.date(2030, 5, 1), "valid_until": dt.date(2030, 4, 30)}, "valid_until"),
        ({"valid_from": dt.date(2020, 1, 1), "valid_until": dt.date(2020, 12, 31)}, "valid_until"),
    ],
)
def test_bad_input_changes_nothing(world: World, on_team: Team, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _grant(world, **changes)
    assert field in raised.value.message_dict
    assert not Consent.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_errors_are_in_the_users_language(world: World, on_team: Team) -> None:
    with pytest.raises(ValidationError) as raised:
        _grant(world, given_by=world.father)
    with translation.override("fi"):
        assert raised.value.message_dict["given_by"] == [
            "Suostumuksen antaja ei ole lapsen nykyinen huoltaja."
        ]
    with translation.override("sv"):
        assert raised.value.message_dict["given_by"] == [
            "Den som ger samtycket är inte barnets nuvarande vårdnadshavare."
        ]


def test_someone_off_the_team_cannot_record_a_consent(world: World, team: Team) -> None:
    with pytest.raises(NotFoundOrForbidden):
        _grant(world, actor=world.teacher)
    assert not Consent.objects.exists()
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.refusal, entry.record_type) == ("refused", "no_relation", "consent")


def test_a_professional_who_meets_the_family_records_its_consent_to_a_contact_request(
    world: World, team: Team
) -> None:
    consent = _grant(world, actor=world.teacher, categories=["contact"])
    entry = AccessLogEntry.objects.get()
    assert (entry.basis, entry.law, entry.record_id) == ("statute", "1301/2014 35 §", str(consent.pk))


def test_a_withdrawal_takes_effect_at_once(world: World, on_team: Team) -> None:
    consent = _grant(world)
    before = timezone.now()
    withdrawn = withdraw_consent(world.school_social_worker, consent.pk)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at >= before
    assert withdrawn.withdrawal_recorded_by_id == world.school_social_worker.user_id
    assert consents_covering(world.child.pk, world.city.pk, "health") == []
    # Before the withdrawal it still covered: the history stays true.
    assert consents_covering(world.child.pk, world.city.pk, "health", before) == [consent]
    assert list(AccessLogEntry.objects.values_list("action", "record_id")) == [("write", str(consent.pk))] * 2


def test_a_consent_is_withdrawn_only_once(world: World, on_team: Team) -> None:
    consent = _grant(world)
    first = withdraw_consent(world.school_social_worker, consent.pk)
    with pytest.raises(ValidationError):
        withdraw_consent(world.school_social_worker, consent.pk)
    assert Consent.objects.get().withdrawn_at == first.withdrawn_at


def test_someone_off_the_team_cannot_withdraw_a_consent(world: World, on_team: Team) -> None:
    consent = _grant(world)
    with pytest.raises(NotFoundOrForbidden):
        withdraw_consent(world.teacher, consent.pk)
    assert Consent.objects.get().withdrawn_at is None
    assert AccessLogEntry.objects.last().refusal == "no_relation"  # type: ignore[union-attr]


def test_withdrawing_a_consent_that_does_not_exist_looks_like_a_refusal(world: World, on_team: Team) -> None:
    with pytest.raises(NotFoundOrForbidden):
        withdraw_consent(world.school_social_worker, "8d3c9d2e-5d3c-4c4e-9a53-3f1c3f4d0b11")
    assert AccessLogEntry.objects.get().refusal == "not_found"
