"""The clocks of a child-protection notification: 7 working days to decide, 3 months to assess."""

from __future__ import annotations

import datetime as dt

import pytest

from lape.referrals.deadlines import add_months, child_protection_clocks
from lape.referrals.models import Referral, ReferralKind, ReferralStatus

HELSINKI = dt.timezone(dt.timedelta(hours=2))


def _notification(
    received: dt.datetime, status: str = ReferralStatus.REQUESTED, **times: dt.datetime
) -> Referral:
    # Only the fields the clocks read; never saved.
    return Referral(
        kind=ReferralKind.CHILD_PROTECTION_NOTIFICATION, status=status, requested_at=received, **times
    )


def test_the_decision_is_due_seven_working_days_after_receipt_over_christmas() -> None:
    # Friday 19 Dec 2025: 22, 23, 29, 30, 31 Dec, 2 Jan (1 Jan off), 5 Jan (6 Jan Epiphany after).
    received = dt.datetime(2025, 12, 19, 14, 0, tzinfo=HELSINKI)
    clocks = child_protection_clocks(_notification(received), now=received)
    assert clocks is not None
    assert clocks.received_on == dt.date(2025, 12, 19)
    assert clocks.decision.due_on == dt.date(2026, 1, 5)
    assert clocks.assessment.due_on == dt.date(2026, 3, 19)
    assert not clocks.decision.overdue


def test_receipt_late_in_the_evening_counts_on_the_finnish_day() -> None:
    # 23:30 in Helsinki is still 21:30 UTC on the same day; 00:30 Helsinki is the previous UTC day.
    late = dt.datetime(2025, 11, 3, 22, 30, tzinfo=dt.UTC)  # Tuesday 4 Nov 00:30 in Helsinki
    clocks = child_protection_clocks(_notification(late), now=late)
    assert clocks is not None
    assert clocks.received_on == dt.date(2025, 11, 4)


def test_the_decision_clock_runs_late_until_a_decision() -> None:
    received = dt.datetime(2025, 11, 3, 9, 0, tzinfo=HELSINKI)
    later = dt.datetime(2025, 11, 20, 9, 0, tzinfo=HELSINKI)
    clocks = child_protection_clocks(_notification(received), now=later)
    assert clocks is not None
    assert clocks.decision.due_on == dt.date(2025, 11, 12)
    assert clocks.decision.overdue
    assert clocks.decision.days_left == -8


def test_an_acceptance_meets_the_decision_clock() -> None:
    received = dt.datetime(2025, 11, 3, 9, 0, tzinfo=HELSINKI)
    accepted = dt.datetime(2025, 11, 6, 9, 0, tzinfo=HELSINKI)
    referral = _notification(received, ReferralStatus.ACCEPTED, accepted_at=accepted)
    clocks = child_protection_clocks(referral, now=dt.datetime(2025, 12, 1, tzinfo=HELSINKI))
    assert clocks is not None
    assert clocks.decision.met_on == dt.date(2025, 11, 6)
    assert not clocks.decision.overdue
    assert clocks.assessment.overdue is False
    assert clocks.assessment.due_on == dt.date(2026, 2, 3)


def test_the_assessment_clock_is_late_after_three_months() -> None:
    received = dt.datetime(2025, 11, 3, 9, 0, tzinfo=HELSINKI)
    referral = _notification(received, ReferralStatus.IN_PROGRESS, accepted_at=received)
    clocks = child_protection_clocks(referral, now=dt.datetime(2026, 2, 4, 9, 0, tzinfo=HELSINKI))
    assert clocks is not None
    assert clocks.assessment.overdue


def test_a_completed_assessment_meets_its_clock() -> None:
    received = dt.datetime(2025, 11, 3, 9, 0, tzinfo=HELSINKI)
    done = dt.datetime(2026, 1, 15, 9, 0, tzinfo=HELSINKI)
    referral = _notification(received, ReferralStatus.COMPLETED, accepted_at=received, ended_at=done)
    clocks = child_protection_clocks(referral, now=dt.datetime(2026, 6, 1, tzinfo=HELSINKI))
    assert clocks is not None
    assert clocks.assessment.met_on == dt.date(2026, 1, 15)
    assert not clocks.assessment.overdue


def test_other_referrals_and_drafts_have_no_clocks() -> None:
    now = dt.datetime(2025, 11, 3, tzinfo=dt.UTC)
    assert child_protection_clocks(Referral(kind=ReferralKind.REFERRAL, requested_at=now), now) is None
    assert child_protection_clocks(Referral(kind=ReferralKind.CHILD_PROTECTION_NOTIFICATION), now) is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2025, 10, 15), 3, dt.date(2026, 1, 15)),
        (dt.date(2025, 12, 31), 3, dt.date(2026, 3, 31)),
    ],
)
def test_three_months_end_on_the_same_day_or_the_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected
