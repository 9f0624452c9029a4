"""The plan in the family's own view: what a guardian, or a young person of 12 or more, reads of it.

Who: the child themselves, or a guardian in custody today (`lape.access.family.family_decision`),
on the basis of the right of access to one's own data (GDPR 2016/679, article 15), which a guardian
uses as the child's legal representative — as the family's access log does
(docs/decisions/006-family-reads-in-the-access-log.md). The family reads the frame (the child, the
coordinator, the team with their organisations' contacts, the next review, meetings coming), the
goals and actions, the child's and the guardians' own words (voice.py) and the child's wellbeing
self-assessments (self_assessment.py). Notes and past meetings' records stay with the
professionals for now. The family-level part shared with siblings' plans (family_part.py) is shown
entry by entry under `lape.access.family.family_joint_decision`: whole to a guardian of every child
it is about, and to a young person of 12 or more who is one of them; otherwise as its heading only.
Each page is a logged read: the frame's row and one row per entry or self-assessment shown (a
family-level entry: one row per child it is about), in one transaction; another family's plan, a child's after custody ended and a missing
plan give the same 404, logged as refused.

What the law keeps from a guardian: a young person's own confidential entries (`Entry.confidential`,
Patients' Act 785/1992, 9 §; Social Welfare Client Act 812/2000, 11 §). `kept_from` leaves them out
of the guardian's plan page (unlogged: the guardian neither asked for nor sees them), and
`kept_log_records` out of the guardian's view of the child's access log (access asks it through
`register_kept_records`); the young person themselves sees both.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lape.access import guard, log
from lape.access.decisions import Action, Target
from lape.access.family import FamilyLink, family_decision, family_joint_decision
from lape.access.joint import log_for_all

from .family_part import FamilyEntryView, active_link, entry_views, family_entries, family_entry_targets
from .models import Entry, EntryKind, Plan, PlanStatus, SelfAssessment, TeamMember
from .reading import team_in_force
from .targets import PLAN_RECORD, entry_target, self_assessment_target

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember
    from lape.people.models import Person


@dataclass(frozen=True)
class FamilyPlanView:
    """A plan as a family member reads it."""

    plan: Plan
    team: list[TeamMember]
    goals: list[Entry]
    actions: list[Entry]
    meetings_coming: list[Entry]
    own_words: list[Entry]
    assessments: list[SelfAssessment]
    family_entries: list[FamilyEntryView]


def family_plan_target(plan: Plan) -> Target:
    """The plan's frame as the family reads it: the child's, in the coordinator's register."""
    return Target(
        record_type=PLAN_RECORD,
        record_id=str(plan.pk),
        person_id=plan.child_id,
        owner_organization_id=plan.coordinator.organization_id,
        category="",
    )


def kept_from(member: FamilyMember, plan: Plan, entry: Entry | SelfAssessment) -> bool:
    """Whether the law keeps this entry from the member: a young person's own confidential entry,
    from anyone but the young person (their guardians). A self-assessment is never marked."""
    return isinstance(entry, Entry) and entry.confidential and member.person_id != plan.child_id


def kept_log_records(member: FamilyMember, person: Person) -> set[str]:
    """The record ids of the person's access-log rows kept from the member: the confidential entries
    of the person's plans, unless the member is the person. (Entry ids are UUIDs: no other record's.)"""
    if member.person_id == person.pk:
        return set()
    ids = Entry.objects.filter(plan__child=person, confidential=True).values_list("pk", flat=True)
    return {str(entry_id) for entry_id in ids}


def plan_team_organizations(person: Person) -> list[uuid.UUID]:
    """The organisations on the person's open plans today: the coordinator's and each member's in force.

    The family gives consents to these from its own view (lape.access.family.register_consent_organizations).
    """
    today = timezone.localdate()
    plans = Plan.objects.filter(child=person, status=PlanStatus.OPEN)
    coordinators = plans.values_list("coordinator__organization_id", flat=True)
    members = (
        TeamMember.objects.filter(plan__in=plans, removed_at__isnull=True, started__lte=today)
        .filter(Q(ended__isnull=True) | Q(ended__gte=today))
        .values_list("membership__organization_id", flat=True)
    )
    return sorted({*coordinators, *members}, key=str)


def family_plan_links(member: FamilyMember, people: list[Person]) -> list[FamilyLink]:
    """The family home page's link to each open plan of these people; each plan's frame read logged."""
    plans = Plan.objects.filter(child__in=people, status=PlanStatus.OPEN).select_related(
        "child", "coordinator"
    )
    links = []
    for plan in plans:
        guard.enforce(member, Action.READ, family_plan_target(plan), family_decision(member, plan.child_id))
        url = reverse("plans:family_plan", kwargs={"plan_id": plan.pk})
        links.append(FamilyLink(plan.child_id, url, _("Shared plan: %(name)s") % {"name": plan.child}))
    return links


def family_plan_for(
    member: FamilyMember, plan_id: uuid.UUID | str, on: dt.date | None = None
) -> FamilyPlanView:
    """The plan for the family; missing or forbidden: NotFoundOrForbidden (logged)."""
    day = on or timezone.localdate()
    queryset = Plan.objects.select_related("child", "coordinator__user", "coordinator__organization")
    plan = guard.find(member, Action.READ, queryset, plan_id, PLAN_RECORD)
    decision = guard.raise_if_refused(
        member, Action.READ, family_plan_target(plan), family_decision(member, plan.child_id, day)
    )
    entries = [
        entry
        for entry in Entry.objects.filter(
            plan=plan, kind__in=[EntryKind.GOAL, EntryKind.ACTION, EntryKind.MEETING, EntryKind.VOICE]
        ).select_related(
            "owner_organization",
            "author_membership__user",
            "author_person",
            "goal",
            "responsible__membership__user",
            "service",
        )
        if not kept_from(member, plan, entry)
    ]
    meetings = [e for e in entries if e.kind == EntryKind.MEETING and e.held_on and e.held_on >= day]
    kinds = (EntryKind.GOAL, EntryKind.ACTION, EntryKind.VOICE)
    shown = [e for e in entries if e.kind in kinds] + meetings
    assessments = [
        assessment
        for assessment in SelfAssessment.objects.filter(plan=plan)
        .select_related("author_membership__user", "author_person")
        .prefetch_related("answers")
        if not kept_from(member, plan, assessment)
    ]
    link = active_link(plan)
    decided = [
        (
            entry,
            family_joint_decision(
                member, family_entry_targets(entry, [c.pk for c in entry.children.all()]), day
            ),
        )
        for entry in (family_entries(link.part) if link else [])
        if entry.kind in (EntryKind.GOAL, EntryKind.ACTION)
        or (entry.kind == EntryKind.MEETING and entry.held_on and entry.held_on >= day)
    ]
    rows = [
        (family_plan_target(plan), decision),
        *((entry_target(entry, plan.child_id), decision) for entry in shown),
        *((self_assessment_target(assessment, plan.child_id), decision) for assessment in assessments),
    ]
    with transaction.atomic():  # the frame's row and every shown entry's row commit together
        log.append_many(member, Action.READ, rows)
        for _entry, joint in decided:  # a family-level entry: one row per child it is about
            if joint.allowed:
                log_for_all(member, Action.READ, joint)
    return FamilyPlanView(
        plan=plan,
        team=team_in_force(plan, day),
        goals=[e for e in entries if e.kind == EntryKind.GOAL],
        actions=[e for e in entries if e.kind == EntryKind.ACTION],
        meetings_coming=meetings,
        own_words=[e for e in entries if e.kind == EntryKind.VOICE],
        assessments=assessments,
        family_entries=entry_views(decided),
    )
