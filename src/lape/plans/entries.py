"""Writing a plan's entries: add_goal, add_action, add_note, record_meeting.

A professional on the team writes in their own organisation's register, in an information
category their role handles there (lape.access.registers): a school social worker in pupil welfare
or social services, a nurse in health. Consent never lets anyone write in another's register.
Recording a meeting or review (which also sets the plan's next review) is the coordinator's.
The child's and the guardians' own entries come with the family's pages (docs/plans.md).

An entry of health care or social care about a young person of 12 or over may be marked
`confidential`: the young person has forbidden telling their guardians (Patients' Act 785/1992,
9 §; Social Welfare Client Act 812/2000, 11 §), and the family's view keeps it from them
(`lape.plans.family.kept_from`). It changes nothing for the professionals.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import decide
from lape.access.capacity import CONFIDENTIAL_FROM_GUARDIANS, may_keep_from_guardians
from lape.access.categories import Category
from lape.access.decisions import Action
from lape.access.registers import handles_in_own_register
from lape.directory.models import Service

from .domains import WellbeingDomain
from .models import ENTRY_CATEGORIES, MAX_TEXT, Entry, EntryKind, Plan, PlanStatus, TeamMember
from .steps import StepRefused, as_uuid, must_coordinate, open_for_writing, text_error, writing_unless_changed
from .targets import entry_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

MAX_METHOD = 200


def category_error(actor: Actor, category: str) -> Any:
    """The error for a category the actor may not write an entry in (their own register's only), or None."""
    if category not in ENTRY_CATEGORIES:
        return _("Choose the information category of the entry.")
    if not handles_in_own_register(actor.role, category):
        mine = [str(Category(c).label) for c in ENTRY_CATEGORIES if handles_in_own_register(actor.role, c)]
        if not mine:
            return _("Your role keeps no information of its own in a plan.")
        return _("You can write only in your own register's categories: %(names)s.") % {
            "names": ", ".join(mine)
        }
    return None


def _confidential_error() -> Any:
    names = ", ".join(str(Category(c).label) for c in CONFIDENTIAL_FROM_GUARDIANS)
    return _(
        "Only an entry of %(names)s about a young person of 12 or over can be kept from the guardians."
    ) % {"names": names}


def _goal_error(actor: Actor, plan: Plan, goal_id: object) -> tuple[Entry | None, Any]:
    """The goal of this plan an entry is tied to: one the actor may read (else as if there were none)."""
    if goal_id in (None, ""):
        return None, None
    goal = Entry.objects.filter(plan=plan, kind=EntryKind.GOAL, pk=as_uuid(goal_id)).first()
    if goal is None or not decide(actor, Action.READ, entry_target(goal, plan.child_id)).allowed:
        return None, _("Choose a goal of this plan.")
    return goal, None


def _write(
    actor: Actor,
    plan_id: uuid.UUID | str,
    kind: str,
    category: str,
    check: Any,
    *,
    coordinator_only: str = "",
    confidential: bool = False,
) -> Entry:
    """The common steps: the plan open, the actor on its team, the input checked, then the entry and its log row.

    `check(plan, errors)` adds its field errors and returns the entry's own fields.
    """
    plan, _decision = open_for_writing(actor, plan_id)
    if coordinator_only:
        must_coordinate(actor, plan, coordinator_only)
    errors: dict[str, Any] = {}
    if error := category_error(actor, category):
        errors["category"] = error
    if confidential and not may_keep_from_guardians(plan.child, category, timezone.localdate()):
        errors["confidential"] = _confidential_error()
    fields = check(plan, errors)
    if errors:
        raise ValidationError(errors)
    entry = Entry(
        id=uuid.uuid4(),
        plan=plan,
        kind=kind,
        category=category,
        owner_organization_id=actor.organization_id,
        author_membership_id=actor.membership_id,
        confidential=confidential,
        **fields,
    )
    target = entry_target(entry, plan.child_id)
    with writing_unless_changed(actor, target, decide(actor, Action.WRITE, target)):
        if not Plan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).exists():  # closed a moment ago
            raise StepRefused(_("This plan was closed a moment ago."), code="changed")
        entry.save(force_insert=True)
        if kind == EntryKind.MEETING and entry.next_review_on is not None:
            Plan.objects.filter(pk=plan.pk).update(
                next_review_on=entry.next_review_on, updated_at=timezone.now()
            )
    return entry


def add_goal(
    actor: Actor,
    plan_id: uuid.UUID | str,
    *,
    category: str,
    domain: str,
    words: str = "",
    child_words: str = "",
    confidential: bool = False,
) -> Entry:
    """A goal tied to a wellbeing domain, in the professionals' words, the child's own words, or both."""
    words, child_words = (words or "").strip(), (child_words or "").strip()

    def check(plan: Plan, errors: dict[str, Any]) -> dict[str, Any]:
        if domain not in WellbeingDomain.values:
            errors["domain"] = _("Choose the wellbeing domain the goal is about.")
        if not words and not child_words:
            errors["words"] = _("Write the goal in the child's own words, in yours, or both.")
        for field, value in (("words", words), ("child_words", child_words)):
            if error := text_error(value, MAX_TEXT, required=False):
                errors[field] = error
        return {"domain": domain, "text": words, "child_words": child_words}

    return _write(actor, plan_id, EntryKind.GOAL, category, check, confidential=confidential)


def add_action(
    actor: Actor,
    plan_id: uuid.UUID | str,
    *,
    category: str,
    what: str,
    responsible_id: uuid.UUID | str,
    due_on: dt.date | None,
    goal_id: uuid.UUID | str | None = None,
    service_id: uuid.UUID | str | None = None,
    method: str = "",
    confidential: bool = False,
) -> Entry:
    """An action: who on the team does what, by when; optionally for a goal, with a directory service and a method."""
    what, method = (what or "").strip(), (method or "").strip()

    def check(plan: Plan, errors: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        if error := text_error(what, MAX_TEXT):
            errors["what"] = error
        responsible = TeamMember.objects.filter(
            plan=plan, pk=as_uuid(responsible_id), removed_at__isnull=True
        ).first()
        if responsible is None or not responsible.is_in_force(today):
            errors["responsible"] = _("Choose who does it from the team as it is now.")
        if due_on is None or due_on < today:
            errors["due_on"] = _("Choose the day it is done by: today or later.")
        goal, goal_error = _goal_error(actor, plan, goal_id)
        if goal_error:
            errors["goal"] = goal_error
        service = None
        if service_id not in (None, ""):
            service = Service.objects.filter(pk=as_uuid(service_id), status=Service.Status.ACTIVE).first()
            if service is None:
                errors["service"] = _("Choose an active service of the directory, or none.")
        if error := text_error(method, MAX_METHOD, required=False):
            errors["method"] = error
        return {
            "text": what,
            "responsible": responsible,
            "due_on": due_on,
            "goal": goal,
            "service": service,
            "method": method,
        }

    return _write(actor, plan_id, EntryKind.ACTION, category, check, confidential=confidential)


def add_note(
    actor: Actor,
    plan_id: uuid.UUID | str,
    *,
    category: str,
    text: str,
    goal_id: uuid.UUID | str | None = None,
    confidential: bool = False,
) -> Entry:
    """A progress note, optionally about one goal."""
    text = (text or "").strip()

    def check(plan: Plan, errors: dict[str, Any]) -> dict[str, Any]:
        if error := text_error(text, MAX_TEXT):
            errors["text"] = error
        goal, goal_error = _goal_error(actor, plan, goal_id)
        if goal_error:
            errors["goal"] = goal_error
        return {"text": text, "goal": goal}

    return _write(actor, plan_id, EntryKind.NOTE, category, check, confidential=confidential)


def record_meeting(
    actor: Actor,
    plan_id: uuid.UUID | str,
    *,
    category: str,
    held_on: dt.date | None,
    participants: str,
    decisions: str,
    next_review_on: dt.date | None = None,
) -> Entry:
    """The coordinator records a meeting or review: when, who took part, what was decided, the next review."""
    participants, decisions = (participants or "").strip(), (decisions or "").strip()

    def check(plan: Plan, errors: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        if held_on is None or held_on > today:
            errors["held_on"] = _("Give the day the meeting was held: today or earlier.")
        if error := text_error(participants, MAX_TEXT):
            errors["participants"] = error
        if error := text_error(decisions, MAX_TEXT):
            errors["decisions"] = error
        if next_review_on is not None and (next_review_on < today or (held_on and next_review_on <= held_on)):
            errors["next_review_on"] = _("The next review must be after the meeting, and not in the past.")
        return {
            "held_on": held_on,
            "participants": participants,
            "text": decisions,
            "next_review_on": next_review_on,
        }

    return _write(
        actor,
        plan_id,
        EntryKind.MEETING,
        category,
        check,
        coordinator_only=str(_("Only the plan's coordinator records its meetings and reviews.")),
    )
