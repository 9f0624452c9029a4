"""Queries over consents: which consents are in force for a person, an organisation and a category."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .memo import recall
from .models import Consent
from .sql import fetch_all


def consents_in_force(person_id: uuid.UUID, at: dt.datetime | None = None) -> QuerySet[Consent]:
    """The person's consents valid at `at` (default now): begun, not ended, not withdrawn by then.

    Validity days are Finnish calendar days; a withdrawal counts from its instant.
    """
    at = at or timezone.now()
    day = timezone.localdate(at)
    return Consent.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at),
        person_id=person_id,
        valid_from__lte=day,
    )


# consents_in_force(...).filter(organizations=...) as SQL: every decision on the consent basis
# asks it, and building the ORM query costs several times what the database does with it. The
# first column says what the row is: lape.access.bans asks this together with the covering bans.
COVERING_SELECT = """
    SELECT 'consent', consent.id, consent.categories, consent.recorded_at
    FROM access_consent consent
    JOIN access_consent_organizations shared ON shared.consent_id = consent.id
    WHERE consent.person_id = %s AND shared.organization_id = %s
      AND consent.valid_from <= %s AND (consent.valid_until IS NULL OR consent.valid_until >= %s)
      AND (consent.withdrawn_at IS NULL OR consent.withdrawn_at > %s)
"""
NEWEST_FIRST = " ORDER BY 4 DESC"


def _db(field: str, value: Any) -> Any:
    return Consent._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


def covering_params(person_id: uuid.UUID, organization_id: uuid.UUID, at: dt.datetime) -> list[Any]:
    """The parameters of COVERING_SELECT, as the database takes them."""
    day = timezone.localdate(at)
    return [
        _db("id", person_id),
        _db("id", organization_id),
        _db("valid_from", day),
        _db("valid_from", day),
        _db("withdrawn_at", at),
    ]


def categories_of(categories: Any) -> list[str]:
    """A row's categories, a JSON list (SQLite gives it as text)."""
    listed: list[str] = json.loads(categories) if isinstance(categories, str) else categories
    return listed


def as_uuid(value: Any) -> uuid.UUID:
    """An id as the database gave it (SQLite: text) as a UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def covering_consent_ids(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[uuid.UUID]:
    """The ids of the consents in force at `at` that share the person's `category` with the organisation.

    Newest first. Categories are a JSON list, which SQLite cannot search inside; a person has few
    consents, so they are read as (id, categories) pairs and chosen here.
    """
    at = at or timezone.now()
    rows = recall(
        ("consents", person_id, organization_id, at),
        lambda: fetch_all(COVERING_SELECT + NEWEST_FIRST, covering_params(person_id, organization_id, at)),
    )
    return [
        as_uuid(consent_id)
        for _kind, consent_id, categories, _at in rows
        if category in categories_of(categories)
    ]


def consents_covering(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[Consent]:
    """The consents in force at `at` that share the person's `category` information with the organisation."""
    ids = covering_consent_ids(person_id, organization_id, category, at)
    return (
        sorted(Consent.objects.filter(pk__in=ids), key=lambda consent: ids.index(consent.pk)) if ids else []
    )
