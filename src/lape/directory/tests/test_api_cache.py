"""Searched API pages come from the cache until the directory changes, in any way it changes."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from lape.directory.api_cache import directory_version
from lape.directory.models import Language, Service
from lape.directory.signals import services_imported
from lape.directory.tests.api_fixtures import Directory, build_directory

pytestmark = pytest.mark.django_db

SEARCH = "/api/hsds/services?search=neuvola"


@pytest.fixture
def directory() -> Directory:
    return build_directory()


def test_it_answers_the_same_search_again_from_the_cache(client: Client, directory: Directory) -> None:
    first = client.get(SEARCH)
    again = client.get(SEARCH)

    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_it_shows_a_renamed_service_at_once(client: Client, directory: Directory) -> None:
    client.get(SEARCH)
    clinic = Service.objects.get(pk=directory.clinic.pk)
    clinic.name = "Lastenneuvola ja perhekeskus"
    clinic.save()

    response = client.get(SEARCH)

    assert response["X-Cache"] == "miss"
    assert "Lastenneuvola ja perhekeskus" in [s["name"] for s in response.json()["contents"]]


def test_it_moves_on_with_a_related_record_and_a_bulk_import(client: Client, directory: Directory) -> None:
    before = directory_version()
    Language.objects.create(service=directory.clinic, code="sv", name="svenska")
    after_language = directory_version()
    services_imported.send(sender=None, service_ids=[directory.clinic.pk])

    assert before < after_language < directory_version()


def test_it_keeps_no_error_page(client: Client, directory: Directory) -> None:
    first = client.get(SEARCH + "&age=200")
    again = client.get(SEARCH + "&age=200")

    assert (first.status_code, again.status_code) == (422, 422)
    assert "X-Cache" not in again


def test_it_keeps_the_pages_of_different_queries_apart(client: Client, directory: Directory) -> None:
    client.get(SEARCH)
    other = client.get(SEARCH + "&municipality=749")

    assert other["X-Cache"] == "miss"
    assert [s["name"] for s in other.json()["contents"]] == ["Lastenneuvola"]


@override_settings(API_CACHE_SECONDS=0)
def test_it_keeps_nothing_when_turned_off(client: Client, directory: Directory) -> None:
    client.get(SEARCH)
    assert "X-Cache" not in client.get(SEARCH)
