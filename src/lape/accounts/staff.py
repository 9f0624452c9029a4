"""The back office follows the memberships: publishers publish, administrators manage accounts.

A `publisher` membership makes the directory's `Publisher` row (user → organisation) that the
directory's permissions read, and puts the user in the "Publishers" group; an `administrator`
membership puts the user in the "Account administrators" group. Ending or deleting the membership
takes them away again. A `Publisher` row made by hand (`lape createuser --organization`) for an
organisation where the user never had a publisher membership is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from lape.directory.models import Publisher
from lape.directory.permissions import publisher_group

from .models import Membership, Role

ACCOUNT_ADMIN_GROUP = "Account administrators"
ACCOUNT_ADMIN_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "accounts.unit": ("view", "add", "change", "delete"),
    "accounts.membership": ("view", "add", "change", "delete"),
    "auth.user": ("view", "add", "change"),
    "otp_totp.totpdevice": ("view", "delete"),
    "directory.organization": ("view",),
}


def account_admin_group() -> Group:
    """The "Account administrators" group with the permissions an administrator needs (made on demand)."""
    group, _created = Group.objects.get_or_create(name=ACCOUNT_ADMIN_GROUP)
    wanted = Q()
    for model, actions in ACCOUNT_ADMIN_PERMISSIONS.items():
        app_label, model_name = model.split(".")
        wanted |= Q(
            content_type__app_label=app_label, codename__in=[f"{action}_{model_name}" for action in actions]
        )
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


def sync_staff_access(user: Any, dropped_organization_ids: Iterable[Any] = ()) -> None:
    """Bring the user's Publisher rows, groups and staff flag in line with their active memberships.

    `dropped_organization_ids`: organisations of publisher memberships just deleted (no longer in
    the database, so they cannot be read back).
    """
    mine = Membership.objects.filter(user_id=user.pk)
    active = mine.active()
    publishing = set(active.filter(role=Role.PUBLISHER).values_list("organization_id", flat=True))
    ended = set(mine.filter(role=Role.PUBLISHER).values_list("organization_id", flat=True))
    ended |= set(dropped_organization_ids)
    ended -= publishing
    for organization_id in publishing:
        Publisher.objects.get_or_create(user_id=user.pk, organization_id=organization_id)
    if ended:
        Publisher.objects.filter(user_id=user.pk, organization_id__in=ended).delete()
    if publishing:
        user.groups.add(publisher_group())
    administering = active.filter(role=Role.ADMINISTRATOR).exists()
    if administering:
        user.groups.add(account_admin_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ACCOUNT_ADMIN_GROUP))
    if (publishing or administering) and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def organizations_administered_by(user: Any) -> Any:
    """The organisations whose units and memberships `user` manages: all for a superuser, else those
    where the user has an active administrator membership (deny by default)."""
    from lape.directory.models import Organization

    if not getattr(user, "is_active", False):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    administering = Membership.objects.active().filter(user_id=user.pk, role=Role.ADMINISTRATOR)
    return Organization.objects.filter(pk__in=administering.values("organization_id"))
