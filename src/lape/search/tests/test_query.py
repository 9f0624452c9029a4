"""find_services on the demo directory: a family's words and filters find the right services, on both databases."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from lape.directory.demo import demo_id, load_demo
from lape.directory.models import Schedule, Service
from lape.directory.opening_hours import FINNISH_TIME
from lape.search.expansion import expand_query
from lape.search.filters import Filters, Place
from lape.search.ontology import load_vocabulary
from lape.search.query import find_services

pytestmark = pytest.mark.django_db

# A Tuesday at 10 in Finnish time, when the clinics are open.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=FINNISH_TIME)
KUOPIO_CENTRE = Place(62.8925, 27.6780)


@pytest.fixture
def demo() -> None:
    """The demo as `lape demo` loads it, without TERO (the shared data may be absent)."""
    load_demo(today=TUESDAY_MORNING.date())
    load_vocabulary()


def key(service_key: str) -> uuid.UUID:
    return uuid.UUID(demo_id("service", service_key))


def keys_found(query: str, lang: str, filters: Filters | None = None, limit: int = 5) -> list[uuid.UUID]:
    results = find_services(query, lang, filters, limit=limit, now=TUESDAY_MORNING)
    return [hit.service_id for hit in results.hits]


CHILD_CLINICS = ("kuopio", "iisalmi", "varkaus", "siilinjarvi", "joroinen", "leppavirta")


def test_it_finds_the_child_health_clinic_from_an_inflected_word(demo: None) -> None:
    # "neuvolaan" (to the clinic) is the child health clinic or the maternity clinic: both come first.
    clinics = {key(f"child_clinic_{place}") for place in CHILD_CLINICS}
    clinics |= {key(f"maternity_{place}") for place in ("kuopio", "iisalmi", "varkaus")}
    assert set(keys_found("neuvolaan", "fi", limit=9)) == clinics


def test_it_corrects_a_misspelt_word_and_says_so(demo: None) -> None:
    results = find_services("nuvola", "fi", now=TUESDAY_MORNING)
    assert results.corrections and "nuvola" in results.corrections
    assert key("child_clinic_kuopio") in [hit.service_id for hit in results.hits]


def test_it_understands_a_need_written_as_a_sentence(demo: None) -> None:
    results = find_services("vauva ei nuku öisin", "fi", limit=5, now=TUESDAY_MORNING)
    assert [need.key for need in results.needs][:1] == ["baby-sleep"]
    found = [hit.service_id for hit in results.hits]
    assert key("ensi_baby") in found or key("child_clinic_kuopio") in found


def test_it_finds_swedish_and_english_needs(demo: None) -> None:
    assert key("pelastakaa_support_family") in keys_found("stödfamilj för mitt barn", "sv")
    assert keys_found("bullying at school", "en")[0] == key("school_social_worker")


def test_it_searches_another_language_when_that_one_knows_the_words(demo: None) -> None:
    # English words on the Finnish page.
    assert key("school_social_worker") in keys_found("school social worker", "fi")


def test_it_gives_nothing_for_words_it_cannot_read(demo: None) -> None:
    results = find_services("zzqxv \x00 <script>", "fi", now=TUESDAY_MORNING)
    assert results.total == 0 and results.hits == []


def test_it_keeps_only_services_serving_the_municipality(demo: None) -> None:
    found = keys_found("lastenneuvola", "fi", Filters(municipality="915"), limit=50)
    assert key("child_clinic_varkaus") in found
    assert key("child_clinic_kuopio") not in found


def test_it_keeps_services_fitting_any_of_the_children(demo: None) -> None:
    baby_and_teen = keys_found("", "fi", Filters(municipality="297", ages=(0, 15)), limit=100)
    assert key("child_clinic_kuopio") in baby_and_teen  # for the baby
    assert key("youth_work_kuopio") in baby_and_teen  # for the 15-year-old
    only_teen = keys_found("", "fi", Filters(municipality="297", ages=(15,)), limit=100)
    assert key("child_clinic_kuopio") not in only_teen


def test_it_keeps_services_in_a_language(demo: None) -> None:
    swedish = keys_found("", "fi", Filters(languages=("sv",)), limit=100)
    assert key("child_clinic_kuopio") in swedish
    assert key("home_help") not in swedish
    assert all(Service.objects.get(pk=pk).languages.filter(code="sv").exists() for pk in swedish)


def test_it_keeps_low_threshold_and_free_services(demo: None) -> None:
    low = keys_found("", "fi", Filters(low_threshold=True), limit=100)
    assert low and all(Service.objects.get(pk=pk).low_threshold for pk in low)
    assert (
        key("family_counselling_kuopio") not in low
        or Service.objects.get(pk=key("family_counselling_kuopio")).low_threshold
    )


def test_it_keeps_services_within_the_distance_nearest_first(demo: None) -> None:
    results = find_services(
        "neuvola", "fi", Filters(near=KUOPIO_CENTRE, radius_km=5), limit=20, now=TUESDAY_MORNING
    )
    assert results.hits
    assert all(hit.distance_km is not None and hit.distance_km <= 5 for hit in results.hits)
    assert key("child_clinic_iisalmi") not in [hit.service_id for hit in results.hits]


def test_it_keeps_services_open_now_in_finnish_time_with_exceptions(demo: None) -> None:
    clinic = key("child_clinic_kuopio")
    assert clinic in keys_found("lastenneuvola", "fi", Filters(open_now=True), limit=50)
    # Closed today for training: an exception wins over the weekly hours.
    service = Service.objects.get(pk=clinic)
    Schedule.objects.create(
        service=service, valid_from=TUESDAY_MORNING.date(), valid_to=TUESDAY_MORNING.date(), closed=True
    )
    assert clinic not in keys_found("lastenneuvola", "fi", Filters(open_now=True), limit=50)


def test_it_leaves_out_inactive_services(demo: None) -> None:
    clinic = Service.objects.get(pk=key("child_clinic_kuopio"))
    clinic.status = Service.Status.INACTIVE
    clinic.save()
    assert key("child_clinic_kuopio") not in keys_found("lastenneuvola kuopio", "fi", limit=50)


def test_it_leaves_out_a_service_made_inactive_behind_the_index_s_back(demo: None) -> None:
    # QuerySet.update sends no signal, so the index still has it: the search checks the status too.
    Service.objects.filter(pk=key("child_clinic_varkaus")).update(status=Service.Status.DEFUNCT)
    assert key("child_clinic_varkaus") not in keys_found("lastenneuvola varkaus", "fi", limit=50)


def test_it_counts_all_matches_and_pages_through_them(demo: None) -> None:
    first = find_services("neuvola", "fi", limit=3, now=TUESDAY_MORNING, counts=True)
    second = find_services("neuvola", "fi", offset=3, limit=3, now=TUESDAY_MORNING)
    assert first.total >= 6
    assert not {h.service_id for h in first.hits} & {h.service_id for h in second.hits}
    assert sum(first.counts["level"].values()) == first.total
    assert first.counts["language"]["fi"] <= first.total


def test_it_browses_a_life_situation(demo: None) -> None:
    teenager = keys_found("", "fi", Filters(situation="teenager"), limit=100)
    assert key("youth_work_kuopio") in teenager
    assert key("maternity_kuopio") not in teenager


def test_it_forgives_a_letter_written_once_instead_of_twice(demo: None) -> None:
    results = find_services("buling", "en", limit=5, now=TUESDAY_MORNING)
    assert results.corrections.get("buling")
    assert key("school_social_worker") in [hit.service_id for hit in results.hits]


def test_it_does_not_take_a_needs_other_phrasings_for_the_familys_word(demo: None) -> None:
    # "barnvakt" and "familjearbete" both lead into needs; as words they are not synonyms, so the
    # service whose text says "barnvakt" comes before family work that only serves a related need.
    assert "familjearbet" not in {term for group in expand_query("barnvakt", "sv").groups for term in group}
    assert keys_found("barnvakt", "sv", limit=1) == [key("mll_childcare")]
