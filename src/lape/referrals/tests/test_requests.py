"""Contact requests: a family asks, gets a receipt and a status link; a professional asks on a family's behalf."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lape.access.consent_actions import withdraw_consent
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.referrals.models import ContactRequest, Notification, Origin, RequestEvent, RequestStatus
from lape.referrals.requests import (
    REFERENCE_ALPHABET,
    normalise_reference,
    request_for,
    request_status,
    submit_request_for_family,
    token_hash,
)

from .conftest import World, consent_to, family_asks, log_rows


def test_it_gives_the_family_a_receipt_with_a_reference_and_a_status_link(world: World) -> None:
    submitted = family_asks(world)
    request = submitted.request
    assert re.fullmatch(f"[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}", request.reference)
    assert len(submitted.status_token) >= 40
    assert request.status_token_hash == token_hash(submitted.status_token)
    assert submitted.status_token not in request.status_token_hash
    assert (request.status, request.origin, request.family_centre) == (
        RequestStatus.NEW,
        Origin.FAMILY,
        world.kuopio,
    )
    assert request.holder_organization == world.county
    assert list(request.events.values_list("kind", flat=True)) == [RequestEvent.Kind.RECEIVED]


def test_the_references_are_random_and_different(world: World) -> None:
    references = {family_asks(world).request.reference for _i in range(20)}
    assert len(references) == 20


def test_a_reference_is_read_back_however_it_is_typed() -> None:
    assert normalise_reference(" k7ma 4xr9 ") == "K7MA-4XR9"


def test_the_status_link_shows_the_status_and_dates_only(world: World) -> None:
    submitted = family_asks(world)
    status = request_status(submitted.status_token)
    assert status is not None
    assert (status.reference, status.status, status.family_centre) == (
        submitted.request.reference,
        "new",
        "Kuopio Family Centre",
    )
    assert status.received_at == submitted.request.received_at
    shown = " ".join(str(value) for value in vars(status).values())
    assert "sleep" not in shown and "Maija" not in shown and "4567" not in shown


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "../../etc"])
def test_an_unknown_status_token_shows_nothing(world: World, token: str) -> None:
    family_asks(world)
    assert request_status(token) is None


def test_it_routes_a_request_from_a_service_page_to_the_family_centre_of_the_service(world: World) -> None:
    submitted = family_asks(world, family_centre=None, service=world.counselling, asked_via="service_page")
    assert submitted.request.family_centre == world.kuopio
    assert submitted.request.asked_at_service == world.counselling


def test_it_refuses_a_service_outside_every_family_centre(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        family_asks(world, family_centre=None, service=world.youth_work)
    assert "service" in raised.value.message_dict
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"worry": "   "}, "worry"),
        ({"worry": "x" * 4001}, "worry"),
        ({"children_ages": [3, 18]}, "children_ages"),
        ({"children_ages": ["two"]}, "children_ages"),
        ({"children_ages": [-1]}, "children_ages"),
        ({"children_ages": list(range(13))}, "children_ages"),
        ({"language": "Finnish!"}, "language"),
        ({"contact_phone": "call me maybe"}, "contact_phone"),
        ({"contact_phone": ""}, "contact_phone"),
        ({"contact_method": "email", "contact_email": ""}, "contact_email"),
        ({"contact_method": "email", "contact_email": "not-an-address"}, "contact_email"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"contact_name": "x" * 201}, "contact_name"),
        ({"contact_times": "x" * 301}, "contact_times"),
        ({"family_centre": None}, "family_centre"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        family_asks(world, **overrides)
    assert field in raised.value.message_dict
    assert all(raised.value.message_dict[field])
    assert not ContactRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_an_anonymous_family_may_leave_out_the_name_but_not_every_way_to_reach_them(world: World) -> None:
    submitted = family_asks(
        world, contact_name="", contact_phone="", contact_method="email", contact_email="a@b.fi"
    )
    assert submitted.request.contact_name == ""


def test_the_coordinators_are_told_without_any_detail(world: World) -> None:
    family_asks(world)
    notices = list(Notification.objects.all())
    assert [(n.recipient.username, n.kind) for n in notices] == [("coordinator", "new_request")]
    assert notices[0].link == f"/work/requests/{ContactRequest.objects.get().pk}/"


def test_a_professional_asks_on_a_familys_behalf_with_its_consent(world: World) -> None:
    consent = consent_to(world, world.city, "contact", by=world.teacher)
    submitted = submit_request_for_family(
        world.teacher,
        person=world.child,
        worry="Aino is often absent and says there is trouble at home.",
        children_ages=[10],
        language="fi",
        contact_method="phone",
        contact_phone="040 123 4567",
        family_centre=world.kuopio,
    )
    request = submitted.request
    assert (request.origin, request.consent, request.person) == (
        Origin.PROFESSIONAL_WITH_CONSENT,
        consent,
        world.child,
    )
    entry = AccessLogEntry.objects.filter(record_type="contact_request").get()
    assert (entry.username, entry.outcome, entry.basis, entry.law) == (
        "teacher",
        "allowed",
        "statute",
        "1301/2014 35 §",
    )


def test_an_urgent_request_without_consent_records_the_reason(world: World) -> None:
    submitted = submit_request_for_family(
        world.teacher,
        person=world.child,
        worry="Aino is afraid to go home.",
        children_ages=[10],
        language="fi",
        contact_method="phone",
        urgent_reason="The child is afraid to go home today.",
        family_centre=world.kuopio,
    )
    assert submitted.request.origin == Origin.PROFESSIONAL_URGENT
    assert submitted.request.urgent_reason == "The child is afraid to go home today."
    assert AccessLogEntry.objects.get().reason == "The child is afraid to go home today."


def _on_behalf(world: World) -> Any:
    return submit_request_for_family(
        world.teacher,
        person=world.child,
        worry="Worried.",
        children_ages=[10],
        language="fi",
        contact_method="phone",
        family_centre=world.kuopio,
    )


def test_without_consent_or_a_reason_it_is_refused_logged_and_nothing_made(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        _on_behalf(world)
    assert "consent" in raised.value.message_dict
    assert not ContactRequest.objects.exists()
    assert log_rows() == [("teacher", "write", "refused", "no_relation")]


def test_a_withdrawn_consent_is_refused_after_its_withdrawal(world: World) -> None:
    consent = consent_to(world, world.city, "contact", by=world.teacher)
    withdraw_consent(world.teacher, consent.pk)
    rows_before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError):
        _on_behalf(world)
    assert not ContactRequest.objects.exists()
    last = AccessLogEntry.objects.order_by("-id").first()
    assert last is not None and AccessLogEntry.objects.count() == rows_before + 1
    assert (last.username, last.outcome, last.refusal) == ("teacher", "refused", "no_relation")


def test_a_role_without_client_data_cannot_ask_on_a_familys_behalf(world: World) -> None:
    with pytest.raises(NotFoundOrForbidden):
        submit_request_for_family(
            world.manager,
            person=world.child,
            worry="Worried.",
            children_ages=[10],
            language="fi",
            contact_method="phone",
            urgent_reason="Urgent, really urgent.",
            family_centre=world.kuopio,
        )
    assert not ContactRequest.objects.exists()
    assert log_rows() == [("manager", "write", "refused", "role")]


def test_the_coordinator_reads_the_request_and_the_read_is_logged(world: World) -> None:
    request = family_asks(world).request
    assert request_for(world.coordinator, request.pk).worry.startswith("Our son")
    entry = AccessLogEntry.objects.get()
    assert (entry.username, entry.action, entry.outcome, entry.basis, entry.person_id) == (
        "coordinator",
        "read",
        "allowed",
        "own_register",
        request.pk,
    )


@pytest.mark.parametrize("who", ["stranger", "family_worker", "nurse", "ngo_worker", "teacher", "manager"])
def test_others_get_the_same_not_found_as_for_a_missing_request_and_it_is_logged(
    world: World, who: str
) -> None:
    request = family_asks(world).request
    with pytest.raises(NotFoundOrForbidden):
        request_for(getattr(world, who), request.pk)
    with pytest.raises(NotFoundOrForbidden):
        request_for(getattr(world, who), "00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFoundOrForbidden):
        request_for(getattr(world, who), "not-an-id")
    outcomes = [(row[2], row[3]) for row in log_rows()]
    assert outcomes[0][0] == "refused" and outcomes[0][1] in {"no_relation", "role"}
    assert outcomes[1:] == [("refused", "not_found"), ("refused", "not_found")]


def test_an_unverified_coordinator_is_refused(world: World) -> None:
    request = family_asks(world).request
    unverified = world.coordinator.__class__(**(vars(world.coordinator) | {"verified": False}))
    with pytest.raises(NotFoundOrForbidden):
        request_for(unverified, request.pk)
    assert log_rows() == [("coordinator", "read", "refused", "unverified")]


def test_the_email_goes_after_commit_without_any_detail(
    world: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        family_asks(world)
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["coordinator@example.org"]]
    body = mailoutbox[0].subject + mailoutbox[0].body
    assert "sleep" not in body and "Maija" not in body and "4567" not in body
