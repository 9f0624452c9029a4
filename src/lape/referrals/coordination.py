"""Who coordinates which family centre: the coordinators who share a centre's queue of contact requests.

A family centre is coordinated by an organisation (directory.FamilyCentre.coordinator). Its queue is
shared by the coordinators (role `coordinator`) of that organisation – only those of the centre's
coordinating unit when its triage setting names one, so that a county with several family centres
keeps each centre's queue to its own coordinators.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from lape.accounts.models import Membership, Role
from lape.directory.models import FamilyCentre

from .models import DEFAULT_RESPONSE_DAYS, ContactRequest, TriageSetting

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


def centres_coordinated_by(actor: Actor) -> QuerySet[FamilyCentre]:
    """The family centres whose queue this actor shares (none unless acting as a coordinator)."""
    if actor.role != Role.COORDINATOR:
        return FamilyCentre.objects.none()
    return FamilyCentre.objects.filter(
        Q(triage__isnull=True)
        | Q(triage__coordinating_unit__isnull=True)
        | Q(triage__coordinating_unit=actor.unit_id),
        coordinator_id=actor.organization_id,
    )


def coordinates(actor: Actor, family_centre_id: uuid.UUID) -> bool:
    """Whether the actor shares this family centre's queue."""
    return centres_coordinated_by(actor).filter(pk=family_centre_id).exists()


def coordinates_request(actor: Actor, request: ContactRequest) -> bool:
    """Whether the actor coordinates this request: its family centre's queue, while its organisation holds it."""
    return request.holder_organization_id == actor.organization_id and coordinates(
        actor, request.family_centre_id
    )


def coordinators_of(family_centre: FamilyCentre) -> QuerySet[Membership]:
    """The memberships in force today that share this centre's queue."""
    memberships = Membership.objects.active().filter(
        role=Role.COORDINATOR, organization_id=family_centre.coordinator_id
    )
    setting = TriageSetting.objects.filter(family_centre=family_centre).first()
    if setting is not None and setting.coordinating_unit_id is not None:
        memberships = memberships.filter(unit_id=setting.coordinating_unit_id)
    return memberships.select_related("user")


def response_days_of(family_centre_id: uuid.UUID) -> int:
    """The centre's response target in working days (DEFAULT_RESPONSE_DAYS when it has set none)."""
    setting = TriageSetting.objects.filter(family_centre_id=family_centre_id).first()
    return setting.response_days if setting is not None else DEFAULT_RESPONSE_DAYS
