"""Facet terms: what the filters find in the index, kept in step when a service's area, language or place changes."""

from __future__ import annotations

import pytest

from lape.areas.models import Municipality, WellbeingCounty
from lape.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from lape.search import facets
from lape.search.filters import Filters
from lape.search.query import find_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio() -> Municipality:
    county = WellbeingCounty.objects.create(code="15", name_fi="Pohjois-Savon hyvinvointialue")
    return Municipality.objects.create(code="297", name_fi="Kuopio", wellbeing_county=county)


@pytest.fixture
def club(kuopio: Municipality) -> Service:
    organisation = Organization.objects.create(name="Perhekerho ry")
    return Service.objects.create(
        organization=organisation,
        name="Vauvakerho",
        description="Leikkiä ja laulua vauvoille.",
        minimum_age=0,
        maximum_age=2,
        free_of_charge=True,
        service_level=Service.Level.UNIVERSAL,
    )


def ids(filters: Filters, query: str = "") -> list[object]:
    return [hit.service_id for hit in find_services(query, "fi", filters).hits]


def test_it_writes_the_terms_a_service_is_filtered_by(club: Service, kuopio: Municipality) -> None:
    ServiceArea.objects.create(service=club, municipality=kuopio)
    Language.objects.create(service=club, code="sv")
    term = TaxonomyTerm.objects.create(taxonomy=Taxonomy.objects.create(name="PTV"), code="P5.2.1", name="x")
    Attribute.objects.create(link_entity="service", link_id=club.pk, taxonomy_term=term)
    found = set(facets.facet_terms([Service.objects.get(pk=club.pk)])[club.pk].split())
    assert {facets.municipality("297"), facets.county("15"), facets.language("sv")} <= found
    assert {
        facets.age(0),
        facets.age(2),
        facets.level("universal"),
        facets.free(),
        facets.low_threshold(),
    } <= found
    assert {facets.service_class("P5"), facets.service_class("P5.2"), facets.service_class("P5.2.1")} <= found
    assert facets.age(3) not in found and facets.municipality("091") not in found


def test_it_finds_a_service_by_its_area_as_soon_as_the_area_is_added(
    club: Service, kuopio: Municipality
) -> None:
    assert club.pk not in ids(Filters(municipality="297"))
    area = ServiceArea.objects.create(service=club, municipality=kuopio)
    assert club.pk in ids(Filters(municipality="297"))
    assert club.pk in ids(Filters(county="15"), "vauvakerho")
    area.delete()
    assert club.pk not in ids(Filters(municipality="297"))


def test_it_takes_the_places_municipality_when_a_service_has_no_area(
    club: Service, kuopio: Municipality
) -> None:
    place = Location.objects.create(organization=club.organization, name="Talo")
    ServiceAtLocation.objects.create(service=club, location=place)
    assert club.pk not in ids(Filters(municipality="297"))
    place.municipality = kuopio
    place.save()
    assert club.pk in ids(Filters(municipality="297"))


def test_it_finds_a_service_in_a_language_as_soon_as_it_is_added(club: Service) -> None:
    assert club.pk not in ids(Filters(languages=("sv",)))
    Language.objects.create(service=club, code="sv")
    assert club.pk in ids(Filters(languages=("sv",)))


def test_it_finds_a_service_by_age_after_its_ages_change(club: Service) -> None:
    assert club.pk not in ids(Filters(ages=(5,)))
    club.maximum_age = 6
    club.save()
    assert club.pk in ids(Filters(ages=(5,)))
