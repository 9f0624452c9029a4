"""The plans app's part of the family's export (lape.access.family_export): plans and concern signals.

What the family's own pages show, and no more: a plan's frame (status, coordinator, team with
their organisations, next review, the closing summary), its goals, actions and meetings (each
through `kept_from`, as the plan page filters them: what the law keeps from a guardian is not
exported either); notes stay with the professionals, as on the page. Concern signals: that they
exist, by which organisation, since and until when, in force or not, never the professional's
contact. The export logs each plan's frame and each entry exported, and one row for the signals.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from lape.access.categories import Category
from lape.access.family import family_target
from lape.access.family_export import ExportItem, ExportSection, item

from .concerns import SIGNAL_RECORD, signals_about
from .domains import WellbeingDomain
from .family import family_plan_target, kept_from
from .models import Entry, EntryKind, Plan, PlanStatus, TeamMember
from .targets import entry_target

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember
    from lape.accounts.models import Membership
    from lape.people.models import Person

EXPORTED_KINDS = (EntryKind.GOAL, EntryKind.ACTION, EntryKind.MEETING)


def _professional(membership: Membership) -> str:
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name}, {membership.get_role_display()}, {membership.organization}"


def _team_item(member: TeamMember) -> ExportItem:
    return item(
        ("professional", _("Professional"), _professional(member.membership)),
        ("organisation_email", _("Organisation's e-mail"), member.membership.organization.email or ""),
        ("task", _("Task"), member.task),
        ("from", _("From"), member.started),
        (
            "to",
            _("To"),
            member.ended or (timezone.localdate(member.removed_at) if member.removed_at else None),
        ),
    )


def _entry_item(entry: Entry) -> ExportItem:
    fields: list[tuple[str, str, object]] = [
        ("kind", _("Kind"), str(EntryKind(entry.kind).label)),
        ("written", _("Written"), entry.created_at),
        ("organisation", _("Organisation"), str(entry.owner_organization)),
        ("category", _("Information category"), str(Category(entry.category).label)),
        ("text", _("Text"), entry.text),
    ]
    if entry.kind == EntryKind.GOAL:
        domain = str(WellbeingDomain(entry.domain).label) if entry.domain in WellbeingDomain.values else ""
        fields += [
            ("domain", _("Wellbeing domain"), domain),
            ("child_words", _("In the child's words"), entry.child_words),
        ]
    elif entry.kind == EntryKind.ACTION:
        fields += [
            (
                "responsible",
                _("Who"),
                _professional(entry.responsible.membership) if entry.responsible else "",
            ),
            ("due_on", _("By when"), entry.due_on),
            ("service", _("Service"), entry.service.text("name") if entry.service else ""),
            ("method", _("Method"), entry.method),
        ]
    elif entry.kind == EntryKind.MEETING:
        fields += [
            ("held_on", _("Held on"), entry.held_on),
            ("participants", _("Participants"), entry.participants),
            ("next_review_on", _("Next review"), entry.next_review_on),
        ]
    return item(*fields)  # type: ignore[arg-type]


def _plans_section(member: FamilyMember, person: Person) -> ExportSection:
    plans = Plan.objects.filter(child=person).select_related("coordinator__user", "coordinator__organization")
    items, targets = [], []
    for plan in plans:
        team = TeamMember.objects.filter(plan=plan).select_related(
            "membership__user", "membership__organization"
        )
        entries = [
            entry
            for entry in Entry.objects.filter(plan=plan, kind__in=EXPORTED_KINDS).select_related(
                "owner_organization",
                "responsible__membership__user",
                "responsible__membership__organization",
                "service",
            )
            if not kept_from(member, plan, entry)
        ]
        targets.append(family_plan_target(plan))
        targets += [entry_target(entry, plan.child_id) for entry in entries]
        items.append(
            item(
                ("id", _("Plan"), str(plan.pk)),
                ("status", _("Status"), str(PlanStatus(plan.status).label)),
                ("started", _("Started"), plan.created_at),
                ("coordinator", _("Coordinator"), _professional(plan.coordinator)),
                ("next_review_on", _("Next review"), plan.next_review_on),
                ("closed_at", _("Closed"), plan.closed_at),
                ("closing_summary", _("Closing summary"), plan.closing_summary),
                ("team", _("The team"), [_team_item(m) for m in team]),
                ("entries", _("Goals, actions and meetings"), [_entry_item(e) for e in entries]),
            )
        )
    return ExportSection(key="plans", title=_("Shared plans"), items=items, targets=targets)


def _signals_section(person: Person) -> ExportSection:
    now = timezone.now()
    items = []
    for signal in signals_about(person.pk):
        state = (
            _("in force") if signal.in_force(now) else _("withdrawn") if signal.withdrawn_at else _("ended")
        )
        items.append(
            item(
                ("organisation", _("Organisation"), str(signal.organization)),
                ("since", _("Since"), signal.created_at),
                ("until", _("Until"), signal.withdrawn_at or signal.expires_at),
                ("state", _("State"), state),
            )
        )
    return ExportSection(
        key="concern_signals",
        title=_("Concern signals"),
        items=items,
        targets=[family_target(SIGNAL_RECORD, person.pk)],
    )


def family_export_sections(member: FamilyMember, person: Person, on: dt.date) -> list[ExportSection]:
    """The person's plans and concern signals for the family's export (read only; access logs)."""
    return [_plans_section(member, person), _signals_section(person)]
