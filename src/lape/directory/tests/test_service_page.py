"""The service page: what, for whom, how to get it, cost, languages, places and hours, contacts, last verified."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from lape.directory.models import FamilyCentre, Schedule, Service
from lape.directory.opening_hours import FINNISH_TIME
from lape.directory.tests.api_fixtures import Directory, build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> Directory:
    found = build_directory()
    clinic = found.clinic
    clinic.assured_date = dt.date(2025, 3, 14)
    clinic.application_process = "Varaa aika puhelimitse."
    clinic.eligibility_description = "Alle kouluikäiset lapset ja heidän perheensä."
    clinic.set_text("eligibility_description", "en", "Children under school age and their families.")
    clinic.email = "neuvola@example.org"
    clinic.url = "https://example.org/neuvola"
    clinic.save()
    location = found.clinic_at_centre.location
    location.extra = {
        "accessibility": [{"description": "Esteetön sisäänkäynti", "details": "Induktiosilmukka"}]
    }
    location.save()
    centre = FamilyCentre.objects.create(name="Kuopion perhekeskus", coordinator=found.county)
    centre.services.add(clinic)
    return found


def _page(client: Client, service: Service, lang: str = "en") -> str:
    response = client.get(f"/services/{service.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_what_the_service_is_and_who_provides_it(client: Client, directory: Directory) -> None:
    page = _page(client, directory.clinic)
    assert "<h1>Child health clinic</h1>" in page
    assert "Follow-up of the child&#x27;s growth and development." in page
    assert "Provided by North Savo Wellbeing Services County" in page


def test_it_says_who_it_is_for_and_how_to_get_it(client: Client, directory: Directory) -> None:
    page = _page(client, directory.clinic)
    assert "Children under school age and their families." in page
    assert "Children aged 0–6" in page
    assert "Kuopio" in page.split("For residents of:", 1)[1][:200]
    assert "No referral needed." in page
    assert '<p lang="fi">Varaa aika puhelimitse.</p>' in page  # Finnish fallback, marked as Finnish


def test_it_says_a_referral_and_the_cost(client: Client, directory: Directory) -> None:
    page = _page(client, directory.counselling)
    assert "You need a referral." in page
    assert "Maksuton: 0.00 EUR" in page
    assert "Free of charge." not in page


def test_it_lists_places_with_addresses_hours_and_accessibility(client: Client, directory: Directory) -> None:
    page = _page(client, directory.clinic)
    assert "Kuopio Family Centre" in page
    assert "Esimerkkikatu 1, 70100 Kuopio" in page
    assert "Esteetön sisäänkäynti: Induktiosilmukka" in page
    assert "<td>Monday–Friday</td>" in page  # the service's own hours
    assert "<td>Monday, Wednesday</td>" in page  # the place's hours


def test_it_says_open_now_in_finnish_time(client: Client, directory: Directory) -> None:
    Schedule.objects.filter(service=directory.clinic).delete()
    Schedule.objects.create(
        service=directory.clinic, freq="DAILY", opens_at=dt.time(0), closes_at=dt.time(23, 59, 59)
    )
    assert '<strong class="open">Open now</strong>' in _page(client, directory.clinic)
    Schedule.objects.filter(service=directory.clinic).delete()
    today = timezone.now().astimezone(FINNISH_TIME).date()
    Schedule.objects.create(
        service=directory.clinic,
        valid_from=today - dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=1),
        closed=True,
    )
    page = _page(client, directory.clinic)
    assert "Closed now" in page
    assert "Exceptions:" in page


def test_it_gives_phones_email_web_languages_and_last_verified(client: Client, directory: Directory) -> None:
    page = _page(client, directory.clinic)
    assert 'href="tel:+358170000000"' in page
    assert 'href="mailto:neuvola@example.org"' in page
    assert 'href="https://example.org/neuvola"' in page
    assert "Finnish, Swedish" in page
    assert "Information last verified on 03/14/2025." in page


def test_it_links_the_family_centres_whose_network_includes_it(client: Client, directory: Directory) -> None:
    centre = FamilyCentre.objects.get()
    assert f'href="/family-centres/{centre.pk}/">Kuopion perhekeskus</a>' in _page(client, directory.clinic)


def test_it_speaks_swedish_and_finnish(client: Client, directory: Directory) -> None:
    swedish = _page(client, directory.clinic, "sv")
    assert "<h1>Barnrådgivning</h1>" in swedish
    assert "Ingen remiss behövs." in swedish
    finnish = _page(client, directory.clinic, "fi")
    assert "<h1>Lastenneuvola</h1>" in finnish
    assert "Tiedot tarkistettu viimeksi 14.3.2025." in finnish


@pytest.mark.parametrize("status", [Service.Status.DEFUNCT, Service.Status.INACTIVE])
def test_it_says_plainly_that_an_ended_service_is_gone(
    client: Client, directory: Directory, status: str
) -> None:
    directory.playgroup.status = status
    directory.playgroup.save()
    response = client.get(f"/services/{directory.playgroup.pk}/")
    assert response.status_code == 410
    assert "This service is no longer offered." in response.content.decode()


def test_it_warns_that_a_service_is_temporarily_closed(client: Client, directory: Directory) -> None:
    directory.playgroup.status = Service.Status.TEMPORARILY_CLOSED
    directory.playgroup.save()
    assert "This service is temporarily closed." in _page(client, directory.playgroup)


@pytest.mark.parametrize("service_id", [str(uuid.uuid4()), "not-a-uuid", "%3Cscript%3E"])
def test_it_answers_404_for_an_unknown_service(client: Client, db: None, service_id: str) -> None:
    assert client.get(f"/services/{service_id}/").status_code == 404


def test_it_escapes_what_publishers_wrote(client: Client, directory: Directory) -> None:
    directory.playgroup.description = '<script>alert("x")</script>'
    directory.playgroup.save()
    page = _page(client, directory.playgroup, "fi")
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_it_keeps_the_page_when_the_language_changes(client: Client, directory: Directory) -> None:
    path = f"/services/{directory.clinic.pk}/"
    assert f'name="next" type="hidden" value="{path}"' in _page(client, directory.clinic)
    response = client.post("/i18n/setlang/", {"language": "fi", "next": path})
    assert response["Location"] == path
    assert "<h1>Lastenneuvola</h1>" in client.get(path).content.decode()
