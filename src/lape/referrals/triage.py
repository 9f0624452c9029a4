"""The family centre's queue: which requests wait, how long they have waited, which are overdue.

A queue row shows what triage needs and no more: reference, status, times, the children's ages,
language, where it was asked and to whom it is assigned; the worry and contact details are on the
request's own page. Every row shown is a read of client data: each is decided by access and logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from lape.access import guard

from .coordination import centres_coordinated_by
from .models import ContactRequest, RequestStatus
from .targets import request_target
from .working_days import working_days_between

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# New and forwarded requests first (they wait for a coordinator), then those being handled.
STATUS_ORDER = {
    RequestStatus.NEW: 0,
    RequestStatus.FORWARDED: 1,
    RequestStatus.ASSIGNED: 2,
    RequestStatus.ANSWERED: 3,
    RequestStatus.CLOSED: 4,
}
WAITING_STATUSES = (RequestStatus.NEW, RequestStatus.FORWARDED, RequestStatus.ASSIGNED)


@dataclass(frozen=True)
class QueueRow:
    """One request in a queue: no worry, no contact details."""

    id: uuid.UUID
    reference: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_on: dt.date
    waited_working_days: int
    waited: dt.timedelta
    overdue: bool
    children_ages: list[int]
    language: str
    family_centre: str
    asked_at_service: str
    assigned_service: str
    assigned_to: str


def waited_until(request: ContactRequest, now: dt.datetime) -> dt.datetime:
    """When the waiting ended: the first answer, the closing, or (still waiting) now."""
    return request.answered_at or request.closed_at or now


def waited_working_days(request: ContactRequest, now: dt.datetime | None = None) -> int:
    """Working days the family has waited for an answer (Finnish calendar; the day of asking not counted)."""
    now = now or timezone.now()
    return working_days_between(
        timezone.localdate(request.received_at), timezone.localdate(waited_until(request, now))
    )


def is_overdue(request: ContactRequest, now: dt.datetime | None = None) -> bool:
    """Whether the request still waits for an answer after its due day."""
    now = now or timezone.now()
    return request.status in WAITING_STATUSES and timezone.localdate(now) > request.due_on


def row_of(request: ContactRequest, now: dt.datetime) -> QueueRow:
    """The queue row of a request (its related objects selected)."""
    assigned = request.assigned_membership
    return QueueRow(
        id=request.pk,
        reference=request.reference,
        status=request.status,
        status_label=str(RequestStatus(request.status).label),
        received_at=request.received_at,
        due_on=request.due_on,
        waited_working_days=waited_working_days(request, now),
        waited=waited_until(request, now) - request.received_at,
        overdue=is_overdue(request, now),
        children_ages=list(request.children_ages or []),
        language=request.language,
        family_centre=str(request.family_centre),
        asked_at_service=str(request.asked_at_service) if request.asked_at_service else "",
        assigned_service=str(request.assigned_service) if request.assigned_service else "",
        assigned_to=assigned.user.get_username() if assigned is not None else "",
    )


def _readable_rows(actor: Actor, requests: QuerySet[ContactRequest], now: dt.datetime) -> list[QueueRow]:
    """The rows access lets the actor read, each read logged; the others are left out unlogged (never shown)."""
    related = requests.select_related(
        "family_centre", "asked_at_service", "assigned_service", "assigned_membership__user"
    )
    rows = [row_of(request, now) for request in guard.readable(actor, related, request_target)]
    rows.sort(key=lambda row: (STATUS_ORDER[RequestStatus(row.status)], not row.overdue, row.received_at))
    return rows


def queue_for(
    actor: Actor,
    family_centre_id: uuid.UUID | None = None,
    *,
    status: str = "",
    overdue_only: bool = False,
    include_closed: bool = False,
    now: dt.datetime | None = None,
) -> list[QueueRow]:
    """The shared queue of the centres this actor coordinates (or of one of them): new first, overdue standing out."""
    now = now or timezone.now()
    centres = centres_coordinated_by(actor)
    if family_centre_id is not None:
        centres = centres.filter(pk=family_centre_id)
    requests = ContactRequest.objects.filter(
        family_centre__in=centres, holder_organization_id=actor.organization_id
    )
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    elif not include_closed:
        requests = requests.exclude(status=RequestStatus.CLOSED)
    if overdue_only:
        requests = requests.filter(status__in=WAITING_STATUSES, due_on__lt=timezone.localdate(now))
    return _readable_rows(actor, requests, now)


def my_requests(
    actor: Actor, *, include_closed: bool = False, now: dt.datetime | None = None
) -> list[QueueRow]:
    """The requests assigned to this actor (in this membership)."""
    requests = ContactRequest.objects.filter(assigned_membership_id=actor.membership_id)
    if not include_closed:
        requests = requests.exclude(status=RequestStatus.CLOSED)
    return _readable_rows(actor, requests, now or timezone.now())
