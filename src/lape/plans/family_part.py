"""The family-level part shared by siblings' plans: linking, leaving, its entries, and reading it.

Siblings here are children with the same guardians in force today (lape.people's GuardianRelation;
at least one). A coordinator of one of the siblings' open plans who is on the team of each links
them (`link_plans`): a new part, or the others join the part one of them is in already. A family-
level entry (a goal, an action, a note or a meeting about the whole family: parenting support,
housing) is in its writer's organisation's register and one category, like a plan's entry, and is
**about every child whose plan was linked when it was written** (`FamilyEntry.children`). Reading
or writing one is decided for each of those children by `lape.access.joint` (all must allow: the
relation, own register or the consent for the category and organisation, bans, statutes) and
logged once per child, so each child's family sees it in their own access log.

A linked plan's page shows the part: its entries, each whole or as its heading only, and the
sibling plans by the child's name only to someone on that plan's team too (the read logged on
that plan). The coordinator of a plan unlinks it (`leave_family_part`); the entries written while
it was linked stay about its child.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import decide, guard, log
from lape.access.categories import Category
from lape.access.decisions import Action, Decision, Target
from lape.access.joint import JointDecision, decide_for_all, readable_for_all, targets_for, writing_for_all
from lape.directory.models import Organization
from lape.people.models import GuardianRelation

from .domains import WellbeingDomain
from .entries import category_error
from .models import MAX_TEXT, EntryKind, FamilyEntry, FamilyPart, LinkedPlan, Plan, PlanStatus
from .relations import on_team_of
from .steps import (
    StepRefused,
    frame_decision,
    load_plan,
    must_be_open,
    open_for_writing,
    refuse_step,
    text_error,
)
from .targets import plan_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

FAMILY_PART_RECORD = "family_part"


def family_entry_record_type(kind: str) -> str:
    """The record type of a family-level entry of this kind (family_goal, family_note...)."""
    return f"family_{kind}"


def part_target(part_id: object, child_id: uuid.UUID, actor: Actor) -> Target:
    """The part's frame (which plans are linked, that entries exist) as one child's, in the actor's
    organisation's copy of the team's working information (as targets.plan_target)."""
    return Target(FAMILY_PART_RECORD, str(part_id), child_id, actor.organization_id, Category.CONTACT)


def family_entry_targets(entry: FamilyEntry, children: Iterable[uuid.UUID]) -> tuple[Target, ...]:
    """The entry as each child's it is about: access decides each (lape.access.joint)."""
    record = Target(
        family_entry_record_type(entry.kind), str(entry.pk), None, entry.owner_organization_id, entry.category
    )
    return targets_for(record, children)


def _children_of(entry: FamilyEntry) -> list[uuid.UUID]:
    return sorted((child.pk for child in entry.children.all()), key=str)


def guardians_of_each(
    child_ids: Iterable[uuid.UUID], on: dt.date | None = None
) -> dict[uuid.UUID, frozenset]:
    """Each child's guardians in force on the day (default today in Finland)."""
    day = on or timezone.localdate()
    found: dict[uuid.UUID, set[uuid.UUID]] = {child: set() for child in child_ids}
    for child, guardian in (
        GuardianRelation.objects.active(day)
        .filter(child__in=list(found))
        .values_list("child_id", "guardian_id")
    ):
        found[child].add(guardian)
    return {child: frozenset(guardians) for child, guardians in found.items()}


def are_siblings(child_ids: Iterable[uuid.UUID], on: dt.date | None = None) -> bool:
    """Whether the children have the same guardians (at least one) in force on the day."""
    sets = set(guardians_of_each(child_ids, on).values())
    return len(sets) == 1 and bool(next(iter(sets)))


def active_link(plan: Plan) -> LinkedPlan | None:
    """The plan's link to a family-level part now, if any."""
    return LinkedPlan.objects.filter(plan=plan, left_at__isnull=True).select_related("part").first()


def linked_plans(part: FamilyPart) -> list[Plan]:
    """The plans linked to the part now, oldest link first."""
    return [
        link.plan
        for link in LinkedPlan.objects.filter(part=part, left_at__isnull=True).select_related(
            "plan__child", "plan__coordinator__user", "plan__coordinator__organization"
        )
    ]


def link_plans(actor: Actor, plan_ids: Iterable[uuid.UUID | str]) -> FamilyPart:
    """Link siblings' open plans to one family-level part (a new one, or the one a plan is in already).

    The actor coordinates one of the plans and is on the team of each (a plan they are not on the
    team of: the same 404 as a missing one, logged). Refused: fewer than two plans, a closed plan,
    children without the same guardians, plans in two different parts.
    """
    ids = list(dict.fromkeys(str(pid) for pid in plan_ids))
    if len(ids) < 2:
        raise ValidationError({"plans": _("Choose at least one sibling's plan to link with.")})
    plans = [load_plan(actor, Action.WRITE, pid) for pid in ids]
    for plan in plans:
        frame_decision(actor, Action.WRITE, plan)
        must_be_open(actor, plan)
    parts = {link.part_id: link.part for plan in plans if (link := active_link(plan)) is not None}
    if len(parts) > 1:
        raise ValidationError({"plans": _("These plans are in two different family-level parts already.")})
    part = next(iter(parts.values()), None)
    already = {p.pk: p for p in linked_plans(part)} if part is not None else {}
    if already:  # joining: the part's other plans count as well
        plans += [p for pk, p in already.items() if pk not in {plan.pk for plan in plans}]
        for plan in plans:
            frame_decision(actor, Action.WRITE, plan)
    if not any(plan.coordinator_id == actor.membership_id for plan in plans):
        refuse_step(
            actor,
            plan_target(plans[0], actor),
            _("Only the coordinator of one of the plans links them."),
            "not_coordinator",
        )
    if len({plan.child_id for plan in plans}) < len(plans) or not are_siblings(
        plan.child_id for plan in plans
    ):
        raise ValidationError(
            {"plans": _("Only the plans of siblings with the same guardians can be linked.")}
        )
    new_part = part or FamilyPart(id=uuid.uuid4(), created_by_id=actor.membership_id)
    joint = decide_for_all(
        actor, Action.WRITE, [part_target(new_part.pk, plan.child_id, actor) for plan in plans]
    )
    try:
        with writing_for_all(actor, Action.WRITE, joint):
            if part is None:
                new_part.save(force_insert=True)
            for plan in plans:
                if plan.pk not in already:
                    LinkedPlan.objects.create(part=new_part, plan=plan, linked_by_id=actor.membership_id)
    except IntegrityError:  # linked elsewhere a moment ago
        raise ValidationError(
            {"plans": _("One of these plans was linked a moment ago. Try again.")}
        ) from None
    return new_part


def leave_family_part(actor: Actor, plan_id: uuid.UUID | str) -> LinkedPlan:
    """The plan's coordinator unlinks it from its family-level part (open or closed plan alike)."""
    plan = load_plan(actor, Action.WRITE, plan_id)
    decision = frame_decision(actor, Action.WRITE, plan)
    if plan.coordinator_id != actor.membership_id:
        refuse_step(
            actor, plan_target(plan, actor), _("Only the plan's coordinator unlinks it."), "not_coordinator"
        )
    link = active_link(plan)
    if link is None:
        refuse_step(
            actor, plan_target(plan, actor), _("This plan is not linked to a family-level part."), "unlinked"
        )
    target = part_target(link.part_id, plan.child_id, actor)
    with guard.writing(actor, Action.WRITE, target, decision=decision):
        link.left_at = timezone.now()
        link.left_by_id = actor.membership_id
        link.save(update_fields=["left_at", "left_by"])
    return link


def add_family_entry(
    actor: Actor,
    plan_id: uuid.UUID | str,
    *,
    kind: str,
    category: str,
    text: str,
    domain: str = "",
    due_on: dt.date | None = None,
    held_on: dt.date | None = None,
) -> FamilyEntry:
    """A family-level entry from a linked plan's page, about every child whose plan is linked now.

    The actor is on the team of each linked plan and writes in their own register (access decides
    for each child); a meeting is recorded by a coordinator of one of them.
    """
    plan, _decision = open_for_writing(actor, plan_id)
    link = active_link(plan)
    if link is None:
        refuse_step(
            actor, plan_target(plan, actor), _("This plan is not linked to a family-level part."), "unlinked"
        )
    plans = linked_plans(link.part)
    if len(plans) < 2:
        refuse_step(
            actor,
            plan_target(plan, actor),
            _("Only this plan is linked now: link a sibling's plan before writing for the family."),
            "alone",
        )
    for other in plans:
        frame_decision(actor, Action.WRITE, other)
    if kind == EntryKind.MEETING and not any(p.coordinator_id == actor.membership_id for p in plans):
        refuse_step(
            actor,
            plan_target(plan, actor),
            _("Only a coordinator of the linked plans records the family's meetings."),
            "not_coordinator",
        )
    text = (text or "").strip()
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    if kind not in (EntryKind.GOAL, EntryKind.ACTION, EntryKind.NOTE, EntryKind.MEETING):
        errors["kind"] = _("Choose what kind of entry it is.")
    if error := category_error(actor, category):
        errors["category"] = error
    if error := text_error(text, MAX_TEXT):
        errors["text"] = error
    if kind == EntryKind.GOAL and domain not in WellbeingDomain.values:
        errors["domain"] = _("Choose the wellbeing domain the goal is about.")
    if kind == EntryKind.ACTION and (due_on is None or due_on < today):
        errors["due_on"] = _("Choose the day it is done by: today or later.")
    if kind == EntryKind.MEETING and (held_on is None or held_on > today):
        errors["held_on"] = _("Give the day the meeting was held: today or earlier.")
    if errors:
        raise ValidationError(errors)
    entry = FamilyEntry(
        id=uuid.uuid4(),
        part=link.part,
        kind=kind,
        category=category,
        owner_organization_id=actor.organization_id,
        author_membership_id=actor.membership_id,
        text=text,
        domain=domain if kind == EntryKind.GOAL else "",
        due_on=due_on if kind == EntryKind.ACTION else None,
        held_on=held_on if kind == EntryKind.MEETING else None,
    )
    children = [p.child_id for p in plans]
    joint = decide_for_all(actor, Action.WRITE, family_entry_targets(entry, children))
    with writing_for_all(actor, Action.WRITE, joint):
        if not Plan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).exists():  # closed a moment ago
            raise StepRefused(_("This plan was closed a moment ago."), code="changed")
        entry.save(force_insert=True)
        entry.children.set([p.child for p in plans])
    return entry


@dataclass(frozen=True)
class FamilyEntryView:
    """A family-level entry as this actor sees it: the heading always; `entry` only when all allow."""

    id: uuid.UUID
    kind: str
    category: str
    organization: Organization
    created_at: dt.datetime
    entry: FamilyEntry | None
    refusal: str = ""

    @property
    def shown(self) -> bool:
        """Whether the content is shown."""
        return self.entry is not None

    @property
    def kind_label(self) -> str:
        """The kind in the active language."""
        return str(EntryKind(self.kind).label)


@dataclass(frozen=True)
class SiblingPlan:
    """Another plan linked to the part: the child named only to someone on that plan's team too."""

    plan_id: uuid.UUID
    child_name: str  # "" when the actor is not on that plan's team


@dataclass(frozen=True)
class FamilyPartView:
    """A plan's family-level part as one team member of the plan sees it."""

    part: FamilyPart
    siblings: list[SiblingPlan]
    entries: list[FamilyEntryView]
    on_every_team: bool


def entry_views(decided: list[tuple[FamilyEntry, JointDecision]]) -> list[FamilyEntryView]:
    """Each entry whole when its joint decision allows, otherwise its heading only."""
    return [
        FamilyEntryView(
            id=entry.pk,
            kind=entry.kind,
            category=entry.category,
            organization=entry.owner_organization,
            created_at=entry.created_at,
            entry=entry if joint.allowed else None,
            refusal=joint.reason,
        )
        for entry, joint in decided
    ]


def family_entries(part: FamilyPart) -> list[FamilyEntry]:
    """The part's entries in time order, with their organisation, author and children."""
    return list(
        FamilyEntry.objects.filter(part=part)
        .select_related("owner_organization", "author_membership__user", "author_membership__organization")
        .prefetch_related("children")
    )


def family_part_for(actor: Actor, plan: Plan) -> FamilyPartView | None:
    """The family-level part of a plan the actor has just read (reading.plan_for), or None.

    Logged: the part's frame as this plan's child's; each sibling plan named (a read of its frame);
    each entry shown whole, once per child it is about. Entries withheld are headings, unlogged.
    """
    link = active_link(plan)
    if link is None:
        return None
    part = link.part
    siblings: list[SiblingPlan] = []
    frame_reads: list[tuple[Target, Decision]] = []
    on_every_team = True
    for other in linked_plans(part):
        if other.pk == plan.pk:
            continue
        target = plan_target(other, actor)
        decision = decide(actor, Action.READ, target)
        named = decision.allowed and on_team_of(actor, other)
        on_every_team = on_every_team and named
        if named:
            frame_reads.append((target, decision))
        siblings.append(SiblingPlan(other.pk, str(other.child) if named else ""))
    frame = part_target(part.pk, plan.child_id, actor)
    with transaction.atomic():
        log.append(actor, Action.READ, frame, decide(actor, Action.READ, frame))
        for target, decision in frame_reads:
            log.append(actor, Action.READ, target, decision)
        decided = readable_for_all(
            actor, family_entries(part), lambda entry: family_entry_targets(entry, _children_of(entry))
        )
    return FamilyPartView(
        part=part, siblings=siblings, entries=entry_views(decided), on_every_team=on_every_team
    )


def sibling_plans_to_link(actor: Actor, plan: Plan) -> list[Plan]:
    """The open plans of the child's siblings that the actor is on the team of (candidates to link
    with); each plan's frame read logged (guard.readable)."""
    guardians = guardians_of_each([plan.child_id]).get(plan.child_id)
    if not guardians:
        return []
    candidates = (
        Plan.objects.filter(status=PlanStatus.OPEN, child__guardian_relations__guardian_id__in=guardians)
        .exclude(pk=plan.pk)
        .exclude(child_id=plan.child_id)
        .distinct()
        .select_related("child")
    )
    siblings = [p for p in candidates if are_siblings([plan.child_id, p.child_id]) and on_team_of(actor, p)]
    return guard.readable(actor, siblings, lambda p: plan_target(p, actor))
