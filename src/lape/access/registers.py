"""Which information categories each role handles in its own organisation's register.

This keeps the registers apart inside one organisation (DESIGN.md): a city that runs both schools
and social services (Helsinki) does not let a teacher read its child-protection records, nor a
public health nurse its pupil welfare records, on the ground that they are the city's own. School
social workers and psychologists work in both: in the pupil welfare register of the education
provider and in their own social or health records. Everyone who works with families handles
contact requests. Roles not listed see no client data (lape.accounts.roles.SEES_CLIENT_DATA).
"""

from __future__ import annotations

from .categories import Category

ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    "coordinator": frozenset({Category.CONTACT}),
    "social_worker": frozenset({Category.SOCIAL_SERVICES, Category.CONTACT}),
    "child_protection_worker": frozenset(
        {Category.CHILD_PROTECTION, Category.SOCIAL_SERVICES, Category.CONTACT}
    ),
    "family_worker": frozenset({Category.SOCIAL_SERVICES, Category.CONTACT}),
    "public_health_nurse": frozenset({Category.HEALTH, Category.CONTACT}),
    "doctor_psychologist": frozenset({Category.HEALTH, Category.CONTACT}),
    "school_social_worker": frozenset({Category.PUPIL_WELFARE, Category.SOCIAL_SERVICES, Category.CONTACT}),
    "school_psychologist": frozenset({Category.PUPIL_WELFARE, Category.HEALTH, Category.CONTACT}),
    "teacher": frozenset({Category.PUPIL_WELFARE, Category.CONTACT}),
    "early_education_teacher": frozenset({Category.EARLY_EDUCATION, Category.CONTACT}),
    "youth_worker": frozenset({Category.CONTACT}),
    "ngo_worker": frozenset({Category.NGO_SUPPORT, Category.CONTACT}),
    "parish_worker": frozenset({Category.NGO_SUPPORT, Category.CONTACT}),
}


def handles_in_own_register(role: str, category: str) -> bool:
    """Whether a role works with this category of its own organisation's records."""
    return category in ROLE_CATEGORIES.get(role, frozenset())
