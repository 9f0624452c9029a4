"""The information categories of client data, and the register each belongs to.

DESIGN.md: education records (pupil welfare, early childhood education) and social and health
records are separate registers; sharing across them needs consent or law. An NGO's or a parish's
client records are that organisation's own register, and a contact request (with the family's
contact details) is kept by the service that receives it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What kind of client information a record holds; consents and decisions name these."""

    PUPIL_WELFARE = "pupil_welfare", _("pupil and student welfare")
    EARLY_EDUCATION = "early_education", _("early childhood education")
    HEALTH = "health", _("health care")
    SOCIAL_SERVICES = "social_services", _("social services")
    CHILD_PROTECTION = "child_protection", _("child protection")
    NGO_SUPPORT = "ngo_support", _("support from an NGO or parish")
    CONTACT = "contact", _("contact request and contact details")


class RegisterKind(models.TextChoices):
    """The kind of register a category's records are kept in."""

    EDUCATION = "education", _("education register")
    SOCIAL_AND_HEALTH = "social_and_health", _("social and health register")
    NGO = "ngo", _("the NGO's or parish's own register")
    CONTACT = "contact", _("contact requests of the receiving service")


REGISTER_OF: dict[str, RegisterKind] = {
    Category.PUPIL_WELFARE: RegisterKind.EDUCATION,
    Category.EARLY_EDUCATION: RegisterKind.EDUCATION,
    Category.HEALTH: RegisterKind.SOCIAL_AND_HEALTH,
    Category.SOCIAL_SERVICES: RegisterKind.SOCIAL_AND_HEALTH,
    Category.CHILD_PROTECTION: RegisterKind.SOCIAL_AND_HEALTH,
    Category.NGO_SUPPORT: RegisterKind.NGO,
    Category.CONTACT: RegisterKind.CONTACT,
}


def register_of(category: str) -> RegisterKind:
    """The register kind a category's records belong to (KeyError for an unknown category)."""
    return REGISTER_OF[category]
