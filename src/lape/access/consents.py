"""Queries over consents: which consents are in force for a person, an organisation and a category."""

from __future__ import annotations

import datetime as dt
import uuid

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


def covering_consent_ids(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[uuid.UUID]:
    """The ids of the consents in force at `at` that share the person's `category` with the organisation.

    Newest first. Categories are a JSON list, which SQLite cannot search inside; a person has few
    consents, so they are read as (id, categories) pairs and chosen here.
    """
    rows = (
        consents_in_force(person_id, at)
        .filter(organizations=organization_id)
        .order_by("-recorded_at")
        .values_list("id", "categories")
    )
    return [consent_id for consent_id, categories in rows if category in categories]


def consents_covering(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[Consent]:
    """The consents in force at `at` that share the person's `category` information with the organisation."""
    ids = covering_consent_ids(person_id, organization_id, category, at)
    return list(Consent.objects.filter(pk__in=ids)) if ids else []
