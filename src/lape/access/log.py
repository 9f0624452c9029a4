"""The access log: append a chained row in the caller's transaction; read what concerns a person.

Every row's hash is SHA-256 over a canonical serialisation of its fields and the previous row's
hash, so a changed, removed or reordered row breaks the chain (`lape verify-access-log`).
Appends are serialised by locking the chain head (PostgreSQL: SELECT … FOR UPDATE, held to the end
of the transaction; SQLite: the database's write lock, taken at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lape.people.log_masking import mask_identity_codes

from .decisions import Action, Decision, Outcome, Target
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# The fields the hash covers, in this order; a new field needs a new CHAIN_VERSION.
CHAIN_VERSION = 1
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "membership_id",
    "role",
    "organization_id",
    "unit_id",
    "record_type",
    "record_id",
    "person_id",
    "category",
    "action",
    "outcome",
    "basis",
    "law",
    "consent_id",
    "refusal",
    "reason",
    "previous_hash",
)


def _canonical_value(value: Any) -> Any:
    """A field as the same text whichever database returned it (UTC, microseconds; UUIDs as hex)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def canonical(values: dict[str, Any]) -> bytes:
    """The canonical serialisation of a row's hashed fields: sorted-key compact JSON in UTF-8."""
    document = {"v": CHAIN_VERSION} | {name: _canonical_value(values[name]) for name in HASHED_FIELDS}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 (hex) of a row's canonical serialisation, which includes the previous row's hash."""
    return hashlib.sha256(canonical(values)).hexdigest()


def entry_values(
    actor: Actor | None,
    action: str,
    target: Target,
    decision: Decision,
    *,
    reason: str = "",
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The fields of a log row for this attempt (without the chain fields)."""
    return {
        "at": at or timezone.now(),
        "user_id": actor.user_id if actor else None,
        "username": actor.username if actor else "",
        "membership_id": actor.membership_id if actor else None,
        "role": actor.role if actor else "",
        "organization_id": actor.organization_id if actor else None,
        "unit_id": actor.unit_id if actor else None,
        "record_type": target.record_type,
        "record_id": mask_identity_codes(target.record_id),
        "person_id": target.person_id,
        "category": target.category,
        "action": action,
        "outcome": Outcome.ALLOWED if decision.allowed else Outcome.REFUSED,
        "basis": decision.basis,
        "law": decision.law,
        "consent_id": decision.consent_id,
        "refusal": "" if decision.allowed else decision.reason,
        # A stated reason is free text: an identity code typed into it must not reach the log.
        "reason": mask_identity_codes(reason.strip()),
    }


def _locked_head() -> AccessLogHead:
    """The chain head, locked until the end of the transaction (created on the first append)."""
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Concurrent first appends both try; the loser's insert is ignored and it waits on the lock.
        AccessLogHead.objects.bulk_create([AccessLogHead(pk=1)], ignore_conflicts=True)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    return head


def append(
    actor: Actor | None,
    action: Action | str,
    target: Target,
    decision: Decision,
    *,
    reason: str = "",
) -> AccessLogEntry:
    """Write the log row of one attempt, chained to the previous row, in the caller's transaction.

    Without a transaction around it, the row is committed at once.
    """
    values = entry_values(actor, str(action), target, decision, reason=reason)
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        values["previous_hash"] = head.last_hash
        entry = AccessLogEntry(**values, hash=entry_hash(values))
        entry.save()
        AccessLogHead.objects.filter(pk=1).update(last_entry_id=entry.pk, last_hash=entry.hash)
    return entry


def entries_about(person_id: uuid.UUID) -> QuerySet[AccessLogEntry]:
    """Every logged access to a person's data, newest first: "who has seen my data".

    A view that shows these to a family must itself go through the guard.
    """
    return AccessLogEntry.objects.filter(person_id=person_id).order_by("-at", "-id")


__all__ = ["GENESIS_HASH", "append", "canonical", "entries_about", "entry_hash", "entry_values"]
