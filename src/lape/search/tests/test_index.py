"""The service index: a family's words in fi/sv/en find the right services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from lape.areas.demo import load_demo_areas
from lape.directory.hsds.importer import import_records
from lape.directory.models import Attribute, Organization, Service, Taxonomy, TaxonomyTerm
from lape.directory.national import generate_national
from lape.directory.taxonomies import load_demo_taxonomies
from lape.search.index import rebuild_index, reindex_services, search_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Organization:
    return Organization.objects.create(
        name="Kuopion kaupunki",
        translations={"sv": {"name": "Kuopio stad"}, "en": {"name": "City of Kuopio"}},
    )


@pytest.fixture
def services(city: Organization) -> dict[str, Service]:
    return {
        "clinic": Service.objects.create(
            organization=city,
            name="Lastenneuvola",
            description="Terveydenhoitaja seuraa lapsen kasvua ja kehitystä.",
            translations={
                "sv": {"name": "Barnrådgivning", "description": "Hälsovårdaren följer barnets tillväxt."},
                "en": {"name": "Child health clinic", "description": "A public health nurse follows growth."},
            },
        ),
        "sleep": Service.objects.create(
            organization=city,
            name="Vauvaperheiden tuki",
            description="Apua, kun vauvan uni on katkonaista ja pulma tuntuu isolta.",
            translations={"en": {"name": "Support for baby families", "description": "Help with sleep."}},
        ),
        "support_family": Service.objects.create(
            organization=city,
            name="Tukiperhetoiminta",
            description="Tukiperhe tarjoaa lapselle viikonloppuja.",
            translations={
                "sv": {
                    "name": "Stödfamiljeverksamhet",
                    "description": "En stödfamilj erbjuder barnet helger.",
                }
            },
        ),
        "school": Service.objects.create(
            organization=city,
            name="Koulukuraattori",
            description="Koulukiusaaminen, kaverisuhteet ja koulunkäynnin huolet.",
            translations={"en": {"name": "School social worker", "description": "Bullying and friendships."}},
        ),
    }


def _ids(query: str, lang: str) -> list[uuid.UUID]:
    return [service_id for service_id, _score in search_services(query, lang)]


def test_it_finds_a_finnish_service_by_another_inflection(services: dict[str, Service]) -> None:
    assert _ids("neuvolaan", "fi")[0] == services["clinic"].pk


def test_it_finds_a_service_by_the_parts_of_a_compound(services: dict[str, Service]) -> None:
    assert services["sleep"].pk in _ids("unipulmat", "fi")


def test_it_finds_a_swedish_compound_by_its_first_part(services: dict[str, Service]) -> None:
    assert _ids("stödfamilj", "sv")[0] == services["support_family"].pk


def test_it_finds_an_english_service_by_a_stem(services: dict[str, Service]) -> None:
    assert _ids("bullying", "en") == [services["school"].pk]


def test_it_searches_only_the_asked_language(services: dict[str, Service]) -> None:
    assert services["support_family"].pk not in _ids("tukiperhe", "sv")
    assert services["support_family"].pk in _ids("tukiperhe", "fi")


def test_it_ranks_a_name_match_above_a_description_match(city: Organization) -> None:
    in_description = Service.objects.create(
        organization=city, name="Perheneuvonta", description="Neuvonta ja perhetyö, myös perheterapia."
    )
    in_name = Service.objects.create(organization=city, name="Perheterapia", description="Keskustelua.")

    assert _ids("perheterapiaa", "fi")[:2] == [in_name.pk, in_description.pk]


def test_it_puts_services_matching_every_word_first(services: dict[str, Service]) -> None:
    results = _ids("kiusaaminen koulussa neuvola", "fi")

    assert set(results) == {services["school"].pk, services["clinic"].pk}
    assert results[0] == services["school"].pk


def test_it_finds_an_edited_service_at_once(services: dict[str, Service]) -> None:
    clinic = services["clinic"]
    clinic.name = "Perhekeskuksen neuvola ja puheterapia"
    clinic.save()

    assert _ids("puheterapiaan", "fi") == [clinic.pk]


def test_it_forgets_a_deleted_service(services: dict[str, Service]) -> None:
    services["clinic"].delete()

    assert _ids("neuvola", "fi") == []


def test_it_finds_a_service_by_its_taxonomy_term_and_organisation(services: dict[str, Service]) -> None:
    taxonomy = Taxonomy.objects.create(name="PTV")
    term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="P1", name="Päihdepalvelut")
    Attribute.objects.create(link_id=services["school"].pk, link_entity="service", taxonomy_term=term)

    assert _ids("päihteet", "fi") == [services["school"].pk]
    assert len(_ids("kuopion", "fi")) == len(services)


def test_it_gives_the_same_results_after_a_rebuild(services: dict[str, Service]) -> None:
    queries = [("neuvolaan", "fi"), ("unipulmat", "fi"), ("stödfamilj", "sv"), ("bullying", "en")]
    before = [search_services(query, lang) for query, lang in queries]

    assert rebuild_index() == len(services)
    assert [search_services(query, lang) for query, lang in queries] == before


def test_it_indexes_bulk_written_services_when_asked(city: Organization) -> None:
    [service] = Service.objects.bulk_create([Service(organization=city, name="Perheneuvola")])
    assert _ids("perheneuvolaan", "fi") == []

    assert reindex_services([service.pk]) == 1
    assert _ids("perheneuvolaan", "fi") == [service.pk]


@pytest.mark.parametrize(
    "query", ["", "   ", "ja ja ja", "\x00\x01 <script>alert(1)</script> ' \" OR *", "a" * 10_000]
)
def test_it_gives_an_empty_or_safe_result_for_bad_queries(services: dict[str, Service], query: str) -> None:
    assert search_services(query, "fi") == []


def test_it_finds_a_service_despite_quotes_and_operators_in_the_query(services: dict[str, Service]) -> None:
    assert _ids("\"neuvola\" OR * NEAR('x') -- ;", "fi")[0] == services["clinic"].pk


def test_it_finds_imported_services_at_once() -> None:
    load_demo_areas()
    load_demo_taxonomies()
    records = list(generate_national(60, seed=5, today=dt.date(2025, 3, 3)))

    import_records(records)

    assert uuid.UUID(records[0]["id"]) in _ids(records[0]["name"], "fi")[:5]
