"""The statutory clocks of a child-protection notification (Child Welfare Act 417/2007, 26 §).

On receiving a notification, the social worker decides within seven working days whether to start
a child-protection assessment (the need for child protection is assessed "at once", and the
decision to start an assessment made within seven working days of receipt); the assessment is
completed within three months of receipt (26 § 3 mom.; Social Welfare Act 1301/2014, 36 §).

Here: the notification's receipt is when it was sent (`requested_at`); the decision is its
acceptance (accepted: an assessment is started) or rejection (rejected: none is needed, with the
reason); the assessment is done when the notification is completed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Referral, ReferralKind, ReferralStatus
from .working_days import add_working_days

DECISION_WORKING_DAYS = 7
ASSESSMENT_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Clock:
    """One statutory time limit: when it is due, when it was met (if it was), and whether it is late."""

    due_on: dt.date
    met_on: dt.date | None
    overdue: bool
    days_left: int  # calendar days until due (negative: late by); 0 once met


@dataclass(frozen=True)
class ChildProtectionClocks:
    """The two clocks of a notification: the decision to assess (7 working days), the assessment (3 months)."""

    received_on: dt.date
    decision: Clock
    assessment: Clock


def _clock(due_on: dt.date, met_on: dt.date | None, today: dt.date, running: bool) -> Clock:
    if met_on is not None:
        return Clock(due_on=due_on, met_on=met_on, overdue=met_on > due_on, days_left=0)
    return Clock(
        due_on=due_on, met_on=None, overdue=running and today > due_on, days_left=(due_on - today).days
    )


def child_protection_clocks(
    referral: Referral, now: dt.datetime | None = None
) -> ChildProtectionClocks | None:
    """The clocks of a child-protection notification once received; None for other referrals and drafts."""
    if referral.kind != ReferralKind.CHILD_PROTECTION_NOTIFICATION or referral.requested_at is None:
        return None
    today = timezone.localdate(now or timezone.now())
    received = timezone.localdate(referral.requested_at)
    stopped = referral.status in (
        ReferralStatus.CANCELLED,
        ReferralStatus.ENTERED_IN_ERROR,
        ReferralStatus.FAILED,
    )
    decided_at = referral.accepted_at or (
        referral.ended_at if referral.status == ReferralStatus.REJECTED else None
    )
    decided = timezone.localdate(decided_at) if decided_at else None
    assessed = (
        timezone.localdate(referral.ended_at)
        if referral.status == ReferralStatus.COMPLETED and referral.ended_at
        else None
    )
    assessing = referral.status not in (ReferralStatus.REJECTED,) and not stopped
    return ChildProtectionClocks(
        received_on=received,
        decision=_clock(add_working_days(received, DECISION_WORKING_DAYS), decided, today, not stopped),
        assessment=_clock(add_months(received, ASSESSMENT_MONTHS), assessed, today, assessing),
    )
