"""The referral pages: making a referral (two steps, carrying only what consent or law allows), a
child-protection notification, the referral page with its allowed steps as buttons, and the lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.formats import date_format

from lape.access.ban_actions import set_ban
from lape.access.consent_actions import withdraw_consent
from lape.access.models import AccessLogEntry
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.referrals.deadlines import child_protection_clocks
from lape.referrals.handling import assign_request
from lape.referrals.models import ContactRequest, Referral, ReferralItem, ReferralStatus
from lape.referrals.tests.conftest import World, consent_to, family_asks, membership_of, years_ago
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db

ASKED = "Could a family friend visit the family once a week?"
KNOWN = "Home visits since March; the mother is exhausted."


def _request_of_the_child(world: World) -> ContactRequest:
    """The family worker's request, about Aino (identified: set here, the identify step has its own tests)."""
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    ContactRequest.objects.filter(pk=request.pk).update(person=world.child)
    request.refresh_from_db()
    return request


def _to_step_two(client: Client, request: ContactRequest, world: World, category: str = "ngo_support") -> Any:
    return client.post(
        "/work/referrals/new/",
        {
            "request": request.pk,
            "step": "content",
            "receiver_service": world.family_friend.pk,
            "category": category,
        },
    )


def _send(client: Client, request: ContactRequest, world: World, **extra: str) -> Any:
    data = {
        "request": str(request.pk),
        "step": "send",
        "receiver_service": str(world.family_friend.pk),
        "category": "ngo_support",
        "reason": ASKED,
        "send": "now",
    }
    return client.post("/work/referrals/new/", data | extra)


def _sent_referral(world: World) -> Referral:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support", "social_services")
    response = _send(browser_of(world.family_worker), request, world, item_social_services=KNOWN)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Referral.objects.get()


def _step(client: Client, referral: Referral, to: str, **fields: str) -> Any:
    data = {"to": to, f"to-{to}-to_status": to} | {f"to-{to}-{name}": value for name, value in fields.items()}
    return client.post(f"/work/referrals/{referral.pk}/status/", data)


def test_step_one_asks_where_to_and_step_two_says_what_may_be_carried(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support", "social_services")
    client = browser_of(world.family_worker)
    page = client.get(f"/work/referrals/new/?request={request.pk}").content.decode()
    assert "Step 1 of 2" in page and "For: Aino Testinen." in page
    assert '<label for="id_receiver_service">' in page and '<label for="id_category">' in page
    step_two = _to_step_two(client, request, world)
    assert step_two.status_code == 200
    html = step_two.content.decode()
    assert "Step 2 of 2" in html
    assert re.search(r"Social services: <strong>may be sent</strong> \(consent\)", html)
    assert '<label for="id_item_social_services">' in html
    assert "has not consented" not in html


def test_without_a_consent_the_information_may_not_be_sent_and_the_page_says_so(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support")  # to refer, but not to share social-services information
    html = _to_step_two(browser_of(world.family_worker), request, world).content.decode()
    assert "Social services: may not be sent" in html
    assert "id_item_social_services" not in html


def test_under_a_disclosure_ban_the_page_says_the_family_has_forbidden_it(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support", "social_services")
    set_ban(
        world.family_worker,
        person=world.child,
        set_by=world.mother,
        scope="organization",
        organization=world.county,
    )
    html = _to_step_two(browser_of(world.family_worker), request, world).content.decode()
    assert (
        'Social services: <span data-testid="banned">may not be sent: the family has forbidden disclosing it'
        in html
    )
    assert "id_item_social_services" not in html
    assert "record the family&#x27;s consent" not in html  # a consent would not help


def test_a_referral_is_sent_with_what_is_asked_and_the_consented_information(world: World) -> None:
    referral = _sent_referral(world)
    assert (referral.status, referral.reason, referral.receiver_organization) == (
        ReferralStatus.REQUESTED,
        ASKED,
        world.ngo,
    )
    assert list(referral.items.values_list("category", "text", "basis")) == [
        ("social_services", KNOWN, "consent")
    ]
    page = browser_of(world.family_worker).get(f"/work/referrals/{referral.pk}/").content.decode()
    assert '<strong data-testid="referral-status">Requested</strong>' in page
    assert "Cancel the referral" in page and "Accept" not in page  # the sender does not accept


def test_a_forged_item_without_a_consent_is_not_carried(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support")
    response = _send(browser_of(world.family_worker), request, world, item_social_services="Forged in.")
    assert response.status_code == 302
    assert not ReferralItem.objects.exists()


def test_a_referral_the_family_has_not_consented_to_is_refused_and_logged(world: World) -> None:
    request = _request_of_the_child(world)
    response = _send(browser_of(world.family_worker), request, world)
    assert response.status_code == 400
    assert "The family has not consented to a referral to this organisation." in response.content.decode()
    assert not Referral.objects.exists()
    assert AccessLogEntry.objects.filter(
        username="family-worker", action="export", outcome="refused"
    ).exists()


def test_a_referral_can_be_saved_as_a_draft_and_sent_later(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support")
    client = browser_of(world.family_worker)
    assert _send(client, request, world, send="draft").status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    assert (
        browser_of(world.ngo_worker).get(f"/work/referrals/{referral.pk}/").status_code == 404
    )  # not yet sent
    assert _step(client, referral, "requested").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_an_empty_reason_is_refused_next_to_the_field(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support")
    response = _send(browser_of(world.family_worker), request, world, reason=" ")
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_from_someone_elses_request_is_not_found(world: World) -> None:
    request = _request_of_the_child(world)
    consent_to(world, world.ngo, "ngo_support")
    for actor in (world.social_worker, world.stranger):
        assert browser_of(actor).get(f"/work/referrals/new/?request={request.pk}").status_code == 404
        assert _send(browser_of(actor), request, world).status_code == 404
    assert not Referral.objects.exists()


def test_the_receiver_accepts_works_and_completes_and_the_sender_sees_the_outcome(world: World) -> None:
    referral = _sent_referral(world)
    receiver = browser_of(world.ngo_worker)
    received = receiver.get("/work/referrals/").content.decode()
    assert f'href="/work/referrals/{referral.pk}/"' in received
    page = receiver.get(f"/work/referrals/{referral.pk}/").content.decode()
    assert KNOWN in page and ASKED in page
    assert "Accept" in page and "Reject" in page
    assert _step(receiver, referral, "accepted").status_code == 302
    assert _step(receiver, referral, "in-progress").status_code == 302
    missing = _step(receiver, referral, "completed")
    assert missing.status_code == 400
    assert "Write the outcome" in missing.content.decode()
    done = _step(receiver, referral, "completed", outcome="Weekly visits agreed; a family friend found.")
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    sender_page = browser_of(world.family_worker).get(f"/work/referrals/{referral.pk}/").content.decode()
    assert '<p data-testid="referral-outcome">Weekly visits agreed; a family friend found.</p>' in sender_page
    assert "Completed" in sender_page


def test_a_rejection_needs_a_reason_that_the_sender_sees(world: World) -> None:
    referral = _sent_referral(world)
    receiver = browser_of(world.ngo_worker)
    assert _step(receiver, referral, "rejected").status_code == 400
    assert _step(receiver, referral, "rejected", reason="No volunteers this spring.").status_code == 302
    sender_page = browser_of(world.family_worker).get(f"/work/referrals/{referral.pk}/").content.decode()
    assert "Rejected</strong> – No volunteers this spring." in sender_page


def test_a_step_out_of_order_is_refused_with_a_message_and_changes_nothing(world: World) -> None:
    referral = _sent_referral(world)
    response = _step(browser_of(world.ngo_worker), referral, "completed", outcome="Skipping ahead")
    assert response.status_code == 409
    assert "A referral that is requested cannot become completed." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED
    assert AccessLogEntry.objects.filter(username="ngo-worker", refusal="workflow").exists()


def test_the_sender_cannot_accept_their_own_referral(world: World) -> None:
    referral = _sent_referral(world)
    response = _step(browser_of(world.family_worker), referral, "accepted")
    assert response.status_code == 409
    assert "Only the receiving service can make this referral accepted." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


@pytest.mark.parametrize("to", ["nonsense", "", "completed\x00"])
def test_an_unknown_status_is_refused_without_an_error_page(world: World, to: str) -> None:
    referral = _sent_referral(world)
    response = _step(browser_of(world.ngo_worker), referral, to)
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_another_organisations_referral_by_id_is_a_404_and_logged_as_refused(world: World) -> None:
    referral = _sent_referral(world)
    client = browser_of(world.stranger)
    forbidden = client.get(f"/work/referrals/{referral.pk}/")
    missing = client.get("/work/referrals/00000000-0000-4000-8000-000000000000/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert _step(client, referral, "accepted").status_code == 404
    refused = AccessLogEntry.objects.filter(
        username="stranger", outcome="refused", record_id=str(referral.pk)
    )
    assert refused.count() == 2
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_a_consent_withdrawn_after_sending_hides_the_information_at_once(world: World) -> None:
    referral = _sent_referral(world)
    consent = referral.items.get().consent
    assert consent is not None
    withdraw_consent(world.family_worker, consent.pk)
    page = browser_of(world.ngo_worker).get(f"/work/referrals/{referral.pk}/").content.decode()
    assert KNOWN not in page
    assert "Information withheld (social services)" in page


def test_a_transition_posted_without_the_csrf_token_is_refused(world: World) -> None:
    referral = _sent_referral(world)
    client = browser_of(world.ngo_worker, enforce_csrf_checks=True)
    assert _step(client, referral, "accepted").status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_without_a_request_the_page_offers_a_child_protection_notification(world: World) -> None:
    html = browser_of(world.teacher).get("/work/referrals/new/").content.decode()
    assert "<h1>Child-protection notification</h1>" in html
    assert "417/2007, 25 §" in html
    for name in (
        "identity_code",
        "given_names",
        "family_name",
        "receiver_service",
        "reason",
        "item_pupil_welfare",
    ):
        assert f'<label for="id_{name}"' in html, name


def _notify(client: Client, world: World, **extra: str) -> Any:
    data = {
        "identity_code": compose_identity_code(years_ago(8), 977),
        "given_names": "Veeti",
        "family_name": "Esimerkki",
        "receiver_service": str(world.child_protection.pk),
        "reason": "Bruises on the arms twice this month.",
        "item_pupil_welfare": "Absent 12 days this term.",
    }
    return client.post("/work/referrals/new/", data | extra)


def test_a_teacher_notifies_child_protection_and_the_receiver_sees_the_clocks(world: World) -> None:
    response = _notify(browser_of(world.teacher), world)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.kind, referral.status, referral.person.given_names) == (
        "child_protection_notification",
        ReferralStatus.REQUESTED,
        "Veeti",
    )
    page = browser_of(world.cp_worker).get(f"/work/referrals/{referral.pk}/").content.decode()
    assert "Absent 12 days this term." in page and "Bruises on the arms" in page
    assert "Decision whether to start an assessment (7 working days)" in page
    clocks = child_protection_clocks(referral)
    assert clocks is not None
    decision_due = date_format(clocks.decision.due_on, "SHORT_DATE_FORMAT")
    days = clocks.decision.days_left
    assert f'data-testid="clock-decision">due {decision_due} – {days} days left</dd>' in page
    assessment_due = date_format(clocks.assessment.due_on, "SHORT_DATE_FORMAT")
    assert f'data-testid="clock-assessment">due {assessment_due} – ' in page
    assert compose_identity_code(years_ago(8), 977) not in page


def test_a_notification_with_an_invalid_identity_code_is_refused_and_registers_nobody(world: World) -> None:
    before = Person.objects.count()
    response = _notify(browser_of(world.teacher), world, identity_code="010203A1234")
    assert response.status_code == 400
    assert 'id="id_identity_code_error"' in response.content.decode()
    assert "010203A1234" not in response.content.decode().replace('value="010203A1234"', "")
    assert Person.objects.count() == before and not Referral.objects.exists()


def test_the_lists_show_sent_and_received_referrals(world: World) -> None:
    referral = _sent_referral(world)
    sent = browser_of(world.family_worker).get("/work/referrals/").content.decode()
    assert re.search(
        r'<section aria-labelledby="sent-heading">.*/work/referrals/' + str(referral.pk), sent, re.S
    )
    received = browser_of(world.ngo_worker).get("/work/referrals/").content.decode()
    assert re.search(
        r'<section aria-labelledby="received-heading">.*/work/referrals/' + str(referral.pk), received, re.S
    )
    assert str(referral.pk) not in browser_of(world.teacher).get("/work/referrals/").content.decode()


def test_the_receiver_can_refer_onward_from_a_referral_they_handle(world: World) -> None:
    referral = _sent_referral(world)
    receiver = browser_of(world.ngo_worker)
    assert _step(receiver, referral, "accepted").status_code == 302
    page = receiver.get(f"/work/referrals/new/?referral={referral.pk}").content.decode()
    assert "For: Aino Testinen." in page
    assert f'<input type="hidden" name="referral" value="{referral.pk}">' in page
    assert browser_of(world.stranger).get(f"/work/referrals/new/?referral={referral.pk}").status_code == 404
