"""The one door: every view and API asks here before it reads, writes or exports client data.

`check()` decides, writes the access-log row (allowed or refused) and raises NotFoundOrForbidden on
a refusal; `writing()` does the same around a write, so the write and its log row share one
transaction; `fetch()` also turns a missing record into the same error, so that "missing" and
"forbidden" look alike (`find()` alone does that part, for an app whose decision is its own).
Example (docs/access.md):

    referral = guard.fetch(request.actor, Action.READ, Referral.objects.all(), referral_id, referral_target)

A refusal's log row is written before the error is raised. Call the guard outside any transaction
that the error would roll back (do not wrap it in your own transaction.atomic()), or the refusal's
row goes with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404

from . import log
from .decisions import Action, Decision, Refusal, Target, refused
from .emergency import emergency_access
from .rules import decide

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

    from .log import LoggedActor

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")


class NotFoundOrForbidden(Http404):
    """The record does not exist, or the actor may not touch it: the caller cannot tell which."""


def enforce(
    actor: LoggedActor | None, action: Action | str, target: Target, decision: Decision, *, reason: str = ""
) -> Decision:
    """Log an attempt with its decision; raise NotFoundOrForbidden if it was refused."""
    if decision.allowed and decision.basis == "emergency":
        with transaction.atomic():  # the row and what the signal queues for review commit together
            entry = log.append(actor, action, target, decision, reason=reason)
            emergency_access.send(sender=NotFoundOrForbidden, entry=entry, target=target)
        return decision
    log.append(actor, action, target, decision, reason=reason)
    if not decision.allowed:
        raise NotFoundOrForbidden()
    return decision


def raise_if_refused(
    actor: LoggedActor | None, action: Action | str, target: Target, decision: Decision, *, reason: str = ""
) -> Decision:
    """Log a refusal and raise NotFoundOrForbidden; an allowed decision is returned, not yet logged.

    For a check made before the work whose own row logs the allowed access (a write, a page).
    """
    if not decision.allowed:
        enforce(actor, action, target, decision, reason=reason)
    return decision


def check(
    actor: Actor, action: Action | str, target: Target, *, reason: str = "", emergency: bool = False
) -> Decision:
    """Decide, log, and raise NotFoundOrForbidden unless allowed. For reads and exports."""
    decision = decide(actor, action, target, reason=reason, emergency=emergency)
    return enforce(actor, action, target, decision, reason=reason)


@contextmanager
def writing(
    actor: LoggedActor,
    action: Action | str,
    target: Target,
    *,
    reason: str = "",
    emergency: bool = False,
    decision: Decision | None = None,
) -> Iterator[Decision]:
    """Decide and log a write; the block runs in the transaction of its log row. Refused: raise.

    An error in the block rolls back the write and its "allowed" row alike: nothing was done.
    `decision` is for an action with rules of its own (recording a consent): it replaces `decide`.
    A family member (no role or relation for `decide`) always brings the decision of its own rule.
    """
    if decision is None:
        from lape.accounts.acting import Actor  # here only: the module imports it for typing alone

        if not isinstance(actor, Actor):
            raise TypeError("Only a professional's Actor is decided by the rules; pass the decision.")
        decision = decide(actor, action, target, reason=reason, emergency=emergency)
    raise_if_refused(actor, action, target, decision, reason=reason)
    with transaction.atomic():
        enforce(actor, action, target, decision, reason=reason)
        yield decision


def _loggable_id(record_id: object) -> str:
    """A record id fit for the log: only a UUID or a number, never what someone typed in its place."""
    text = str(record_id).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text if text.isdigit() and len(text) < 20 else ""


def refuse_missing(
    actor: LoggedActor | None, action: Action | str, record_type: str, record_id: object
) -> NoReturn:
    """Log an attempt on a record that does not exist, and raise the same error as a refusal."""
    target = Target(
        record_type=record_type,
        record_id=_loggable_id(record_id),
        person_id=None,
        owner_organization_id=None,
        category="",
    )
    enforce(actor, action, target, refused(Refusal.NOT_FOUND))
    raise AssertionError("unreachable: enforce raises on a refusal")  # pragma: no cover


def find(
    actor: LoggedActor | None,
    action: Action | str,
    queryset: models.QuerySet[M],
    record_id: object,
    record_type: str = "",
) -> M:
    """The record with this id, for the caller to decide on; missing: logged, and NotFoundOrForbidden.

    A missing record or a malformed id is logged as refused (`not_found`, under `record_type`, by
    default the model's name) and raises the same error as a refusal.
    """
    try:
        return queryset.get(pk=record_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        refuse_missing(actor, action, record_type or queryset.model._meta.model_name or "record", record_id)


def readable(actor: Actor, records: Iterable[R], target_for: Callable[[R], Target]) -> list[R]:
    """The records of a list that access lets the actor read, each read logged.

    The others are left out unlogged: the list's own query chose them, the actor never asked for
    them and sees nothing of them (a record asked for by id goes through `fetch`, which logs a refusal).
    """
    shown = []
    for record in records:
        target = target_for(record)
        decision = decide(actor, Action.READ, target)
        if decision.allowed:
            log.append(actor, Action.READ, target, decision)
            shown.append(record)
    return shown


def fetch(
    actor: Actor,
    action: Action | str,
    queryset: models.QuerySet[M],
    record_id: object,
    target_for: Callable[[M], Target],
    *,
    reason: str = "",
    emergency: bool = False,
) -> M:
    """The record with this id if the actor may act on it; otherwise (missing or not) NotFoundOrForbidden."""
    record = find(actor, action, queryset, record_id)
    check(actor, action, target_for(record), reason=reason, emergency=emergency)
    return record
