"""Queries over disclosure bans: which bans in force cover a record (lape.access.rules asks).

A ban covers a record when it names that record (type and id), the record's service or the
record's owner organisation, and lists the record's category or no category at all.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .decisions import Target
from .models import DisclosureBan


def bans_in_force(person_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[DisclosureBan]:
    """The person's bans in force at `at` (default now): begun by that Finnish day, not lifted by then."""
    at = at or timezone.now()
    return DisclosureBan.objects.filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=at),
        person_id=person_id,
        valid_from__lte=timezone.localdate(at),
    )


# bans_in_force(...) narrowed to the target, as SQL: asked on every decision that would disclose on
# consent or break-the-glass, where building the ORM query would cost more than running it. A
# NULL service or organisation compares as unknown, so a target without one matches no such ban.
_COVERING = """
    SELECT ban.id, ban.categories
    FROM access_disclosureban ban
    WHERE ban.person_id = %s AND ban.valid_from <= %s
      AND (ban.lifted_at IS NULL OR ban.lifted_at > %s)
      AND ((ban.scope = 'record' AND ban.record_type = %s AND ban.record_id = %s)
           OR (ban.scope = 'service' AND ban.service_id = %s)
           OR (ban.scope = 'organization' AND ban.organization_id = %s))
    ORDER BY ban.recorded_at DESC
"""


def _db(field: str, value: Any) -> Any:
    return DisclosureBan._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


def covering_ban_ids(person_id: uuid.UUID, target: Target, at: dt.datetime | None = None) -> list[uuid.UUID]:
    """The ids of the person's bans in force at `at` that cover `target`, newest first.

    Categories are a JSON list (SQLite cannot search inside it); a person has few bans, so they are
    read as (id, categories) pairs and chosen here, as the covering consents are.
    """
    at = at or timezone.now()
    params = [
        _db("id", person_id),
        _db("valid_from", timezone.localdate(at)),
        _db("lifted_at", at),
        target.record_type,
        target.record_id,
        _db("id", target.service_id),
        _db("id", target.owner_organization_id),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_COVERING, params)
        rows = cursor.fetchall()
    found = []
    for ban_id, categories in rows:
        listed = json.loads(categories) if isinstance(categories, str) else categories
        if not listed or target.category in listed:
            found.append(ban_id if isinstance(ban_id, uuid.UUID) else uuid.UUID(ban_id))
    return found
