import datetime as dt
import uuid

import pytest
from django.test import Client

from lape.areas.models import Municipality
from lape.directory.models import FamilyCentre, Organization, Schedule, Service


@pytest.fixture
def kuopio_centre(db: None) -> FamilyCentre:
    kuopio = Municipality.objects.create(code="297", name_fi="Kuopio", name_sv="Kuopio")
    county = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    ngo = Organization.objects.create(name="MLL Kuopio", kind="ngo")
    clinic = Service.objects.create(organization=county, name="Lastenneuvola", service_level="universal")
    clinic.set_text("name", "sv", "Barnrådgivning")
    clinic.save()
    cafe = Service.objects.create(organization=ngo, name="Perhekahvila", free_of_charge=True)
    Schedule.objects.create(service=cafe, freq="DAILY", opens_at=dt.time(0), closes_at=dt.time(23, 59))
    Service.objects.create(organization=ngo, name="Lakkautettu kerho", status=Service.Status.DEFUNCT)
    centre = FamilyCentre.objects.create(name="Kuopion perhekeskus", coordinator=county, phone="017 555 0100")
    centre.set_text("name", "sv", "Kuopio familjecentral")
    centre.save()
    centre.municipalities.add(kuopio)
    centre.services.add(clinic, cafe, *Service.objects.filter(status=Service.Status.DEFUNCT))
    return centre


def test_it_lists_the_network_by_organisation(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get(f"/family-centres/{kuopio_centre.pk}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Kuopion perhekeskus" in page
    assert page.index("MLL Kuopio") < page.index("Perhekahvila")
    assert "Lastenneuvola" in page
    assert "Lakkautettu kerho" not in page  # defunct services are not offered to families


def test_it_shows_which_services_are_open_now(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get(f"/family-centres/{kuopio_centre.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cafe_line = page[page.index("Perhekahvila") :].split("</li>")[0]
    clinic_line = page[page.index("Lastenneuvola") :].split("</li>")[0]
    assert "open now" in cafe_line
    assert "open now" not in clinic_line


def test_it_speaks_swedish_when_asked(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get(f"/family-centres/{kuopio_centre.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Kuopio familjecentral" in page
    assert "Barnrådgivning" in page
    assert 'lang="sv"' in page


@pytest.mark.parametrize("centre_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_it_answers_404_for_an_unknown_centre(client: Client, db: None, centre_id: str) -> None:
    assert client.get(f"/family-centres/{centre_id}/").status_code == 404


def test_it_links_each_service_to_its_page(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get(f"/family-centres/{kuopio_centre.pk}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    clinic = Service.objects.get(name="Lastenneuvola")
    assert f'<a href="/services/{clinic.pk}/">Lastenneuvola</a>' in page


def test_it_links_a_search_of_the_centres_municipality(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get(f"/family-centres/{kuopio_centre.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/search/?municipality=297">Search all services in Kuopio</a>' in page


def test_it_lists_every_centre_on_the_family_centres_page(
    client: Client, kuopio_centre: FamilyCentre
) -> None:
    page = client.get("/family-centres/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert f'href="/family-centres/{kuopio_centre.pk}/"' in page


def test_it_links_every_centre_from_the_start_page(client: Client, kuopio_centre: FamilyCentre) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert f'href="/family-centres/{kuopio_centre.pk}/"' in page
