"""The family's pages: "Ask the family centre", the receipt with the reference and status link, the status page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.formats import date_format

from lape.referrals.handling import assign_request, close_request
from lape.referrals.models import AskedVia, ContactRequest, RequestStatus
from lape.referrals.tests.conftest import World, membership_of
from lape.referrals.tests.page_clients import family_browser

pytestmark = pytest.mark.django_db

WORRY = "Our baby does not sleep and we are exhausted."


def _answers(world: World, **overrides: Any) -> dict[str, Any]:
    answers = {
        "family_centre": str(world.kuopio.pk),
        "via": "start_page",
        "worry": WORRY,
        "children_ages": "0, 4 and 7",
        "language": "sv",
        "contact_name": "",
        "contact_method": "phone",
        "contact_phone": "040 123 4567",
        "contact_email": "",
        "contact_times": "weekdays after 3 pm",
    }
    return answers | overrides


def _ask(client: Client, world: World, **overrides: Any) -> Any:
    return client.post("/ask/", _answers(world, **overrides))


def test_it_shows_the_form_with_every_field_labelled(world: World) -> None:
    response = family_browser().get("/ask/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ask the family centre</h1>" in html
    for name in (
        "family_centre",
        "worry",
        "children_ages",
        "language",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_times",
    ):
        assert f'<label for="id_{name}"' in html, name
    assert "<legend>How do you want to be contacted?</legend>" in html  # the radio group is a fieldset
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_offers_the_page_language_first(world: World) -> None:
    html = family_browser("sv").get("/ask/").content.decode()
    assert '<html lang="sv">' in html
    assert re.search(r'<option value="sv"[^>]*selected', html)


def test_a_request_from_a_service_page_goes_to_the_family_centre_of_the_service(world: World) -> None:
    client = family_browser()
    html = client.get(f"/ask/?service={world.counselling.pk}").content.decode()
    assert "You are asking about: Perheneuvola." in html
    assert f'<input type="hidden" name="family_centre" value="{world.kuopio.pk}">' in html
    response = client.post("/ask/", _answers(world, service=str(world.counselling.pk), via="service_page"))
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert (request.family_centre, request.asked_at_service, request.asked_via) == (
        world.kuopio,
        world.counselling,
        AskedVia.SERVICE_PAGE,
    )


def test_a_request_from_a_family_centre_page_goes_to_that_centre(world: World) -> None:
    client = family_browser()
    html = client.get(f"/ask/?centre={world.siilinjarvi.pk}").content.decode()
    assert "Your question goes to Siilinjärven perhekeskus." in html
    response = client.post(
        "/ask/",
        _answers(
            world,
            family_centre=str(world.siilinjarvi.pk),
            centre=str(world.siilinjarvi.pk),
            via="family_centre_page",
        ),
    )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert (request.family_centre, request.asked_via) == (world.siilinjarvi, AskedVia.FAMILY_CENTRE_PAGE)


def test_it_records_what_the_family_wrote_and_gives_a_receipt(world: World) -> None:
    client = family_browser()
    response = _ask(client, world, contact_name="Maija")
    assert response.status_code == 302
    assert response["Location"] == "/ask/received/"  # nothing personal in the address
    request = ContactRequest.objects.get()
    assert (request.worry, request.children_ages, request.language) == (WORRY, [0, 4, 7], "sv")
    assert (request.contact_name, request.contact_phone, request.contact_method) == (
        "Maija",
        "040 123 4567",
        "phone",
    )
    assert (request.contact_times, request.status) == ("weekdays after 3 pm", RequestStatus.NEW)

    receipt = client.get("/ask/received/")
    html = receipt.content.decode()
    assert f'data-testid="reference">{request.reference}<' in html
    link = re.search(r'href="(/ask/status/[^"]+/)" data-testid="status-link"', html)
    assert link is not None
    assert receipt["Referrer-Policy"] == "no-referrer"
    assert WORRY not in html and "Maija" not in link.group(1) and "4567" not in link.group(1)


def test_an_anonymous_family_gives_no_name(world: World) -> None:
    _ask(family_browser(), world, contact_name="")
    assert ContactRequest.objects.get().contact_name == ""


def test_the_receipt_is_not_shown_without_a_request_in_this_browser(world: World) -> None:
    _ask(family_browser(), world)
    response = family_browser().get("/ask/received/")
    assert (response.status_code, response["Location"]) == (302, "/ask/")


def test_the_status_page_shows_the_status_and_dates_but_not_the_content(world: World) -> None:
    client = family_browser()
    _ask(client, world, contact_name="Maija")
    link = re.search(r'href="(/ask/status/[^"]+/)"', client.get("/ask/received/").content.decode())
    assert link is not None
    request = ContactRequest.objects.get()
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )

    response = family_browser().get(link.group(1))  # another browser: the link alone opens it
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-testid="status-value">Assigned</strong>' in html
    assert request.reference in html
    for private in (WORRY, "Maija", "4567", "weekdays", "Perhetyö", "family-worker"):
        assert private not in html, private
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "%00"])
def test_an_unknown_status_link_is_not_found(world: World, token: str) -> None:
    _ask(family_browser(), world)
    assert family_browser().get(f"/ask/status/{token}/").status_code == 404


def test_it_shows_the_errors_next_to_the_fields_and_keeps_what_was_typed(world: World) -> None:
    response = _ask(
        family_browser(),
        world,
        worry="   ",
        children_ages="two and 40",
        contact_phone="",
        contact_times="evenings",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Please correct the following:" in html
    assert '<a href="#id_worry">' in html and '<a href="#id_children_ages">' in html
    assert "Write the ages as numbers" in html
    assert 'aria-describedby="id_worry_helptext id_worry_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_contact_phone_error"' in html  # a call needs a phone number
    assert 'value="two and 40"' in html and 'value="evenings"' in html
    assert not ContactRequest.objects.exists()


def test_an_age_over_17_is_refused(world: World) -> None:
    response = _ask(family_browser(), world, children_ages="5, 18")
    assert "Give the ages of children under 18" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_an_e_mail_contact_needs_an_address(world: World) -> None:
    response = _ask(family_browser(), world, contact_method="email", contact_phone="")
    assert response.status_code == 400
    assert 'id="id_contact_email_error"' in response.content.decode()
    response = _ask(
        family_browser(), world, contact_method="email", contact_phone="", contact_email="perhe@example.fi"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "garbage",
    [
        {"family_centre": "not-a-uuid"},
        {"family_centre": "00000000-0000-0000-0000-000000000000"},
        {"service": "'; DROP TABLE x; --"},
        {"language": "klingon"},
        {"contact_method": "pigeon"},
        {"contact_email": "not an address"},
        {"contact_phone": "call me maybe"},
        {"worry": "x" * 5000},
        {"children_ages": "1," * 200},
        {"via": "<script>"},
    ],
)
def test_garbage_is_refused_with_a_message_and_changes_nothing(world: World, garbage: dict[str, str]) -> None:
    response = _ask(family_browser(), world, **garbage)
    if "service" in garbage or "via" in garbage:  # ignored: the request still goes to the chosen centre
        assert response.status_code == 302
        assert ContactRequest.objects.get().asked_via == AskedVia.START_PAGE
        return
    assert response.status_code == 400
    assert "Please correct the following:" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_a_forged_post_without_the_csrf_token_is_refused(world: World) -> None:
    client = family_browser(enforce_csrf_checks=True)
    response = client.post("/ask/", _answers(world))
    assert response.status_code == 403
    assert not ContactRequest.objects.exists()


def test_a_replayed_post_with_another_browsers_token_is_refused(world: World) -> None:
    other = family_browser(enforce_csrf_checks=True)
    other.get("/ask/")
    token = other.cookies["csrftoken"].value
    client = family_browser(enforce_csrf_checks=True)
    client.get("/ask/")
    response = client.post("/ask/", _answers(world, csrfmiddlewaretoken=token))
    assert response.status_code == 403
    assert not ContactRequest.objects.exists()


def test_a_flood_from_one_address_is_stopped_with_a_clear_message(world: World, settings: Any) -> None:
    settings.LAPE_CONTACT_REQUEST_LIMIT = 2
    client = family_browser()
    assert [_ask(client, world).status_code for _i in range(2)] == [302, 302]
    response = _ask(client, world)
    assert response.status_code == 429
    assert "Too many contact requests have been sent from your connection" in response.content.decode()
    assert ContactRequest.objects.count() == 2
    other_address = family_browser(REMOTE_ADDR="192.0.2.7")
    assert _ask(other_address, world).status_code == 302


def test_the_form_and_the_status_page_are_in_swedish(world: World) -> None:
    client = family_browser("sv")
    html = client.get("/ask/").content.decode()
    assert '<html lang="sv">' in html and "<h1>Fråga familjecentret</h1>" in html
    _ask(client, world)
    receipt = client.get("/ask/received/").content.decode()
    assert "Din begäran har tagits emot" in receipt
    link = re.search(r'href="(/ask/status/[^"]+/)"', receipt)
    assert link is not None
    status = client.get(link.group(1)).content.decode()
    assert '<strong data-testid="status-value">Ny</strong>' in status


def test_the_start_service_and_family_centre_pages_lead_to_the_form(world: World) -> None:
    client = family_browser()
    assert 'href="/ask/"' in client.get("/").content.decode()
    service_page = client.get(f"/services/{world.counselling.pk}/").content.decode()
    assert f'href="/ask/?service={world.counselling.pk}"' in service_page
    centre_page = client.get(f"/family-centres/{world.kuopio.pk}/").content.decode()
    assert f'href="/ask/?centre={world.kuopio.pk}"' in centre_page


def test_while_it_waits_the_status_page_says_when_we_aim_to_contact_the_family(world: World) -> None:
    client = family_browser()
    _ask(client, world)
    link = re.search(r'href="(/ask/status/[^"]+/)"', client.get("/ask/received/").content.decode())
    assert link is not None
    request = ContactRequest.objects.get()
    html = client.get(link.group(1)).content.decode()
    assert "We aim to contact you by" in html
    assert date_format(request.due_on, "SHORT_DATE_FORMAT") in html
    close_request(world.coordinator, request.pk, outcome="no_need")
    html = client.get(link.group(1)).content.decode()
    assert "We aim to contact you by" not in html and "Closed" in html
