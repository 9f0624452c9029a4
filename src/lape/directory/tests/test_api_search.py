"""The HSDS API's search: `search` ranked by the index, with the search filters as extra parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lape.directory.models import Service
from lape.directory.tests.api_fixtures import Directory, build_directory

pytestmark = pytest.mark.django_db

API = "/api/hsds"


@pytest.fixture
def directory() -> Directory:
    return build_directory()


def names(client: Client, **params: Any) -> list[str]:
    response = client.get(f"{API}/services", params)
    assert response.status_code == 200, response.content
    return [service["name"] for service in response.json()["contents"]]


def test_it_finds_an_inflected_word_in_the_language_asked(client: Client, directory: Directory) -> None:
    # Its compound parts (lapsi, neuvola) find more, after the service that has the whole word.
    assert names(client, search="lastenneuvolaan")[0] == "Lastenneuvola"
    assert names(client, search="barnrådgivningen", lang="sv")[0] == "Lastenneuvola"


def test_it_keeps_services_serving_the_municipality(client: Client, directory: Directory) -> None:
    # The clinic's service area has Siilinjärvi (749); the others serve Kuopio by their places only.
    assert names(client, municipality="749") == ["Lastenneuvola"]
    assert sorted(names(client, municipality="297")) == ["Avoin perhekerho", "Lastenneuvola", "Perheneuvola"]


def test_it_keeps_services_fitting_a_child(client: Client, directory: Directory) -> None:
    # The clinic is for 0-6-year-olds; the others name no ages and fit everyone.
    assert "Lastenneuvola" in names(client, age=["3", "12"])
    assert "Lastenneuvola" not in names(client, age="12")


def test_it_keeps_services_near_a_point(client: Client, directory: Directory) -> None:
    near = names(client, lat="62.89", lon="27.68", radius_km="1")
    assert sorted(near) == ["Lastenneuvola", "Perheneuvola"]  # the park has no coordinates


def test_it_leaves_out_inactive_services_from_a_search(client: Client, directory: Directory) -> None:
    Service.objects.filter(pk=directory.clinic.pk).update(status=Service.Status.INACTIVE)
    assert names(client, search="neuvola") == ["Perheneuvola"]


def test_it_finds_nothing_in_a_municipality_it_does_not_know(client: Client, directory: Directory) -> None:
    assert names(client, municipality="999") == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"age": "500"}, "age"),
        ({"lat": "200", "lon": "27"}, "lat"),
        ({"municipality": "Kuopio"}, "municipality"),
        ({"level": "best"}, "level"),
        ({"lang": "de", "search": "kinder"}, "lang"),
    ],
)
def test_it_refuses_impossible_filters_with_a_reason(
    client: Client, directory: Directory, params: dict[str, str], parameter: str
) -> None:
    response = client.get(f"{API}/services", params)
    assert response.status_code == 422
    assert parameter in response.json()["errors"][0]["loc"]


@pytest.mark.parametrize("text", ["x" * 10_000, "<script>alert(1)</script>", "\x00\x01\xff", "' OR 1=1 --"])
def test_it_answers_odd_search_text_without_an_error(client: Client, directory: Directory, text: str) -> None:
    response = client.get(f"{API}/services", {"search": text})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
