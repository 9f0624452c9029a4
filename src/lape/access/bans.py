"""Queries over disclosure bans: which bans in force cover a record (lape.access.rules asks).

A ban covers a record when it names that record (type and id), the record's service or the
record's owner organisation, and lists the record's category or no category at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .consents import COVERING_SELECT, NEWEST_FIRST, as_uuid, categories_of, covering_params
from .decisions import Target
from .memo import recall
from .models import DisclosureBan
from .sql import fetch_all


def bans_in_force(person_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[DisclosureBan]:
    """The person's bans in force at `at` (default now): begun by that Finnish day, not lifted by then."""
    at = at or timezone.now()
    return DisclosureBan.objects.filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=at),
        person_id=person_id,
        valid_from__lte=timezone.localdate(at),
    )


# bans_in_force(...) as SQL, with what a ban names: asked where a decision would disclose on consent
# (together with the covering consents, in one round trip) or on break-the-glass. A person has few
# bans, so all of theirs in force are read and the ones covering the target are chosen here
# (`_covers`); one read of many records (access.memo.remembered) then asks once for them all.
_BANS_SELECT = """
    SELECT 'ban', ban.id, ban.categories, ban.recorded_at,
           ban.scope, ban.record_type, ban.record_id, ban.service_id, ban.organization_id
    FROM access_disclosureban ban
    WHERE ban.person_id = %s AND ban.valid_from <= %s
      AND (ban.lifted_at IS NULL OR ban.lifted_at > %s)
"""
# The consents' rows, widened to the bans' columns, so that one statement asks both.
_CONSENTS_AND_BANS = (
    COVERING_SELECT.replace("consent.recorded_at", "consent.recorded_at, NULL, NULL, NULL, NULL, NULL")
    + " UNION ALL "
    + _BANS_SELECT
    + NEWEST_FIRST
)


def _db(field: str, value: Any) -> Any:
    return DisclosureBan._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


def _params(person_id: uuid.UUID, at: dt.datetime) -> list[Any]:
    return [_db("id", person_id), _db("valid_from", timezone.localdate(at)), _db("lifted_at", at)]


def _same(value: Any, wanted: uuid.UUID | None) -> bool:
    """Whether an id from the database is `wanted` (a missing id on either side matches nothing)."""
    return value is not None and wanted is not None and as_uuid(value) == wanted


def _names(row: tuple[Any, ...], target: Target) -> bool:
    """Whether a ban's row names the target: the record itself, its service or its owner organisation."""
    scope, record_type, record_id, service_id, organization_id = row[4:9]
    if scope == "record":
        return record_type == target.record_type and record_id == target.record_id
    if scope == "service":
        return _same(service_id, target.service_id)
    return scope == "organization" and _same(organization_id, target.owner_organization_id)


def _covering(rows: list[tuple[Any, ...]], kind: str, target: Target) -> list[uuid.UUID]:
    """The ids of the rows of `kind` that cover the target (a ban listing no category covers all)."""
    found = []
    for row in rows:
        row_kind, row_id, categories = row[:3]
        if row_kind != kind:
            continue
        listed = categories_of(categories)
        if kind == "ban":
            covers = (target.category in listed or not listed) and _names(row, target)
        else:
            covers = target.category in listed
        if covers:
            found.append(as_uuid(row_id))
    return found


def covering_ban_ids(person_id: uuid.UUID, target: Target, at: dt.datetime | None = None) -> list[uuid.UUID]:
    """The ids of the person's bans in force at `at` that cover `target`, newest first.

    Categories are a JSON list (SQLite cannot search inside it); a person has few bans, so they are
    read with what they name and chosen here, as the covering consents are.
    """
    at = at or timezone.now()
    rows = recall(
        ("bans", person_id, at), lambda: fetch_all(_BANS_SELECT + NEWEST_FIRST, _params(person_id, at))
    )
    return _covering(rows, "ban", target)


def covering_consents_and_bans(
    person_id: uuid.UUID, organization_id: uuid.UUID, target: Target, at: dt.datetime
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The consents in force that share the target's category with the organisation, and the bans in
    force that cover the target: one query (a disclosure on consent asks both), each newest first."""
    rows = recall(
        ("consents and bans", person_id, organization_id, at),
        lambda: fetch_all(
            _CONSENTS_AND_BANS, covering_params(person_id, organization_id, at) + _params(person_id, at)
        ),
    )
    return _covering(rows, "consent", target), _covering(rows, "ban", target)
