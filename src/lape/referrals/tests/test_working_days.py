"""Working days in the Finnish calendar: weekends and public holidays do not count."""

from __future__ import annotations

import datetime as dt

import pytest

from lape.referrals.working_days import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2024, 12, 6), "Independence Day (a Friday)"),
        (D(2025, 12, 24), "Christmas Eve"),
        (D(2025, 12, 25), "Christmas Day"),
        (D(2025, 12, 26), "Boxing Day"),
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 1, 6), "Epiphany"),
        (D(2025, 4, 18), "Good Friday"),
        (D(2025, 4, 21), "Easter Monday"),
        (D(2025, 5, 1), "May Day"),
        (D(2025, 5, 29), "Ascension Day"),
        (D(2025, 6, 20), "Midsummer Eve"),
        (D(2025, 12, 6), "a Saturday (and Independence Day)"),
        (D(2025, 12, 7), "a Sunday"),
    ],
)
def test_it_knows_the_days_off(day: dt.date, why: str) -> None:
    assert not is_working_day(day), why


def test_it_counts_an_ordinary_weekday() -> None:
    assert is_working_day(D(2025, 12, 5))  # the Friday before Independence Day on a Saturday


def test_it_skips_independence_day_on_a_friday() -> None:
    # Thursday 5 Dec 2024 + 1 working day: Friday is Independence Day, so Monday 9 Dec.
    assert add_working_days(D(2024, 12, 5), 1) == D(2024, 12, 9)


def test_it_skips_christmas_and_the_weekend() -> None:
    # Tuesday 23 Dec 2025: 24, 25, 26 are holidays, 27–28 a weekend.
    assert add_working_days(D(2025, 12, 23), 1) == D(2025, 12, 29)
    assert add_working_days(D(2025, 12, 23), 2) == D(2025, 12, 30)


def test_it_does_not_count_the_first_day() -> None:
    assert add_working_days(D(2025, 11, 3), 0) == D(2025, 11, 3)
    assert add_working_days(D(2025, 11, 3), 2) == D(2025, 11, 5)  # Monday → Wednesday


def test_it_counts_the_working_days_in_between_over_easter() -> None:
    # Thursday 17 Apr 2025 to Tuesday 22 Apr: Good Friday, the weekend and Easter Monday are off.
    assert working_days_between(D(2025, 4, 17), D(2025, 4, 22)) == 1
    assert working_days_between(D(2025, 4, 22), D(2025, 4, 17)) == 0


def test_it_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2025, 1, 1), -1)


def test_counting_forward_and_back_agree_over_a_whole_year() -> None:
    start = D(2025, 1, 1)
    for days in range(0, 260, 7):
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
        assert days == 0 or is_working_day(end)
