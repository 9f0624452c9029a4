"""The access log: append a chained row in the caller's transaction; read what concerns a person.

Every row's hash is SHA-256 over the previous row's hash and the SHA-256 of a canonical
serialisation of the row's fields, so a changed, removed or reordered row breaks the chain
(`lape verify-access-log`). Appends are serialised on the chain head, which a database trigger
moves to each new row: PostgreSQL locks it (FOR UPDATE, held to the end of the transaction) in the
one statement that appends, so an append costs one round trip; SQLite holds its write lock from
BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lape.people.log_masking import mask_identity_codes

from .decisions import Action, Decision, Outcome, Target
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead


class LoggedActor(Protocol):
    """Who acted, as a log row names them: a professional's Actor, or a signed-in family member.

    A family member (lape.accounts.family.FamilyMember) has no user, membership or organisation;
    docs/decisions/006-family-reads-in-the-access-log.md says how their reads are logged.
    """

    @property
    def user_id(self) -> int | None: ...
    @property
    def username(self) -> str: ...
    @property
    def membership_id(self) -> uuid.UUID | None: ...
    @property
    def role(self) -> str: ...
    @property
    def organization_id(self) -> uuid.UUID | None: ...
    @property
    def unit_id(self) -> uuid.UUID | None: ...


# The fields the content digest covers; a new field needs a new CHAIN_VERSION.
CHAIN_VERSION = 1
CONTENT_FIELDS = (
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
)
HASHED_FIELDS = (*CONTENT_FIELDS, "previous_hash")


UUID_FIELDS = ("membership_id", "organization_id", "unit_id", "person_id", "consent_id")
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(values: dict[str, Any]) -> bytes:
    """The canonical serialisation of a row's fields: sorted-key compact JSON in UTF-8.

    The same text whichever database returned the row: the time in UTC with microseconds
    ("2026-01-01T00:00:00.000000Z"), UUIDs as text with hyphens, and the chain version as "v".
    Verification runs this for every row, so it converts only the fields that need it.
    """
    document = {name: values[name] for name in CONTENT_FIELDS}
    document["v"] = CHAIN_VERSION
    document["at"] = values["at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for name in UUID_FIELDS:
        if document[name] is not None:
            document[name] = str(document[name])
    return _ENCODE(document).encode()


def content_digest(values: dict[str, Any]) -> str:
    """SHA-256 (hex) of a row's canonical serialisation."""
    return hashlib.sha256(canonical(values)).hexdigest()


def chain_hash(previous_hash: str, digest: str) -> str:
    """A row's hash: SHA-256 (hex) of the previous row's hash followed by the row's content digest.

    PostgreSQL computes the same in SQL when it appends (see _APPEND_POSTGRESQL).
    """
    return hashlib.sha256((previous_hash + digest).encode("ascii")).hexdigest()


def entry_hash(values: dict[str, Any]) -> str:
    """The hash a row with these fields (including `previous_hash`) must have."""
    return chain_hash(values["previous_hash"], content_digest(values))


def entry_values(
    actor: LoggedActor | None,
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


_COLUMNS = ", ".join(CONTENT_FIELDS)
_PLACEHOLDERS = ", ".join(["%s"] * len(CONTENT_FIELDS))
_INSERT = (
    f"INSERT INTO access_accesslogentry ({_COLUMNS}, previous_hash, hash) VALUES ({_PLACEHOLDERS}, %s, %s)"  # noqa: S608 - the column names are the constants above; every value is a parameter
)


@functools.cache
def _fields() -> dict[str, Any]:
    """The log row's model fields by name (looked up once: every append needs them)."""
    return {field.name: field for field in AccessLogEntry._meta.concrete_fields}


@functools.cache
def _append_postgresql() -> str:
    """Lock the head, chain to it and insert: one statement, its own transaction when none is open.

    The row is built from the locked head, so its id is drawn after the lock is held and ids follow
    the chain. The AFTER INSERT trigger (migration 0004) moves the head to the new row. The values
    are cast to their columns' types, as a SELECT does not take them from the target.
    """
    fields = _fields()
    typed = ", ".join(f"%s::{fields[name].db_type(connection)}" for name in CONTENT_FIELDS)
    return f"""
        WITH head AS (SELECT last_hash FROM access_accessloghead WHERE id = 1 FOR UPDATE)
        INSERT INTO access_accesslogentry ({_COLUMNS}, previous_hash, hash)
        SELECT {typed}, head.last_hash, encode(sha256(convert_to(head.last_hash || %s, 'UTF8')), 'hex')
        FROM head
        RETURNING id, previous_hash, hash
    """  # noqa: S608 - column names and types come from the model; every value is a parameter


def _db_values(values: dict[str, Any], names: tuple[str, ...] = CONTENT_FIELDS) -> list[Any]:
    """The fields `names` (default the content fields) as the database stores them (UUIDs, times)."""
    fields = _fields()
    return [fields[name].get_db_prep_save(values[name], connection) for name in names]


def _execute_prepared(values: dict[str, Any], digest: str) -> tuple[int, str, str] | None:
    """Run the PostgreSQL append as a prepared statement (server-side binding, plan kept).

    Every guarded read runs it, and preparing it halves its cost (docs/access.md, "Figures"). It
    goes to psycopg directly, on Django's connection (so in Django's transaction, if one is open),
    with Django's error classes and query log.
    """
    import psycopg

    connection.ensure_connection()
    sql = _append_postgresql()
    params = [*(_canonical_param(values[name]) for name in CONTENT_FIELDS), digest]
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return row


def _canonical_param(value: Any) -> Any:
    """A value for psycopg: choice enums as their plain strings, the rest as they are."""
    return str(value) if isinstance(value, str) else value


def append(
    actor: LoggedActor | None,
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
    digest = content_digest(values)
    if connection.vendor == "postgresql":
        row = _execute_prepared(values, digest)
        if row is None:  # no chain head (deleted by hand): make one, then append to it
            ensure_chain_head(connection.alias)
            row = _execute_prepared(values, digest)
        if row is None:
            raise RuntimeError("The access log's chain head is missing and could not be created.")
        entry_id, previous, entry_hash_ = row
    else:
        # BEGIN IMMEDIATE (settings) holds SQLite's write lock from the first statement on.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("SELECT last_hash FROM access_accessloghead WHERE id = 1")
            found = cursor.fetchone()
            previous = found[0] if found else GENESIS_HASH
            entry_hash_ = chain_hash(previous, digest)
            cursor.execute(_INSERT, [*_db_values(values), previous, entry_hash_])
            entry_id = cursor.lastrowid
    entry = AccessLogEntry(id=entry_id, **values, previous_hash=previous, hash=entry_hash_)
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


CHAINED_FIELDS = (*CONTENT_FIELDS, "previous_hash", "hash")


@functools.cache
def _insert_many_postgresql() -> str:
    """Insert rows already chained, given as one array a column: one statement whatever the count.

    Its text does not change with the count, so it is prepared once per connection; the rows come
    out of unnest in the arrays' order, and their ids are drawn in that order.
    """
    fields = _fields()
    arrays = ", ".join(f"%s::{fields[name].db_type(connection)}[]" for name in CHAINED_FIELDS)
    columns = ", ".join(CHAINED_FIELDS)
    return f"INSERT INTO access_accesslogentry ({columns}) SELECT * FROM unnest({arrays}) RETURNING hash, id"  # noqa: S608 - column names and types come from the model; every value is a parameter


def _insert_postgresql(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert chained rows on PostgreSQL as a prepared statement; their ids by hash."""
    import psycopg

    sql = _insert_many_postgresql()
    columns = [[_canonical_param(values[name]) for values in rows] for name in CHAINED_FIELDS]
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, columns, prepare=True)
        found = dict(cursor.fetchall())
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return found


_MANY_AT_ONCE = 200  # SQLite's rows a statement: 200 × 20 parameters, far below its limit


def append_many(
    actor: LoggedActor | None, action: Action | str, attempts: Sequence[tuple[Target, Decision]]
) -> list[AccessLogEntry]:
    """Write the log rows of several attempts of one moment (one read of many records), in order.

    The same chain as `append` row by row: the head is read once (locked on PostgreSQL, held to the
    end of the transaction; SQLite holds its write lock from BEGIN IMMEDIATE), each row chained to
    the one before it, and the rows inserted in as few statements as fit, in the caller's
    transaction (without one, committed together). The trigger moves the head row by row, so it
    ends at the last row, and ids follow the chain as they are drawn in the order of the rows.
    """
    if len(attempts) <= 1:
        return [append(actor, action, target, decision) for target, decision in attempts]
    at = timezone.now()
    rows = [entry_values(actor, str(action), target, decision, at=at) for target, decision in attempts]
    head_sql = "SELECT last_hash FROM access_accessloghead WHERE id = 1"
    if connection.vendor == "postgresql":
        head_sql += " FOR UPDATE"
    entries = []
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(head_sql)
        found = cursor.fetchone()
        if found is None and connection.vendor == "postgresql":
            ensure_chain_head(connection.alias)
            cursor.execute(head_sql)
            found = cursor.fetchone()
        previous = found[0] if found else GENESIS_HASH
        for values in rows:
            values["previous_hash"] = previous
            values["hash"] = previous = chain_hash(previous, content_digest(values))
        if connection.vendor == "postgresql":
            ids = _insert_postgresql(rows)
        else:
            ids = {}
            for start in range(0, len(rows), _MANY_AT_ONCE):
                chunk = rows[start : start + _MANY_AT_ONCE]
                more = f", ({_PLACEHOLDERS}, %s, %s)" * (len(chunk) - 1)
                params = [param for values in chunk for param in _db_values(values, CHAINED_FIELDS)]
                cursor.execute(_INSERT + more + " RETURNING hash, id", params)
                ids.update(cursor.fetchall())
        for values in rows:
            entry = AccessLogEntry(id=ids[values["hash"]], **values)
            entry._state.adding = False
            entry._state.db = connection.alias
            entries.append(entry)
    return entries


def ensure_chain_head(using: str = "default") -> None:
    """Create the chain head if the log's tables exist and it does not (a new or flushed database).

    Appends lock the head; without one, two first appends at once could both chain to the start.
    """
    if AccessLogHead._meta.db_table in connections[using].introspection.table_names():
        AccessLogHead.objects.using(using).bulk_create([AccessLogHead(pk=1)], ignore_conflicts=True)


def entries_about(person_id: uuid.UUID) -> QuerySet[AccessLogEntry]:
    """Every logged access to a person's data, newest first: "who has seen my data".

    A view that shows these to a family must itself go through the guard.
    """
    return AccessLogEntry.objects.filter(person_id=person_id).order_by("-at", "-id")


__all__ = [
    "GENESIS_HASH",
    "LoggedActor",
    "append",
    "append_many",
    "canonical",
    "chain_hash",
    "content_digest",
    "ensure_chain_head",
    "entries_about",
    "entry_hash",
    "entry_values",
]
