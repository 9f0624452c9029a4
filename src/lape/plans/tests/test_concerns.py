"""Concern signals: registering, matching across organisations, expiry, withdrawal and their log rows.

The referrals tests' world: Aino (10) is registered; the city's school social worker, the county's
public health nurse and the NGO's worker each worry about her without knowing of the others. None
of them is on her team or referral: a signal needs no relation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.accounts.models import Role
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.people.registry import find_by_identity_code
from lape.referrals.tests.conftest import World, child_code, make_actor, membership_of, years_ago

from ..concerns import (
    MATCH_RECORD,
    SIGNAL_RECORD,
    matches_of,
    matching_signals,
    register_signal,
    withdraw_signal,
)
from ..models import ConcernMatch, ConcernSignal

pytestmark = pytest.mark.django_db


def _signal(world: World, actor: Any, contact: str = "+358 40 111 2222", **fields: Any) -> ConcernSignal:
    return register_signal(
        actor, identity_code=fields.pop("identity_code", child_code(world)), contact=contact, **fields
    )


def _rows(**filters: Any) -> list[tuple[str, str, str, str, str]]:
    """(username, record type, action, outcome, refusal) of the matching rows, oldest first."""
    return list(
        AccessLogEntry.objects.filter(**filters)
        .order_by("id")
        .values_list("username", "record_type", "action", "outcome", "refusal")
    )


def test_it_registers_a_signal_about_a_known_child_without_any_content(world: World) -> None:
    signal = _signal(world, world.school_social_worker, contact="kuraattori@example.org")
    assert (signal.child_id, signal.organization_id, signal.contact) == (
        world.child.pk,
        world.city.pk,
        "kuraattori@example.org",
    )
    assert signal.in_force()
    fields = {f.name for f in ConcernSignal._meta.get_fields()}
    assert not fields & {"worry", "reason", "text", "note", "description", "content"}
    assert _rows(person_id=world.child.pk) == [
        ("school-social-worker", SIGNAL_RECORD, "write", "allowed", "")
    ]


def test_it_lasts_the_configured_number_of_days(world: World, settings: Any) -> None:
    settings.LAPE_CONCERN_SIGNAL_DAYS = 30
    signal = _signal(world, world.nurse)
    assert signal.expires_at - signal.created_at == dt.timedelta(days=30)


def test_it_registers_an_unknown_child_by_identity_code_and_names(world: World) -> None:
    code = compose_identity_code(years_ago(8), 961)
    signal = _signal(world, world.nurse, identity_code=code, given_names="Eino", family_name="Uusi")
    person = Person.objects.get(pk=signal.child_id)
    assert (person.given_names, person.family_name) == ("Eino", "Uusi")
    assert find_by_identity_code(code) == person  # matching is by the code's keyed hash


def test_an_unknown_child_without_names_is_refused_and_nothing_is_written(world: World) -> None:
    code = compose_identity_code(years_ago(8), 962)
    with pytest.raises(ValidationError) as raised:
        _signal(world, world.nurse, identity_code=code)
    assert "given_names" in raised.value.message_dict
    assert not ConcernSignal.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_an_invalid_identity_code_is_refused_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        _signal(world, world.nurse, identity_code="010101-123X")
    assert "identity_code" in raised.value.message_dict
    assert not ConcernSignal.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_it_refuses_a_signal_without_a_contact(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        _signal(world, world.nurse, contact="   ")
    assert "contact" in raised.value.message_dict
    assert not ConcernSignal.objects.exists()


def test_two_organisations_signalling_about_the_same_child_are_both_told_of_each_other(world: World) -> None:
    first = _signal(world, world.school_social_worker, contact="kuraattori@example.org")
    assert matches_of(first) == []
    second = _signal(world, world.nurse, contact="+358 40 555 0000")
    match = ConcernMatch.objects.get()
    assert (match.earlier_id, match.later_id) == (first.pk, second.pk)
    [seen_by_first] = matches_of(first)
    [seen_by_second] = matches_of(second)
    assert (seen_by_first.other.organization_id, seen_by_first.other.contact) == (
        world.county.pk,
        "+358 40 555 0000",
    )
    assert (seen_by_second.other.organization_id, seen_by_second.other.contact) == (
        world.city.pk,
        "kuraattori@example.org",
    )
    # Each side's row about the child names the other organisation's signal as what it was shown.
    rows = AccessLogEntry.objects.filter(record_type=MATCH_RECORD, person_id=world.child.pk).order_by("id")
    assert [(r.username, r.action, r.organization_id, r.record_id) for r in rows] == [
        ("nurse", "read", world.county.pk, str(match.pk)),
        ("school-social-worker", "read", world.city.pk, str(match.pk)),
    ]


def test_a_third_organisation_meets_both_earlier_ones(world: World) -> None:
    _signal(world, world.school_social_worker)
    _signal(world, world.nurse)
    third = _signal(world, world.ngo_worker)
    assert {seen.other.organization_id for seen in matches_of(third)} == {world.city.pk, world.county.pk}
    assert ConcernMatch.objects.count() == 3


def test_signals_about_different_children_do_not_match(world: World) -> None:
    _signal(world, world.school_social_worker)
    code = compose_identity_code(years_ago(8), 963)
    other = _signal(world, world.nurse, identity_code=code, given_names="Eino", family_name="Uusi")
    assert matches_of(other) == []


def test_the_same_organisation_cannot_signal_twice_about_a_child_while_one_is_in_force(world: World) -> None:
    _signal(world, world.nurse)
    with pytest.raises(ValidationError) as raised:
        _signal(world, world.family_worker)  # the same county
    assert "already has a signal in force" in raised.value.message_dict["identity_code"][0]
    assert ConcernSignal.objects.count() == 1
    assert not ConcernMatch.objects.exists()


def test_an_expired_signal_is_not_matched_and_a_new_one_may_follow_it(world: World) -> None:
    old = _signal(world, world.nurse)
    ConcernSignal.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    old.refresh_from_db()
    assert not old.in_force()
    school = _signal(world, world.school_social_worker)
    assert matches_of(school) == []
    again = _signal(world, world.family_worker)  # the county again, after its signal ended
    assert [seen.other.pk for seen in matches_of(again)] == [school.pk]


def test_a_withdrawn_signal_is_not_matched_and_its_withdrawal_is_logged(world: World) -> None:
    signal = _signal(world, world.nurse)
    withdraw_signal(world.nurse, signal.pk)
    signal.refresh_from_db()
    assert signal.withdrawn_at is not None and not signal.in_force()
    assert matches_of(_signal(world, world.school_social_worker)) == []
    assert _rows(username="nurse") == [
        ("nurse", SIGNAL_RECORD, "write", "allowed", ""),
        ("nurse", SIGNAL_RECORD, "write", "allowed", ""),
    ]


def test_a_signal_is_withdrawn_once(world: World) -> None:
    signal = _signal(world, world.nurse)
    withdraw_signal(world.nurse, signal.pk)
    with pytest.raises(ValidationError):
        withdraw_signal(world.nurse, signal.pk)


def test_only_the_signaller_withdraws_and_anyone_else_is_refused_as_if_it_did_not_exist(world: World) -> None:
    signal = _signal(world, world.nurse)
    for someone in (world.family_worker, world.stranger):  # a colleague of the same county, a stranger
        with pytest.raises(NotFoundOrForbidden):
            withdraw_signal(someone, signal.pk)
    with pytest.raises(NotFoundOrForbidden):
        withdraw_signal(world.nurse, "00000000-0000-0000-0000-000000000000")
    signal.refresh_from_db()
    assert signal.withdrawn_at is None
    assert [r[4] for r in _rows(record_type=SIGNAL_RECORD, outcome="refused")] == ["not_found"] * 3


@pytest.mark.parametrize("role", [Role.MANAGER, Role.PUBLISHER, Role.ADMINISTRATOR])
def test_a_role_that_sees_no_client_data_may_not_signal_and_is_logged(world: World, role: str) -> None:
    boss = make_actor(f"boss-{role}", world.county, role)
    with pytest.raises(NotFoundOrForbidden):
        _signal(world, boss)
    assert not ConcernSignal.objects.exists()
    assert _rows(username=f"boss-{role}") == [(f"boss-{role}", SIGNAL_RECORD, "write", "refused", "role")]


def test_a_professional_without_the_second_factor_may_not_signal(world: World) -> None:
    unverified = make_actor("unverified-nurse", world.county, Role.PUBLIC_HEALTH_NURSE, verified=False)
    with pytest.raises(NotFoundOrForbidden):
        _signal(world, unverified)
    assert _rows(username="unverified-nurse") == [
        ("unverified-nurse", SIGNAL_RECORD, "write", "refused", "unverified")
    ]


def test_the_match_query_finds_only_other_organisations_signals_in_force(world: World) -> None:
    nurse = _signal(world, world.nurse)
    school = _signal(world, world.school_social_worker)
    assert list(matching_signals(world.child.pk, world.county.pk)) == [school]
    assert list(matching_signals(world.child.pk, world.city.pk)) == [nurse]
    later = timezone.now() + dt.timedelta(days=800)
    assert list(matching_signals(world.child.pk, world.ngo.pk, later)) == []


def test_a_signal_of_a_professional_who_has_left_matches_no_more(world: World) -> None:
    _signal(world, world.school_social_worker)
    left = membership_of(world.school_social_worker)
    left.ended = timezone.localdate() - dt.timedelta(days=1)
    left.save(update_fields=["ended"])
    assert matches_of(_signal(world, world.nurse)) == []


def test_a_colleague_may_signal_after_the_first_signaller_has_left(world: World) -> None:
    _signal(world, world.nurse)
    left = membership_of(world.nurse)
    left.ended = timezone.localdate() - dt.timedelta(days=1)
    left.save(update_fields=["ended"])
    again = _signal(world, world.family_worker)  # the same county
    assert again.organization_id == world.county.pk
