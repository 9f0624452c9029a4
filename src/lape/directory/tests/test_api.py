"""The HSDS API at /api/hsds/: a reader (another system, a family's app) lists and fetches the directory."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lape.directory.api import PROFILE_URL
from lape.directory.api_schemas import LocationTexts, OrganizationTexts, ServiceTexts, TaxonomyTexts, Texts
from lape.directory.hsds.profile import validate
from lape.directory.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from lape.directory.tests.api_fixtures import Directory, build_directory
from lape.directory.translation import Translated

API = "/api/hsds"


@pytest.fixture
def directory(db: None) -> Directory:
    return build_directory()


def get(client: Client, path: str, status: int = 200, **params: Any) -> Any:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == status, response.content
    return response.json()


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["contents"]]


def test_it_says_which_hsds_version_and_profile_it_follows(client: Client, db: None) -> None:
    info = get(client, "/")
    assert info == {
        "version": "3.1",
        "profile": PROFILE_URL,
        "openapi_url": "http://testserver/api/openapi.json",
    }
    assert client.get("/api/openapi.json").status_code == 200


def test_it_lists_services_with_the_profile_translations(client: Client, directory: Directory) -> None:
    page = get(client, "/services")
    assert names(page) == ["Avoin perhekerho", "Lastenneuvola", "Perheneuvola"]
    clinic = next(s for s in page["contents"] if s["id"] == str(directory.clinic.pk))
    assert clinic["translations"]["sv"] == {"name": "Barnrådgivning"}
    assert clinic["translations"]["en"]["description"] == "Follow-up of the child's growth and development."
    assert clinic["service_level"] == "universal"
    assert clinic["low_threshold"] is True
    assert "phones" not in clinic  # the list form has no nested objects


def test_it_gives_hsds_page_fields(client: Client, directory: Directory) -> None:
    first = get(client, "/services", per_page=2)
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    second = get(client, "/services", per_page=2, page=2)
    assert names(second) == ["Perheneuvola"]
    assert second["last_page"] is True and second["first_page"] is False
    beyond = get(client, "/services", per_page=2, page=99)
    assert beyond["contents"] == [] and beyond["size"] == 0 and beyond["empty"] is False


def test_it_says_empty_when_nothing_matches(client: Client, directory: Directory) -> None:
    page = get(client, "/services", search="sukellus")
    assert page["empty"] is True and page["total_items"] == 0 and page["total_pages"] == 0


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("neuvola", ["Lastenneuvola", "Perheneuvola"]),  # Finnish, any case
        ("NEUVOLA", ["Lastenneuvola", "Perheneuvola"]),
        ("familjeklubb", ["Avoin perhekerho"]),  # Swedish translation
        ("family counselling", ["Perheneuvola"]),  # English translation
        ("growth and development", ["Lastenneuvola"]),  # English description
        ("vertaistukea", ["Avoin perhekerho"]),  # Finnish description
    ],
)
def test_it_searches_names_and_descriptions_in_three_languages(
    client: Client, directory: Directory, search: str, expected: list[str]
) -> None:
    # Ranked by relevance now (lape.search.query); which services, not their order, is the point here.
    assert sorted(names(get(client, "/services", search=search))) == expected


def test_it_filters_services_by_taxonomy_term_and_taxonomy(client: Client, directory: Directory) -> None:
    assert names(get(client, "/services", taxonomy_term_id=str(directory.families.pk))) == ["Lastenneuvola"]
    by_taxonomy = get(client, "/services", taxonomy_id=str(directory.target_groups.pk))
    assert names(by_taxonomy) == ["Avoin perhekerho", "Lastenneuvola"]
    both = get(
        client,
        "/services",
        taxonomy_id=str(directory.service_classes.pk),
        taxonomy_term_id=str(directory.small_children.pk),
    )
    assert both["contents"] == []


def test_it_filters_services_by_organization(client: Client, directory: Directory) -> None:
    page = get(client, "/services", organization_id=str(directory.county.pk))
    assert names(page) == ["Lastenneuvola", "Perheneuvola"]


def test_it_lists_services_modified_after_a_time(client: Client, directory: Directory) -> None:
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Service.objects.exclude(pk=directory.clinic.pk).update(last_modified=long_ago)
    page = get(client, "/services", modified_after="2024-01-01T00:00:00+02:00")
    assert names(page) == ["Lastenneuvola"]
    assert get(client, "/services", modified_after="2019-12-31T23:59:59Z")["total_items"] == 3


def test_it_gives_just_ids_and_times_when_minimal(client: Client, directory: Directory) -> None:
    page = get(client, "/services", minimal="true")
    assert {item["id"] for item in page["contents"]} == {
        str(s.pk) for s in (directory.clinic, directory.playgroup, directory.counselling)
    }
    assert all(set(item) == {"id", "last_modified"} for item in page["contents"])
    assert page["contents"][0]["last_modified"].endswith("Z")


def test_it_nests_everything_when_full(client: Client, directory: Directory) -> None:
    page = get(client, "/services", full="true", search="lastenneuvola")
    clinic = page["contents"][0]
    assert clinic["organization"]["name"] == "Pohjois-Savon hyvinvointialue"
    assert {a["municipality_code"] for a in clinic["service_areas"]} == {"297", "749"}
    assert {a["taxonomy_term"]["code"] for a in clinic["attributes"]} == {"KR1.2", "P10"}
    assert clinic["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "70100"


def test_it_streams_ndjson_one_object_a_line(client: Client, directory: Directory) -> None:
    response = client.get(f"{API}/services", {"format": "ndjson", "per_page": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    objects = [json.loads(line) for line in lines]
    # NDJSON is not paged: every match, one a line.
    assert [o["name"] for o in objects] == ["Avoin perhekerho", "Lastenneuvola", "Perheneuvola"]
    assert objects[0]["translations"]["sv"]["name"] == "Öppen familjeklubb"


def test_it_gives_one_service_fully_nested(client: Client, directory: Directory) -> None:
    clinic = get(client, f"/services/{directory.clinic.pk}")
    assert clinic["name"] == "Lastenneuvola"
    assert clinic["translations"]["en"]["name"] == "Child health clinic"
    assert [p["number"] for p in clinic["phones"]] == ["+358 17 000 0000"]
    assert {lang["code"] for lang in clinic["languages"]} == {"fi", "sv"}
    assert any(s.get("closed") for s in clinic["schedules"])
    assert clinic["organization"]["translations"]["sv"]["name"] == "Norra Savolax välfärdsområde"


def test_it_gives_a_service_that_the_profile_accepts(
    client: Client, directory: Directory, hsds_dir: Path
) -> None:
    clinic = get(client, f"/services/{directory.clinic.pk}")
    assert validate(clinic, hsds_dir / "schema", "service.json") == []


def test_it_gives_organizations_and_terms_that_the_profile_accepts(
    client: Client, directory: Directory, hsds_dir: Path
) -> None:
    county = get(client, f"/organizations/{directory.county.pk}")
    assert validate(county, hsds_dir / "schema", "organization.json") == []
    term = get(client, f"/taxonomy_terms/{directory.families.pk}")
    assert validate(term, hsds_dir / "schema", "taxonomy_term.json") == []
    for item in get(client, "/service_at_locations", full="true")["contents"]:
        assert validate(item["location"], hsds_dir / "schema", "location.json") == []


def test_it_gives_an_organization_with_its_services(client: Client, directory: Directory) -> None:
    county = get(client, f"/organizations/{directory.county.pk}")
    assert county["business_id"] == "3221335-0"
    assert county["organization_kind"] == "wellbeing_county"
    assert [s["name"] for s in county["services"]] == ["Lastenneuvola", "Perheneuvola"]
    assert "phones" not in county["services"][0]
    assert county["locations"][0]["name"] == "Perhekeskus Kuopio"
    full = get(client, f"/organizations/{directory.county.pk}", full_service="true")
    assert full["services"][0]["phones"][0]["number"] == "+358 17 000 0000"


def test_it_lists_organizations_by_search_and_taxonomy(client: Client, directory: Directory) -> None:
    assert names(get(client, "/organizations", search="stad")) == ["Kuopion kaupunki"]
    tagged = get(client, "/organizations", taxonomy_term_id=str(directory.families.pk), full="true")
    assert names(tagged) == ["Perhekerho ry"]
    assert tagged["contents"][0]["attributes"][0]["taxonomy_term"]["name"] == "Lapsiperheet"
    assert tagged["contents"][0]["services"][0]["name"] == "Avoin perhekerho"


def test_it_gives_a_service_at_a_location_with_the_location(client: Client, directory: Directory) -> None:
    sal = get(client, f"/service_at_locations/{directory.clinic_at_centre.pk}")
    assert sal["service_id"] == str(directory.clinic.pk)
    assert sal["location"]["translations"]["sv"]["name"] == "Familjecentret Kuopio"
    assert sal["location"]["schedules"][0]["byday"] == "MO,WE"
    assert sal["service"]["name"] == "Lastenneuvola"


def test_it_lists_services_at_locations_by_organization_term_and_postcode(
    client: Client, directory: Directory
) -> None:
    def services(**params: Any) -> list[str]:
        return sorted(
            item["service_id"] for item in get(client, "/service_at_locations", **params)["contents"]
        )

    assert services(organization_id=str(directory.ngo.pk)) == [str(directory.playgroup.pk)]
    assert services(taxonomy_term_id=str(directory.health.pk)) == [str(directory.clinic.pk)]
    assert services(postcode="70100") == sorted([str(directory.clinic.pk), str(directory.counselling.pk)])
    assert services(search="barnrådgivning") == [str(directory.clinic.pk)]


def test_it_lists_taxonomies_and_terms(client: Client, directory: Directory) -> None:
    assert names(get(client, "/taxonomies")) == ["Kohderyhmät", "Palveluluokitus"]
    assert get(client, "/taxonomies", search="målgrupper")["contents"][0]["id"] == str(
        directory.target_groups.pk
    )
    assert names(get(client, "/taxonomy_terms", top_only="true")) == ["Lapsiperheet", "Terveydenhuolto"]
    children = get(client, "/taxonomy_terms", parent_id=str(directory.families.pk))
    assert names(children) == ["Pikkulapsiperheet"]
    of_taxonomy = get(client, "/taxonomy_terms", taxonomy_id=str(directory.service_classes.pk))
    assert names(of_taxonomy) == ["Terveydenhuolto"]
    term = get(client, f"/taxonomy_terms/{directory.families.pk}")
    assert term["taxonomy_detail"]["translations"]["en"]["name"] == "Target groups"
    assert get(client, f"/taxonomies/{directory.target_groups.pk}")["name"] == "Kohderyhmät"


@pytest.mark.parametrize(
    "path",
    ["/services", "/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms"],
)
@pytest.mark.parametrize("wrong_id", ["3fa85f64-5717-4562-b3fc-2c963f66afa6", "not-a-uuid", "a/b", "ä"])
def test_it_answers_404_with_a_sentence_for_an_unknown_id(
    client: Client, directory: Directory, path: str, wrong_id: str
) -> None:
    response = client.get(f"{API}{path}/{wrong_id}")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("There is no ") and detail.endswith(".")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "5000"}, "per_page"),
        ({"modified_after": "garbage"}, "modified_after"),
        ({"modified_after": "0.5"}, "modified_after"),
        ({"modified_after": "2024-02-30T00:00:00Z"}, "modified_after"),
        ({"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ({"organization_id": "3fa85f6457174562b3fc2c963f66afa6"}, "organization_id"),
        ({"minimal": "yes"}, "minimal"),
        ({"format": "xml"}, "format"),
    ],
)
def test_it_refuses_invalid_parameters_with_a_reason(
    client: Client, directory: Directory, params: dict[str, str], parameter: str
) -> None:
    response = client.get(f"{API}/services", params)
    assert response.status_code == 422
    body = response.json()
    assert parameter in body["detail"]
    assert body["errors"][0]["loc"] == ["query", parameter]
    assert body["errors"][0]["msg"]


def test_it_accepts_search_text_that_a_database_would_choke_on(client: Client, directory: Directory) -> None:
    # NUL, % and _ are not words: "neu vola" is searched, and nothing else is read into it.
    page = get(client, "/services", search="neu\x00vola%_")
    assert set(names(page)) <= {"Lastenneuvola", "Perheneuvola"}
    assert get(client, "/services", search="%_%")["total_items"] == 0


def _many_services(directory: Directory, count: int) -> None:
    services = Service.objects.bulk_create(
        Service(organization=directory.ngo, name=f"Kerho {i:03}", translations={"sv": {"name": f"Klubb {i}"}})
        for i in range(count)
    )
    Attribute.objects.bulk_create(
        Attribute(link_entity="service", link_id=s.pk, taxonomy_term=directory.families) for s in services
    )
    location = Location.objects.create(name="Kerhotila")
    ServiceAtLocation.objects.bulk_create(ServiceAtLocation(service=s, location=location) for s in services)


@pytest.mark.parametrize(("full", "queries"), [("false", 2), ("true", 20)])
def test_it_reads_a_page_of_50_services_in_a_fixed_number_of_queries(
    client: Client, directory: Directory, django_assert_max_num_queries: Any, full: str, queries: int
) -> None:
    _many_services(directory, 60)
    # a count, the page, and with `full` one query per prefetched relation: never one per row
    with django_assert_max_num_queries(queries):
        page = get(client, "/services", per_page=50, full=full)
    assert page["size"] == 50
    assert page["total_items"] == 63


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}{path}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        assert body
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/organizations?full_service=true",
        "/service_at_locations?full=true",
        "/taxonomy_terms",
        "/services?format=ndjson&full=true",
    ],
)
def test_it_reads_as_many_queries_for_60_more_services_as_for_a_few(
    client: Client, directory: Directory, path: str
) -> None:
    few = _queries(client, path)
    _many_services(directory, 60)
    assert _queries(client, path) == few


def test_it_describes_exactly_the_translatable_fields_of_the_models() -> None:
    pairs: list[tuple[type[Texts], type[Translated]]] = [
        (ServiceTexts, Service),
        (OrganizationTexts, Organization),
        (LocationTexts, Location),
        (TaxonomyTexts, Taxonomy),
        (TaxonomyTexts, TaxonomyTerm),
    ]
    for texts, model in pairs:
        assert set(texts.model_fields) == set(model.TRANSLATABLE), model.__name__
