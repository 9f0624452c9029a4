"""The PTV taxonomies: the real vocabularies from ../shared/data/ptv and the demo subset."""

from __future__ import annotations

import shutil
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lape.directory.models import Taxonomy, TaxonomyTerm
from lape.directory.taxonomies import import_ptv_taxonomies, load_demo_taxonomies, term_id_for

pytestmark = pytest.mark.django_db

SERVICE_CLASSES = "http://uri.suomi.fi/codelist/ptv/ptvserclass2"
FAMILIES_WITH_CHILDREN = "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/KR1.2"


@pytest.fixture
def ptv_dir(shared_data: Path) -> Path:
    return shared_data / "ptv"


def _term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.select_related("parent", "taxonomy").get(
        code=code, term_uri__contains="uri.suomi.fi"
    )


def test_it_derives_stable_ids_from_the_uris() -> None:
    assert term_id_for(FAMILIES_WITH_CHILDREN) == uuid.uuid5(uuid.NAMESPACE_URL, FAMILIES_WITH_CHILDREN)
    assert term_id_for(FAMILIES_WITH_CHILDREN) == term_id_for(FAMILIES_WITH_CHILDREN)
    assert term_id_for(FAMILIES_WITH_CHILDREN) != term_id_for(SERVICE_CLASSES)


@pytest.mark.shared_data
def test_it_imports_the_three_ptv_vocabularies(ptv_dir: Path) -> None:
    out = StringIO()
    call_command("import_taxonomies", str(ptv_dir), stdout=out)
    assert "Imported 230 service classes, 17 target groups and 19 life events." in out.getvalue()
    counts = {t.uri: t.terms.count() for t in Taxonomy.objects.all()}
    assert counts == {
        SERVICE_CLASSES: 230,
        "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat": 17,
        "http://uri.suomi.fi/codelist/ptv/ptvelti": 19,
    }
    taxonomy = Taxonomy.objects.get(id=term_id_for(SERVICE_CLASSES))
    assert (taxonomy.name, taxonomy.text("name", "sv"), taxonomy.text("name", "en")) == (
        "Palveluluokitus",
        "Tjänsteklassificering",
        "Service classification",
    )


@pytest.mark.shared_data
def test_it_keeps_the_labels_parent_and_uri_of_a_term(ptv_dir: Path) -> None:
    import_ptv_taxonomies(ptv_dir)
    term = TaxonomyTerm.objects.select_related("parent", "taxonomy").get(
        id=term_id_for(FAMILIES_WITH_CHILDREN)
    )
    assert term.code == "KR1.2"
    assert term.name == "Lapset ja lapsiperheet"
    assert term.translations == {
        "sv": {"name": "Barn och barnfamiljer"},
        "en": {"name": "Children and families with children"},
    }
    assert term.term_uri == FAMILIES_WITH_CHILDREN
    assert term.parent is not None
    assert (term.parent.code, term.parent.name) == ("KR1", "Kansalaiset")
    assert term.taxonomy is not None
    assert term.taxonomy.name == term.taxonomy_name == "Kohderyhmät"
    clinic = _term("P5.2")
    assert clinic.text("name", "en") == "Health clinic services"
    assert "lastenneuvolapalveluja" in clinic.description
    assert "barnrådgivningstjänster" in clinic.text("description", "sv")
    assert clinic.parent is not None
    assert clinic.parent.code == "P5"


@pytest.mark.shared_data
def test_it_handles_the_quirks_of_the_real_service_classes(ptv_dir: Path) -> None:
    import_ptv_taxonomies(ptv_dir)
    # P7.13 names its broader concept in the old scheme; it is matched by notation.
    rights = TaxonomyTerm.objects.get(code="P7.13")
    assert rights.parent is not None
    assert rights.parent.code == "P7"
    # The PTVL concept without an Id is kept under its OldUri.
    enforcement = TaxonomyTerm.objects.get(term_uri="http://urn.fi/URN:NBN:fi:au:ptvl:v1088")
    assert (enforcement.code, enforcement.name) == ("P7.12", "Ulosotto")


@pytest.mark.shared_data
def test_it_updates_in_place_when_imported_again(ptv_dir: Path) -> None:
    import_ptv_taxonomies(ptv_dir)
    TaxonomyTerm.objects.filter(id=term_id_for(FAMILIES_WITH_CHILDREN)).update(name="changed by hand")
    ids_before = set(TaxonomyTerm.objects.values_list("id", flat=True))
    counts = import_ptv_taxonomies(ptv_dir)
    assert counts == {"service_classes": 230, "target_groups": 17, "life_events": 19}
    assert set(TaxonomyTerm.objects.values_list("id", flat=True)) == ids_before
    assert Taxonomy.objects.count() == 3
    assert TaxonomyTerm.objects.get(id=term_id_for(FAMILIES_WITH_CHILDREN)).name == "Lapset ja lapsiperheet"


@pytest.mark.shared_data
def test_it_changes_nothing_and_names_the_problem_when_a_file_is_broken(
    ptv_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "ptv"
    broken.mkdir()
    for name in ("ServiceClasses.json", "TargetGroups.json", "LifeEvents.json"):
        shutil.copy(ptv_dir / name, broken / name)
    path = broken / "LifeEvents.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Notation": "KE1"', '"Notation": ""'), encoding="utf-8"
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_taxonomies", str(broken))
    assert "LifeEvents.json: entry" in str(raised.value)
    assert "the concept has no Notation (code)." in str(raised.value)
    # ServiceClasses.json and TargetGroups.json were fine, yet nothing of them was written.
    assert Taxonomy.objects.count() == 0
    assert TaxonomyTerm.objects.count() == 0


def test_it_loads_the_demo_subset_without_the_shared_data(tmp_path: Path) -> None:
    with override_settings(SHARED_DATA_DIR=tmp_path / "no-shared-here"):
        load_demo_taxonomies()
        load_demo_taxonomies()
    codes = set(TaxonomyTerm.objects.values_list("code", flat=True))
    assert {"P3", "P3.2", "P3.8", "P5.2", "P5.7", "P6.1", "P28.1", "KR1.2", "KE1", "KE1.1"} <= codes
    assert TaxonomyTerm.objects.count() == 58
    assert Taxonomy.objects.count() == 3
    child_welfare = TaxonomyTerm.objects.get(code="P3.8")
    assert child_welfare.parent_id == term_id_for("http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P3")
    assert child_welfare.text("name", "sv") == "Barnskydd"


def test_it_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_taxonomies", str(tmp_path / "nowhere"))
