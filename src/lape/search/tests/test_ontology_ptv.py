"""The PTV terms of the directory as search concepts, so that their names serve as synonyms too."""

from __future__ import annotations

import pytest

from lape.directory.models import TaxonomyTerm
from lape.directory.taxonomies import load_demo_taxonomies
from lape.search.models import Concept, Label
from lape.search.ontology import load_vocabulary, sync_ptv_concepts, synonyms

pytestmark = pytest.mark.django_db

CLINICS = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5.2"
HEALTH = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5"


def _labels(uri: str) -> dict[str, str]:
    return dict(Label.objects.filter(concept__uri=uri, kind="pref").values_list("lang", "text"))


def test_it_makes_every_taxonomy_term_a_concept_with_three_labels() -> None:
    load_demo_taxonomies()

    summary = sync_ptv_concepts()

    assert summary.created == TaxonomyTerm.objects.count()
    assert _labels(CLINICS) == {
        "fi": "Neuvolapalvelut",
        "sv": "Rådgivningstjänster",
        "en": "Health clinic services",
    }
    clinics = Concept.objects.get(uri=CLINICS)
    assert (clinics.source, clinics.code, clinics.service_classes) == ("ptv", "P5.2", ["P5.2"])
    assert list(clinics.broader.values_list("uri", flat=True)) == [HEALTH]


def test_it_syncs_again_without_duplicates_and_drops_removed_terms() -> None:
    load_demo_taxonomies()
    sync_ptv_concepts()
    concepts, labels = Concept.objects.count(), Label.objects.count()
    TaxonomyTerm.objects.filter(code="P5.3").delete()

    summary = sync_ptv_concepts()

    assert summary.removed == 1
    assert Concept.objects.count() == concepts - 1
    assert Label.objects.count() == labels - 3
    assert not Concept.objects.filter(code="P5.3").exists()


def test_it_gives_ptv_narrower_classes_as_synonyms() -> None:
    load_demo_taxonomies()
    sync_ptv_concepts()

    found = synonyms("perheiden palvelut", "fi")

    assert {"Perheiden palvelut", "Lastensuojelu", "Kasvatus- ja perheneuvonta"} <= found


def test_it_loads_the_demo_vocabulary_without_tero() -> None:
    load_demo_taxonomies()

    loaded = load_vocabulary()

    assert set(loaded) == {"ptv", "needs"}
    assert not Concept.objects.filter(source="tero").exists()
    assert Concept.objects.filter(source="ptv").count() == TaxonomyTerm.objects.count()
    assert "Neuvolapalvelut" in synonyms("neuvolapalvelut", "fi")
    assert "kiusaaminen" in synonyms("mobbning", "sv", into=("fi",))


def test_it_makes_one_concept_of_terms_that_share_a_uri() -> None:
    load_demo_taxonomies()
    original = TaxonomyTerm.objects.get(code="P5.2")
    TaxonomyTerm.objects.create(
        code="neuvola", name="Neuvola", term_uri=original.term_uri, taxonomy_name="HSDS"
    )

    sync_ptv_concepts()

    clinics = Concept.objects.get(uri=CLINICS)
    assert clinics.code == "P5.2"
    assert Concept.objects.filter(source="ptv").count() == TaxonomyTerm.objects.count() - 1
