"""The coordinators' and professionals' triage pages: the queue, a request and its steps, the response target."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lape.access.models import AccessLogEntry
from lape.people.identity_codes import compose_identity_code
from lape.referrals.handling import assign_request
from lape.referrals.models import ContactRequest, Notification, RequestStatus, TriageSetting
from lape.referrals.tests.conftest import World, family_asks, membership_of
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db


def _assigned(world: World) -> ContactRequest:
    request = family_asks(world).request
    return assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )


def _overdue(request: ContactRequest) -> None:
    long_ago = timezone.now() - dt.timedelta(days=20)
    ContactRequest.objects.filter(pk=request.pk).update(received_at=long_ago, due_on=long_ago.date())


def _refused_rows() -> list[tuple[str, str, str]]:
    return list(
        AccessLogEntry.objects.filter(outcome="refused").values_list("username", "record_type", "refusal")
    )


def test_the_coordinator_sees_the_queue_new_first_with_overdue_standing_out(world: World) -> None:
    assigned = _assigned(world)
    fresh = family_asks(world).request
    late = family_asks(world).request
    _overdue(late)
    response = browser_of(world.coordinator).get(f"/work/family-centres/{world.kuopio.pk}/queue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The queue of Kuopio Family Centre" in html
    order = [html.index(r.reference) for r in (late, fresh, assigned)]
    assert order == sorted(order)  # new (overdue first), then assigned
    assert re.search(rf'<tr class="overdue">\s*<th scope="row"><a href="/work/requests/{late.pk}/">', html)
    assert "1 overdue" in html
    assert "<td>Finnish</td>" in html  # the language by name
    assert "Our son does not sleep" not in html  # the worry is on the request's own page only
    assert "+358 40 123 4567" not in html


def test_the_queue_filters_by_status_and_overdue(world: World) -> None:
    assigned = _assigned(world)
    fresh = family_asks(world).request
    late = family_asks(world).request
    _overdue(late)
    client = browser_of(world.coordinator)
    url = f"/work/family-centres/{world.kuopio.pk}/queue/"
    html = client.get(url, {"status": "assigned"}).content.decode()
    assert assigned.reference in html and fresh.reference not in html
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert late.reference in html and fresh.reference not in html and assigned.reference not in html
    assert client.get(url, {"status": "nonsense"}).status_code == 400


def test_a_professional_who_does_not_coordinate_the_centre_gets_no_queue(world: World) -> None:
    family_asks(world)
    for actor in (world.family_worker, world.stranger, world.manager):
        response = browser_of(actor).get(f"/work/family-centres/{world.kuopio.pk}/queue/")
        assert response.status_code == 404, actor.username


def test_a_visitor_is_sent_to_the_login_and_a_password_alone_is_not_enough(world: World) -> None:
    from django.test import Client

    response = Client().get("/work/requests/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = browser_of(world.coordinator, verified=False).get("/work/requests/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")


def test_the_coordinator_reads_the_request_and_the_read_is_logged(world: World) -> None:
    request = family_asks(world).request
    response = browser_of(world.coordinator).get(f"/work/requests/{request.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Our son does not sleep and we are exhausted." in html
    assert "+358 40 123 4567" in html and "Maija" in html
    assert "no-store" in response["Cache-Control"]  # client data is not kept in caches
    read = AccessLogEntry.objects.filter(username="coordinator", action="read", record_id=str(request.pk))
    assert read.filter(outcome="allowed").exists()


@pytest.mark.parametrize("who", ["stranger", "family_worker", "teacher", "manager"])
def test_anyone_else_gets_the_same_404_as_for_a_missing_request_and_it_is_logged(
    world: World, who: str
) -> None:
    request = family_asks(world).request
    actor = getattr(world, who)
    client = browser_of(actor)
    forbidden = client.get(f"/work/requests/{request.pk}/")
    missing = client.get("/work/requests/00000000-0000-4000-8000-000000000000/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert (actor.username, "contact_request", forbidden_reason(who)) in _refused_rows()


def forbidden_reason(who: str) -> str:
    return "role" if who == "manager" else "no_relation"


def test_the_coordinator_assigns_the_request_to_a_service_and_a_professional(world: World) -> None:
    request = family_asks(world).request
    client = browser_of(world.coordinator)
    page = client.get(f"/work/requests/{request.pk}/").content.decode()
    assert '<label for="id_assign-service">' in page and '<label for="id_assign-professional">' in page
    response = client.post(
        f"/work/requests/{request.pk}/assign/",
        {"assign-service": world.family_work.pk, "assign-professional": world.family_worker.membership_id},
    )
    assert response.status_code == 302 and response["Location"] == f"/work/requests/{request.pk}/"
    request.refresh_from_db()
    assert (request.status, request.assigned_service, request.assigned_membership_id) == (
        RequestStatus.ASSIGNED,
        world.family_work,
        world.family_worker.membership_id,
    )
    assert Notification.objects.filter(
        recipient_id=world.family_worker.user_id, kind="request_assigned"
    ).exists()
    assert "The request was assigned." in client.get(response["Location"]).content.decode()


def test_an_assignment_without_a_professional_is_refused_next_to_the_field(world: World) -> None:
    request = family_asks(world).request
    response = browser_of(world.coordinator).post(
        f"/work/requests/{request.pk}/assign/", {"assign-service": world.family_work.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<a href="#id_assign-professional">' in html
        and "Choose the professional who contacts the family." in html
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


def test_a_professional_of_another_organisation_cannot_be_assigned(world: World) -> None:
    request = family_asks(world).request
    response = browser_of(world.coordinator).post(
        f"/work/requests/{request.pk}/assign/",
        {"assign-service": world.family_work.pk, "assign-professional": world.ngo_worker.membership_id},
    )
    assert response.status_code == 400
    assert (
        "That choice is not one of the available choices" in response.content.decode()
        or "Select a valid choice" in response.content.decode()
    )
    request.refresh_from_db()
    assert request.assigned_membership_id is None


def test_the_assigned_professional_sees_the_request_among_theirs_and_answers_it(world: World) -> None:
    request = _assigned(world)
    client = browser_of(world.family_worker)
    mine = client.get("/work/requests/").content.decode()
    assert f'href="/work/requests/{request.pk}/"' in mine
    page = client.get(f"/work/requests/{request.pk}/").content.decode()
    assert "id_assign-service" not in page  # only coordinators assign
    response = client.post(
        f"/work/requests/{request.pk}/reply/", {"reply-message": "Called; a home visit on Monday."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_at is not None


def test_the_assigned_professional_cannot_assign_and_is_told_why(world: World) -> None:
    request = _assigned(world)
    response = browser_of(world.family_worker).post(
        f"/work/requests/{request.pk}/assign/",
        {"assign-service": world.family_work.pk, "assign-professional": world.social_worker.membership_id},
    )
    assert response.status_code == 409
    assert "Only the family centre&#x27;s coordinators can assign a request." in response.content.decode()
    request.refresh_from_db()
    assert request.assigned_membership_id == world.family_worker.membership_id
    assert ("family-worker", "contact_request", "workflow") in _refused_rows()


def test_an_empty_answer_is_refused(world: World) -> None:
    request = _assigned(world)
    response = browser_of(world.family_worker).post(
        f"/work/requests/{request.pk}/reply/", {"reply-message": "  "}
    )
    assert response.status_code == 400
    assert 'id="id_reply-message_error"' in response.content.decode()


def test_the_coordinator_forwards_to_a_service_of_another_organisation(world: World) -> None:
    request = family_asks(world).request
    client = browser_of(world.coordinator)
    response = client.post(
        f"/work/requests/{request.pk}/forward/",
        {
            "forward-service": world.family_friend.pk,
            "forward-professional": world.ngo_worker.membership_id,
            "forward-note": "A family friend could help.",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/work/"
    request.refresh_from_db()
    assert (request.status, request.holder_organization, request.assigned_membership_id) == (
        RequestStatus.FORWARDED,
        world.ngo,
        world.ngo_worker.membership_id,
    )
    assert browser_of(world.ngo_worker).get(f"/work/requests/{request.pk}/").status_code == 200


def test_forwarding_needs_a_place_and_not_two(world: World) -> None:
    request = family_asks(world).request
    client = browser_of(world.coordinator)
    neither = client.post(f"/work/requests/{request.pk}/forward/", {})
    both = client.post(
        f"/work/requests/{request.pk}/forward/",
        {
            "forward-family_centre": world.siilinjarvi.pk,
            "forward-service": world.family_friend.pk,
            "forward-professional": world.ngo_worker.membership_id,
        },
    )
    assert neither.status_code == both.status_code == 400
    assert "Choose either a family centre or a service, not both." in both.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


def test_the_coordinator_forwards_to_another_family_centre(world: World) -> None:
    request = family_asks(world).request
    response = browser_of(world.coordinator).post(
        f"/work/requests/{request.pk}/forward/", {"forward-family_centre": world.siilinjarvi.pk}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.family_centre) == (RequestStatus.FORWARDED, world.siilinjarvi)


def test_the_request_is_closed_with_an_outcome_and_then_nothing_more_can_be_done(world: World) -> None:
    request = _assigned(world)
    client = browser_of(world.family_worker)
    assert client.post(f"/work/requests/{request.pk}/close/", {"close-outcome": ""}).status_code == 400
    response = client.post(
        f"/work/requests/{request.pk}/close/", {"close-outcome": "advice_given", "close-note": "ok"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.outcome) == (RequestStatus.CLOSED, "advice_given")
    page = client.get(f"/work/requests/{request.pk}/").content.decode()
    assert "id_close-outcome" not in page and "Advice was given" in page
    again = client.post(f"/work/requests/{request.pk}/reply/", {"reply-message": "More"})
    assert again.status_code == 409
    assert "This request is closed: nothing more can be done to it." in again.content.decode()


def test_the_person_is_identified_by_a_valid_identity_code_only(world: World) -> None:
    request = _assigned(world)
    client = browser_of(world.family_worker)
    url = f"/work/requests/{request.pk}/identify/"
    wrong = client.post(
        url, {"identity-identity_code": "010203A1234", "identify-identity_code": "131052-308T"}
    )
    assert wrong.status_code == 400
    request.refresh_from_db()
    assert request.person_id is None
    code = compose_identity_code(world.child.birth_date, 951)
    unknown = client.post(url, {"identify-identity_code": code})
    assert unknown.status_code == 400
    assert "give the names to register them" in unknown.content.decode()
    response = client.post(
        url,
        {"identify-identity_code": code, "identify-given_names": "Eino", "identify-family_name": "Testinen"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.person is not None and request.person.given_names == "Eino"
    page = client.get(f"/work/requests/{request.pk}/").content.decode()
    assert code not in page and "Make a referral for this family" in page
    assert not AccessLogEntry.objects.filter(reason__contains=code[:6] + code[7:]).exists()


def test_a_step_posted_without_the_csrf_token_is_refused(world: World) -> None:
    request = family_asks(world).request
    client = browser_of(world.coordinator, enforce_csrf_checks=True)
    response = client.post(
        f"/work/requests/{request.pk}/assign/",
        {"assign-service": world.family_work.pk, "assign-professional": world.family_worker.membership_id},
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


def test_the_coordinator_sets_the_response_target(world: World) -> None:
    client = browser_of(world.coordinator)
    url = f"/work/family-centres/{world.kuopio.pk}/settings/"
    page = client.get(url).content.decode()
    assert '<label for="id_response_days">' in page and 'value="2"' in page
    response = client.post(url, {"response_days": "5", "coordinating_unit": str(world.centre_unit.pk)})
    assert response.status_code == 302
    assert TriageSetting.objects.get(family_centre=world.kuopio).response_days == 5
    assert (
        "Response target: 5 working days."
        in client.get(f"/work/family-centres/{world.kuopio.pk}/queue/").content.decode()
    )


@pytest.mark.parametrize("days", ["0", "31", "two", ""])
def test_a_response_target_out_of_range_is_refused(world: World, days: str) -> None:
    response = browser_of(world.coordinator).post(
        f"/work/family-centres/{world.kuopio.pk}/settings/", {"response_days": days}
    )
    assert response.status_code == 400
    assert 'id="id_response_days_error"' in response.content.decode()
    assert TriageSetting.objects.get(family_centre=world.kuopio).response_days == 2


def test_only_the_centres_coordinators_set_its_response_target(world: World) -> None:
    for actor in (world.social_worker, world.stranger):
        response = browser_of(actor).post(
            f"/work/family-centres/{world.kuopio.pk}/settings/", {"response_days": "9"}
        )
        assert response.status_code == 404
    assert TriageSetting.objects.get(family_centre=world.kuopio).response_days == 2


def test_the_overview_shows_the_queues_the_coordinator_shares(world: World) -> None:
    html = browser_of(world.coordinator).get("/work/").content.decode()
    assert f'href="/work/family-centres/{world.kuopio.pk}/queue/"' in html
    # Siilinjärvi names no coordinating unit: every coordinator of the county shares its queue.
    assert f'href="/work/family-centres/{world.siilinjarvi.pk}/queue/"' in html
    assert "/queue/" not in browser_of(world.family_worker).get("/work/").content.decode()
