"""TERO imported as search concepts: labels in fi/sv/en, broader links, all or nothing, and synonyms."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lape.search.models import Concept, Label
from lape.search.ontology import OntologyDataError, import_tero, normalise, synonyms

pytestmark = pytest.mark.django_db

TWINS = "http://www.yso.fi/onto/koko/p61569"
ALLERGIES = "http://www.yso.fi/onto/koko/p32408"
IMMUNE_DISORDERS = "http://www.yso.fi/onto/koko/p60749"
HAY_FEVER = "http://www.yso.fi/onto/koko/p56975"


def _tero(shared_data: Path) -> Path:
    return shared_data / "ptv" / "tero_ontology.json"


def _concept(uri: str, fi: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": uri,
        "label": {"fi": fi, **fields.pop("label", {})},
        "altLabels": fields.pop("altLabels", {}),
        "hiddenLabels": {},
        "broaderURIs": fields.pop("broaderURIs", []),
        "narrowerURIs": fields.pop("narrowerURIs", []),
    }


def _write(path: Path, concepts: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(concepts, ensure_ascii=False), encoding="utf-8")
    return path


def _state() -> tuple[int, int, int]:
    return Concept.objects.count(), Label.objects.count(), Concept.broader.through.objects.count()


def _labels(uri: str, lang: str, kind: str) -> set[str]:
    return set(Label.objects.filter(concept__uri=uri, lang=lang, kind=kind).values_list("text", flat=True))


def test_it_imports_the_real_tero_with_labels_in_three_languages(shared_data: Path) -> None:
    out = StringIO()
    call_command("import_ontology", str(_tero(shared_data)), stdout=out)

    tero = Concept.objects.filter(source=Concept.Source.TERO)
    assert 2400 <= tero.count() <= 2600
    assert "TERO concepts" in out.getvalue()
    assert _labels(TWINS, "fi", "pref") == {"samanmunaiset kaksoset"}
    assert _labels(TWINS, "sv", "pref") == {"enäggstvillingar"}
    assert _labels(TWINS, "en", "pref") == {"twins, monozygotic"}
    assert "identtiset kaksoset" in _labels(TWINS, "fi", "alt")
    assert _labels(TWINS, "sv", "alt") == {"identiska tvillingar"}
    assert "identical twins" in _labels(TWINS, "en", "alt")


def test_it_links_concepts_to_their_broader_and_narrower_concepts(shared_data: Path) -> None:
    import_tero(_tero(shared_data))

    allergies = Concept.objects.get(uri=ALLERGIES)
    assert IMMUNE_DISORDERS in set(allergies.broader.values_list("uri", flat=True))
    assert HAY_FEVER in set(allergies.narrower.values_list("uri", flat=True))


def test_it_imports_the_real_file_twice_without_changing_anything(shared_data: Path) -> None:
    import_tero(_tero(shared_data))
    before = _state()
    ids = dict(Concept.objects.values_list("uri", "id"))

    summary = import_tero(_tero(shared_data))

    assert _state() == before
    assert dict(Concept.objects.values_list("uri", "id")) == ids
    assert (summary.created, summary.removed) == (0, 0)


def test_it_changes_nothing_when_the_file_is_broken(shared_data: Path, tmp_path: Path) -> None:
    import_tero(_tero(shared_data))
    before = _state()
    broken = tmp_path / "tero_ontology.json"
    broken.write_text(_tero(shared_data).read_text(encoding="utf-8")[:50_000], encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_ontology", str(broken), stdout=StringIO())

    assert str(broken) in str(error.value)
    assert "JSON is not valid" in str(error.value)
    assert _state() == before


def test_it_keeps_the_first_concepts_out_when_a_later_one_is_bad(tmp_path: Path) -> None:
    good = _concept("http://example.org/a", "perhe")
    bad = {"id": "http://example.org/b", "label": {"sv": "familj"}}

    with pytest.raises(OntologyDataError) as error:
        import_tero(_write(tmp_path / "tero.json", [good, bad]))

    assert "entry 2" in str(error.value)
    assert "Finnish label" in str(error.value)
    assert Concept.objects.count() == 0


def test_it_names_the_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "tero_ontology.json"

    with pytest.raises(CommandError) as error:
        call_command("import_ontology", str(missing), stdout=StringIO())

    assert str(missing) in str(error.value)
    assert "does not exist" in str(error.value)


def test_it_reads_the_shared_data_folder_by_default(tmp_path: Path) -> None:
    (tmp_path / "ptv").mkdir()
    _write(tmp_path / "ptv" / "tero_ontology.json", [_concept("http://example.org/a", "perhe")])

    with override_settings(SHARED_DATA_DIR=tmp_path):
        call_command("import_ontology", stdout=StringIO())

    assert Concept.objects.filter(source="tero").count() == 1


def test_it_removes_concepts_that_left_the_file(tmp_path: Path) -> None:
    first = [_concept("http://example.org/a", "perhe"), _concept("http://example.org/b", "lapsi")]
    import_tero(_write(tmp_path / "v1.json", first))

    summary = import_tero(_write(tmp_path / "v2.json", first[:1]))

    assert summary.removed == 1
    assert list(Concept.objects.filter(source="tero").values_list("uri", flat=True)) == [
        "http://example.org/a"
    ]


def test_it_finds_synonyms_in_the_same_language_with_narrower_concepts(shared_data: Path) -> None:
    import_tero(_tero(shared_data))

    found = synonyms("  Allergia ", "fi")

    assert {"allergiat", "yliherkkyys", "heinänuha", "lateksiyliherkkyys"} <= found
    assert "immuunitaudit" not in found  # broader concepts are not synonyms
    assert "allergies" not in found  # other languages stay out
    assert {"allergi", "överkänslighet", "hösnuva"} <= synonyms("överkänslighet", "sv")


def test_it_matches_a_label_without_its_qualifier(tmp_path: Path) -> None:
    concepts = [
        _concept(
            "http://example.org/anorexia",
            "anoreksia (oireet, syömishäiriöt)",
            altLabels={"fi": ["laihuushäiriö"]},
        )
    ]
    import_tero(_write(tmp_path / "tero.json", concepts))

    assert synonyms("anoreksia", "fi") == {"anoreksia (oireet, syömishäiriöt)", "anoreksia", "laihuushäiriö"}
    assert _labels("http://example.org/anorexia", "fi", "hidden") == {"anoreksia"}


def test_it_keeps_normalised_text_in_step_when_a_label_is_saved_by_hand() -> None:
    concept = Concept.objects.create(uri="urn:example:family", source=Concept.Source.NEED, code="family")

    label = Label.objects.create(concept=concept, lang="fi", kind="pref", text="  Vauva  EI nuku")

    assert (label.text, label.normalised) == ("Vauva EI nuku", "vauva ei nuku")
    assert str(concept) == "Vauva EI nuku (need)"
    assert synonyms("vauva ei nuku", "fi") == {"Vauva EI nuku"}


def test_it_gives_synonyms_in_the_languages_asked_for(shared_data: Path) -> None:
    import_tero(_tero(shared_data))

    found = synonyms("allergia", "fi", into=("fi", "sv", "en"))

    assert {"allergiat", "allergi", "allergies", "hay fever", "hösnuva"} <= found
    assert synonyms("allergia", "fi", into=("en",)) >= {"allergies", "hypersensitivity"}
    assert "allergiat" not in synonyms("allergia", "fi", into=("en",))


def test_it_goes_only_one_level_down(tmp_path: Path) -> None:
    concepts = [
        _concept("http://example.org/family", "perhe", narrowerURIs=["http://example.org/childfamily"]),
        _concept("http://example.org/childfamily", "lapsiperhe"),
        _concept("http://example.org/big", "suurperhe", broaderURIs=["http://example.org/childfamily"]),
    ]
    import_tero(_write(tmp_path / "tero.json", concepts))

    assert synonyms("perhe", "fi") == {"perhe", "lapsiperhe"}
    assert synonyms("lapsiperhe", "fi") == {"lapsiperhe", "suurperhe"}


def test_it_finds_no_synonyms_for_unknown_or_empty_terms(tmp_path: Path) -> None:
    import_tero(_write(tmp_path / "tero.json", [_concept("http://example.org/a", "perhe")]))

    assert synonyms("perheet", "fi") == set()  # inflected forms wait for the analyser
    assert synonyms("perhe", "sv") == set()
    assert synonyms("   ", "fi") == set()


def test_it_normalises_case_and_whitespace() -> None:
    assert normalise("  Vauva \t EI\nnuku ") == "vauva ei nuku"
