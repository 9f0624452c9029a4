"""Triage actions on a contact request: assign, reply, forward, close; identify the person; the response target.

Coordinators of the request's family centre take every step; the professional a request is
assigned to may reply, forward, close and identify the person of their own request. Every step is
checked by access, then by the workflow (steps.py), and written with its log row; a step that
lost a race (someone else changed the request meanwhile) is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import guard, log
from lape.access.decisions import Action
from lape.accounts.models import Membership, Unit
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.directory.models import FamilyCentre, Service
from lape.people.registry import find_or_register

from .coordination import coordinates, coordinates_request, response_days_of
from .models import (
    MAX_RESPONSE_DAYS,
    ContactRequest,
    RequestEvent,
    RequestOutcome,
    RequestStatus,
    TriageSetting,
)
from .notifications import notify_assigned, notify_forwarded
from .request_input import MAX_WORRY
from .steps import StepRefused, allowed_or_404, refuse_step, write_logged
from .targets import request_target
from .working_days import add_working_days

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


class NotCoordinator(PermissionDenied):
    """Only a coordinator of the family centre may change its triage settings."""


def _load(actor: Actor, request_id: object) -> ContactRequest:
    try:
        return ContactRequest.objects.select_related("family_centre", "assigned_membership").get(
            pk=str(request_id)
        )
    except (ContactRequest.DoesNotExist, ValidationError, ValueError, TypeError):
        guard.refuse_missing(actor, Action.WRITE, "contactrequest", request_id)


def _open_for(
    actor: Actor, request_id: object, *, coordinators_only: bool = False
) -> tuple[ContactRequest, Any]:
    """The request, access's decision for writing it, after the workflow's checks of who and when."""
    request = _load(actor, request_id)
    target = request_target(request)
    decision = allowed_or_404(actor, Action.WRITE, target)
    assigned = request.assigned_membership_id == actor.membership_id
    if not coordinates_request(actor, request) and (coordinators_only or not assigned):
        message = (
            _("Only the family centre's coordinators can assign a request.")
            if coordinators_only
            else _(
                "Only the family centre's coordinators and the professional it is assigned to can do this."
            )
        )
        refuse_step(actor, Action.WRITE, target, message, "not_yours")
    if request.status == RequestStatus.CLOSED:
        refuse_step(
            actor,
            Action.WRITE,
            target,
            _("This request is closed: nothing more can be done to it."),
            "closed",
        )
    return request, decision


def _save(
    actor: Actor, request: ContactRequest, decision: Any, event: dict[str, Any], **changes: Any
) -> ContactRequest:
    """Write the changes if nobody changed the request meanwhile; with its event and log row."""
    target = request_target(request)
    with write_logged(actor, Action.WRITE, target, decision):
        changed = ContactRequest.objects.filter(pk=request.pk, version=request.version).update(
            version=request.version + 1, updated_at=timezone.now(), **changes
        )
        if not changed:
            raise StepRefused(
                _("Someone else changed this request a moment ago. Reload the page and try again."),
                code="changed",
            )
        RequestEvent.objects.create(
            request=request,
            user_id=actor.user_id,
            username=actor.username,
            membership_id=actor.membership_id,
            role=actor.role,
            organization_id=actor.organization_id,
            from_status=request.status,
            **event,
        )
    request.refresh_from_db()
    return request


def assignable_professionals(
    organization_ids: Iterable[uuid.UUID] | QuerySet[Any], on: dt.date | None = None
) -> QuerySet[Membership]:
    """The professionals a request can be assigned to in these organisations: their client-data roles, in force."""
    return (
        Membership.objects.active(on)
        .filter(organization_id__in=organization_ids, role__in=sorted(SEES_CLIENT_DATA))
        .select_related("user", "unit")
    )


def _check_professional(service: Service, professional: Membership) -> None:
    if not assignable_professionals([service.organization_id]).filter(pk=professional.pk).exists():
        raise ValidationError(
            {"professional": _("Choose a professional who works in the organisation of the service.")},
            code="invalid",
        )


def assign_request(
    actor: Actor, request_id: object, *, service: Service, professional: Membership
) -> ContactRequest:
    """Assign the request to a service of the organisation that holds it, and to a professional there."""
    request, decision = _open_for(actor, request_id, coordinators_only=True)
    if service.organization_id != request.holder_organization_id:
        raise ValidationError(
            {
                "service": _(
                    "This service belongs to another organisation: forward the request to it instead."
                )
            },
            code="other_organisation",
        )
    _check_professional(service, professional)
    request = _save(
        actor,
        request,
        decision,
        {"kind": RequestEvent.Kind.ASSIGNED, "to_status": RequestStatus.ASSIGNED, "service": service},
        status=RequestStatus.ASSIGNED,
        assigned_service=service,
        assigned_membership=professional,
    )
    notify_assigned(request)
    return request


def reply_to_request(actor: Actor, request_id: object, *, message: str) -> ContactRequest:
    """Record the answer given to the family (how and what was agreed); the request is answered."""
    text = (message or "").strip()
    if not text or len(text) > MAX_WORRY:
        raise ValidationError(
            {"message": _("Write what was answered to the family (at most 4,000 characters).")},
            code="required",
        )
    request, decision = _open_for(actor, request_id)
    return _save(
        actor,
        request,
        decision,
        {"kind": RequestEvent.Kind.ANSWERED, "to_status": RequestStatus.ANSWERED, "note": text},
        status=RequestStatus.ANSWERED,
        answered_at=request.answered_at or timezone.now(),
    )


def forward_request(
    actor: Actor,
    request_id: object,
    *,
    family_centre: FamilyCentre | None = None,
    service: Service | None = None,
    professional: Membership | None = None,
    note: str = "",
) -> ContactRequest:
    """Forward the request to another family centre, or to a service of another organisation and a professional there.

    The family asked the family centre, a network: a request goes only to another family centre or
    to a service in a family centre's network. It then leaves the sending organisation's register.
    """
    if (family_centre is None) == (service is None):
        raise ValidationError(
            {
                "family_centre": _(
                    "Choose either another family centre or a service to forward the request to."
                )
            },
            code="required",
        )
    request, decision = _open_for(actor, request_id)
    now = timezone.now()
    event: dict[str, Any] = {
        "kind": RequestEvent.Kind.FORWARDED,
        "to_status": RequestStatus.FORWARDED,
        "note": note,
    }
    changes: dict[str, Any] = {"status": RequestStatus.FORWARDED, "forwarded_at": now}
    if family_centre is not None:
        if family_centre.pk == request.family_centre_id:
            raise ValidationError(
                {"family_centre": _("The request is already at this family centre.")}, code="same"
            )
        event["family_centre"] = family_centre
        changes |= {
            "family_centre": family_centre,
            "holder_organization_id": family_centre.coordinator_id,
            "assigned_service": None,
            "assigned_membership": None,
            "due_on": add_working_days(timezone.localdate(now), response_days_of(family_centre.pk)),
        }
    elif service is not None:
        if service.organization_id == request.holder_organization_id:
            raise ValidationError(
                {"service": _("This service is in the same organisation: assign the request to it instead.")},
                code="same_organisation",
            )
        if not service.family_centres.exists():
            raise ValidationError(
                {"service": _("Requests can be forwarded only to services in a family centre's network.")},
                code="outside_network",
            )
        if professional is None:
            raise ValidationError(
                {"professional": _("Choose the professional who takes the request.")}, code="required"
            )
        _check_professional(service, professional)
        event["service"] = service
        changes |= {
            "holder_organization_id": service.organization_id,
            "assigned_service": service,
            "assigned_membership": professional,
        }
    request = _save(actor, request, decision, event, **changes)
    notify_forwarded(request)
    return request


def close_request(actor: Actor, request_id: object, *, outcome: str, note: str = "") -> ContactRequest:
    """Close the request with its outcome."""
    if outcome not in RequestOutcome.values:
        raise ValidationError({"outcome": _("Choose what came of the request.")}, code="required")
    request, decision = _open_for(actor, request_id)
    return _save(
        actor,
        request,
        decision,
        {"kind": RequestEvent.Kind.CLOSED, "to_status": RequestStatus.CLOSED, "note": note.strip()},
        status=RequestStatus.CLOSED,
        closed_at=timezone.now(),
        outcome=outcome,
        outcome_note=note.strip(),
    )


def identify_person(
    actor: Actor, request_id: object, *, identity_code: str, given_names: str = "", family_name: str = ""
) -> ContactRequest:
    """Link the request to the person it concerns, found by identity code (or registered with the names given).

    Needed before a referral: a referral is about a registered person. The code is never stored
    on the request or logged.
    """
    request, decision = _open_for(actor, request_id)
    if request.person_id is not None:
        refuse_step(
            actor,
            Action.WRITE,
            request_target(request),
            _("The person of this request is already known."),
            "known",
        )
    person = find_or_register(
        identity_code, given_names=given_names, family_name=family_name, language=request.language
    )
    request = _save(
        actor,
        request,
        decision,
        {"kind": RequestEvent.Kind.IDENTIFIED, "to_status": request.status},
        person=person,
    )
    # The person's own trail: "who has seen my data" shows the request from now on.
    log.append(actor, Action.WRITE, request_target(request), decision)
    return request


def set_response_target(
    actor: Actor,
    family_centre: FamilyCentre,
    *,
    response_days: int,
    coordinating_unit: Unit | None = None,
    clear_unit: bool = False,
) -> TriageSetting:
    """Set the centre's response target (1–30 working days); set its coordinating unit, or clear it."""
    if not coordinates(actor, family_centre.pk):
        raise NotCoordinator(_("Only the family centre's coordinators can change its response target."))
    if not isinstance(response_days, int) or not 1 <= response_days <= MAX_RESPONSE_DAYS:
        raise ValidationError(
            {"response_days": _("Give the response target in working days, from 1 to 30.")}, code="invalid"
        )
    if coordinating_unit is not None and coordinating_unit.organization_id != family_centre.coordinator_id:
        raise ValidationError(
            {"coordinating_unit": _("Choose a unit of the organisation that coordinates the family centre.")},
            code="invalid",
        )
    defaults: dict[str, Any] = {"response_days": response_days}
    if coordinating_unit is not None or clear_unit:
        defaults["coordinating_unit"] = coordinating_unit
    setting, _created = TriageSetting.objects.update_or_create(family_centre=family_centre, defaults=defaults)
    return setting
