"""The need vocabulary: families' everyday words in fi/sv/en lead to PTV service classes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lape.search.models import Concept, Label
from lape.search.needs import (
    LIFE_SITUATIONS,
    NEEDS_FILE,
    NeedVocabularyError,
    load_needs,
    needs_for,
    needs_in,
    read_needs,
    vocabulary,
)
from lape.search.ontology import synonyms

DEMO_CLASSES = Path(__file__).resolve().parents[2] / "directory" / "demo_data" / "ptv_ServiceClasses.json"


def _codes(path: Path) -> set[str]:
    return {entry["Notation"] for entry in json.loads(path.read_text(encoding="utf-8-sig"))}


def _keys(text: str, lang: str) -> list[str]:
    return [need.key for need in needs_for(text, lang)]


def test_it_has_between_forty_and_sixty_needs_each_in_three_languages() -> None:
    needs = vocabulary()

    assert 40 <= len(needs) <= 60
    for need in needs:
        assert all(len(need.phrases[lang]) >= 3 for lang in ("fi", "sv", "en")), need.key


def test_it_names_only_real_ptv_service_classes(shared_data: Path) -> None:
    real = _codes(shared_data / "ptv" / "ServiceClasses.json")

    unknown = {(need.key, code) for need in vocabulary() for code in need.service_classes if code not in real}

    assert unknown == set()


def test_it_leads_every_need_to_a_service_class_of_the_demo() -> None:
    demo = _codes(DEMO_CLASSES)

    assert [need.key for need in vocabulary() if not set(need.service_classes) & demo] == []


def test_it_covers_every_life_situation_of_the_family_pages() -> None:
    covered = {situation for need in vocabulary() for situation in need.life_situations}

    assert covered == set(LIFE_SITUATIONS)


def test_it_finds_the_need_of_a_sleepless_baby_in_finnish() -> None:
    found = needs_for("vauva ei nuku öisin", "fi")

    assert found[0].key == "baby-sleep"
    assert "P5.2" in found[0].service_classes


def test_it_finds_a_support_family_in_swedish() -> None:
    found = needs_for("stödfamilj för mitt barn", "sv")

    assert found[0].key == "support-family"
    assert {"P3.8", "P4.12"} <= set(found[0].service_classes)


def test_it_finds_bullying_in_english() -> None:
    found = needs_for("Bullying at school", "en")

    assert found[0].key == "bullying"
    assert "P4.9" in found[0].service_classes


# How families write: inflected, colloquial, in their own words (language, text, the need expected).
FAMILY_WORDS = [
    ("fi", "vauva ei nuku öisin", "baby-sleep"),
    ("fi", "meidän vauvalla on koliikki", "colic"),
    ("fi", "olen raskaana, mihin neuvolaan", "expecting"),
    ("fi", "lastani kiusataan koulussa", "bullying"),
    ("fi", "teini juo alkoholia viikonloppuisin", "substance-use"),
    ("fi", "erotilanne ja lasten asuminen", "separation"),
    ("fi", "tarvitsemme tukiperheen", "support-family"),
    ("fi", "muutimme suomeen viime vuonna", "moving-to-finland"),
    ("fi", "olen huolissani lapsestani", "worried-about-child"),
    ("fi", "nuori ei halua mennä kouluun", "school-absence"),
    ("fi", "rahat loppuu aina kesken kuun", "money-worries"),
    ("fi", "lapsi on yksinäinen eikä hänellä ole kavereita", "loneliness"),
    ("fi", "vertaistukea muilta vanhemmilta", "peer-support"),
    ("fi", "uhmaikäinen raivoaa", "parenting"),
    ("fi", "elatusapu ei tule", "child-maintenance"),
    ("fi", "neuvolaan aika", "child-health-clinic"),
    ("fi", "nuori viiltelee", "mental-health"),
    ("fi", "pelaa liikaa ja peliriippuvuus", "screen-time"),
    ("fi", "harrastus nuorelle", "hobbies"),
    ("fi", "päiväkotipaikka", "daycare"),
    ("sv", "stödfamilj för mitt barn", "support-family"),
    ("sv", "mitt barn blir mobbat i skolan", "bullying"),
    ("sv", "vi ska skiljas", "separation"),
    ("sv", "jag är gravid", "expecting"),
    ("sv", "bebisen sover inte på nätterna", "baby-sleep"),
    ("sv", "orolig för mitt barn", "worried-about-child"),
    ("sv", "flytta till Finland med barn", "moving-to-finland"),
    ("sv", "kamratstöd för föräldrar", "peer-support"),
    ("sv", "tonåringen dricker alkohol", "substance-use"),
    ("sv", "min dotter har ångest", "mental-health"),
    ("sv", "skolfrånvaro", "school-absence"),
    ("sv", "pengarna räcker inte", "money-worries"),
    ("sv", "barnet har inga kompisar", "loneliness"),
    ("sv", "tid till barnrådgivningen", "child-health-clinic"),
    ("sv", "familjecentralen", "family-centre"),
    ("sv", "underhållsbidrag", "child-maintenance"),
    ("en", "bullying at school", "bullying"),
    ("en", "baby won't sleep at night", "baby-sleep"),
    ("en", "we are expecting our first baby", "expecting"),
    ("en", "divorce and custody", "separation"),
    ("en", "support family for my son", "support-family"),
    ("en", "moving to Finland with kids", "moving-to-finland"),
    ("en", "worried about my child", "worried-about-child"),
    ("en", "peer support for parents", "peer-support"),
    ("en", "my teen vapes", "substance-use"),
    ("en", "my daughter is self-harming", "mental-health"),
    ("en", "my son refuses to go to school", "school-absence"),
    ("en", "debt advice", "money-worries"),
    ("en", "my kid has no friends", "loneliness"),
    ("en", "family centre near me", "family-centre"),
    ("en", "public health nurse", "child-health-clinic"),
    ("en", "toddler tantrums", "parenting"),
]


# Everyday and spoken phrasings the vocabulary was widened with (language, text, the need expected first).
EVERYDAY_WORDS = [
    ("fi", "uupunut äiti", "tired-parent"),
    ("fi", "mä en jaksa enää", "tired-parent"),
    ("fi", "lastenvahti illaksi", "childminding"),
    ("fi", "mun lapsi ei puhu vielä", "child-development"),
    ("fi", "lapsella ei oo kavereita", "loneliness"),
    ("fi", "teini dokaa viikonloppuisin", "substance-use"),
    ("fi", "isä juo liikaa", "parent-substance-use"),
    ("fi", "mies lyö minua", "domestic-violence"),
    ("fi", "nuori ei lähe kouluun", "school-absence"),
    ("fi", "elarit ei tule ajallaan", "child-maintenance"),
    ("fi", "olen yh-äiti", "single-parent"),
    ("fi", "erotaan miehen kanssa", "separation"),
    ("fi", "ahdistaa koko ajan", "mental-health"),
    ("sv", "min man slår mig", "domestic-violence"),
    ("sv", "kvinnojour", "domestic-violence"),
    ("sv", "barnvakt på kvällen", "childminding"),
    ("sv", "min dotter skär sig", "mental-health"),
    ("sv", "hon mobbas i skolan", "bullying"),
    ("sv", "pappa dricker för mycket", "parent-substance-use"),
    ("sv", "ont om pengar", "money-worries"),
    ("sv", "jag är orolig för min son", "worried-about-child"),
    ("en", "babysitter", "childminding"),
    ("en", "child minder", "daycare"),
    ("en", "my son is not talking", "child-development"),
    ("en", "my toddler doesn't talk", "child-development"),
    ("en", "we are splitting up", "separation"),
    ("en", "child maintenance", "child-maintenance"),
    ("en", "women's shelter", "domestic-violence"),
    ("en", "my husband's drinking", "parent-substance-use"),
    ("en", "my daughter is being bullied", "bullying"),
    ("en", "exhausted mum", "tired-parent"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), EVERYDAY_WORDS)
def test_it_finds_the_need_first_in_everyday_and_spoken_words(lang: str, text: str, expected: str) -> None:
    assert _keys(text, lang)[:1] == [expected]


def test_it_leads_domestic_violence_to_the_class_shelters_are_in() -> None:
    found = needs_for("turvakoti", "fi")

    assert found[0].key == "domestic-violence"
    assert "P3.6" in found[0].service_classes


def test_it_does_not_match_everyday_words_that_only_begin_like_a_need() -> None:
    assert _keys("boka den tid som passar", "sv") == []
    assert _keys("we edited the opening hours", "en") == []
    assert _keys("skolkurator", "sv") == ["school-welfare"]
    assert _keys("opossumi kiipesi puuhun", "fi") == []
    assert _keys("interpretation of the opening hours", "en") == []


@pytest.mark.parametrize(("lang", "text", "expected"), FAMILY_WORDS)
def test_it_finds_the_need_in_a_familys_own_words(lang: str, text: str, expected: str) -> None:
    assert expected in _keys(text, lang)[:3]


def test_it_finds_inflected_finnish_through_word_beginnings() -> None:
    assert _keys("lastani kiusataan koulussa", "fi")[0] == "bullying"
    assert "separation" in _keys("eronneet vanhemmat ja lapsen asuminen", "fi")
    assert "expecting" in _keys("olemme raskaana ensimmäistä kertaa", "fi")


def test_it_does_not_match_inside_words_or_on_unrelated_beginnings() -> None:
    assert _keys("huolimatta sateesta menimme uimaan", "fi") == []
    assert _keys("zero problems", "en") == []
    assert _keys("trots allt", "sv") == []


def test_it_tries_the_other_languages_when_the_page_language_finds_nothing() -> None:
    assert _keys("bullying", "fi") == ["bullying"]
    assert _keys("tukiperhe", "en") == ["support-family"]


def test_it_finds_nothing_in_empty_or_hostile_text() -> None:
    assert needs_for("", "fi") == []
    assert needs_for("   ", "sv") == []
    assert needs_for("<script>alert(1)</script>", "en") == []
    assert needs_for("\x00\xff" * 5000, "fi") == []


def test_it_finds_each_need_by_each_of_its_phrasings() -> None:
    missed = [
        (need.key, lang, phrase)
        for need in vocabulary()
        for lang, phrases in need.phrases.items()
        for phrase in phrases
        if need not in needs_for(phrase, lang)
    ]

    assert missed == []


@pytest.mark.django_db
def test_it_loads_the_needs_as_concepts_whose_phrasings_are_synonyms() -> None:
    summary = load_needs()

    needs = Concept.objects.filter(source=Concept.Source.NEED)
    assert needs.count() == len(vocabulary()) == summary.created
    bullying = needs.get(code="bullying")
    assert bullying.uri == "urn:lape:need:bullying"
    assert bullying.pref_label("sv") == "mobbning"
    assert "P4.9" in bullying.service_classes
    assert {"koulukiusaaminen", "nettikiusaaminen"} <= synonyms("kiusaaminen", "fi")
    assert Label.objects.filter(concept=bullying, kind="hidden", text="kiusa").exists()


@pytest.mark.django_db
def test_it_loads_the_needs_again_without_duplicates() -> None:
    load_needs()
    before = (Concept.objects.count(), Label.objects.count())

    summary = load_needs()

    assert (Concept.objects.count(), Label.objects.count()) == before
    assert (summary.created, summary.updated, summary.removed) == (0, len(vocabulary()), 0)


@pytest.mark.django_db
def test_it_refuses_a_need_without_swedish_and_changes_nothing(tmp_path: Path) -> None:
    load_needs()
    before = (Concept.objects.count(), Label.objects.count())
    data = json.loads(NEEDS_FILE.read_text(encoding="utf-8"))
    del data["needs"][3]["phrases"]["sv"]
    broken = tmp_path / "needs.json"
    broken.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(NeedVocabularyError) as error:
        load_needs(broken)

    assert str(broken) in str(error.value)
    assert "need 4" in str(error.value)
    assert (Concept.objects.count(), Label.objects.count()) == before


def test_it_refuses_an_unknown_life_situation(tmp_path: Path) -> None:
    data = json.loads(NEEDS_FILE.read_text(encoding="utf-8"))
    data["needs"][0]["life_situations"] = ["retirement"]
    path = tmp_path / "needs.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(NeedVocabularyError, match="unknown life situation"):
        read_needs(path)


def test_it_refuses_phrasings_too_short_to_match_safely(tmp_path: Path) -> None:
    data = json.loads(NEEDS_FILE.read_text(encoding="utf-8"))
    data["needs"][0]["stems"]["fi"].append("uu")
    path = tmp_path / "needs.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(NeedVocabularyError, match="at least three characters long: uu"):
        read_needs(path)


def test_it_lists_the_needs_of_a_life_situation() -> None:
    teenager = [need.key for need in needs_in("teenager")]

    assert {"teenager", "substance-use", "bullying"} <= set(teenager)
    assert "baby-sleep" not in teenager
    assert needs_in("retirement") == []


def test_it_leaves_out_a_need_met_only_inside_a_longer_phrasing() -> None:
    assert _keys("postnatal depression", "en") == ["postnatal-exhaustion"]
    assert "mental-health" in _keys("depression", "en")


def test_it_keeps_needs_met_by_different_words() -> None:
    assert set(_keys("teen anxiety", "en")) == {"teenager", "mental-health"}
    assert set(_keys("teini juo alkoholia", "fi")) >= {"teenager", "substance-use"}


def test_it_leads_childminding_to_the_volunteers_before_family_social_work() -> None:
    assert _keys("babysitter", "en") == ["childminding"]
    assert needs_for("barnvakt", "sv")[0].service_classes[0] == "P4.12"
