"""Reading plans through access: plan_for, entry_for, plans_of, offers_for.

A team member reads the plan's frame (the child, the coordinator, the team in force, the next
review, a pending handover) and sees every entry's heading: its kind, whose register it is in
(the organisation), its category and date. Each entry's content is there only when access allows
it (own register, a consent in force, a law); each such read is logged. The others are
"an entry exists, whose it is" without content, as the issue asks.

**What is logged.** Opening a plan logs one read of its frame (the headings are part of it) and
one read per entry shown whole. An entry withheld from the list is not logged as a refusal: the
list chose it, the actor never asked for its content and sees none of it (docs/access.md: lists
leave out unlogged what they do not show; `access.guard.readable` is that list). Asking for
one entry by id (`entry_for`) is an attempt: a refusal there is logged and answers 404, the same
as a missing entry. A plan that does not exist and one the actor is not on the team of give the
same NotFoundOrForbidden, logged (`not_found`, `no_relation`, or the role's refusal).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q
from django.utils import timezone

from lape.access import decide, guard, log
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.memo import remembered
from lape.directory.models import Organization

from .models import CoordinationOffer, Entry, EntryKind, OfferStatus, Plan, SelfAssessment, TeamMember
from .steps import as_uuid, frame_decision, load_plan
from .targets import entry_target, plan_target, self_assessment_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

R = TypeVar("R")
ENTRY_RECORD = "plan_entry"


@dataclass(frozen=True)
class EntryView:
    """One entry as this actor sees it: the heading always; `entry` (the content) only when allowed."""

    id: uuid.UUID
    kind: str
    category: str
    organization: Organization
    created_at: dt.datetime
    entry: Entry | None
    basis: str = Basis.NONE

    @property
    def shown(self) -> bool:
        """Whether the content is shown (False: "an entry exists, whose it is")."""
        return self.entry is not None


@dataclass(frozen=True)
class AssessmentView:
    """One wellbeing self-assessment as this actor sees it: that it exists, whose register it is in,
    when; `assessment` (the answers) only when allowed."""

    id: uuid.UUID
    category: str
    organization: Organization
    created_at: dt.datetime
    assessment: SelfAssessment | None


@dataclass(frozen=True)
class PlanView:
    """A plan as one team member sees it."""

    plan: Plan
    team: list[TeamMember]
    pending_offer: CoordinationOffer | None
    entries: list[EntryView]
    assessments: list[AssessmentView] = field(default_factory=list)

    @property
    def assessments_shown(self) -> list[SelfAssessment]:
        """The self-assessments whose answers this actor may read."""
        return [view.assessment for view in self.assessments if view.assessment is not None]

    @property
    def withheld(self) -> list[EntryView]:
        """The entries whose content this actor may not read."""
        return [view for view in self.entries if not view.shown]


def team_in_force(plan: Plan, on: dt.date | None = None) -> list[TeamMember]:
    """The plan's team on a day (default today in Finland): not removed, from ≤ day ≤ to."""
    day = on or timezone.localdate()
    return list(
        TeamMember.objects.filter(plan=plan, removed_at__isnull=True, started__lte=day)
        .filter(Q(ended__isnull=True) | Q(ended__gte=day))
        .select_related("membership__user", "membership__organization", "membership__unit")
        .order_by("started", "created_at")
    )


def entries_of(plan: Plan) -> list[Entry]:
    """The plan's entries (in the model's order), with what their template shows of their links.

    A plan's 200 entries are written by a few organisations and professionals about a few goals:
    each linked row is read once and shared (prefetch), not joined into every entry's row, and
    each goal is the plan's own entry, taken from the list.
    """
    entries = list(
        Entry.objects.filter(plan=plan).prefetch_related(
            "owner_organization",
            "author_membership__user",
            "author_person",
            "responsible__membership__user",
            "service",
        )
    )
    by_id = {entry.pk: entry for entry in entries}
    for entry in entries:
        if entry.goal_id in by_id:
            entry.goal = by_id[entry.goal_id]
    return entries


def plan_for(actor: Actor, plan_id: uuid.UUID | str) -> PlanView:
    """The plan with each entry whole or as a heading; missing or forbidden: NotFoundOrForbidden (logged)."""
    plan = load_plan(actor, Action.READ, plan_id)
    decision = frame_decision(actor, Action.READ, plan)
    entries = entries_of(plan)
    views: list[EntryView] = []
    allowed: list[tuple[Target, Decision]] = []
    at = timezone.now()  # one read, one moment: its decisions share the relation, consents and bans
    with remembered():  # every entry is the same child's: asked once, not per entry (access.memo)
        for entry in entries:
            target = entry_target(entry, plan.child_id)
            entry_decision = decide(actor, Action.READ, target, at=at)
            if entry_decision.allowed:
                allowed.append((target, entry_decision))
            views.append(
                EntryView(
                    id=entry.pk,
                    kind=entry.kind,
                    category=entry.category,
                    organization=entry.owner_organization,
                    created_at=entry.created_at,
                    entry=entry if entry_decision.allowed else None,
                    basis=entry_decision.basis,
                )
            )
        assessments = _assessments(actor, plan, allowed, at)
    pending = plan.offers.filter(status=OfferStatus.PENDING).select_related("offered_to__user").first()
    team = team_in_force(plan)
    # The frame's row and every whole entry's and assessment's row, in one transaction and statement.
    log.append_many(actor, Action.READ, [(plan_target(plan, actor), decision), *allowed])
    return PlanView(plan=plan, team=team, pending_offer=pending, entries=views, assessments=assessments)


def _assessments(
    actor: Actor, plan: Plan, allowed: list[tuple[Target, Decision]], at: dt.datetime
) -> list[AssessmentView]:
    """The plan's self-assessments, each decided like an entry; the allowed ones added to `allowed`."""
    views = []
    queryset = SelfAssessment.objects.filter(plan=plan).select_related("owner_organization")
    for assessment in queryset.prefetch_related("answers"):
        target = self_assessment_target(assessment, plan.child_id)
        decision = decide(actor, Action.READ, target, at=at)
        if decision.allowed:
            allowed.append((target, decision))
        views.append(
            AssessmentView(
                id=assessment.pk,
                category=assessment.category,
                organization=assessment.owner_organization,
                created_at=assessment.created_at,
                assessment=assessment if decision.allowed else None,
            )
        )
    return views


def plan_frame(actor: Actor, plan_id: uuid.UUID | str) -> Plan:
    """The plan's frame only (the child, the coordinator, the status), its read logged: for a page
    of one step on the plan that shows none of its entries."""
    plan = load_plan(actor, Action.READ, plan_id)
    log.append(actor, Action.READ, plan_target(plan, actor), frame_decision(actor, Action.READ, plan))
    return plan


def writing_choices(actor: Actor, plan_id: uuid.UUID | str) -> tuple[list[TeamMember], list[Entry]]:
    """What a posted action or note may name: the team in force and the goals the actor may read.

    For checking a posted form only: the goals' content is not shown here, so nothing is logged but
    a refusal of the frame (the page re-shown with an error reads the plan through `plan_for`).
    """
    plan = load_plan(actor, Action.READ, plan_id)
    frame_decision(actor, Action.READ, plan)
    at = timezone.now()
    with remembered():
        goals = [
            goal
            for goal in Entry.objects.filter(plan=plan, kind=EntryKind.GOAL)
            if decide(actor, Action.READ, entry_target(goal, plan.child_id), at=at).allowed
        ]
    return team_in_force(plan), goals


def entry_for(actor: Actor, entry_id: uuid.UUID | str, plan_id: uuid.UUID | str | None = None) -> Entry:
    """One entry by id, if the actor is on its plan's team and access allows it; otherwise 404 (logged).

    With `plan_id` (the API's address), an entry of another plan is missing (logged as not found).
    """
    entries = Entry.objects.select_related("plan")
    if plan_id is not None:
        entries = entries.filter(plan_id=as_uuid(plan_id))
    entry = guard.find(actor, Action.READ, entries, entry_id, ENTRY_RECORD)
    frame_decision(actor, Action.READ, entry.plan)
    guard.check(actor, Action.READ, entry_target(entry, entry.plan.child_id))
    return entry


def plans_of(actor: Actor, on: dt.date | None = None) -> list[Plan]:
    """The plans the actor coordinates or is on the team of, newest first; each plan's frame read logged."""
    day = on or timezone.localdate()
    on_team = Q(
        team__membership_id=actor.membership_id, team__removed_at__isnull=True, team__started__lte=day
    ) & (Q(team__ended__isnull=True) | Q(team__ended__gte=day))
    plans = (
        Plan.objects.filter(Q(coordinator_id=actor.membership_id) | on_team)
        .distinct()
        .select_related("child", "coordinator__user", "coordinator__organization")
    )
    return guard.readable(actor, plans, lambda plan: plan_target(plan, actor))


def offers_for(actor: Actor) -> list[CoordinationOffer]:
    """The offers of a plan's coordination waiting for the actor's answer; each plan's frame read logged."""
    offers = CoordinationOffer.objects.filter(
        offered_to_id=actor.membership_id, status=OfferStatus.PENDING
    ).select_related("plan__child", "offered_by__user")
    return guard.readable(actor, offers, lambda offer: plan_target(offer.plan, actor))
