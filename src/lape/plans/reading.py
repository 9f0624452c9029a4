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
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lape.access import decide, guard, log
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.relations import remembered
from lape.directory.models import Organization

from .models import CoordinationOffer, Entry, OfferStatus, Plan, TeamMember
from .steps import as_uuid, frame_decision, load_plan
from .targets import entry_target, plan_target

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
class PlanView:
    """A plan as one team member sees it."""

    plan: Plan
    team: list[TeamMember]
    pending_offer: CoordinationOffer | None
    entries: list[EntryView]

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


def plan_for(actor: Actor, plan_id: uuid.UUID | str) -> PlanView:
    """The plan with each entry whole or as a heading; missing or forbidden: NotFoundOrForbidden (logged)."""
    plan = load_plan(actor, Action.READ, plan_id)
    decision = frame_decision(actor, Action.READ, plan)
    entries = list(
        Entry.objects.filter(plan=plan).select_related(
            "owner_organization",
            "author_membership__user",
            "goal",
            "responsible__membership__user",
            "service",
        )
    )
    views: list[EntryView] = []
    allowed: list[tuple[Target, Decision]] = []
    with remembered():  # every entry is the same child's: the relation is asked once, not per entry
        for entry in entries:
            target = entry_target(entry, plan.child_id)
            entry_decision = decide(actor, Action.READ, target)
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
    pending = plan.offers.filter(status=OfferStatus.PENDING).select_related("offered_to__user").first()
    team = team_in_force(plan)
    with transaction.atomic():  # the frame's row and every whole entry's row commit together
        log.append(actor, Action.READ, plan_target(plan, actor), decision)
        for target, entry_decision in allowed:
            log.append(actor, Action.READ, target, entry_decision)
    return PlanView(plan=plan, team=team, pending_offer=pending, entries=views)


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
