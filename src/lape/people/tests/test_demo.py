"""The demo families: synthetic, with test identity codes only, loaded once however often `lape demo` runs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from lape.areas.demo import load_demo_areas
from lape.people.demo import DEMO_FAMILIES, demo_person, load_demo_people
from lape.people.identity_codes import parse_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import guardians_of, open_identity_code

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def loaded() -> None:
    load_demo_areas()
    load_demo_people(today=TODAY)


def test_it_loads_every_demo_person_with_a_test_code(loaded: None) -> None:
    expected = sum(len(f.guardians) + len(f.children) for f in DEMO_FAMILIES)
    assert Person.objects.count() == expected
    for person in Person.objects.all():
        code = parse_identity_code(open_identity_code(person), today=TODAY)
        assert code.is_test_code, person
        assert 900 <= code.individual_number <= 999
        assert code.birth_date == person.birth_date


def test_it_has_a_baby_a_12_year_old_and_a_16_year_old(loaded: None) -> None:
    ages = sorted(p.age_on(TODAY) for p in Person.objects.all() if p.is_child_on(TODAY))
    assert ages[0] == 0
    assert 12 in ages
    assert 16 in ages


def test_it_has_a_family_with_two_guardians_and_one_with_one(loaded: None) -> None:
    counts = {guardians_of(demo_person(f.children[0].key), on=TODAY).count() for f in DEMO_FAMILIES}
    assert counts == {1, 2}
    assert set(guardians_of(demo_person("testinen-lumi"), on=TODAY)) == {
        demo_person("testinen-aino"),
        demo_person("testinen-mikko"),
    }


def test_it_has_finnish_and_swedish_speaking_families_in_the_demo_municipalities(loaded: None) -> None:
    languages = set(Person.objects.values_list("language", flat=True))
    assert languages == {"fi", "sv"}
    assert Person.objects.filter(home_municipality__isnull=True).count() == 0
    assert demo_person("testberg-elsa").home_municipality.code == "297"  # type: ignore[union-attr]


def test_it_uses_the_2023_century_signs_too(loaded: None) -> None:
    signs = {
        parse_identity_code(open_identity_code(p), today=TODAY).century_sign for p in Person.objects.all()
    }
    assert {"Y", "B"} <= signs


def test_it_adds_nothing_when_run_again(loaded: None) -> None:
    before = (
        sorted(Person.objects.values_list("id", "identity_code_lookup")),
        sorted(GuardianRelation.objects.values_list("guardian_id", "child_id", "started")),
    )
    summary = load_demo_people(today=TODAY)
    assert (summary.people, summary.guardian_relations) == (0, 0)
    # Even on a later day, when the ages (and so the codes) would come out differently.
    load_demo_people(today=TODAY + datetime.timedelta(days=400))
    after = (
        sorted(Person.objects.values_list("id", "identity_code_lookup")),
        sorted(GuardianRelation.objects.values_list("guardian_id", "child_id", "started")),
    )
    assert after == before


def test_it_loads_with_lape_demo() -> None:
    call_command("demo", stdout=io.StringIO())
    assert Person.objects.count() == sum(len(f.guardians) + len(f.children) for f in DEMO_FAMILIES)
    assert GuardianRelation.objects.exists()


def test_it_names_every_demo_person_as_a_demo() -> None:
    for family in DEMO_FAMILIES:
        for spec in family.guardians + family.children:
            assert "Demo" in spec.given_names
            assert 900 <= spec.individual_number <= 999
