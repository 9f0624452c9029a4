"""Contact requests: a family asks the family centre; a professional asks on a family's behalf.

The family gets a receipt: a short `reference` to quote on the phone and a secret status link
(`Submitted.status_token`, shown once; only its hash is kept). A professional's request on a
family's behalf needs the family's consent, or, when the need is urgent, a stated reason (Social
Welfare Act 1301/2014, 35 §); access checks which, and logs it. Bad input raises a translated
ValidationError and writes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import guard
from lape.access.categories import Category
from lape.access.consents import consents_covering
from lape.access.decisions import Action, Target
from lape.access.statutes import CONTACT_REQUEST
from lape.directory.models import FamilyCentre, Service
from lape.people.models import Person

from .coordination import response_days_of
from .models import AskedVia, ContactRequest, Origin, RequestEvent, RequestStatus
from .notifications import notify_new_request
from .request_input import clean_request_input
from .targets import request_target
from .working_days import add_working_days

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# No 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G: a reference read aloud on the phone is not misheard.
REFERENCE_ALPHABET = "ACEFHJKMNPRTUVWXY34679"
REFERENCE_LENGTH = 8


@dataclass(frozen=True)
class Submitted:
    """A request just received: the request and its secret status token (shown once, never stored)."""

    request: ContactRequest
    status_token: str


@dataclass(frozen=True)
class RequestStatusView:
    """What the status link shows: the status and its dates only, never the content."""

    reference: str
    status: str
    status_label: str
    family_centre: str
    received_at: Any
    due_on: Any  # the day we aim to have contacted the family by
    answered_at: Any
    forwarded_at: Any
    closed_at: Any


def new_reference() -> str:
    """A fresh random reference, e.g. "K7MA-4XR9"."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """A reference as typed (any case, spaces or dashes) in its stored form."""
    chars = re.sub(r"[\s-]", "", text or "").upper()
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == REFERENCE_LENGTH else chars


def token_hash(token: str) -> str:
    """The stored hash of a status token."""
    return hashlib.sha256(token.encode()).hexdigest()


def route(family_centre: FamilyCentre | None, service: Service | None) -> FamilyCentre:
    """The family centre a request goes to: the one asked, or the first (by name) whose network has the service."""
    if family_centre is not None:
        return family_centre
    if service is not None:
        centre = service.family_centres.order_by("name").first()
        if centre is not None:
            return centre
        raise ValidationError(
            {
                "service": _(
                    "This service is not part of a family centre's network. Please contact the service directly."
                )
            },
            code="no_family_centre",
        )
    raise ValidationError({"family_centre": _("Choose the family centre to ask.")}, code="required")


def _create(fields: dict[str, Any], centre: FamilyCentre) -> tuple[ContactRequest, str]:
    """Insert the request with a fresh reference and token (a reference already taken is drawn again)."""
    now = timezone.now()
    due = add_working_days(timezone.localdate(now), response_days_of(centre.pk))
    for _attempt in range(5):
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                request = ContactRequest.objects.create(
                    reference=new_reference(),
                    status_token_hash=token_hash(token),
                    family_centre=centre,
                    holder_organization_id=centre.coordinator_id,
                    received_at=now,
                    due_on=due,
                    **fields,
                )
        except IntegrityError:
            continue
        return request, token
    raise RuntimeError("could not draw a free reference")  # pragma: no cover - 22^8 references


def _received(request: ContactRequest, actor: Actor | None) -> None:
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.RECEIVED,
        at=request.received_at,
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else "",
        membership_id=actor.membership_id if actor else None,
        role=actor.role if actor else "",
        organization_id=actor.organization_id if actor else None,
        to_status=RequestStatus.NEW,
        family_centre=request.family_centre,
        service=request.asked_at_service,
    )


def submit_request(
    *,
    worry: str,
    children_ages: Iterable[Any],
    language: str,
    contact_method: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_times: str = "",
    family_centre: FamilyCentre | None = None,
    service: Service | None = None,
    asked_via: str = AskedVia.START_PAGE,
) -> Submitted:
    """A family's own request ("ask the family centre"); anonymous unless they give a name.

    Routed to `family_centre`, or to the family centre whose network has `service`. The public
    view calls lape.referrals.throttle.check_public_post first.
    """
    centre = route(family_centre, service)
    fields = clean_request_input(
        worry=worry,
        children_ages=children_ages,
        language=language,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_method=contact_method,
        contact_times=contact_times,
        needs_contact=True,
    )
    if asked_via not in AskedVia.values or asked_via == AskedVia.PROFESSIONAL:
        asked_via = AskedVia.START_PAGE
    with transaction.atomic():
        request, token = _create(
            {**fields, "origin": Origin.FAMILY, "asked_via": asked_via, "asked_at_service": service}, centre
        )
        _received(request, None)
        notify_new_request(request)
    return Submitted(request=request, status_token=token)


def submit_request_for_family(
    actor: Actor,
    *,
    person: Person,
    worry: str,
    children_ages: Iterable[Any],
    language: str,
    contact_method: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_times: str = "",
    urgent_reason: str = "",
    family_centre: FamilyCentre | None = None,
    service: Service | None = None,
) -> Submitted:
    """A professional's request on a family's behalf (Social Welfare Act 1301/2014, 35 §).

    With a consent in force that lets the actor's organisation pass the family's contact details
    on; or, when urgent, without one, with `urgent_reason` recorded. Otherwise refused (logged),
    with a ValidationError on `consent` that says what to do.
    """
    centre = route(family_centre, service)
    fields = clean_request_input(
        worry=worry,
        children_ages=children_ages,
        language=language,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_method=contact_method,
        contact_times=contact_times,
        needs_contact=False,
    )
    reason = (urgent_reason or "").strip()
    covering = consents_covering(person.pk, actor.organization_id, Category.CONTACT)
    consent = covering[0] if covering else None
    if consent is None and not reason:
        # Let access refuse and log it: no consent and no stated reason.
        attempt = request_target_for_new(person.pk, centre)
        with contextlib.suppress(guard.NotFoundOrForbidden):
            guard.check(actor, Action.WRITE, attempt)
        raise ValidationError(
            {
                "consent": _(
                    "No consent in force lets you pass this family's contact details on. Ask for the "
                    "family's consent and record it, or, if the need is urgent, say why."
                )
            },
            code="no_consent",
        )
    origin = Origin.PROFESSIONAL_WITH_CONSENT if consent is not None else Origin.PROFESSIONAL_URGENT
    extra = {
        "origin": origin,
        "asked_via": AskedVia.PROFESSIONAL,
        "asked_at_service": service,
        "person": person,
        "made_by_user_id": actor.user_id,
        "made_by_membership_id": actor.membership_id,
        "made_by_organization_id": actor.organization_id,
        "consent": consent,
        "urgent_reason": reason if consent is None else "",
    }
    with guard.writing(actor, Action.WRITE, request_target_for_new(person.pk, centre), reason=reason):
        request, token = _create({**fields, **extra}, centre)
        _received(request, actor)
        notify_new_request(request)
    return Submitted(request=request, status_token=token)


def request_target_for_new(person_id: uuid.UUID, centre: FamilyCentre) -> Target:
    """The access target of a request about to be made about `person_id` for `centre` (no id yet)."""
    return Target(
        record_type=CONTACT_REQUEST,
        record_id="",
        person_id=person_id,
        owner_organization_id=centre.coordinator_id,
        category=Category.CONTACT,
    )


def request_status(status_token: str) -> RequestStatusView | None:
    """What the family's status link shows, or None for an unknown token."""
    token = (status_token or "").strip()
    if not token or len(token) > 100:
        return None
    request = (
        ContactRequest.objects.select_related("family_centre")
        .filter(status_token_hash=token_hash(token))
        .first()
    )
    if request is None:
        return None
    return RequestStatusView(
        reference=request.reference,
        status=request.status,
        status_label=str(RequestStatus(request.status).label),
        family_centre=str(request.family_centre),
        received_at=request.received_at,
        due_on=request.due_on,
        answered_at=request.answered_at,
        forwarded_at=request.forwarded_at,
        closed_at=request.closed_at,
    )


def request_for(actor: Actor, request_id: object) -> ContactRequest:
    """The contact request if the actor may read it (logged); NotFoundOrForbidden otherwise, missing or not."""
    queryset = ContactRequest.objects.select_related(
        "family_centre", "asked_at_service", "assigned_service", "assigned_membership__user", "person"
    )
    return guard.fetch(actor, Action.READ, queryset, request_id, request_target)
