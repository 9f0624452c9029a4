"""The relation this app gives `lape.access`: who is on a person's contact request or referral.

Registered in ReferralsConfig.ready() with lape.access.relations.register_relation. Deny by
default: only these say yes.

- A contact request: the coordinators of its family centre, the professional it is assigned to,
  and the professional who made it on the family's behalf.
- A referral: its sender; once accepted, the professional who handles it; while it waits for an
  answer (requested), the receiving organisation's professionals whose role handles the receiving
  register's category (only those of the receiving unit when the referral names one). A draft is
  the sender's alone.

The relation says only that the actor is on the person's request or referral; access still asks
for a basis (own register, consent, law) for every record.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q

from lape.access.registers import ROLE_CATEGORIES
from lape.accounts.models import Role

from .models import ContactRequest, ReferralStatus

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


def waiting_for(actor: Actor) -> Q:
    """The referrals that wait for an answer from the actor's service (the list of received referrals)."""
    return Q(
        status=ReferralStatus.REQUESTED,
        receiver_membership__isnull=True,
        receiver_organization_id=actor.organization_id,
        category__in=sorted(ROLE_CATEGORIES.get(actor.role, frozenset())),
    ) & (Q(receiver_unit__isnull=True) | Q(receiver_unit_id=actor.unit_id))


# The relation as one plain SQL query: access asks it on every decision, and building the same
# query with the ORM (two querysets, a subquery for the coordinated centres) cost several times
# what the database does with it. The same rules as coordination.centres_coordinated_by and
# waiting_for above (which the lists use); tests/test_relations.py asks both every case.
_ON_REQUEST = """
    EXISTS (
        SELECT 1 FROM referrals_contactrequest request
        WHERE (request.person_id = %s OR (request.person_id IS NULL AND request.id = %s))
          AND (request.assigned_membership_id = %s OR request.made_by_membership_id = %s{coordinated})
    )"""
_COORDINATED = """
            OR request.family_centre_id IN (
                SELECT centre.id FROM directory_familycentre centre
                LEFT JOIN referrals_triagesetting triage ON triage.family_centre_id = centre.id
                WHERE centre.coordinator_id = %s
                  AND (triage.coordinating_unit_id IS NULL OR triage.coordinating_unit_id = %s))"""
_ON_REFERRAL = """
    EXISTS (
        SELECT 1 FROM referrals_referral referral
        WHERE referral.person_id = %s
          AND (referral.sender_membership_id = %s OR referral.receiver_membership_id = %s{waiting})
    )"""
_WAITING = """
            OR (referral.status = %s AND referral.receiver_membership_id IS NULL
                AND referral.receiver_organization_id = %s
                AND (referral.receiver_unit_id IS NULL OR referral.receiver_unit_id = %s)
                AND referral.category IN ({categories}))"""


def _uuid(value: uuid.UUID | None) -> Any:
    """A UUID as the database stores it (SQLite: 32 hex characters; PostgreSQL: uuid)."""
    return ContactRequest._meta.pk.get_db_prep_value(value, connection)


def _relation_query(actor: Actor, person_id: uuid.UUID) -> tuple[str, list[Any]]:
    """The SQL that answers the relation for this actor and person, and its parameters."""
    person, membership = _uuid(person_id), _uuid(actor.membership_id)
    organization, unit = _uuid(actor.organization_id), _uuid(actor.unit_id)
    request_params = [person, person, membership, membership]
    coordinated = ""
    if actor.role == Role.COORDINATOR:
        coordinated = _COORDINATED
        request_params += [organization, unit]
    referral_params = [person, membership, membership]
    categories = sorted(ROLE_CATEGORIES.get(actor.role, frozenset()))
    waiting = ""
    if categories:
        waiting = _WAITING.format(categories=", ".join(["%s"] * len(categories)))
        referral_params += [ReferralStatus.REQUESTED.value, organization, unit, *categories]
    sql = (
        "SELECT CASE WHEN"
        + _ON_REQUEST.format(coordinated=coordinated)
        + " OR"
        + _ON_REFERRAL.format(waiting=waiting)
        + " THEN 1 ELSE 0 END"
    )
    return sql, request_params + referral_params


def on_request_or_referral(actor: Actor, person_id: uuid.UUID) -> bool:
    """Whether the actor is on this person's contact request or referral (the access relation provider)."""
    sql, params = _relation_query(actor, person_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bool(row and row[0])
