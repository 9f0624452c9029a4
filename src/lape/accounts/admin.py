"""The back office for accounts: units, memberships, users and their TOTP devices.

A superuser manages everything. An account administrator (an active `administrator` membership)
manages the units and memberships of their own organisations, and the users who work there (or
have no membership yet); they cannot make anyone a superuser or change groups and permissions,
which follow from memberships (`lape.accounts.staff`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.directory.admin_forms import translation_form, with_translations

from .models import Membership, Unit
from .staff import organizations_administered_by

User = get_user_model()


def _organization_ids(request: HttpRequest) -> QuerySet[Any, Any]:
    return organizations_administered_by(request.user).values("pk")


class OrganizationScoped(BaseModelAdmin):
    """Records that belong to an organisation: an account administrator sees and edits only their own.

    Mixed into a ModelAdmin or an inline, before it.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization__in=_organization_ids(request))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "organization":
            kwargs["queryset"] = organizations_administered_by(request.user)
        elif db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(organization__in=_organization_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganizationScopedAdmin(OrganizationScoped, admin.ModelAdmin):
    """A ModelAdmin of records that belong to an organisation."""


@admin.register(Unit)
class UnitAdmin(OrganizationScopedAdmin):
    form = translation_form(Unit)
    list_display = ("name", "organization")
    list_filter = ("organization",)
    search_fields = ("name",)
    fields = with_translations(("organization", "name"), Unit)


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    list_display = ("user", "role", "organization", "unit", "started", "ended")
    list_filter = ("role", "organization")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "organization", "unit")


class MembershipInline(OrganizationScoped, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organization", "unit", "role", "started", "ended")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("organization", "unit")


def _users_administered(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The users an account administrator manages: those working in their organisations, or nowhere yet."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(
        Q(memberships__organization__in=_organization_ids(request)) | Q(memberships__isnull=True),
        is_superuser=False,
    ).distinct()


class AccountsUserAdmin(UserAdmin):
    """Django's user admin with the person's memberships, scoped for account administrators."""

    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _users_administered(request, super().get_queryset(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        # Rights follow memberships; only a superuser hands out rights by hand.
        return (
            *readonly,
            "is_superuser",
            "is_staff",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        )


class ScopedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """TOTP devices: an account administrator sees (and removes, for a lost phone) their users' devices."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        users = _users_administered(request, User.objects.all()).values("pk")
        return queryset.filter(user__in=users)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A device is set up by its owner (the login asks for it), never typed in by someone else.
        return bool(request.user.is_superuser)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountsUserAdmin)
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, ScopedTOTPDeviceAdmin)
