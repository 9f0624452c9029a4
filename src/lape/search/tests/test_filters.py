"""Search filters from a query string: what a family may ask for, and clear refusals of what cannot be."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from lape.areas.models import Municipality, WellbeingCounty
from lape.directory.models import Address, Location, Organization
from lape.search.filters import FilterError, Filters, parse_filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> None:
    county = WellbeingCounty.objects.create(code="15", name_fi="Pohjois-Savon hyvinvointialue")
    Municipality.objects.create(code="297", name_fi="Kuopio", wellbeing_county=county)
    organisation = Organization.objects.create(name="Kuopion kaupunki")
    for lat, lon in ((62.89, 27.68), (62.91, 27.70)):
        location = Location.objects.create(
            organization=organisation, name="Talo", latitude=lat, longitude=lon
        )
        Address.objects.create(location=location, address_1="Katu 1", city="Kuopio", postal_code="70100")


def test_it_reads_every_filter_from_a_query_string(places: None) -> None:
    params = QueryDict(
        "municipality=297&county=15&age=0&age=12&language=SV&level=universal&low_threshold=true"
        "&free=on&open_now=1&postcode=70100&radius_km=5,5&situation=baby"
    )
    filters = parse_filters(params)
    assert filters.municipality == "297" and filters.county == "15"
    assert filters.ages == (0, 12) and filters.languages == ("sv",) and filters.levels == ("universal",)
    assert filters.low_threshold and filters.free and filters.open_now
    assert filters.near is not None  # the middle of the postcode's places
    assert (filters.near.latitude, filters.near.longitude) == pytest.approx((62.9, 27.69))
    assert filters.radius_km == 5.5 and filters.situation == "baby"


def test_it_reads_several_ages_from_one_field() -> None:
    assert parse_filters({"age": "0, 12"}).ages == (0, 12)


def test_it_treats_empty_fields_as_not_given() -> None:
    assert parse_filters(QueryDict("municipality=&age=&postcode=&lat=&lon=")) == Filters()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"municipality": "Kuopio"}, "municipality"),
        ({"municipality": "999"}, "municipality"),
        ({"county": "99"}, "county"),
        ({"age": "500"}, "age"),
        ({"age": "-1"}, "age"),
        ({"age": "two"}, "age"),
        ({"language": "<script>"}, "language"),
        ({"level": "best"}, "level"),
        ({"lat": "200", "lon": "27"}, "lat"),
        ({"lat": "nan", "lon": "27"}, "lat"),
        ({"lat": "62"}, "lon"),
        ({"postcode": "7010"}, "postcode"),
        ({"postcode": "99999"}, "postcode"),
        ({"radius_km": "5"}, "radius_km"),
        ({"lat": "62", "lon": "27", "radius_km": "0"}, "radius_km"),
        ({"open_now": "maybe"}, "open_now"),
        ({"situation": "space-travel"}, "situation"),
        ({"municipality": ["297", "091"]}, "municipality"),
    ],
)
def test_it_refuses_what_cannot_be_right_with_a_sentence(
    places: None, params: dict[str, str], field: str
) -> None:
    with pytest.raises(FilterError) as refused:
        parse_filters(params)
    assert refused.value.field == field
    assert refused.value.message.endswith(".")


def test_it_lets_the_api_find_nothing_for_unknown_places_instead(places: None) -> None:
    assert parse_filters({"municipality": "999"}, strict=False).municipality == "999"
    assert parse_filters({"postcode": "99999"}, strict=False).nowhere
    assert parse_filters({"radius_km": "5"}, strict=False).radius_km is None
    with pytest.raises(FilterError):
        parse_filters({"age": "500"}, strict=False)
