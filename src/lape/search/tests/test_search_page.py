"""The search page: a family's words and filters in the address, results with counts, help when nothing fits."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from lape.areas.models import WellbeingCounty
from lape.directory.models import FamilyCentre, Service
from lape.directory.tests.api_fixtures import Directory, build_directory

pytestmark = pytest.mark.django_db


@dataclass
class Area:
    directory: Directory
    centre: FamilyCentre


@pytest.fixture
def area() -> Area:
    directory = build_directory()
    county = WellbeingCounty.objects.create(code="15", name_fi="Pohjois-Savon hyvinvointialue")
    directory.kuopio.wellbeing_county = county
    directory.kuopio.save()
    centre = FamilyCentre.objects.create(
        name="Kuopion perhekeskus",
        coordinator=directory.county,
        phone="017 555 0100",
        email="perhe@example.org",
    )
    centre.municipalities.add(directory.kuopio)
    centre.services.add(directory.clinic, directory.playgroup)
    return Area(directory, centre)


def _get(client: Client, query: str, lang: str = "en") -> tuple[int, str]:
    response = client.get("/search/" + query, HTTP_ACCEPT_LANGUAGE=lang)
    return response.status_code, response.content.decode()


def _result_names(page: str) -> list[str]:
    results = (
        page.split('<ol class="results"', 1)[1].split("</ol>", 1)[0] if '<ol class="results"' in page else ""
    )
    return re.findall(r'<h3><a href="/services/[^"]+/">([^<]+)</a></h3>', results)


def test_it_finds_a_service_by_a_familys_words(client: Client, area: Area) -> None:
    status, page = _get(client, "?q=neuvola", "fi")
    assert status == 200
    assert "Lastenneuvola" in _result_names(page)
    assert f'href="/services/{area.directory.clinic.pk}/"' in page


def test_it_shows_the_result_count_and_the_organisation(client: Client, area: Area) -> None:
    _status, page = _get(client, "?q=clinic")
    assert re.search(r"<strong>1 service found</strong>", page)
    assert "North Savo Wellbeing Services County" in page
    assert "Follow-up of the child" in page  # the short description in English


def test_it_browses_every_active_service_without_words(client: Client, area: Area) -> None:
    Service.objects.create(
        organization=area.directory.ngo, name="Lakkautettu kerho", status=Service.Status.DEFUNCT
    )
    _status, page = _get(client, "", "fi")
    names = _result_names(page)
    assert {"Lastenneuvola", "Avoin perhekerho", "Perheneuvola"} <= set(names)
    assert "Lakkautettu kerho" not in names


def test_it_narrows_by_level_and_counts_each_level(client: Client, area: Area) -> None:
    _status, page = _get(client, "?level=specialised", "fi")
    assert _result_names(page) == ["Perheneuvola"]
    assert re.search(r'value="specialised" checked>', page)


def test_it_counts_results_by_filter_value(client: Client, area: Area) -> None:
    _status, page = _get(client, "")
    universal = re.search(
        r'value="universal"> Universal \(for all\) <span class="muted">\((\d+)\)</span>', page
    )
    assert universal is not None and universal.group(1) == "2"


def test_it_takes_several_childrens_ages_in_one_field(client: Client, area: Area) -> None:
    _status, page = _get(client, "?age=3%2C+12", "fi")
    assert 'value="3, 12"' in page
    assert "Lastenneuvola" in _result_names(page)  # fits the 3-year-old


def test_it_keeps_the_query_and_every_filter_in_the_form(client: Client, area: Area) -> None:
    _status, page = _get(
        client, "?q=neuvola&municipality=297&free=true&language=fi&radius_km=10&postcode=70100"
    )
    assert 'value="neuvola"' in page
    assert '<option value="297" selected>' in page
    assert 'name="free" value="true" checked' in page
    assert 'name="language" value="fi" checked' in page
    assert '<option value="10" selected>' in page
    assert 'value="70100"' in page


def test_it_says_which_needs_it_recognised(client: Client, area: Area) -> None:
    _status, page = _get(client, "?q=bullying+at+school")
    assert "We looked for services for:" in page
    assert "bullying" in page.split("We looked for services for:", 1)[1].split("</p>", 1)[0]


def test_it_links_every_active_filter_to_the_search_without_it(client: Client, area: Area) -> None:
    _status, page = _get(client, "?q=neuvola&municipality=297&level=universal&level=specialised")
    assert 'href="?q=neuvola&amp;level=universal&amp;level=specialised">Remove: Municipality: Kuopio' in page
    assert (
        'href="?q=neuvola&amp;municipality=297&amp;level=specialised">Remove: Service level: universal'
        in page
    )


def test_it_helps_when_nothing_fits(client: Client, area: Area) -> None:
    status, page = _get(client, "?q=hevosterapia&municipality=297")
    assert status == 200
    assert "0 services found" in page
    assert "Nothing matched. What next?" in page
    assert 'href="?q=hevosterapia&amp;county=15">Services anywhere in Pohjois-Savon hyvinvointialue' in page
    assert f'href="/family-centres/{area.centre.pk}/">Kuopion perhekeskus</a>' in page
    assert 'href="tel:0175550100"' in page


def test_it_pages_through_many_results(client: Client, area: Area) -> None:
    for number in range(25):
        Service.objects.create(organization=area.directory.ngo, name=f"Kerho {number:02d}")
    _status, first = _get(client, "?q=kerho", "fi")
    assert "Page 1 of 2" in first or "Sivu 1" in first
    assert 'href="?q=kerho&amp;page=2" rel="next"' in first
    _status, second = _get(client, "?q=kerho&page=2", "fi")
    assert 'rel="prev"' in second
    assert not set(_result_names(first)) & set(_result_names(second))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?municipality=999", "f-municipality"),
        ("?age=500", "f-age"),
        ("?lat=200&lon=27", None),
        ("?level=%3Cscript%3E", None),
        ("?postcode=abc", "f-postcode"),
    ],
)
def test_it_explains_a_bad_filter_on_the_page(
    client: Client, area: Area, query: str, field: str | None
) -> None:
    status, page = _get(client, query)
    assert status == 400
    assert 'id="search-error" class="message error" role="alert"' in page
    assert "<script>" not in page.split("<body>", 1)[1]
    if field:
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page)


def test_it_explains_a_bad_age_in_swedish(client: Client, area: Area) -> None:
    status, page = _get(client, "?age=500", "sv")
    assert status == 400
    assert "<p>Ange varje barns ålder i hela år från 0 till 25.</p>" in page


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "\x00\x01binary\xff", "<script>alert(1)</script>", "' OR 1=1 --", "%s %(name)s {{ x }}"],
)
def test_it_never_fails_on_a_strange_query(client: Client, area: Area, query: str) -> None:
    response = client.get("/search/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    if "<script>" in query:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_answers_htmx_with_the_same_page_and_a_bad_filter_with_200(client: Client, area: Area) -> None:
    response = client.get("/search/", {"age": "500"}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert 'id="search-error"' in response.content.decode()


def test_the_form_works_without_javascript_and_updates_in_place_with_htmx(client: Client, area: Area) -> None:
    _status, page = _get(client, "")
    form = page.split('<form id="search"', 1)[1].split(">", 1)[0]
    assert 'method="get" action="/search/"' in form
    assert 'hx-get="/search/"' in form
    assert 'hx-push-url="true"' in form
    assert 'hx-select="#search"' in form


def test_it_keeps_the_page_and_its_query_when_the_language_changes(client: Client, area: Area) -> None:
    _status, page = _get(client, "?q=neuvola&municipality=297")
    assert 'name="next" type="hidden" value="/search/?q=neuvola&amp;municipality=297"' in page
    response = client.post(
        "/i18n/setlang/", {"language": "sv", "next": "/search/?q=neuvola&municipality=297"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=neuvola&municipality=297"
    swedish = client.get(response["Location"]).content.decode()
    assert '<html lang="sv">' in swedish
    assert 'value="neuvola"' in swedish
    assert '<option value="297" selected>' in swedish


def test_it_gives_htmx_the_address_without_the_empty_fields(client: Client, area: Area) -> None:
    response = client.get(
        "/search/?q=neuvola&municipality=&age=&level=universal", headers={"HX-Request": "true"}
    )
    assert response["HX-Push-Url"] == "/search/?q=neuvola&level=universal"
    assert (
        'name="next" type="hidden" value="/search/?q=neuvola&amp;level=universal"'
        in response.content.decode()
    )
