"""Handing the coordination over: offer_coordination, accept_coordination, decline_coordination,
cancel_coordination_offer.

The lead professional changes only when the one offered the role accepts it, so a plan is never
without a coordinator: until then the offering coordinator stays. One offer waits at a time; it
goes only to a team member in force whose role sees client data. Removing that member or closing
the plan cancels it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import guard
from lape.access.decisions import Action, Decision
from lape.accounts.roles import SEES_CLIENT_DATA

from .models import CoordinationOffer, OfferStatus, Plan, TeamMember
from .steps import (
    StepRefused,
    as_uuid,
    frame_decision,
    must_be_open,
    must_coordinate,
    open_for_writing,
    refuse_step,
    writing_unless_changed,
)
from .targets import plan_target

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from lape.accounts.acting import Actor

OFFER_RECORD = "coordination_offer"


def offer_coordination(
    actor: Actor, plan_id: uuid.UUID | str, member_id: uuid.UUID | str
) -> CoordinationOffer:
    """The coordinator offers the role to a team member; nothing changes until they accept."""
    plan, decision = open_for_writing(actor, plan_id)
    must_coordinate(actor, plan, _("Only the plan's coordinator can hand the coordination over."))
    today = timezone.localdate()
    member = (
        TeamMember.objects.select_related("membership")
        .filter(plan=plan, pk=as_uuid(member_id), removed_at__isnull=True)
        .first()
    )
    if member is None or not member.is_in_force(today) or not member.membership.is_active_on(today):
        raise ValidationError({"member": _("Offer the coordination to a member of the team as it is now.")})
    if member.membership_id == plan.coordinator_id:
        raise ValidationError({"member": _("You coordinate this plan already: choose another member.")})
    if member.membership.role not in SEES_CLIENT_DATA:
        raise ValidationError(
            {"member": _("This role never sees client data, so it cannot coordinate a plan.")}
        )
    if CoordinationOffer.objects.filter(plan=plan, status=OfferStatus.PENDING).exists():
        refuse_step(
            actor,
            plan_target(plan, actor),
            _("An offer of the coordination is waiting for an answer. Cancel it before making another."),
            "pending",
        )
    with guard.writing(actor, Action.WRITE, plan_target(plan, actor), decision=decision):
        return CoordinationOffer.objects.create(
            plan=plan, offered_by_id=actor.membership_id, offered_to_id=member.membership_id
        )


def _pending_offer(actor: Actor, offer_id: uuid.UUID | str) -> tuple[CoordinationOffer, Plan, Decision]:
    """The offer and its plan, access's decision on the plan, once the offer waits and the plan is open."""
    offer = guard.find(
        actor, Action.WRITE, CoordinationOffer.objects.select_related("plan"), offer_id, OFFER_RECORD
    )
    plan = offer.plan
    decision = frame_decision(actor, Action.WRITE, plan)
    must_be_open(actor, plan)
    if offer.status != OfferStatus.PENDING:
        refuse_step(
            actor,
            plan_target(plan, actor),
            _("This offer has been answered or cancelled already."),
            "answered",
        )
    return offer, plan, decision


def _answer(
    actor: Actor, offer: CoordinationOffer, plan: Plan, decision: Decision, status: str
) -> CoordinationOffer:
    """Record the answer (and, on acceptance, the new coordinator) if nobody answered meanwhile."""
    now = timezone.now()
    with writing_unless_changed(actor, plan_target(plan, actor), decision):
        changed = CoordinationOffer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
            status=status, answered_at=now, updated_at=now
        )
        if not changed:
            raise StepRefused(_("This offer was answered or cancelled a moment ago."), code="changed")
        if status == OfferStatus.ACCEPTED:
            Plan.objects.filter(pk=plan.pk).update(coordinator_id=offer.offered_to_id, updated_at=now)
    offer.refresh_from_db()
    return offer


def _must_be_offered_to(actor: Actor, offer: CoordinationOffer, plan: Plan, message: StrOrPromise) -> None:
    if offer.offered_to_id != actor.membership_id:
        refuse_step(actor, plan_target(plan, actor), message, "not_yours")


def accept_coordination(actor: Actor, offer_id: uuid.UUID | str) -> CoordinationOffer:
    """The member offered the role accepts it: from now on they coordinate the plan.

    A member removed meanwhile is off the team, so the plan's frame refuses them (404) first.
    """
    offer, plan, decision = _pending_offer(actor, offer_id)
    _must_be_offered_to(
        actor, offer, plan, _("This offer was made to someone else: only they can accept it.")
    )
    return _answer(actor, offer, plan, decision, OfferStatus.ACCEPTED)


def decline_coordination(actor: Actor, offer_id: uuid.UUID | str) -> CoordinationOffer:
    """The member offered the role declines it: the coordinator stays."""
    offer, plan, decision = _pending_offer(actor, offer_id)
    _must_be_offered_to(
        actor, offer, plan, _("This offer was made to someone else: only they can decline it.")
    )
    return _answer(actor, offer, plan, decision, OfferStatus.DECLINED)


def cancel_coordination_offer(actor: Actor, offer_id: uuid.UUID | str) -> CoordinationOffer:
    """The coordinator takes back an offer that waits for an answer."""
    offer, plan, decision = _pending_offer(actor, offer_id)
    must_coordinate(actor, plan, _("Only the plan's coordinator can cancel an offer of the coordination."))
    return _answer(actor, offer, plan, decision, OfferStatus.CANCELLED)
