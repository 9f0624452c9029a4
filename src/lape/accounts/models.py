"""Professionals' accounts: the units of organisations and the memberships a person works in.

Django's own `auth.User` is the person's login; a `Membership` says that the person works in an
organisation (and perhaps one of its units) in a role, from one date to another. A person may have
several memberships (a school social worker of the county who also leads a group of an NGO) and
chooses after login which one they act in (`lape.accounts.acting`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.directory.models import Organization
from lape.directory.translation import Translated


class Role(models.TextChoices):
    """What a professional does in an organisation; `lape.accounts.roles` says what each may see."""

    COORDINATOR = "coordinator", _("family-centre coordinator")
    SOCIAL_WORKER = "social_worker", _("social worker")
    CHILD_PROTECTION_WORKER = "child_protection_worker", _("child-protection social worker")
    PUBLIC_HEALTH_NURSE = "public_health_nurse", _("public health nurse")
    FAMILY_WORKER = "family_worker", _("family worker")
    SCHOOL_SOCIAL_WORKER = "school_social_worker", _("school social worker")
    SCHOOL_PSYCHOLOGIST = "school_psychologist", _("school psychologist")
    TEACHER = "teacher", _("teacher")
    EARLY_EDUCATION_TEACHER = "early_education_teacher", _("early-education teacher")
    YOUTH_WORKER = "youth_worker", _("youth worker")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    PARISH_WORKER = "parish_worker", _("parish worker")
    DOCTOR_PSYCHOLOGIST = "doctor_psychologist", _("doctor or psychologist")
    MANAGER = "manager", _("manager")
    PUBLISHER = "publisher", _("publisher")
    ADMINISTRATOR = "administrator", _("administrator")


class Unit(Translated):
    """A unit of an organisation: a child health clinic, a school's pupil welfare team, a day-care centre."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="accounts_unit_unique_name"),
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.text("name")


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Queries over memberships."""

    def active(self, on: dt.date | None = None) -> MembershipQuerySet:
        """Memberships in force on `on` (default: today in Finland): started, and not yet ended.

        `ended` is the last working day: a membership ending today is still active today.
        """
        day = on or timezone.localdate()
        return self.filter(Q(ended__isnull=True) | Q(ended__gte=day), started__lte=day)


class Membership(models.Model):
    """A person works in an organisation (and perhaps one of its units) in a role, from a date to a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    started = models.DateField(_("started"), default=timezone.localdate)
    ended = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("The last day in this role; empty while it lasts.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "organization__name", "role", "started"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="accounts_membership_ends_after_start",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        place = f"{self.organization} / {self.unit}" if self.unit_id else str(self.organization)
        return f"{self.user} – {self.get_role_display()}, {place}"

    def clean(self) -> None:
        """A unit must belong to the membership's organisation; a membership cannot end before it starts."""
        errors: dict[str, Any] = {}
        unit = self.unit if self.unit_id else None
        if unit is not None and self.organization_id and unit.organization_id != self.organization_id:
            errors["unit"] = _(
                "This unit belongs to another organisation. Choose a unit of %(organization)s."
            ) % {"organization": self.organization}
        if self.ended is not None and self.started is not None and self.ended < self.started:
            errors["ended"] = _("A membership cannot end before it starts. Check the dates.")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: dt.date | None = None) -> bool:
        """Whether the membership is in force on `day` (default: today in Finland)."""
        day = day or timezone.localdate()
        return self.started <= day and (self.ended is None or self.ended >= day)


class SessionEpoch(models.Model):
    """A counter per user: "log out everywhere" raises it, and every session of an older epoch ends.

    A session remembers the epoch at login; the session middleware compares it on every request.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="session_epoch",
        verbose_name=_("user"),
    )
    epoch = models.PositiveIntegerField(_("epoch"), default=0)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("session epoch")
        verbose_name_plural = _("session epochs")

    def __str__(self) -> str:
        return f"{self.user}: {self.epoch}"
