"""The provider's synthetic persons: a login and the claims a Suomi.fi identification would give."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class SyntheticPerson(models.Model):
    """A made-up person (identity code with an individual number 900-999) and how strongly they sign in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    identity_code = models.CharField(max_length=11)
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    # The level of assurance sent as `acr`: LoA substantial/high for a strong identification.
    acr = models.CharField(max_length=100)

    # Declared, as LAPE's type checking does not load this project's apps.
    objects: ClassVar[models.Manager[SyntheticPerson]] = models.Manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
