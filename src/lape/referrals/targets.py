"""The access targets of this app's records: what `lape.access` is asked about before each read or write.

A contact request is kept in the register of the organisation that holds it (the family centre's
coordinating organisation, or the organisation it was forwarded to), in the contact category. An
anonymous family is known only by its request: the request's id stands for the person.

A referral exists in two registers: the sender's copy (the sender's organisation, the sender's
category) and the receiver's copy (the receiving organisation, the receiving register's category).
Which copy an actor reads depends on the side they are on. The information a referral carries
(its items) stays the sender's information: the receiver reads an item only while a consent or a
law lets the sender's register share it (so a consent withdrawn after sending takes effect at once).
A child-protection notification becomes the child-protection register's record on receipt (Child
Welfare Act 417/2007, 25 §): the receiver reads its items as their own register's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lape.access.categories import Category
from lape.access.decisions import Target
from lape.access.statutes import CHILD_PROTECTION_NOTIFICATION, CONTACT_REQUEST

from .models import ContactRequest, Referral, ReferralItem, ReferralKind

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

REFERRAL_RECORD = "referral"
REFERRAL_ITEM_RECORD = "referral_item"


def request_target(request: ContactRequest) -> Target:
    """The access target of a contact request."""
    return Target(
        record_type=CONTACT_REQUEST,
        record_id=str(request.pk),
        person_id=request.subject_id,
        owner_organization_id=request.holder_organization_id,
        category=Category.CONTACT,
        service_id=request.assigned_service_id,  # a disclosure ban on that service covers it
    )


def referral_record_type(kind: str) -> str:
    """The record type access knows a referral of this kind by (a notification has its own statute)."""
    return (
        CHILD_PROTECTION_NOTIFICATION
        if kind == ReferralKind.CHILD_PROTECTION_NOTIFICATION
        else REFERRAL_RECORD
    )


def is_sender_side(actor: Actor, referral: Referral) -> bool:
    """Whether the actor reads the referral as its sender (the sending membership)."""
    return actor.membership_id == referral.sender_membership_id


def referral_target(referral: Referral, actor: Actor) -> Target:
    """The access target of the referral itself (status, parties, what is asked, outcome) for this actor."""
    # The receiver's copy is the receiving service's record; the sender's names no service.
    if is_sender_side(actor, referral):
        owner, category, service = referral.sender_organization_id, referral.sender_category, None
    else:
        owner, category, service = (
            referral.receiver_organization_id,
            referral.category,
            referral.receiver_service_id,
        )
    return Target(
        record_type=referral_record_type(referral.kind),
        record_id=str(referral.pk),
        person_id=referral.person_id,
        owner_organization_id=owner,
        category=category,
        service_id=service,
    )


def receiver_copy_target(referral: Referral) -> Target:
    """The receiving service's copy of a referral, read by no professional: the family's export, the purge."""
    return Target(
        record_type=referral_record_type(referral.kind),
        record_id=str(referral.pk),
        person_id=referral.person_id,
        owner_organization_id=referral.receiver_organization_id,
        category=referral.category,
        service_id=referral.receiver_service_id,
    )


def item_target(referral: Referral, item: ReferralItem, actor: Actor) -> Target:
    """The access target of one category of information a referral carries, for this actor."""
    # A received notification is the receiving service's record; an item otherwise stays the
    # sender's information, and the sender names no service.
    if referral.kind == ReferralKind.CHILD_PROTECTION_NOTIFICATION and not is_sender_side(actor, referral):
        owner, category = referral.receiver_organization_id, str(Category.CHILD_PROTECTION)
        service = referral.receiver_service_id
    else:
        owner, category, service = referral.sender_organization_id, item.category, None
    return Target(
        record_type=REFERRAL_ITEM_RECORD,
        record_id=str(item.pk),
        person_id=referral.person_id,
        owner_organization_id=owner,
        category=category,
        service_id=service,
    )
