"""Triage: the coordinators' shared queue, waiting time and overdue, assign, reply, forward, close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.referrals.handling import (
    NotCoordinator,
    assign_request,
    close_request,
    forward_request,
    identify_person,
    reply_to_request,
    set_response_target,
)
from lape.referrals.models import ContactRequest, Notification, RequestStatus, TriageSetting
from lape.referrals.requests import request_for
from lape.referrals.steps import StepRefused
from lape.referrals.triage import is_overdue, my_requests, queue_for, waited_working_days

from .conftest import World, family_asks, log_rows, make_actor, membership_of

HELSINKI = dt.timezone(dt.timedelta(hours=2))


def _received_on(request: ContactRequest, when: dt.datetime, due_on: dt.date) -> ContactRequest:
    ContactRequest.objects.filter(pk=request.pk).update(received_at=when, due_on=due_on)
    request.refresh_from_db()
    return request


def _assign(world: World, request: ContactRequest) -> ContactRequest:
    return assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )


def test_a_new_request_is_due_after_the_centres_target_in_working_days(world: World) -> None:
    request = family_asks(world).request
    from lape.referrals.working_days import add_working_days

    assert request.due_on == add_working_days(timezone.localdate(request.received_at), 2)


def test_the_centres_own_target_sets_the_due_day(world: World) -> None:
    set_response_target(world.coordinator, world.kuopio, response_days=5)
    request = family_asks(world).request
    from lape.referrals.working_days import working_days_between

    assert working_days_between(timezone.localdate(request.received_at), request.due_on) == 5


def test_waiting_is_counted_in_working_days_over_independence_day(world: World) -> None:
    # Asked on Wednesday 4 Dec 2024; Friday 6 Dec is Independence Day.
    request = _received_on(
        family_asks(world).request, dt.datetime(2024, 12, 4, 10, 0, tzinfo=HELSINKI), dt.date(2024, 12, 9)
    )
    monday = dt.datetime(2024, 12, 9, 12, 0, tzinfo=HELSINKI)
    tuesday = dt.datetime(2024, 12, 10, 8, 0, tzinfo=HELSINKI)
    assert waited_working_days(request, monday) == 2  # Thursday and Monday
    assert not is_overdue(request, monday)
    assert is_overdue(request, tuesday)


def test_the_queue_shows_new_first_and_the_overdue_stand_out(world: World) -> None:
    old = family_asks(world).request
    now = timezone.now()
    _received_on(old, now - dt.timedelta(days=20), timezone.localdate(now) - dt.timedelta(days=10))
    assigned = _assign(world, family_asks(world).request)
    fresh = family_asks(world).request
    rows = queue_for(world.coordinator)
    assert [row.id for row in rows] == [old.pk, fresh.pk, assigned.pk]
    assert [row.overdue for row in rows] == [True, False, False]
    assert rows[0].waited_working_days >= 10
    assert rows[2].assigned_to == "family-worker"
    assert [row.id for row in queue_for(world.coordinator, overdue_only=True)] == [old.pk]
    assert [row.id for row in queue_for(world.coordinator, status="assigned")] == [assigned.pk]


def test_a_queue_row_has_no_worry_or_contact_details(world: World) -> None:
    family_asks(world)
    row = queue_for(world.coordinator)[0]
    shown = " ".join(str(value) for value in vars(row).values())
    assert "sleep" not in shown and "Maija" not in shown and "4567" not in shown


def test_every_row_in_the_queue_is_a_logged_read(world: World) -> None:
    family_asks(world)
    family_asks(world)
    queue_for(world.coordinator)
    assert log_rows() == [("coordinator", "read", "allowed", "")] * 2


def test_the_queue_is_only_the_centres_coordinators(world: World) -> None:
    family_asks(world)
    other_unit_coordinator = make_actor("other-coordinator", world.county, "coordinator")
    assert queue_for(other_unit_coordinator, world.kuopio.pk) == []
    assert queue_for(world.family_worker) == []
    assert queue_for(world.stranger) == []


def test_a_coordinator_without_a_unit_rule_shares_the_siilinjarvi_queue(world: World) -> None:
    family_asks(world, family_centre=world.siilinjarvi)
    other_unit_coordinator = make_actor("other-coordinator", world.county, "coordinator")
    assert len(queue_for(other_unit_coordinator)) == 1


def test_the_coordinator_assigns_and_the_professional_is_told_and_sees_it(world: World) -> None:
    request = _assign(world, family_asks(world).request)
    assert (request.status, request.assigned_service, request.assigned_membership) == (
        RequestStatus.ASSIGNED,
        world.family_work,
        membership_of(world.family_worker),
    )
    assert (
        Notification.objects.filter(recipient__username="family-worker", kind="request_assigned").count() == 1
    )
    assert request_for(world.family_worker, request.pk) == request
    assert [row.id for row in my_requests(world.family_worker)] == [request.pk]


def test_the_assigned_professional_cannot_assign_and_it_is_logged(world: World) -> None:
    request = _assign(world, family_asks(world).request)
    before = AccessLogEntry.objects.count()
    with pytest.raises(StepRefused) as raised:
        assign_request(
            world.family_worker,
            request.pk,
            service=world.family_work,
            professional=membership_of(world.social_worker),
        )
    assert "coordinators" in raised.value.messages[0]
    request.refresh_from_db()
    assert request.assigned_membership == membership_of(world.family_worker)
    assert log_rows()[before:] == [("family-worker", "write", "refused", "workflow")]


def test_a_stranger_assigning_gets_not_found_and_a_refused_row(world: World) -> None:
    request = family_asks(world).request
    with pytest.raises(NotFoundOrForbidden):
        assign_request(
            world.stranger, request.pk, service=world.family_work, professional=membership_of(world.stranger)
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert log_rows() == [("stranger", "write", "refused", "no_relation")]


@pytest.mark.parametrize(
    ("service", "professional", "field"),
    [
        ("family_friend", "ngo_worker", "service"),  # another organisation: forward instead
        ("family_work", "stranger", "professional"),  # not of the service's organisation
        ("family_work", "manager", "professional"),  # a role without client data
    ],
)
def test_an_assignment_to_the_wrong_place_is_refused(
    world: World, service: str, professional: str, field: str
) -> None:
    request = family_asks(world).request
    with pytest.raises(ValidationError) as raised:
        assign_request(
            world.coordinator,
            request.pk,
            service=getattr(world, service),
            professional=membership_of(getattr(world, professional)),
        )
    assert field in raised.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.version == 0


def test_the_professional_replies_and_the_waiting_stops(world: World) -> None:
    request = _assign(world, family_asks(world).request)
    request = reply_to_request(world.family_worker, request.pk, message="Called; a home visit on Friday.")
    assert request.status == RequestStatus.ANSWERED and request.answered_at is not None
    event = request.events.order_by("at").last()
    assert event is not None and event.note == "Called; a home visit on Friday."
    later = timezone.now() + dt.timedelta(days=30)
    assert waited_working_days(request, later) == waited_working_days(request, request.answered_at)


def test_an_empty_reply_is_refused(world: World) -> None:
    request = family_asks(world).request
    with pytest.raises(ValidationError):
        reply_to_request(world.coordinator, request.pk, message="  ")


def test_forwarding_to_another_family_centre_moves_it_to_that_queue(world: World) -> None:
    request = _assign(world, family_asks(world).request)
    request = forward_request(
        world.coordinator, request.pk, family_centre=world.siilinjarvi, note="They live there."
    )
    assert (request.status, request.family_centre, request.assigned_membership) == (
        RequestStatus.FORWARDED,
        world.siilinjarvi,
        None,
    )
    with pytest.raises(NotFoundOrForbidden):
        request_for(world.family_worker, request.pk)


def test_forwarding_to_an_ngo_service_hands_it_to_that_organisation(world: World) -> None:
    request = family_asks(world).request
    request = forward_request(
        world.coordinator,
        request.pk,
        service=world.family_friend,
        professional=membership_of(world.ngo_worker),
    )
    assert request.holder_organization == world.ngo
    assert request_for(world.ngo_worker, request.pk) == request
    # It has left the county's register: the county's coordinator no longer reads it.
    with pytest.raises(NotFoundOrForbidden):
        request_for(world.coordinator, request.pk)
    assert queue_for(world.coordinator) == []


def test_forwarding_outside_the_networks_is_refused(world: World) -> None:
    request = family_asks(world).request
    with pytest.raises(ValidationError) as raised:
        forward_request(
            world.coordinator, request.pk, service=world.youth_work, professional=membership_of(world.teacher)
        )
    assert "service" in raised.value.message_dict


def test_forwarding_needs_exactly_one_place(world: World) -> None:
    request = family_asks(world).request
    with pytest.raises(ValidationError):
        forward_request(world.coordinator, request.pk)


def test_closing_needs_an_outcome_and_a_closed_request_takes_no_more_steps(world: World) -> None:
    request = family_asks(world).request
    with pytest.raises(ValidationError):
        close_request(world.coordinator, request.pk, outcome="happy")
    request = close_request(world.coordinator, request.pk, outcome="advice_given", note="Advice by phone.")
    assert (request.status, request.outcome) == (RequestStatus.CLOSED, "advice_given")
    with pytest.raises(StepRefused):
        reply_to_request(world.coordinator, request.pk, message="Again")
    assert log_rows()[-1] == ("coordinator", "write", "refused", "workflow")


def test_identifying_the_person_links_the_request_to_them(world: World) -> None:
    from lape.people.identity_codes import compose_identity_code

    request = _assign(world, family_asks(world).request)
    code = compose_identity_code(dt.date(2015, 3, 4), 955)
    request = identify_person(
        world.family_worker, request.pk, identity_code=code, given_names="Eetu", family_name="Testinen"
    )
    assert request.person is not None and request.person.given_names == "Eetu"
    assert code not in str(list(AccessLogEntry.objects.values()))
    assert AccessLogEntry.objects.filter(person_id=request.person_id, action="write").exists()


@pytest.mark.parametrize(
    "code", ["", "010203A955", "310299A955X", "290223A9550", "010203Q955J", "not a code"]
)
def test_an_invalid_identity_code_is_refused_and_nothing_changes(world: World, code: str) -> None:
    request = _assign(world, family_asks(world).request)
    with pytest.raises(ValidationError) as raised:
        identify_person(
            world.family_worker, request.pk, identity_code=code, given_names="Eetu", family_name="Testinen"
        )
    assert raised.value.message_dict["identity_code"]
    assert code.strip() == "" or code not in " ".join(raised.value.message_dict["identity_code"])
    request.refresh_from_db()
    assert request.person is None


def test_only_a_coordinator_sets_the_response_target(world: World) -> None:
    with pytest.raises(NotCoordinator):
        set_response_target(world.family_worker, world.kuopio, response_days=3)
    with pytest.raises(ValidationError):
        set_response_target(world.coordinator, world.kuopio, response_days=0)
    with pytest.raises(ValidationError):
        set_response_target(world.coordinator, world.kuopio, response_days=31)
    set_response_target(world.coordinator, world.kuopio, response_days=3)
    setting = TriageSetting.objects.get(family_centre=world.kuopio)
    assert (setting.response_days, setting.coordinating_unit) == (3, world.centre_unit)
