"""What of the plans app has passed its retention period (lape.access.retention, `lape purge`).

- **A closed plan** goes as a whole – its entries, team and offers – when the longest period of
  the categories in it (its entries', and the frame's `contact`) has passed since it was closed.
  Entry by entry would break the plan (an action names its goal and its responsible member, which
  the database protects) and would leave a plan that no longer says what was done; so an entry is
  kept as long as the longest-kept entry of its plan. An open plan is never purged.
- **A concern signal** goes, with its matches, `concern_signal` years after it ended (withdrawn,
  or its time in force ran out).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from lape.access.categories import Category
from lape.access.decisions import Target
from lape.access.retention import Expired, ended_before, retention_years, years_before

from .concerns import match_target, signal_target
from .models import ConcernMatch, ConcernSignal, CoordinationOffer, Entry, Plan, PlanStatus, TeamMember
from .targets import PLAN_RECORD, entry_target

SIGNAL_PERIOD = "concern_signal"


def _frame_target(plan: Plan) -> Target:
    """The plan's frame, in the coordinator's organisation's register (each team organisation's copy goes with it)."""
    return Target(
        record_type=PLAN_RECORD,
        record_id=str(plan.pk),
        person_id=plan.child_id,
        owner_organization_id=plan.coordinator.organization_id,
        category=Category.CONTACT,
    )


def _remove_plans(plan_ids: list[object]) -> None:
    # In the order the database's protections ask: entries naming a goal, the other entries, then
    # the offers, the team (an action names its responsible member) and the plans.
    Entry.objects.filter(plan_id__in=plan_ids, goal__isnull=False).delete()
    Entry.objects.filter(plan_id__in=plan_ids).delete()
    CoordinationOffer.objects.filter(plan_id__in=plan_ids).delete()
    TeamMember.objects.filter(plan_id__in=plan_ids).delete()
    Plan.objects.filter(pk__in=plan_ids).delete()


def expired_plans(now: dt.datetime) -> Expired:
    """The closed plans whose every category's period has passed since closing."""
    shortest = min(retention_years(c) for c in Category.values)
    candidates = Plan.objects.filter(
        status=PlanStatus.CLOSED, closed_at__lt=years_before(now, shortest)
    ).select_related("coordinator")
    targets: list[Target] = []
    plan_ids: list[object] = []
    for plan in candidates:
        entries = list(Entry.objects.filter(plan=plan))
        categories = {str(Category.CONTACT)} | {e.category for e in entries}
        assert plan.closed_at is not None  # noqa: S101 - the query asked for it
        if all(plan.closed_at < ended_before(c, now) for c in categories):
            plan_ids.append(plan.pk)
            targets.append(_frame_target(plan))
            targets += [entry_target(e, plan.child_id) for e in entries]
    return Expired(
        "closed_plans",
        _("closed shared plans past their retention period"),
        targets,
        lambda: _remove_plans(plan_ids),
    )


def expired_signals(now: dt.datetime) -> Expired:
    """The concern signals that ended (withdrawn or run out) more than their period ago, with their matches."""
    cut = ended_before(SIGNAL_PERIOD, now)
    signals = list(
        ConcernSignal.objects.filter(
            Q(withdrawn_at__lt=cut) | Q(withdrawn_at__isnull=True, expires_at__lt=cut)
        ).order_by("created_at", "id")
    )
    ids = [s.pk for s in signals]
    matches = ConcernMatch.objects.filter(Q(earlier_id__in=ids) | Q(later_id__in=ids)).select_related(
        "earlier"
    )
    targets = [signal_target(s.pk, s.child_id, s.organization_id) for s in signals]
    targets += [match_target(m, m.earlier) for m in matches]
    return Expired(
        "concern_signals",
        _("concern signals past their retention period"),
        targets,
        lambda: ConcernSignal.objects.filter(pk__in=ids).delete(),
    )


def expired_records(now: dt.datetime) -> list[Expired]:
    """The plans app's records past their retention (registered with lape.access.retention)."""
    return [expired_plans(now), expired_signals(now)]
