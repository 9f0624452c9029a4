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


def consents_covering(
    person_id: uuid.UUID, organization_id: uuid.UUID, category: str, at: dt.datetime | None = None
) -> list[Consent]:
    """The consents in force at `at` that share the person's `category` information with the organisation."""
    candidates = consents_in_force(person_id, at).filter(organizations=organization_id)
    # Categories are a JSON list, which SQLite cannot search inside: a person has few consents.
    return [consent for consent in candidates if category in consent.categories]
