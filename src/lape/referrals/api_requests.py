"""The contact-request endpoints of the referrals API: a family's request and status, and the triage."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from lape.access.guard import NotFoundOrForbidden
from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.api_errors import ErrorResponse
from lape.directory.models import FamilyCentre, Service
from lape.people.identity_codes import InvalidIdentityCode
from lape.people.registry import find_by_identity_code

from . import api_schemas as s
from .api_common import AUTH_ERRORS, ERRORS, acting, acting_actor, answers, by_id, status_url
from .handling import assign_request, close_request, forward_request, identify_person, reply_to_request
from .models import AskedVia, ContactRequest
from .requests import request_for, request_status, submit_request, submit_request_for_family
from .throttle import check_public_post
from .triage import is_overdue, my_requests, queue_for, waited_working_days

router = Router()


# --- a family's request (no login)


@router.post("/requests", response={201: s.ReceiptOut, 429: ErrorResponse, **ERRORS}, auth=None)
@answers
def create_family_request(request: HttpRequest, body: s.FamilyRequestIn) -> Any:
    """A family asks the family centre (anonymous unless it gives a name). Limited per address."""
    centre = by_id(FamilyCentre, body.family_centre_id, "family_centre_id", missing="404")
    service = by_id(Service, body.service_id, "service_id", missing="404")
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
            "status_url": status_url(submitted.status_token),
            "family_centre": str(made.family_centre),
            "due_on": made.due_on,
        },
    )


@router.get("/request-status/{token}", response={200: s.StatusOut, **ERRORS}, auth=None)
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


@router.get("/requests", response={200: list[s.QueueRowOut], **AUTH_ERRORS}, auth=acting)
@answers
def list_requests(
    request: HttpRequest,
    scope: str = Query("queue", description="queue (the centres you coordinate) or mine (assigned to you)"),
    family_centre_id: uuid.UUID | None = None,
    status: str = "",
    overdue: bool = False,
) -> Any:
    """The shared queue of the family centres you coordinate, or the requests assigned to you."""
    actor = acting_actor(request)
    if scope == "mine":
        return Status(200, [vars(row) for row in my_requests(actor)])
    rows = queue_for(actor, family_centre_id, status=status, overdue_only=overdue)
    return Status(200, [vars(row) for row in rows])


@router.post("/requests/on-behalf", response={201: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def create_request_on_behalf(request: HttpRequest, body: s.OnBehalfIn) -> Any:
    """A professional's request on a family's behalf, with its consent or, if urgent, a reason."""
    actor = acting_actor(request)
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
        family_centre=by_id(FamilyCentre, body.family_centre_id, "family_centre_id"),
        service=by_id(Service, body.service_id, "service_id"),
    )
    return Status(201, _request_out(actor, submitted.request))


@router.get("/requests/{request_id}", response={200: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def get_request(request: HttpRequest, request_id: str) -> Any:
    """One request, for its family centre's coordinators and the professional it is assigned to."""
    actor = acting_actor(request)
    return Status(200, _request_out(actor, request_for(actor, request_id)))


@router.post("/requests/{request_id}/assign", response={200: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def assign(request: HttpRequest, request_id: str, body: s.AssignIn) -> Any:
    """Assign the request to a service and a professional (coordinators)."""
    actor = acting_actor(request)
    done = assign_request(
        actor,
        request_id,
        service=by_id(Service, body.service_id, "service_id"),
        professional=by_id(Membership, body.professional_membership_id, "professional_membership_id"),
    )
    return Status(200, _request_out(actor, done))


@router.post("/requests/{request_id}/reply", response={200: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def reply(request: HttpRequest, request_id: str, body: s.ReplyIn) -> Any:
    """Record the answer given to the family."""
    actor = acting_actor(request)
    return Status(200, _request_out(actor, reply_to_request(actor, request_id, message=body.message)))


@router.post("/requests/{request_id}/forward", response={200: s.ForwardedOut, **AUTH_ERRORS}, auth=acting)
@answers
def forward(request: HttpRequest, request_id: str, body: s.ForwardIn) -> Any:
    """Forward the request to another family centre, or to a service of another organisation."""
    actor = acting_actor(request)
    done = forward_request(
        actor,
        request_id,
        family_centre=by_id(FamilyCentre, body.family_centre_id, "family_centre_id"),
        service=by_id(Service, body.service_id, "service_id"),
        professional=by_id(Membership, body.professional_membership_id, "professional_membership_id"),
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


@router.post("/requests/{request_id}/close", response={200: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def close(request: HttpRequest, request_id: str, body: s.CloseIn) -> Any:
    """Close the request with its outcome."""
    actor = acting_actor(request)
    return Status(
        200, _request_out(actor, close_request(actor, request_id, outcome=body.outcome, note=body.note))
    )


@router.post("/requests/{request_id}/person", response={200: s.RequestOut, **AUTH_ERRORS}, auth=acting)
@answers
def identify(request: HttpRequest, request_id: str, body: s.IdentifyIn) -> Any:
    """Link the request to the person it concerns, by identity code (in the body, never in a URL)."""
    actor = acting_actor(request)
    done = identify_person(
        actor,
        request_id,
        identity_code=body.identity_code,
        given_names=body.given_names,
        family_name=body.family_name,
    )
    return Status(200, _request_out(actor, done))
