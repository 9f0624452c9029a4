"""The referral and notification endpoints of the referrals API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from lape.accounts.models import Unit
from lape.directory.models import Service
from lape.people.identity_codes import InvalidIdentityCode
from lape.people.registry import find_by_identity_code

from . import api_schemas as s
from .api_common import AUTH_ERRORS, acting, acting_actor, answers, by_id
from .deadlines import ChildProtectionClocks
from .models import Referral
from .notifications import mark_read, notifications_for, status_label
from .referring import ReferralView, create_referral, referral_for, referrals_received, referrals_sent
from .requests import request_for

router = Router()


# --- referrals


def _summary(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "kind": referral.kind,
        "status": referral.status,
        "person_name": str(referral.person),
        "sender_organization": str(referral.sender_organization),
        "receiver_service": str(referral.receiver_service),
        "receiver_organization": str(referral.receiver_organization),
        "created_at": referral.created_at,
        "requested_at": referral.requested_at,
    }


def _clocks(clocks: ChildProtectionClocks | None) -> dict[str, Any] | None:
    if clocks is None:
        return None
    return {
        "received_on": clocks.received_on,
        "decision": vars(clocks.decision),
        "assessment": vars(clocks.assessment),
    }


def _referral_out(view: ReferralView) -> dict[str, Any]:
    referral = view.referral
    return {
        **_summary(referral),
        "side": view.side,
        "category": referral.category,
        "reason": referral.reason,
        "status_reason": referral.status_reason,
        "outcome": referral.outcome,
        "items": view.items,
        "withheld": [vars(w) for w in view.withheld],
        "transitions": view.transitions,
        "allowed_transitions": view.allowed_transitions,
        "clocks": _clocks(view.clocks),
    }


@router.get("/referrals", response={200: list[s.ReferralSummaryOut], **AUTH_ERRORS}, auth=acting)
@answers
def list_referrals(request: HttpRequest, box: str = Query("received", description="received or sent")) -> Any:
    """The referrals you sent, or those you handle or that wait for your service."""
    actor = acting_actor(request)
    found = referrals_sent(actor) if box == "sent" else referrals_received(actor)
    return Status(200, [_summary(r) for r in found])


@router.post("/referrals", response={201: s.ReferralOut, **AUTH_ERRORS}, auth=acting)
@answers
def create(request: HttpRequest, body: s.ReferralIn) -> Any:
    """Make a referral or a child-protection notification; it carries only what consent or law allows."""
    actor = acting_actor(request)
    contact_request = request_for(actor, body.contact_request_id) if body.contact_request_id else None
    person = contact_request.person if contact_request is not None else None
    if person is None and body.identity_code:
        try:
            person = find_by_identity_code(body.identity_code)
        except InvalidIdentityCode as error:
            raise ValidationError({"identity_code": error.messages}) from error
    if person is None:
        raise ValidationError(
            {
                "identity_code": _(
                    "Say whom the referral is about: a request whose person is known, or an identity code."
                )
            }
        )
    referral = create_referral(
        actor,
        person=person,
        receiver_service=by_id(Service, body.receiver_service_id, "receiver_service_id"),
        reason=body.reason,
        category=body.category,
        items=body.items,
        kind=body.kind,
        receiver_unit=by_id(Unit, body.receiver_unit_id, "receiver_unit_id"),
        contact_request=contact_request,
        send=body.send,
    )
    return Status(201, _referral_out(referral_for(actor, referral.pk)))


@router.get("/referrals/{referral_id}", response={200: s.ReferralOut, **AUTH_ERRORS}, auth=acting)
@answers
def get_referral(request: HttpRequest, referral_id: str) -> Any:
    """A referral as you may see it: what it carries that you may read, its stamps, your next steps."""
    return Status(200, _referral_out(referral_for(acting_actor(request), referral_id)))


@router.post("/referrals/{referral_id}/transition", response={200: s.ReferralOut, **AUTH_ERRORS}, auth=acting)
@answers
def transition(request: HttpRequest, referral_id: str, body: s.TransitionIn) -> Any:
    """Move the referral to the next status, if your side may take that step now."""
    from .flow import transition_referral

    actor = acting_actor(request)
    transition_referral(actor, referral_id, body.status, reason=body.reason, outcome=body.outcome)
    return Status(200, _referral_out(referral_for(actor, referral_id)))


# --- notifications


@router.get("/notifications", response={200: list[s.NotificationOut], **AUTH_ERRORS}, auth=acting)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """Your notifications, newest first."""
    notices = notifications_for(acting_actor(request).user_id, unread_only=unread)[:200]
    return Status(
        200,
        [
            {
                "id": n.pk,
                "kind": n.kind,
                "text": status_label(n),
                "link": n.link,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in notices
        ],
    )


@router.post("/notifications/{notification_id}/read", response={204: None, **AUTH_ERRORS}, auth=acting)
def read_notification(request: HttpRequest, notification_id: str) -> Any:
    """Mark one of your notifications read."""
    if not mark_read(acting_actor(request).user_id, notification_id):
        return Status(404, {"detail": _("Not found. It does not exist, or you may not see it.")})
    return Status(204, None)
