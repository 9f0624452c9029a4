"""Starting and closing a plan, and its team: start_plan, add_member, remove_member, close_plan.

Deny by default: starting a plan needs a relation to the child already (their contact request,
referral or another plan); every other step needs a place on this plan's team, and adding,
removing and closing are the coordinator's (a member may also leave). The coordinator never leaves
the team without handing the role over first (coordination.py), so a plan is never without one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import decide, guard
from lape.access.categories import Category
from lape.access.decisions import Action, Target
from lape.accounts.models import Membership
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.people.models import Person

from .models import MAX_TEXT, CoordinationOffer, OfferStatus, Plan, PlanStatus, TeamMember
from .steps import (
    StepRefused,
    as_uuid,
    must_coordinate,
    open_for_writing,
    refuse_step,
    text_error,
    writing_unless_changed,
)
from .targets import PLAN_RECORD, plan_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

MAX_TASK = 200


def _review_error(next_review_on: dt.date | None, today: dt.date) -> Any:
    if next_review_on is not None and next_review_on < today:
        return _("The next review cannot be in the past. Choose today or a later day.")
    return None


def start_plan(actor: Actor, child_id: uuid.UUID | str, *, next_review_on: dt.date | None = None) -> Plan:
    """Start a child's plan with the actor as its coordinator and first team member.

    Needs a relation to the child (access); refuses an adult, a second open plan, a past review date.
    """
    child = guard.find(actor, Action.WRITE, Person.objects.all(), child_id, "person")
    plan_id = uuid.uuid4()
    target = Target(PLAN_RECORD, str(plan_id), child.pk, actor.organization_id, Category.CONTACT)
    decision = guard.raise_if_refused(actor, Action.WRITE, target, decide(actor, Action.WRITE, target))
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    if not child.is_child_on(today):
        errors["child"] = _("A shared plan is for a child under 18. This person is an adult.")
    elif Plan.objects.filter(child=child, status=PlanStatus.OPEN).exists():
        errors["child"] = _("This child has a plan already. Ask its coordinator to add you to the team.")
    if error := _review_error(next_review_on, today):
        errors["next_review_on"] = error
    if errors:
        raise ValidationError(errors)
    membership = Membership.objects.get(pk=actor.membership_id)
    try:
        with guard.writing(actor, Action.WRITE, target, decision=decision):
            plan = Plan.objects.create(
                id=plan_id, child=child, coordinator=membership, next_review_on=next_review_on
            )
            TeamMember.objects.create(plan=plan, membership=membership, started=today)
    except IntegrityError:  # another professional started one a moment ago
        raise ValidationError(
            {"child": _("This child has a plan already. Ask its coordinator to add you to the team.")}
        ) from None
    return plan


def add_member(
    actor: Actor,
    plan_id: uuid.UUID | str,
    membership_id: uuid.UUID | str,
    *,
    task: str = "",
    started: dt.date | None = None,
    ended: dt.date | None = None,
) -> TeamMember:
    """The coordinator adds a professional (a membership in force, in a role that sees client data)."""
    plan, decision = open_for_writing(actor, plan_id)
    must_coordinate(actor, plan, _("Only the plan's coordinator can add members to the team."))
    today = timezone.localdate()
    started = started or today
    task = (task or "").strip()
    errors: dict[str, Any] = {}
    membership = Membership.objects.select_related("organization").filter(pk=as_uuid(membership_id)).first()
    if membership is None or not membership.is_active_on(today):
        errors["membership"] = _("Choose a professional who works in this role now.")
    elif membership.role not in SEES_CLIENT_DATA:
        errors["membership"] = _("This role never sees client data, so it cannot be on a child's team.")
    elif TeamMember.objects.filter(plan=plan, membership=membership, removed_at__isnull=True).exists():
        errors["membership"] = _("This professional is on the team already.")
    if error := text_error(task, MAX_TASK, required=False):
        errors["task"] = error
    if ended is not None and ended < max(started, today):
        errors["ended"] = _("The last day on the team cannot be before the first day or in the past.")
    if errors or membership is None:
        raise ValidationError(errors)
    try:
        with guard.writing(actor, Action.WRITE, plan_target(plan, actor), decision=decision):
            return TeamMember.objects.create(
                plan=plan, membership=membership, task=task, started=started, ended=ended
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"membership": _("This professional is on the team already.")}) from None


def remove_member(actor: Actor, plan_id: uuid.UUID | str, member_id: uuid.UUID | str) -> TeamMember:
    """The coordinator removes a member (or a member leaves): their access ends at once.

    The coordinator's own place cannot be removed: hand the role over first. A pending offer of the
    coordination to the removed member is cancelled with it.
    """
    plan, decision = open_for_writing(actor, plan_id)
    target = plan_target(plan, actor)
    member = TeamMember.objects.filter(plan=plan, pk=as_uuid(member_id), removed_at__isnull=True).first()
    if member is None:
        raise ValidationError({"member": _("This professional is not on the team.")})
    if member.membership_id != actor.membership_id:
        must_coordinate(actor, plan, _("Only the plan's coordinator can remove others from the team."))
    if member.membership_id == plan.coordinator_id:
        refuse_step(
            actor,
            target,
            _("The coordinator cannot leave the team. Hand the coordination over first."),
            "coordinator",
        )
    now = timezone.now()
    today = timezone.localdate(now)
    last_day = today if member.ended is None else min(member.ended, today)
    with writing_unless_changed(actor, target, decision):
        # Read again after the log row's append, which serialises the writers: an acceptance
        # committed meanwhile may have made this member the coordinator.
        if Plan.objects.filter(pk=plan.pk, coordinator_id=member.membership_id).exists():
            raise StepRefused(
                _("This member has just become the coordinator. Hand the coordination over first."),
                code="changed",
            )
        changed = TeamMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(
            removed_at=now, ended=max(last_day, member.started), updated_at=now
        )
        if not changed:
            raise StepRefused(_("Someone removed this member a moment ago."), code="changed")
        CoordinationOffer.objects.filter(
            plan=plan, offered_to_id=member.membership_id, status=OfferStatus.PENDING
        ).update(status=OfferStatus.CANCELLED, answered_at=now, updated_at=now)
    member.refresh_from_db()
    return member


def close_plan(actor: Actor, plan_id: uuid.UUID | str, *, summary: str) -> Plan:
    """The coordinator closes the plan with a summary; a pending handover is cancelled. The team keeps reading it."""
    plan, decision = open_for_writing(actor, plan_id)
    must_coordinate(actor, plan, _("Only the plan's coordinator can close it."))
    summary = (summary or "").strip()
    if error := text_error(summary, MAX_TEXT):
        raise ValidationError({"summary": error})
    now = timezone.now()
    with writing_unless_changed(actor, plan_target(plan, actor), decision):
        changed = Plan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
            status=PlanStatus.CLOSED, closing_summary=summary, closed_at=now, updated_at=now
        )
        if not changed:
            raise StepRefused(_("This plan was closed a moment ago."), code="changed")
        CoordinationOffer.objects.filter(plan=plan, status=OfferStatus.PENDING).update(
            status=OfferStatus.CANCELLED, answered_at=now, updated_at=now
        )
    plan.refresh_from_db()
    return plan
