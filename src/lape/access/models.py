"""The access log (append-only, hash-chained) and consent records.

The log keeps plain ids, not foreign keys: a row must outlive the user, organisation or person it
names, and no cascade may ever reach it. See docs/access.md.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.directory.models import Organization, Service
from lape.people.models import Person

from .decisions import Action, Basis, Outcome

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access-log row through the ORM."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    """The log's queryset: reads only; bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only: rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("The access log is append-only: rows cannot be changed.")


class AccessLogEntry(models.Model):
    """One read, write, export or refused attempt on client data.

    Written only by `lape.access.log.append`, in the transaction of the access it records. `hash`
    is SHA-256 over `previous_hash` and the digest of the row's fields (lape.access.log.entry_hash).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    user_id = models.IntegerField(_("user id"), null=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    membership_id = models.UUIDField(_("membership id"), null=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    organization_id = models.UUIDField(_("organisation id"), null=True)
    unit_id = models.UUIDField(_("unit id"), null=True)
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.CharField(_("record id"), max_length=100, blank=True)
    person_id = models.UUIDField(_("person id"), null=True)
    category = models.CharField(_("information category"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    law = models.CharField(_("statute"), max_length=60, blank=True)
    consent_id = models.UUIDField(_("consent id"), null=True)
    refusal = models.CharField(_("refusal reason"), max_length=20, blank=True)
    reason = models.TextField(_("stated reason"), blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects: ClassVar[AccessLogQuerySet] = AccessLogQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["person_id", "at"], name="access_log_person_at")]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.record_type} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; an existing row is never saved again."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("The access log is append-only: rows cannot be changed.")
        if not self.hash or not self.previous_hash:
            raise AppendOnlyError("Write access-log rows with lape.access.log.append, which chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")


class AccessLogHead(models.Model):
    """The end of the chain: the last row's id and hash, one row (id 1), locked by every append.

    A trigger moves it to each new row (migration 0004). Locking it serialises appends on
    PostgreSQL (SQLite's write lock does so already), and it lets verification notice rows cut
    from the end of the log.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_entry_id = models.BigIntegerField(_("last entry id"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        ordering = ["id"]
        verbose_name = _("access log head")
        verbose_name_plural = _("access log head")

    def __str__(self) -> str:
        return f"{self.last_entry_id} {self.last_hash}"


class Consent(models.Model):
    """A consent to share a person's information of some categories with some organisations.

    Given by a guardian of the child, or by the person themselves (an adult, or a child with the
    capacity of lape.access.capacity). Valid from `valid_from` to `valid_until` (Finnish calendar
    days, inclusive; none: until withdrawn); a withdrawal takes effect at once. Written only by
    lape.access.consent_actions (grant_consent, withdraw_consent), which log every write.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("whose information")
    )
    given_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents_given", verbose_name=_("given by")
    )
    organizations = models.ManyToManyField(
        Organization, related_name="consents", verbose_name=_("to organisations")
    )
    # A list of lape.access.categories.Category values.
    categories = models.JSONField(_("information categories"), default=list)
    purpose = models.TextField(_("purpose"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    child_heard = models.BooleanField(_("the child was heard"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "id"]
        indexes = [models.Index(fields=["person", "valid_from"], name="access_consent_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="access_consent_ends_after_start",
            ),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.pk} {', '.join(self.categories)} {self.valid_from}–{self.valid_until or ''}"


class BanScope(models.TextChoices):
    """What a disclosure ban covers: one record, one service's records or one organisation's records."""

    RECORD = "record", _("one record")
    SERVICE = "service", _("one service's records")
    ORGANIZATION = "organization", _("one organisation's records")


class DisclosureBan(models.Model):
    """A ban on disclosing a person's information outside the register that holds it (as Kanta's).

    Set by a guardian of the child or by the person themselves (the capacity rules of consents,
    lape.access.capacity). It covers one record (`record_type` and `record_id`), one service's
    records (`service`) or one organisation's records (`organization`), in the listed categories
    (none: every category), from `valid_from` (a Finnish calendar day) until lifted; lifting takes
    effect at once. A ban wins over consent and break-the-glass; only a named statute wins over it
    (lape.access.rules). Kept as history, never deleted; written only by lape.access.ban_actions.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="disclosure_bans", verbose_name=_("whose information")
    )
    set_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="disclosure_bans_set", verbose_name=_("set by")
    )
    scope = models.CharField(_("covers"), max_length=20, choices=BanScope.choices)
    record_type = models.CharField(_("record type"), max_length=60, blank=True)
    record_id = models.CharField(_("record id"), max_length=100, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_bans",
        verbose_name=_("service"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_bans",
        verbose_name=_("organisation"),
    )
    # A list of lape.access.categories.Category values; empty: every category.
    categories = models.JSONField(_("information categories"), default=list, blank=True)
    valid_from = models.DateField(_("in force from"))
    child_heard = models.BooleanField(_("the child was heard"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_bans_lifted",
        verbose_name=_("lifted by"),
    )
    lift_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifting recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "id"]
        indexes = [models.Index(fields=["person", "valid_from"], name="access_ban_person")]
        constraints = [
            # Exactly the scope's own fields are set, so that the decision's query can trust them.
            models.CheckConstraint(
                condition=(
                    Q(scope="record", service__isnull=True, organization__isnull=True)
                    & ~Q(record_type="")
                    & ~Q(record_id="")
                )
                | Q(scope="service", service__isnull=False, organization__isnull=True, record_id="")
                | Q(scope="organization", service__isnull=True, organization__isnull=False, record_id=""),
                name="access_ban_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_by__isnull=False),
                name="access_ban_lifted_by_someone",
            ),
        ]
        verbose_name = _("disclosure ban")
        verbose_name_plural = _("disclosure bans")

    def __str__(self) -> str:
        return f"{self.pk} {self.scope} {', '.join(self.categories)} {self.valid_from}"
