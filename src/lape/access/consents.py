"""Queries over consents: which consents are in force for a person, an organisation and a category."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Consent


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
# asks it, and building the ORM query costs several times what the database does with it.
_COVERING = """
    SELECT consent.id, consent.categories
    FROM access_consent consent
    JOIN access_consent_organizations shared ON shared.consent_id = consent.id
    WHERE consent.person_id = %s AND shared.organization_id = %s
      AND consent.valid_from <= %s AND (consent.valid_until IS NULL OR consent.valid_until >= %s)
      AND (consent.withdrawn_at IS NULL OR consent.withdrawn_at > %s)
    ORDER BY consent.recorded_at DESC
"""


def _db(field: str, value: Any) -> Any:
    return Consent._meta.get_field(field).get_db_prep_value(value, connection)  # type: ignore[union-attr]


def covering_consent_ids(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[uuid.UUID]:
    """The ids of the consents in force at `at` that share the person's `category` with the organisation.

    Newest first. Categories are a JSON list, which SQLite cannot search inside; a person has few
    consents, so they are read as (id, categories) pairs and chosen here.
    """
    at = at or timezone.now()
    day = timezone.localdate(at)
    params = [
        _db("id", person_id),
        _db("id", organization_id),
        _db("valid_from", day),
        _db("valid_from", day),
        _db("withdrawn_at", at),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_COVERING, params)
        rows = cursor.fetchall()
    found = []
    for consent_id, categories in rows:
        if category in (json.loads(categories) if isinstance(categories, str) else categories):
            found.append(consent_id if isinstance(consent_id, uuid.UUID) else uuid.UUID(consent_id))
    return found


def consents_covering(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[Consent]:
    """The consents in force at `at` that share the person's `category` information with the organisation."""
    ids = covering_consent_ids(person_id, organization_id, category, at)
    return (
        sorted(Consent.objects.filter(pk__in=ids), key=lambda consent: ids.index(consent.pk)) if ids else []
    )
