"""Who may edit which directory records: the one place for the per-organisation publishing rule.

A publisher (a `Publisher` row: user → organisation) edits only the records of their own
organisations; a superuser edits everything; any other user edits nothing (deny by default).
Every admin view asks this module; none decides by itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models
from django.db.models import Q, QuerySet

from .models import (
    Address,
    Contact,
    CostOption,
    FamilyCentre,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

AnyUser = AbstractBaseUser | AnonymousUser

# For each scoped model: the paths from a record to the organisation that owns it. A record with
# several parents (a phone of a service or of a location) belongs to the organisation of any of them.
OWNER_PATHS: dict[type[models.Model], tuple[str, ...]] = {
    Organization: ("pk",),
    Service: ("organization",),
    Location: ("organization",),
    Address: ("location__organization",),
    ServiceAtLocation: ("service__organization",),
    Schedule: (
        "service__organization",
        "location__organization",
        "service_at_location__service__organization",
    ),
    Phone: (
        "service__organization",
        "location__organization",
        "organization",
        "service_at_location__service__organization",
        "contact__organization",
        "contact__service__organization",
    ),
    Contact: (
        "organization",
        "service__organization",
        "location__organization",
        "service_at_location__service__organization",
    ),
    Language: ("service__organization", "location__organization", "phone__service__organization"),
    ServiceArea: ("service__organization", "service_at_location__service__organization"),
    CostOption: ("service__organization",),
    FamilyCentre: ("coordinator",),
}

# What the "Publishers" group may do; the per-organisation rule above narrows it to their own records.
PUBLISHER_GROUP = "Publishers"
PUBLISHER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "directory.service": ("view", "add", "change", "delete"),
    "directory.location": ("view", "add", "change", "delete"),
    "directory.address": ("view", "add", "change", "delete"),
    "directory.serviceatlocation": ("view", "add", "change", "delete"),
    "directory.schedule": ("view", "add", "change", "delete"),
    "directory.phone": ("view", "add", "change", "delete"),
    "directory.contact": ("view", "add", "change", "delete"),
    "directory.language": ("view", "add", "change", "delete"),
    "directory.servicearea": ("view", "add", "change", "delete"),
    "directory.costoption": ("view", "add", "change", "delete"),
    "directory.organization": ("view", "change"),
    "directory.familycentre": ("view", "change"),
    "directory.taxonomy": ("view",),
    "directory.taxonomyterm": ("view",),
    "areas.municipality": ("view",),
}


def is_superuser(user: AnyUser) -> bool:
    """True for an active superuser, who edits every organisation's records."""
    return bool(user.is_active and getattr(user, "is_superuser", False))


def organizations_for(user: AnyUser) -> QuerySet[Organization]:
    """The organisations whose records `user` may edit: all for a superuser, none for a stranger."""
    if is_superuser(user):
        return Organization.objects.all()
    if not user.is_active or not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(publishers__user_id=user.pk)


def _organization_ids(user: AnyUser) -> QuerySet[Organization, Any]:
    return organizations_for(user).values("pk")


def scope_for(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` narrowed to the records `user` may edit (unchanged for a superuser)."""
    if is_superuser(user):
        return queryset
    paths = OWNER_PATHS.get(queryset.model)
    if paths is None:  # A model without an owner: only superusers edit it.
        return queryset.none()
    org_ids = _organization_ids(user)
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": org_ids})
    return queryset.filter(condition)


def owner_organization_ids(obj: models.Model) -> set[Any]:
    """The ids of the organisations that own `obj`, read from its (possibly unsaved) parents."""
    ids: set[Any] = set()
    for path in OWNER_PATHS.get(type(obj), ()):
        if path == "pk":
            ids.add(obj.pk)
            continue
        value: Any = obj
        for step in path.split("__"):
            value = getattr(value, step, None) if value is not None else None
        if value is not None:
            ids.add(value.pk)
    return ids


def can_edit(user: AnyUser, obj: models.Model) -> bool:
    """Whether `user` may change (or delete) `obj`, saved or not."""
    if is_superuser(user):
        return True
    owners = owner_organization_ids(obj)
    if not owners:
        return False
    return organizations_for(user).filter(pk__in=owners).exists()


def can_edit_service(user: AnyUser, service: Service) -> bool:
    """Whether `user` may change `service` and the records under it."""
    return can_edit(user, service)


def services_for(user: AnyUser) -> QuerySet[Service]:
    """The services `user` may edit."""
    return scope_for(user, Service.objects.all())


def locations_choosable_for(user: AnyUser) -> QuerySet[Location]:
    """Locations a publisher may link a service to: their own and those their services already use.

    A service of one organisation is often given in another's building (a family centre's house);
    an existing link must stay valid when the publisher saves the service.
    """
    if is_superuser(user):
        return Location.objects.all()
    org_ids = _organization_ids(user)
    return Location.objects.filter(
        Q(organization__in=org_ids) | Q(service_at_locations__service__organization__in=org_ids)
    ).distinct()


def publisher_group() -> Group:
    """The "Publishers" group with the model permissions every publisher needs (created on demand)."""
    group, _created = Group.objects.get_or_create(name=PUBLISHER_GROUP)
    wanted = Q()
    for model, actions in PUBLISHER_PERMISSIONS.items():
        app_label, model_name = model.split(".")
        wanted |= Q(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model_name}" for action in actions],
        )
    group.permissions.add(*Permission.objects.filter(wanted))
    return group
