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


# bans_in_force(...) narrowed to the target, as SQL: asked where a decision would disclose on
# consent (together with the covering consents, in one round trip) or on break-the-glass. A NULL
# service or organisation compares as unknown, so a target without one matches no such ban.
_BANS_SELECT = """
    SELECT 'ban', ban.id, ban.categories, ban.recorded_at
    FROM access_disclosureban ban
    WHERE ban.person_id = %s AND ban.valid_from <= %s
      AND (ban.lifted_at IS NULL OR ban.lifted_at > %s)
      AND ((ban.scope = 'record' AND ban.record_type = %s AND ban.record_id = %s)
           OR (ban.scope = 'service' AND ban.service_id = %s)
           OR (ban.scope = 'organization' AND ban.organization_id = %s))
"""
_CONSENTS_AND_BANS = COVERING_SELECT + " UNION ALL " + _BANS_SELECT + NEWEST_FIRST


def _db(field: str, value: Any) -> Any:
    return DisclosureBan._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


def _params(person_id: uuid.UUID, target: Target, at: dt.datetime) -> list[Any]:
    return [
        _db("id", person_id),
        _db("valid_from", timezone.localdate(at)),
        _db("lifted_at", at),
        target.record_type,
        target.record_id,
        _db("id", target.service_id),
        _db("id", target.owner_organization_id),
    ]


def _covering(rows: list[tuple[Any, ...]], kind: str, category: str) -> list[uuid.UUID]:
    """The ids of the rows of `kind` that cover `category` (a ban listing no category covers all)."""
    found = []
    for row_kind, row_id, categories, _at in rows:
        listed = categories_of(categories)
        if row_kind == kind and (category in listed or (kind == "ban" and not listed)):
            found.append(as_uuid(row_id))
    return found


def covering_ban_ids(person_id: uuid.UUID, target: Target, at: dt.datetime | None = None) -> list[uuid.UUID]:
    """The ids of the person's bans in force at `at` that cover `target`, newest first.

    Categories are a JSON list (SQLite cannot search inside it); a person has few bans, so they are
    read with their categories and chosen here, as the covering consents are.
    """
    rows = fetch_all(_BANS_SELECT + NEWEST_FIRST, _params(person_id, target, at or timezone.now()))
    return _covering(rows, "ban", target.category)


def covering_consents_and_bans(
    person_id: uuid.UUID, organization_id: uuid.UUID, target: Target, at: dt.datetime
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The consents in force that share the target's category with the organisation, and the bans in
    force that cover the target: one query (a disclosure on consent asks both), each newest first."""
    params = covering_params(person_id, organization_id, at) + _params(person_id, target, at)
    rows = fetch_all(_CONSENTS_AND_BANS, params)
    return _covering(rows, "consent", target.category), _covering(rows, "ban", target.category)
