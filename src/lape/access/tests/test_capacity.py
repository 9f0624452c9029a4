"""Who may consent: the ages of the rule, to the day."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lape.access.capacity import may_consent_for_self, must_be_heard

from .conftest import make_person, years_ago


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "days", "heard", "alone"),
    [
        (11, 364, False, False),
        (12, 0, True, False),
        (14, 364, True, False),
        (15, 0, True, True),
        (17, 364, True, True),
        (18, 0, False, True),
    ],
)
def test_it_hears_a_child_from_12_and_lets_one_of_15_consent_alone(
    years: int, days: int, heard: bool, alone: bool
) -> None:
    person = make_person("Testi", "Henkilö", years_ago(years, days))
    today = timezone.localdate()
    assert must_be_heard(person, today) is heard
    assert may_consent_for_self(person, ["health"], today) is alone


@pytest.mark.django_db
@pytest.mark.parametrize(
    "category", ["health", "social_services", "child_protection", "pupil_welfare", "contact"]
)
def test_a_child_of_15_consents_alone_in_their_own_matters(category: str) -> None:
    person = make_person("Testi", "Henkilö", years_ago(15))
    assert may_consent_for_self(person, [category], timezone.localdate())


@pytest.mark.django_db
def test_early_education_is_never_the_childs_to_decide() -> None:
    person = make_person("Testi", "Henkilö", years_ago(16))
    assert not may_consent_for_self(person, ["health", "early_education"], timezone.localdate())
    adult = make_person("Testi", "Aikuinen", years_ago(30))
    assert may_consent_for_self(adult, ["early_education"], timezone.localdate())
