"""A professional's contact request on a family's behalf (Social Welfare Act 1301/2014, 35 §): with the
family's recorded consent, or urgently without it with the reason; otherwise refused and logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lape.access.consent_actions import withdraw_consent
from lape.access.models import AccessLogEntry
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.referrals.models import ContactRequest, Origin
from lape.referrals.tests.conftest import World, child_code, consent_to, years_ago
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db


def _post(client: Client, world: World, **overrides: str) -> Any:
    data = {
        "identity_code": child_code(world),
        "given_names": "Aino",
        "family_name": "Testinen",
        "family_centre": str(world.kuopio.pk),
        "worry": "Aino is often absent and tired; the mother asked for help at home.",
        "children_ages": "10",
        "language": "fi",
        "urgent_reason": "",
        "contact_name": "Maija",
        "contact_method": "phone",
        "contact_phone": "",
        "contact_email": "",
        "contact_times": "",
    }
    return client.post("/work/requests/new/", data | overrides)


def test_the_form_labels_every_field_and_explains_the_law(world: World) -> None:
    html = browser_of(world.school_social_worker).get("/work/requests/new/").content.decode()
    assert "Social Welfare Act 1301/2014, 35 §" in html
    for name in ("identity_code", "given_names", "family_name", "family_centre", "worry", "urgent_reason"):
        assert f'<label for="id_{name}"' in html, name


def test_with_the_familys_consent_the_request_goes_to_the_family_centre(world: World) -> None:
    consent_to(world, world.city, "contact", by=world.school_social_worker)
    client = browser_of(world.school_social_worker)
    response = _post(client, world)
    assert response.status_code == 302 and response["Location"] == "/work/"
    request = ContactRequest.objects.get()
    assert (request.origin, request.person, request.family_centre) == (
        Origin.PROFESSIONAL_WITH_CONSENT,
        world.child,
        world.kuopio,
    )
    assert request.contact_phone == ""  # the family is reached through the professional
    assert f"Its reference is {request.reference}." in client.get("/work/").content.decode()
    queue = (
        browser_of(world.coordinator).get(f"/work/family-centres/{world.kuopio.pk}/queue/").content.decode()
    )
    assert request.reference in queue


def test_without_consent_or_urgency_it_is_refused_next_to_the_reason_and_logged(world: World) -> None:
    response = _post(browser_of(world.school_social_worker), world)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_urgent_reason">' in html and "No consent in force lets you pass" in html
    assert not ContactRequest.objects.exists()
    assert AccessLogEntry.objects.filter(username="school-social-worker", outcome="refused").exists()


def test_a_withdrawn_consent_no_longer_lets_the_request_through(world: World) -> None:
    consent = consent_to(world, world.city, "contact", by=world.school_social_worker)
    withdraw_consent(world.school_social_worker, consent.pk)
    assert _post(browser_of(world.school_social_worker), world).status_code == 400
    assert not ContactRequest.objects.exists()


def test_an_urgent_request_without_consent_records_the_reason(world: World) -> None:
    reason = "The family has no food and the mother cannot be reached by phone."
    response = _post(browser_of(world.school_social_worker), world, urgent_reason=reason)
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert (request.origin, request.urgent_reason) == (Origin.PROFESSIONAL_URGENT, reason)
    page = browser_of(world.coordinator).get(f"/work/requests/{request.pk}/").content.decode()
    assert reason in page


def test_an_unknown_person_without_urgency_is_refused_and_nobody_is_registered(world: World) -> None:
    before = Person.objects.count()
    code = compose_identity_code(years_ago(7), 933)
    response = _post(browser_of(world.school_social_worker), world, identity_code=code, given_names="Eino")
    assert response.status_code == 400
    assert "No consent is recorded for this person." in response.content.decode()
    assert Person.objects.count() == before and not ContactRequest.objects.exists()


def test_an_invalid_identity_code_is_refused_without_repeating_it(world: World) -> None:
    response = _post(browser_of(world.school_social_worker), world, identity_code="311399-9999")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_identity_code_error"' in html
    assert "311399-9999" not in html.replace('value="311399-9999"', "")
    assert not ContactRequest.objects.exists()


def test_a_role_without_client_data_cannot_make_one_even_urgently(world: World) -> None:
    response = _post(browser_of(world.manager), world, urgent_reason="Urgent, as the manager says.")
    assert response.status_code == 404
    assert not ContactRequest.objects.exists()
