"""The access relation this app gives: who is on a person's contact request or referral.

Expected answers are written from the rules (docs/referrals.md, "Who is on a request or a
referral"), one story a test; the relation is one query per decision, whoever asks.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lape.accounts.acting import Actor
from lape.accounts.models import Role, Unit
from lape.referrals.flow import transition_referral
from lape.referrals.handling import assign_request
from lape.referrals.models import Referral
from lape.referrals.referring import create_referral
from lape.referrals.relations import on_request_or_referral, waiting_for
from lape.referrals.requests import submit_request_for_family

from .conftest import World, consent_to, family_asks, identified_request, make_actor, membership_of


def _on(actor: Actor, person_id: uuid.UUID) -> bool:
    return on_request_or_referral(actor, person_id)


def _refer_to_ngo(world: World, **overrides: object) -> Referral:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "ngo_support")
    fields: dict[str, object] = {
        "person": world.child,
        "receiver_service": world.family_friend,
        "category": "ngo_support",
        "reason": "A family friend for the evenings, please.",
    }
    return create_referral(world.family_worker, **(fields | overrides))  # type: ignore[arg-type]


def test_it_puts_the_centres_coordinators_on_an_anonymous_request(world: World) -> None:
    request = family_asks(world).request
    other_unit = Unit.objects.create(organization=world.county, name="Siilinjärven perhekeskus")
    coordinator_elsewhere = make_actor("coordinator-2", world.county, Role.COORDINATOR, other_unit)
    coordinator_without_unit = make_actor("coordinator-3", world.county, Role.COORDINATOR)
    # An anonymous family is known by its request: the request's id stands for the person.
    assert _on(world.coordinator, request.pk)
    assert not _on(coordinator_elsewhere, request.pk)  # Kuopio's queue is its unit's
    assert not _on(coordinator_without_unit, request.pk)
    assert not _on(world.family_worker, request.pk)
    assert not _on(world.stranger, request.pk)
    assert not _on(world.coordinator, uuid.uuid4())


def test_it_puts_every_coordinator_of_the_organisation_on_a_centre_without_a_coordinating_unit(
    world: World,
) -> None:
    request = family_asks(world, family_centre=world.siilinjarvi).request
    coordinator_without_unit = make_actor("coordinator-3", world.county, Role.COORDINATOR)
    other_county_coordinator = make_actor("coordinator-4", world.other_county, Role.COORDINATOR)
    assert _on(world.coordinator, request.pk)
    assert _on(coordinator_without_unit, request.pk)
    assert not _on(other_county_coordinator, request.pk)
    assert not _on(world.social_worker, request.pk)  # the right organisation, not a coordinator


def test_it_puts_the_assigned_professional_on_the_request(world: World) -> None:
    request = family_asks(world).request
    assert not _on(world.family_worker, request.pk)
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    assert _on(world.family_worker, request.pk)
    assert not _on(world.social_worker, request.pk)


def test_it_puts_the_professional_who_asked_on_the_familys_behalf_on_the_request(world: World) -> None:
    submit_request_for_family(
        world.teacher,
        person=world.child,
        worry="Aino is afraid to go home.",
        children_ages=[10],
        language="fi",
        contact_method="phone",
        urgent_reason="The child is afraid to go home today.",
        family_centre=world.kuopio,
    )
    assert _on(world.teacher, world.child.pk)
    assert _on(world.coordinator, world.child.pk)
    assert not _on(world.school_social_worker, world.child.pk)


def test_a_sent_referral_puts_its_sender_and_those_it_waits_for_on_it(world: World) -> None:
    referral = _refer_to_ngo(world)
    other_ngo_worker = make_actor("ngo-worker-2", world.ngo, Role.NGO_WORKER)
    assert _on(world.family_worker, world.child.pk)
    assert _on(world.ngo_worker, world.child.pk)
    assert _on(other_ngo_worker, world.child.pk)
    assert not _on(world.teacher, world.child.pk)
    assert not _on(world.stranger, world.child.pk)
    # Accepted: the one who accepted handles it; the others no longer wait for it.
    transition_referral(world.ngo_worker, referral.pk, "accepted")
    assert _on(world.ngo_worker, world.child.pk)
    assert not _on(other_ngo_worker, world.child.pk)


def test_a_draft_is_the_senders_alone(world: World) -> None:
    _refer_to_ngo(world, send=False)
    assert _on(world.family_worker, world.child.pk)
    assert not _on(world.ngo_worker, world.child.pk)


def test_a_referral_to_a_unit_waits_only_for_that_units_professionals(world: World) -> None:
    evenings = Unit.objects.create(organization=world.ngo, name="Iltatoiminta")
    days = Unit.objects.create(organization=world.ngo, name="Päivätoiminta")
    in_unit = make_actor("ngo-evenings", world.ngo, Role.NGO_WORKER, evenings)
    other_unit = make_actor("ngo-days", world.ngo, Role.NGO_WORKER, days)
    _refer_to_ngo(world, receiver_unit=evenings)
    assert _on(in_unit, world.child.pk)
    assert not _on(other_unit, world.child.pk)
    assert not _on(world.ngo_worker, world.child.pk)  # no unit: not of the unit named


def test_the_received_list_and_the_relation_agree_on_whom_a_referral_waits_for(world: World) -> None:
    _refer_to_ngo(world)
    parish_worker = make_actor("parish-worker", world.ngo, Role.PARISH_WORKER)
    for actor in (world.ngo_worker, parish_worker, world.teacher, world.nurse, world.stranger, world.manager):
        waiting = Referral.objects.filter(waiting_for(actor)).exists()
        handled = Referral.objects.filter(sender_membership_id=actor.membership_id).exists()
        assert waiting == (_on(actor, world.child.pk) and not handled), actor.username
    assert _on(parish_worker, world.child.pk)  # a parish's register holds NGO support too


@pytest.mark.parametrize("persona", ["coordinator", "family_worker", "ngo_worker", "stranger", "manager"])
def test_it_asks_the_database_once_whoever_asks(world: World, persona: str) -> None:
    _refer_to_ngo(world)
    actor = getattr(world, persona)
    with CaptureQueriesContext(connection) as queries:
        _on(actor, world.child.pk)
    assert len(queries.captured_queries) == 1
