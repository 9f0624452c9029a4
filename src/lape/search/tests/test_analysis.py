"""The analyser a family's query and a service's text both go through: they must meet on the same terms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from lape.conftest import _missing
from lape.search.analysis import (
    analyse,
    analyse_words,
    finnish_analyser_name,
    fold,
    spelling_suggestions,
    words,
)
from lape.search.finnish import voikko_available

VOIKKO_MISSING = (
    "Voikko is not installed (Debian: apt-get install libvoikko1 voikko-fi; pip install libvoikko)"
)


@pytest.fixture(params=["voikko", "snowball"])
def finnish(request: pytest.FixtureRequest) -> str:
    """Each Finnish test runs with Voikko and with the pure-Python Snowball fallback."""
    if request.param == "voikko" and not voikko_available():
        _missing(VOIKKO_MISSING)
    return str(request.param)


@pytest.fixture
def voikko() -> str:
    if not voikko_available():
        _missing(VOIKKO_MISSING)
    return "voikko"


def meets(query: str, text: str, lang: str, finnish: str | None = None) -> bool:
    """Whether a query and a text share an index term."""
    return bool(set(analyse(query, lang, finnish)) & set(analyse(text, lang, finnish)))


# Finnish, with both analysers


def test_it_finds_lastenneuvola_with_neuvolaan(finnish: str) -> None:
    assert meets("neuvolaan", "Lastenneuvola", "fi", finnish)


def test_it_splits_unipulmat_into_uni_and_pulma(finnish: str) -> None:
    terms = analyse("unipulmat", "fi", finnish)
    assert set(analyse("uni", "fi", finnish)) <= set(terms)
    assert set(analyse("pulma", "fi", finnish)) <= set(terms)


def test_it_drops_the_negation_and_keeps_the_need_in_vauva_ei_nuku_oisin(finnish: str) -> None:
    terms = analyse("vauva ei nuku öisin", "fi", finnish)
    assert "ei" not in terms
    assert set(analyse("vauva", "fi", finnish)) <= set(terms)
    assert set(analyse("nukkuu", "fi", finnish)) & set(terms)
    assert set(analyse("yö", "fi", finnish)) <= set(terms)


def test_it_meets_the_inflected_child_in_a_compound(finnish: str) -> None:
    assert meets("lapset", "lastensuojelu", "fi", finnish)


def test_it_does_not_match_unrelated_words(finnish: str) -> None:
    assert not meets("hammashoito", "lastenneuvola", "fi", finnish)


def test_it_names_the_analyser_it_was_asked_for(finnish: str) -> None:
    assert finnish_analyser_name(finnish) == finnish


def test_it_reads_the_analyser_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPE_SEARCH_FINNISH", "snowball")
    assert finnish_analyser_name() == "snowball"
    assert analyse("neuvolaan", "fi") == ["neuvol"]


def test_it_refuses_an_unknown_analyser_with_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPE_SEARCH_FINNISH", "hunspell")
    with pytest.raises(ImproperlyConfigured, match="must be voikko, snowball or auto"):
        finnish_analyser_name()


# Finnish, Voikko only: lemmas, not stems


def test_it_gives_voikko_base_forms(voikko: str) -> None:
    assert analyse("neuvolaan", "fi", voikko) == ["neuvola"]
    assert analyse("vauva ei nuku öisin", "fi", voikko)[:2] == ["vauva", "nukkua"]


def test_it_gives_voikko_compound_parts_as_base_forms(voikko: str) -> None:
    assert analyse("lastenneuvola", "fi", voikko) == ["lastenneuvola", "lapsi", "neuvola"]
    assert analyse("unipulmat", "fi", voikko) == ["unipulma", "uni", "pulma"]
    assert analyse("kotipalvelua", "fi", voikko) == ["kotipalvelu", "koti", "palvelu"]


def test_it_keeps_a_word_voikko_does_not_know_for_typo_matching(voikko: str) -> None:
    assert analyse("neuvla", "fi", voikko) == ["neuvla"]


def test_it_uses_voikko_when_it_is_installed(voikko: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAPE_SEARCH_FINNISH", raising=False)
    assert finnish_analyser_name() == "voikko"


# Finnish, the fallback


def test_it_splits_lastenneuvola_by_the_lexicon_without_voikko() -> None:
    assert analyse("lastenneuvola", "fi", "snowball") == ["lastenneuvol", "laps", "neuvol"]


# Swedish


def test_it_finds_a_stodfamilj_for_my_child() -> None:
    terms = analyse("stödfamilj för mitt barn", "sv")
    assert terms == ["stödfamilj", "stöd", "familj", "barn"]


def test_it_splits_barnradgivning_into_barn_and_radgivning() -> None:
    assert analyse("barnrådgivning", "sv") == ["barnrådgivning", "barn", "rådgivning"]


def test_it_splits_swedish_compounds_with_a_linking_s() -> None:
    assert meets("mottagning för ungdomar", "Ungdomsmottagningen", "sv")


def test_it_stems_swedish_inflections() -> None:
    assert meets("barnet", "barn", "sv")
    assert meets("familjer", "familj", "sv")
    assert meets("skolan", "skolor", "sv")


# English


def test_it_stems_bullying_at_school() -> None:
    assert analyse("Bullying at school", "en") == ["bulli", "school"]
    assert meets("bullied", "bullying", "en")


def test_it_drops_english_stop_words() -> None:
    assert analyse("help for my child with the sleep", "en") == ["help", "child", "sleep"]


# Words and bad input


def test_it_folds_accents_but_keeps_the_nordic_letters() -> None:
    assert fold("Café Ålö ÜBER") == "cafe ålö uber"


def test_it_splits_on_punctuation() -> None:
    assert words("perhe-, ja sosiaali(palvelut)!") == ["perhe", "ja", "sosiaali", "palvelut"]


def test_it_skips_overlong_binary_and_script_input(finnish: str) -> None:
    text = "<script>alert(1)</script>\x00\xff" + "a" * 10_000
    assert analyse(text, "fi", finnish) == ["script", "alert", "1", "script"]


def test_it_gives_nothing_for_an_empty_query(finnish: str) -> None:
    assert analyse("", "fi", finnish) == []
    assert analyse("  ?! ", "sv") == []


def test_it_refuses_an_unknown_language_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="Finnish, Swedish and English"):
        analyse("hola", "es")


def test_it_gives_derived_compound_parts_in_their_base_form(voikko: str) -> None:
    assert analyse("terveydenhoitajalle", "fi", voikko) == ["terveydenhoitaja", "terveys", "hoitaja"]
    assert analyse("sosiaalityöntekijä", "fi", voikko) == ["sosiaalityöntekijä", "sosiaali", "työ", "tekijä"]


def test_it_prefers_common_words_to_surnames(voikko: str) -> None:
    assert analyse("päivisin", "fi", voikko) == ["päivisin", "päivä"]


def test_it_prefers_the_reading_with_the_fewest_compound_parts(voikko: str) -> None:
    terms = analyse("palvelut kuuluvat lakisääteisiin", "fi", voikko)
    assert "lupa" not in terms
    assert "kuulua" in terms
    assert "sääteinen" in terms
    assert "tie" not in terms


def test_it_groups_the_terms_word_by_word(finnish: str) -> None:
    grouped = analyse_words("lastenneuvola ja uni", "fi", finnish)
    assert len(grouped) == 2
    assert [term for terms in grouped for term in terms] == analyse("lastenneuvola ja uni", "fi", finnish)
    assert set(analyse("neuvola", "fi", finnish)) <= set(grouped[0])


def test_it_suggests_the_spelling_of_a_misspelt_finnish_word(voikko: str) -> None:
    assert "neuvolaan" in spelling_suggestions("neuvlaan", "fi", voikko)
    assert "kuraattori" in spelling_suggestions("Kuraatori", "fi", voikko)
    assert spelling_suggestions("neuvolaan", "fi", voikko) == []


def test_it_suggests_nothing_without_voikko() -> None:
    assert spelling_suggestions("neuvlaan", "fi", "snowball") == []
    assert spelling_suggestions("stödfamlj", "sv") == []
