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
from typing import TYPE_CHECKING

from django.db.models import Q

from lape.access.registers import ROLE_CATEGORIES

from .coordination import centres_coordinated_by
from .models import ContactRequest, Referral, ReferralStatus

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


def _on_contact_request(actor: Actor, person_id: uuid.UUID) -> bool:
    about = Q(person_id=person_id) | Q(pk=person_id, person__isnull=True)
    mine = Q(assigned_membership_id=actor.membership_id) | Q(made_by_membership_id=actor.membership_id)
    centres = centres_coordinated_by(actor)
    return ContactRequest.objects.filter(about).filter(mine | Q(family_centre__in=centres)).exists()


def _on_referral(actor: Actor, person_id: uuid.UUID) -> bool:
    handled = Q(sender_membership_id=actor.membership_id) | Q(receiver_membership_id=actor.membership_id)
    intake = Q(
        status=ReferralStatus.REQUESTED,
        receiver_membership__isnull=True,
        receiver_organization_id=actor.organization_id,
        category__in=sorted(ROLE_CATEGORIES.get(actor.role, frozenset())),
    ) & (Q(receiver_unit__isnull=True) | Q(receiver_unit_id=actor.unit_id))
    return Referral.objects.filter(handled | intake, person_id=person_id).exists()


def on_request_or_referral(actor: Actor, person_id: uuid.UUID) -> bool:
    """Whether the actor is on this person's contact request or referral (the access relation provider)."""
    return _on_contact_request(actor, person_id) or _on_referral(actor, person_id)
