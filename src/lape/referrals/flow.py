"""The referral's state machine: HL7 FHIR Task's statuses, as the Gravity Project's closed loop draws them.

    draft → requested → accepted | rejected (reason)
    accepted → in-progress ⇄ on-hold
    in-progress | on-hold → completed (outcome, sent back to the sender) | failed (reason)
    draft, requested, accepted, in-progress, on-hold → cancelled (either side; the receiver only
        once it has the referral, so not from draft)
    any status but entered-in-error → entered-in-error (the sender: it should never have existed)

The sender sets draft, requested and entered-in-error (and cancels); the receiver sets the rest
(and cancels). The sender is the sending membership; the receiver is the professional who accepted
or rejected it, and before that anyone the referral waits for (lape.referrals.relations). Every
transition is stamped in ReferralTransition; a step out of order or by the wrong side is refused,
logged as refused and changes nothing; two steps at once: one wins, the other is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import guard
from lape.access.decisions import Action
from lape.access.registers import handles_in_own_register

from .models import Referral, ReferralStatus, ReferralTransition
from .notifications import notify_referral_received, notify_referral_status
from .steps import StepRefused, allowed_or_404, refuse_step, write_logged
from .targets import referral_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

S = ReferralStatus
SENDER = ReferralTransition.Side.SENDER
RECEIVER = ReferralTransition.Side.RECEIVER
BOTH = frozenset({SENDER, RECEIVER})

# (from, to) → the sides that may take the step.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.REQUESTED): frozenset({SENDER}),
    (S.REQUESTED, S.ACCEPTED): frozenset({RECEIVER}),
    (S.REQUESTED, S.REJECTED): frozenset({RECEIVER}),
    (S.ACCEPTED, S.IN_PROGRESS): frozenset({RECEIVER}),
    (S.IN_PROGRESS, S.ON_HOLD): frozenset({RECEIVER}),
    (S.ON_HOLD, S.IN_PROGRESS): frozenset({RECEIVER}),
    (S.IN_PROGRESS, S.COMPLETED): frozenset({RECEIVER}),
    (S.IN_PROGRESS, S.FAILED): frozenset({RECEIVER}),
    (S.ON_HOLD, S.FAILED): frozenset({RECEIVER}),
    (S.DRAFT, S.CANCELLED): frozenset({SENDER}),
    (S.REQUESTED, S.CANCELLED): BOTH,
    (S.ACCEPTED, S.CANCELLED): BOTH,
    (S.IN_PROGRESS, S.CANCELLED): BOTH,
    (S.ON_HOLD, S.CANCELLED): BOTH,
} | {(status, S.ENTERED_IN_ERROR): frozenset({SENDER}) for status in S.values if status != S.ENTERED_IN_ERROR}

TERMINAL = frozenset({S.REJECTED, S.COMPLETED, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR})
NEEDS_REASON = frozenset({S.REJECTED, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR})
MAX_TEXT = 4000


def side_of(actor: Actor, referral: Referral) -> str | None:
    """Which side of the referral the actor is on: sender, receiver, or None."""
    if actor.membership_id == referral.sender_membership_id:
        return SENDER
    if referral.receiver_membership_id is not None:
        return RECEIVER if actor.membership_id == referral.receiver_membership_id else None
    waiting_for = (
        referral.status != S.DRAFT
        and actor.organization_id == referral.receiver_organization_id
        and (referral.receiver_unit_id is None or referral.receiver_unit_id == actor.unit_id)
        and handles_in_own_register(actor.role, referral.category)
    )
    return RECEIVER if waiting_for else None


def allowed_transitions(actor: Actor, referral: Referral) -> list[str]:
    """The statuses this actor may move the referral to now (for the page's buttons)."""
    side = side_of(actor, referral)
    return [to for (frm, to), sides in TRANSITIONS.items() if frm == referral.status and side in sides]


def _check_text(to_status: str, reason: str, outcome: str) -> None:
    if to_status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Give the reason: the other side will see it.")}, code="required")
    if to_status == S.COMPLETED and not outcome:
        raise ValidationError(
            {"outcome": _("Write the outcome: it goes back to the one who made the referral.")},
            code="required",
        )
    if len(reason) > MAX_TEXT or len(outcome) > MAX_TEXT:
        raise ValidationError({"reason": _("Keep the text under 4,000 characters.")}, code="too_long")


def _changes(actor: Actor, referral: Referral, to_status: str, reason: str, outcome: str) -> dict[str, Any]:
    now = timezone.now()
    changes: dict[str, Any] = {"status": to_status, "status_reason": reason}
    if to_status == S.REQUESTED:
        changes["requested_at"] = now
    if to_status in (S.ACCEPTED, S.REJECTED):
        changes["receiver_membership_id"] = actor.membership_id
    if to_status == S.ACCEPTED:
        changes["accepted_at"] = now
    if to_status == S.COMPLETED:
        changes["outcome"] = outcome
    if to_status in TERMINAL:
        changes["ended_at"] = now
    return changes


def _load(actor: Actor, referral_id: object) -> Referral:
    try:
        return Referral.objects.get(pk=str(referral_id))
    except (Referral.DoesNotExist, ValidationError, ValueError, TypeError):
        guard.refuse_missing(actor, Action.WRITE, "referral", referral_id)


def transition_referral(
    actor: Actor, referral_id: object, to_status: str, *, reason: str = "", outcome: str = ""
) -> Referral:
    """Move the referral to `to_status` if the actor's side may take that step now; stamped and logged."""
    reason, outcome = (reason or "").strip(), (outcome or "").strip()
    referral = _load(actor, referral_id)
    target = referral_target(referral, actor)
    decision = allowed_or_404(actor, Action.WRITE, target)
    if to_status not in S.values:
        raise ValidationError({"status": _("Unknown status.")}, code="invalid")
    side = side_of(actor, referral)
    sides = TRANSITIONS.get((referral.status, to_status))
    if sides is None:
        message = _("A referral that is %(now)s cannot become %(next)s.") % {
            "now": S(referral.status).label,
            "next": S(to_status).label,
        }
        refuse_step(actor, Action.WRITE, target, message, "out_of_order")
    if side not in sides:
        message = (
            _("Only the receiving service can make this referral %(next)s.")
            if sides == {RECEIVER}
            else _("Only the sender can make this referral %(next)s.")
        ) % {"next": S(to_status).label}
        refuse_step(actor, Action.WRITE, target, message, "wrong_side")
    _check_text(to_status, reason, outcome)
    with write_logged(actor, Action.WRITE, target, decision):
        # The status is read again by the UPDATE: of two steps at once, only the first matches.
        changed = Referral.objects.filter(
            pk=referral.pk, status=referral.status, version=referral.version
        ).update(version=referral.version + 1, **_changes(actor, referral, to_status, reason, outcome))
        if not changed:
            raise StepRefused(
                _("Someone else changed this referral a moment ago. Reload the page and try again."),
                code="changed",
            )
        ReferralTransition.objects.create(
            referral=referral,
            from_status=referral.status,
            to_status=to_status,
            user_id=actor.user_id,
            username=actor.username,
            membership_id=actor.membership_id,
            role=actor.role,
            organization_id=actor.organization_id,
            side=side or "",
            reason=reason,
        )
        referral.refresh_from_db()
        _tell_the_other_side(referral, side)
    return referral


def _tell_the_other_side(referral: Referral, side: str) -> None:
    if referral.status == S.REQUESTED:
        notify_referral_received(referral)
    elif side == RECEIVER:
        notify_referral_status(referral, [referral.sender_membership.user_id])
    elif referral.receiver_membership_id is not None:
        notify_referral_status(referral, [referral.receiver_membership.user_id])  # type: ignore[union-attr]
