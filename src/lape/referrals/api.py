"""The referrals API (django-ninja router, mounted at /api/referrals/): contact requests and referrals.

Handlers are thin: parse, call one action or query of this app, shape the answer. Professionals
use their session (the login with its second factor, acting in the chosen membership) and a CSRF
token on every write, exactly as the pages do; the same access rules apply, because the same
actions run. Answers: 404 for a record that is missing or not theirs (alike), 400 with each field's
problem, 409 for a step out of order, 429 for a flood of public requests; never a 500 for bad input.
A family's request and its status link need no login.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from lape.access.guard import NotFoundOrForbidden
from lape.accounts.acting import Actor, current_actor
from lape.accounts.models import Membership, Unit
from lape.api_errors import ErrorResponse
from lape.directory.models import FamilyCentre, Service
from lape.people.identity_codes import InvalidIdentityCode
from lape.people.registry import find_by_identity_code

from . import api_schemas as s
from .deadlines import ChildProtectionClocks
from .handling import assign_request, close_request, forward_request, identify_person, reply_to_request
from .models import AskedVia, ContactRequest, Referral
from .notifications import mark_read, notifications_for, status_label
from .referring import ReferralView, create_referral, referral_for, referrals_received, referrals_sent
from .requests import request_for, request_status, submit_request, submit_request_for_family
from .steps import StepRefused
from .throttle import TooManyPosts, check_public_post
from .triage import is_overdue, my_requests, queue_for, waited_working_days

router = Router(tags=["referrals"])

F = TypeVar("F", bound=Callable[..., Any])

ERRORS: dict[int, Any] = {400: s.FieldErrors, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse}


class ActingProfessional(APIKeyCookie):
    """The session of a professional acting in a membership, with the second factor when the role needs it."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise HttpError(
                403, _("The security token (CSRF) is missing or wrong. Reload the page and try again.")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = current_actor(request)
        if actor is None:
            return None
        if not actor.may_act:
            raise HttpError(
                403, _("Log in with your second factor (the code of your authenticator app) first.")
            )
        return actor


acting = ActingProfessional()


def _actor(request: HttpRequest) -> Actor:
    return cast(Actor, request.auth)  # type: ignore[attr-defined]


def answers(view: F) -> F:
    """Turn this app's refusals into the API's answers: 404, 400 with the fields, 409, 403, 429."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotFoundOrForbidden:
            return Status(404, {"detail": _("Not found. It does not exist, or you may not see it.")})
        except TooManyPosts as refusal:
            return Status(429, {"detail": refusal.message})
        except StepRefused as refusal:
            return Status(409, {"detail": " ".join(refusal.messages)})
        except PermissionDenied as refusal:
            return Status(403, {"detail": str(refusal) or _("You may not do this.")})
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            names = ", ".join(sorted(fields))
            return Status(
                400,
                {
                    "detail": _("Some information is missing or not valid: %(names)s.") % {"names": names},
                    "errors": {name: [str(m) for m in messages] for name, messages in fields.items()},
                },
            )

    return cast(F, wrapped)


def _get(model: Any, object_id: uuid.UUID | None, field: str) -> Any:
    """A directory or accounts object by id, or a field error (these are not client data)."""
    if object_id is None:
        return None
    found = model.objects.filter(pk=object_id).first()
    if found is None:
        raise ValidationError({field: _("No such item. Check the id.")}, code="unknown")
    return found


def _status_url(token: str) -> str:
    try:
        return reverse("referrals:request_status", kwargs={"token": token})
    except NoReverseMatch:
        return f"/ask/status/{token}/"


# --- a family's request (no login)


@router.post("/requests", response={201: s.ReceiptOut, 429: ErrorResponse, **ERRORS}, auth=None)
@answers
def create_family_request(request: HttpRequest, body: s.FamilyRequestIn) -> Any:
    """A family asks the family centre (anonymous unless it gives a name). Limited per address."""
    centre = _get(FamilyCentre, body.family_centre_id, "family_centre_id")
    service = _get(Service, body.service_id, "service_id")
    check_public_post(request)
    submitted = submit_request(
        worry=body.worry,
        children_ages=body.children_ages,
        language=body.language,
        contact_method=body.contact_method,
        contact_name=body.contact_name,
        contact_phone=body.contact_phone,
        contact_email=body.contact_email,
        contact_times=body.contact_times,
        family_centre=centre,
        service=service,
        asked_via=AskedVia.API,
    )
    made = submitted.request
    return Status(
        201,
        {
            "reference": made.reference,
            "status_token": submitted.status_token,
            "status_url": _status_url(submitted.status_token),
            "family_centre": str(made.family_centre),
            "due_on": made.due_on,
        },
    )


@router.get("/requests/status/{token}", response={200: s.StatusOut, 404: ErrorResponse}, auth=None)
@answers
def get_request_status(request: HttpRequest, token: str) -> Any:
    """The status and dates of a request, by the secret token of its status link."""
    status = request_status(token)
    if status is None:
        raise NotFoundOrForbidden()
    return Status(200, vars(status))


# --- requests for professionals


def _request_out(actor: Actor, contact_request: ContactRequest) -> dict[str, Any]:
    now = timezone.now()
    return {
        **{
            field: getattr(contact_request, field)
            for field in s.RequestOut.model_fields
            if hasattr(contact_request, field)
        },
        "family_centre": str(contact_request.family_centre),
        "waited_working_days": waited_working_days(contact_request, now),
        "overdue": is_overdue(contact_request, now),
        "events": list(contact_request.events.all()),
    }


@router.get("/requests", response={200: list[s.QueueRowOut], **ERRORS}, auth=acting)
@answers
def list_requests(
    request: HttpRequest,
    scope: str = Query("queue", description="queue (the centres you coordinate) or mine (assigned to you)"),
    family_centre_id: uuid.UUID | None = None,
    status: str = "",
    overdue: bool = False,
) -> Any:
    """The shared queue of the family centres you coordinate, or the requests assigned to you."""
    actor = _actor(request)
    if scope == "mine":
        return Status(200, [vars(row) for row in my_requests(actor)])
    rows = queue_for(actor, family_centre_id, status=status, overdue_only=overdue)
    return Status(200, [vars(row) for row in rows])


@router.post("/requests/on-behalf", response={201: s.RequestOut, **ERRORS}, auth=acting)
@answers
def create_request_on_behalf(request: HttpRequest, body: s.OnBehalfIn) -> Any:
    """A professional's request on a family's behalf, with its consent or, if urgent, a reason."""
    actor = _actor(request)
    try:
        person = find_by_identity_code(body.identity_code)
    except InvalidIdentityCode as error:
        raise ValidationError({"identity_code": error.messages}) from error
    if person is None:
        raise ValidationError({"identity_code": _("Nobody with this identity code is registered.")})
    submitted = submit_request_for_family(
        actor,
        person=person,
        worry=body.worry,
        children_ages=body.children_ages,
        language=body.language,
        contact_method=body.contact_method,
        contact_name=body.contact_name,
        contact_phone=body.contact_phone,
        contact_email=body.contact_email,
        contact_times=body.contact_times,
        urgent_reason=body.urgent_reason,
        family_centre=_get(FamilyCentre, body.family_centre_id, "family_centre_id"),
        service=_get(Service, body.service_id, "service_id"),
    )
    return Status(201, _request_out(actor, submitted.request))


@router.get("/requests/{request_id}", response={200: s.RequestOut, **ERRORS}, auth=acting)
@answers
def get_request(request: HttpRequest, request_id: str) -> Any:
    """One request, for its family centre's coordinators and the professional it is assigned to."""
    actor = _actor(request)
    return Status(200, _request_out(actor, request_for(actor, request_id)))


@router.post("/requests/{request_id}/assign", response={200: s.RequestOut, **ERRORS}, auth=acting)
@answers
def assign(request: HttpRequest, request_id: str, body: s.AssignIn) -> Any:
    """Assign the request to a service and a professional (coordinators)."""
    actor = _actor(request)
    done = assign_request(
        actor,
        request_id,
        service=_get(Service, body.service_id, "service_id"),
        professional=_get(Membership, body.professional_membership_id, "professional_membership_id"),
    )
    return Status(200, _request_out(actor, done))


@router.post("/requests/{request_id}/reply", response={200: s.RequestOut, **ERRORS}, auth=acting)
@answers
def reply(request: HttpRequest, request_id: str, body: s.ReplyIn) -> Any:
    """Record the answer given to the family."""
    actor = _actor(request)
    return Status(200, _request_out(actor, reply_to_request(actor, request_id, message=body.message)))


@router.post("/requests/{request_id}/forward", response={200: s.ForwardedOut, **ERRORS}, auth=acting)
@answers
def forward(request: HttpRequest, request_id: str, body: s.ForwardIn) -> Any:
    """Forward the request to another family centre, or to a service of another organisation."""
    actor = _actor(request)
    done = forward_request(
        actor,
        request_id,
        family_centre=_get(FamilyCentre, body.family_centre_id, "family_centre_id"),
        service=_get(Service, body.service_id, "service_id"),
        professional=_get(Membership, body.professional_membership_id, "professional_membership_id"),
        note=body.note,
    )
    # The request may have left the actor's register: say where it went, no more.
    return Status(
        200,
        {
            "id": done.pk,
            "reference": done.reference,
            "status": done.status,
            "family_centre": str(done.family_centre),
        },
    )


@router.post("/requests/{request_id}/close", response={200: s.RequestOut, **ERRORS}, auth=acting)
@answers
def close(request: HttpRequest, request_id: str, body: s.CloseIn) -> Any:
    """Close the request with its outcome."""
    actor = _actor(request)
    return Status(
        200, _request_out(actor, close_request(actor, request_id, outcome=body.outcome, note=body.note))
    )


@router.post("/requests/{request_id}/person", response={200: s.RequestOut, **ERRORS}, auth=acting)
@answers
def identify(request: HttpRequest, request_id: str, body: s.IdentifyIn) -> Any:
    """Link the request to the person it concerns, by identity code (in the body, never in a URL)."""
    actor = _actor(request)
    done = identify_person(
        actor,
        request_id,
        identity_code=body.identity_code,
        given_names=body.given_names,
        family_name=body.family_name,
    )
    return Status(200, _request_out(actor, done))


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


@router.get("/referrals", response={200: list[s.ReferralSummaryOut], **ERRORS}, auth=acting)
@answers
def list_referrals(request: HttpRequest, box: str = Query("received", description="received or sent")) -> Any:
    """The referrals you sent, or those you handle or that wait for your service."""
    actor = _actor(request)
    found = referrals_sent(actor) if box == "sent" else referrals_received(actor)
    return Status(200, [_summary(r) for r in found])


@router.post("/referrals", response={201: s.ReferralOut, **ERRORS}, auth=acting)
@answers
def create(request: HttpRequest, body: s.ReferralIn) -> Any:
    """Make a referral or a child-protection notification; it carries only what consent or law allows."""
    actor = _actor(request)
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
        receiver_service=_get(Service, body.receiver_service_id, "receiver_service_id"),
        reason=body.reason,
        category=body.category,
        items=body.items,
        kind=body.kind,
        receiver_unit=_get(Unit, body.receiver_unit_id, "receiver_unit_id"),
        contact_request=contact_request,
        send=body.send,
    )
    return Status(201, _referral_out(referral_for(actor, referral.pk)))


@router.get("/referrals/{referral_id}", response={200: s.ReferralOut, **ERRORS}, auth=acting)
@answers
def get_referral(request: HttpRequest, referral_id: str) -> Any:
    """A referral as you may see it: what it carries that you may read, its stamps, your next steps."""
    return Status(200, _referral_out(referral_for(_actor(request), referral_id)))


@router.post("/referrals/{referral_id}/transition", response={200: s.ReferralOut, **ERRORS}, auth=acting)
@answers
def transition(request: HttpRequest, referral_id: str, body: s.TransitionIn) -> Any:
    """Move the referral to the next status, if your side may take that step now."""
    from .flow import transition_referral

    actor = _actor(request)
    transition_referral(actor, referral_id, body.status, reason=body.reason, outcome=body.outcome)
    return Status(200, _referral_out(referral_for(actor, referral_id)))


# --- notifications


@router.get("/notifications", response={200: list[s.NotificationOut]}, auth=acting)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """Your notifications, newest first."""
    notices = notifications_for(_actor(request).user_id, unread_only=unread)[:200]
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


@router.post("/notifications/{notification_id}/read", response={204: None, 404: ErrorResponse}, auth=acting)
def read_notification(request: HttpRequest, notification_id: str) -> Any:
    """Mark one of your notifications read."""
    if not mark_read(_actor(request).user_id, notification_id):
        return Status(404, {"detail": _("Not found. It does not exist, or you may not see it.")})
    return Status(204, None)
