"""The referrals API: a family's request without login; professionals with their session, second factor and CSRF token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.access.models import AccessLogEntry
from lape.accounts.acting import Actor
from lape.referrals.models import ContactRequest, Referral

from .conftest import World, child_code, consent_to, family_asks, identified_request, log_rows

API = "/api/referrals"


def professional(actor: Actor, *, second_factor: bool = True, csrf: bool = False) -> Client:
    """A browser of this professional, logged in (and through the second factor unless said otherwise)."""
    client = Client(enforce_csrf_checks=csrf, headers={"Accept-Language": "en"})
    user = User.objects.get(pk=actor.user_id)
    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def post(client: Client, path: str, body: Any, **extra: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **extra)


FAMILY = {
    "worry": "Vi orkar inte längre, barnet sover inte.",
    "children_ages": [1, 5],
    "language": "sv",
    "contact_method": "phone",
    "contact_phone": "+358 40 765 4321",
}


# --- a family's request


def test_a_family_asks_and_follows_the_status_without_logging_in(world: World, client: Client) -> None:
    answer = post(client, "/requests", FAMILY | {"family_centre_id": str(world.kuopio.pk)})
    assert answer.status_code == 201, answer.content
    receipt = answer.json()
    assert receipt["family_centre"] == "Kuopio Family Centre"
    assert receipt["status_url"] == f"/ask/status/{receipt['status_token']}/"
    status = client.get(f"{API}/request-status/{receipt['status_token']}")
    assert status.status_code == 200
    assert (status.json()["reference"], status.json()["status"]) == (receipt["reference"], "new")
    assert "orkar" not in status.content.decode()


def test_an_unknown_status_token_is_not_found(world: World, client: Client) -> None:
    assert client.get(f"{API}/request-status/nothing-here").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"worry": "  "}, 422, "worry"),  # the schema's own rules: 422
        ({"children_ages": [40]}, 422, "children_ages"),
        ({"children_ages": "three"}, 422, "children_ages"),
        ({"family_centre_id": "not-a-uuid"}, 422, "family_centre_id"),
        ({"contact_phone": "call me"}, 422, "contact_phone"),
        ({"contact_phone": ""}, 400, "contact_phone"),  # the actions' rules: 400 with each field
        ({"contact_method": "email"}, 400, "contact_email"),
    ],
)
def test_bad_requests_are_answered_with_reasons_and_change_nothing(
    world: World, client: Client, body: dict[str, Any], status: int, field: str
) -> None:
    answer = post(client, "/requests", FAMILY | {"family_centre_id": str(world.kuopio.pk)} | body)
    assert answer.status_code == status
    assert field in answer.content.decode() and answer.json()["detail"]
    assert not ContactRequest.objects.exists()


def test_a_request_to_no_family_centre_at_all_is_refused(world: World, client: Client) -> None:
    answer = post(client, "/requests", FAMILY)
    assert answer.status_code == 400 and "family_centre" in answer.json()["errors"]


def test_a_family_centre_that_does_not_exist_is_not_found(world: World, client: Client) -> None:
    missing = {"family_centre_id": "00000000-0000-0000-0000-000000000000"}
    assert post(client, "/requests", FAMILY | missing).status_code == 404
    outside = {"service_id": str(world.youth_work.pk)}
    answer = post(client, "/requests", FAMILY | outside)
    assert answer.status_code == 400 and "service" in answer.json()["errors"]


def test_garbage_is_not_a_500(world: World, client: Client) -> None:
    answer = client.post(f"{API}/requests", b"\xff{{not json", content_type="application/json")
    assert 400 <= answer.status_code < 500


def test_a_flood_from_one_address_gets_429_with_a_message(
    world: World, client: Client, settings: Any
) -> None:
    settings.LAPE_CONTACT_REQUEST_LIMIT = 3
    body = FAMILY | {"family_centre_id": str(world.kuopio.pk)}
    codes = [post(client, "/requests", body, REMOTE_ADDR="203.0.113.9").status_code for _i in range(4)]
    assert codes == [201, 201, 201, 429]
    flood = post(client, "/requests", body, REMOTE_ADDR="203.0.113.9")
    assert "Too many contact requests" in flood.json()["detail"]
    assert ContactRequest.objects.count() == 3
    assert post(client, "/requests", body, REMOTE_ADDR="203.0.113.10").status_code == 201


def test_the_answer_is_in_the_familys_language(world: World) -> None:
    swedish = Client(headers={"Accept-Language": "sv"})
    answer = post(
        swedish, "/requests", FAMILY | {"family_centre_id": str(world.kuopio.pk), "contact_phone": ""}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["contact_phone"] == [
        "Ange ett telefonnummer eller välj att bli kontaktad per e-post."
    ]


# --- professionals


def test_without_a_login_the_professionals_api_answers_401(world: World, client: Client) -> None:
    assert client.get(f"{API}/requests").status_code == 401


def test_without_the_second_factor_it_answers_403_and_says_why(world: World) -> None:
    answer = professional(world.coordinator, second_factor=False).get(f"{API}/requests")
    assert answer.status_code == 403
    assert "second factor" in answer.json()["detail"]


def test_the_coordinator_lists_reads_assigns_and_closes(world: World) -> None:
    request = family_asks(world).request
    coordinator = professional(world.coordinator)
    queue = coordinator.get(f"{API}/requests").json()
    assert [row["reference"] for row in queue] == [request.reference]
    assert "worry" not in queue[0]
    detail = coordinator.get(f"{API}/requests/{request.pk}").json()
    assert detail["worry"].startswith("Our son") and detail["events"][0]["kind"] == "received"
    assigned = post(
        coordinator,
        f"/requests/{request.pk}/assign",
        {
            "service_id": str(world.family_work.pk),
            "professional_membership_id": str(world.family_worker.membership_id),
        },
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    worker = professional(world.family_worker)
    assert [r["id"] for r in worker.get(f"{API}/requests?scope=mine").json()] == [str(request.pk)]
    assert (
        post(worker, f"/requests/{request.pk}/reply", {"message": "Called them."}).json()["status"]
        == "answered"
    )
    closed = post(coordinator, f"/requests/{request.pk}/close", {"outcome": "service_started"})
    assert closed.json()["status"] == "closed"
    again = post(coordinator, f"/requests/{request.pk}/close", {"outcome": "service_started"})
    assert again.status_code == 409 and "closed" in again.json()["detail"]


def test_another_organisations_request_by_id_is_404_and_logged_as_refused(world: World) -> None:
    request = family_asks(world).request
    stranger = professional(world.stranger)
    forbidden = stranger.get(f"{API}/requests/{request.pk}")
    missing = stranger.get(f"{API}/requests/7b0e3a52-3f9e-4a0c-9d43-1f5a2c1e0b99")
    nonsense = stranger.get(f"{API}/requests/' OR 1=1 --")
    assert forbidden.status_code == missing.status_code == nonsense.status_code == 404
    assert forbidden.json() == missing.json() == nonsense.json()
    assert [row[2:] for row in log_rows()] == [
        ("refused", "no_relation"),
        ("refused", "not_found"),
        ("refused", "not_found"),
    ]
    assert AccessLogEntry.objects.filter(record_id__contains="OR").count() == 0


def test_a_forged_post_without_the_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    request = family_asks(world).request
    coordinator = professional(world.coordinator, csrf=True)
    body = {"outcome": "no_need"}
    answer = post(coordinator, f"/requests/{request.pk}/close", body)
    assert answer.status_code == 403 and "CSRF" in answer.json()["detail"]
    request.refresh_from_db()
    assert request.status == "new"


def test_a_csrf_token_replayed_from_another_session_is_refused(world: World) -> None:
    request = family_asks(world).request
    other = professional(world.family_worker, csrf=True)
    other.get("/accounts/")  # a page with a form: it sets the CSRF cookie
    stolen = other.cookies["csrftoken"].value
    coordinator = professional(world.coordinator, csrf=True)
    coordinator.get("/accounts/")
    refused = post(
        coordinator, f"/requests/{request.pk}/close", {"outcome": "no_need"}, HTTP_X_CSRFTOKEN=stolen
    )
    assert refused.status_code == 403
    request.refresh_from_db()
    assert request.status == "new"
    own = coordinator.cookies["csrftoken"].value
    accepted = post(
        coordinator, f"/requests/{request.pk}/close", {"outcome": "no_need"}, HTTP_X_CSRFTOKEN=own
    )
    assert accepted.status_code == 200


def test_a_professional_asks_on_a_familys_behalf_with_the_code_in_the_body(world: World) -> None:
    consent_to(world, world.city, "contact", by=world.teacher)
    teacher = professional(world.teacher)
    answer = post(
        teacher,
        "/requests/on-behalf",
        FAMILY | {"family_centre_id": str(world.kuopio.pk), "identity_code": child_code(world)},
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["origin"] == "professional_with_consent"
    bad = post(
        teacher,
        "/requests/on-behalf",
        FAMILY | {"family_centre_id": str(world.kuopio.pk), "identity_code": "131052-308T"},
    )
    assert bad.status_code == 400 and "identity_code" in bad.json()["errors"]
    assert "131052-308T" not in bad.content.decode()


# --- referrals


def test_the_closed_loop_through_the_api(world: World) -> None:
    request = identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    worker, ngo = professional(world.family_worker), professional(world.ngo_worker)
    made = post(
        worker,
        "/referrals",
        {
            "receiver_service_id": str(world.family_friend.pk),
            "category": "ngo_support",
            "reason": "A family friend for the evenings.",
            "items": {"social_services": "The parents are exhausted."},
            "contact_request_id": str(request.pk),
        },
    )
    assert made.status_code == 201, made.content
    referral_id = made.json()["id"]
    assert [r["id"] for r in ngo.get(f"{API}/referrals").json()] == [referral_id]
    seen = ngo.get(f"{API}/referrals/{referral_id}").json()
    assert seen["items"][0]["text"] == "The parents are exhausted." and seen["allowed_transitions"] == [
        "accepted",
        "rejected",
        "cancelled",
    ]
    out_of_order = post(ngo, f"/referrals/{referral_id}/transition", {"status": "completed", "outcome": "x"})
    assert out_of_order.status_code == 409 and "cannot become" in out_of_order.json()["detail"]
    for step in ("accepted", "in-progress"):
        assert post(ngo, f"/referrals/{referral_id}/transition", {"status": step}).status_code == 200
    no_outcome = post(ngo, f"/referrals/{referral_id}/transition", {"status": "completed"})
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.json()["errors"]
    done = post(
        ngo, f"/referrals/{referral_id}/transition", {"status": "completed", "outcome": "Weekly visits."}
    )
    assert done.status_code == 200
    back = worker.get(f"{API}/referrals/{referral_id}").json()
    assert (back["status"], back["outcome"], back["side"]) == ("completed", "Weekly visits.", "sender")
    assert [t["to_status"] for t in back["transitions"]][-1] == "completed"
    assert [r["id"] for r in worker.get(f"{API}/referrals?box=sent").json()] == [referral_id]
    assert professional(world.stranger).get(f"{API}/referrals/{referral_id}").status_code == 404
    notices = worker.get(f"{API}/notifications").json()
    assert {n["text"] for n in notices} >= {"a referral's status changed: completed"}
    assert post(worker, f"/notifications/{notices[0]['id']}/read", {}).status_code == 204
    assert post(ngo, f"/notifications/{notices[0]['id']}/read", {}).status_code == 404


def test_a_referral_without_consent_is_refused_with_the_reason(world: World) -> None:
    request = identified_request(world)
    answer = post(
        professional(world.family_worker),
        "/referrals",
        {
            "receiver_service_id": str(world.family_friend.pk),
            "category": "ngo_support",
            "reason": "Help.",
            "contact_request_id": str(request.pk),
        },
    )
    assert answer.status_code == 400 and "receiver_service" in answer.json()["errors"]
    assert not Referral.objects.exists()


def test_a_notification_needs_no_relation(world: World) -> None:
    answer = post(
        professional(world.teacher),
        "/referrals",
        {
            "kind": "child_protection_notification",
            "receiver_service_id": str(world.child_protection.pk),
            "reason": "Aino is afraid to go home.",
            "identity_code": child_code(world),
        },
    )
    assert answer.status_code == 201, answer.content
    seen = professional(world.cp_worker).get(f"{API}/referrals/{answer.json()['id']}").json()
    assert seen["clocks"]["decision"]["due_on"] > seen["clocks"]["received_on"]


def test_the_openapi_document_describes_the_referrals_api(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/referrals/requests",
        "/api/referrals/requests/{request_id}/assign",
        "/api/referrals/referrals",
        "/api/referrals/referrals/{referral_id}/transition",
    ):
        assert path in paths
