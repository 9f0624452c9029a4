"""Children and guardians as clients, and the guardian relation between them.

A person's identity code (henkilötunnus) is never stored as plain text: the row holds it sealed
(AES-256-GCM, see `sealing.py`), a keyed hash for finding the person by code, and a masked form
(birth-date part only) for display. Person data is client data: it is read only through `access`,
never through the admin or a view of this app.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lape.areas.models import Municipality

# Age of majority (Guardianship Services Act 442/1999, 4 §): a child is a person under 18.
AGE_OF_MAJORITY = 18


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Whole years between `birth_date` and `on` (a person born on 29 Feb has a birthday on 1 Mar)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Person(models.Model):
    """A child or a guardian known to the services."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_names = models.CharField(_("given names"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    # "<key id>:<base64 of nonce + ciphertext>", see lape.people.sealing. Empty when the person has no
    # identity code (e.g. a newborn not yet registered, or a person who has none in Finland).
    identity_code_sealed = models.CharField(_("identity code (encrypted)"), max_length=200, blank=True)
    # HMAC-SHA-256 of the normalised code (hex), for lookup without decrypting every row.
    identity_code_lookup = models.CharField(
        _("identity code lookup hash"), max_length=64, unique=True, null=True, blank=True
    )
    # The birth-date part and century sign only, e.g. "010203A****": what lists may show.
    identity_code_masked = models.CharField(_("identity code (masked)"), max_length=11, blank=True)
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("home municipality"),
    )
    # The language the person uses with the services (ISO 639-1), e.g. "fi", "sv", "en", "ar".
    language = models.CharField(_("language"), max_length=3, default="fi")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names", "birth_date", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        # Names only: never the identity code, not even masked, in a string that may reach a log.
        return f"{self.given_names} {self.family_name}"

    def age_on(self, on: datetime.date) -> int:
        """The person's age in whole years on the given day."""
        return age_on(self.birth_date, on)

    def is_child_on(self, on: datetime.date) -> bool:
        """Whether the person is a child (under 18) on the given day."""
        return self.age_on(on) < AGE_OF_MAJORITY

    def masked_identity_code(self) -> str:
        """The identity code with everything after the century sign hidden, or "" when none is known."""
        return self.identity_code_masked


class GuardianRelationQuerySet(models.QuerySet["GuardianRelation"]):
    """Queries of guardian relations."""

    def active(self, on: datetime.date) -> GuardianRelationQuerySet:
        """Relations in force on the given day (started on or before it, not ended before it)."""
        return self.filter(Q(ended__isnull=True) | Q(ended__gte=on), started__lte=on)


class GuardianRelation(models.Model):
    """A guardian (huoltaja) of a child (Child Custody and Right of Access Act 361/1983, 3 §)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    guardian = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="wards", verbose_name=_("guardian")
    )
    child = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="guardian_relations", verbose_name=_("child")
    )
    started = models.DateField(_("started"))
    # The last day of the guardianship; empty while it lasts.
    ended = models.DateField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GuardianRelationQuerySet.as_manager()

    class Meta:
        ordering = ["started", "id"]
        verbose_name = _("guardian relation")
        verbose_name_plural = _("guardian relations")
        constraints = [
            models.CheckConstraint(condition=~Q(guardian=F("child")), name="people_guardian_not_self"),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                name="people_guardianship_ends_after_start",
            ),
            # One open relation per guardian and child; ended ones stay as history.
            models.UniqueConstraint(
                fields=["guardian", "child"],
                condition=Q(ended__isnull=True),
                name="people_one_open_guardianship",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"
