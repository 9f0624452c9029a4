"""Who may give a consent: the rule we implement for children, in named, tested functions.

- An adult consents for themselves; nobody else does.
- A child's guardian (a current GuardianRelation) may consent for the child. A child of 12 or over
  must have been heard first (Child Welfare Act 417/2007, 20 §; Administrative Procedure Act
  434/2003, 34 §).
- A child of 15 or over may also consent alone in their own health, social welfare, child
  protection, pupil welfare, NGO-support and contact matters (Child Welfare Act 21 §: a child of
  15 speaks for themselves alongside the guardian; Act on the Status and Rights of Patients
  785/1992, 7 §: a minor who can decide on their own care does so). The law sets no age for the
  patient's capacity: 15 is our simplification, so that the platform never asks a professional to
  rely on a younger child's consent alone. Early childhood education is never the child's to decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lape.people.models import GuardianRelation, Person

from .categories import Category

AGE_HEARD = 12
AGE_OWN_CONSENT = 15
SELF_CONSENT_CATEGORIES: frozenset[str] = frozenset(
    {
        Category.HEALTH,
        Category.SOCIAL_SERVICES,
        Category.CHILD_PROTECTION,
        Category.PUPIL_WELFARE,
        Category.NGO_SUPPORT,
        Category.CONTACT,
    }
)


def may_consent_for_self(person: Person, categories: Iterable[str], on: dt.date) -> bool:
    """Whether the person may give this consent about their own information themselves."""
    if not person.is_child_on(on):
        return True
    return person.age_on(on) >= AGE_OWN_CONSENT and set(categories) <= SELF_CONSENT_CATEGORIES


def must_be_heard(child: Person, on: dt.date) -> bool:
    """Whether a child is old enough that a guardian's consent needs the child heard first (12+)."""
    return child.is_child_on(on) and child.age_on(on) >= AGE_HEARD


def is_current_guardian(guardian: Person, child: Person, on: dt.date) -> bool:
    """Whether `guardian` is the child's guardian on that day."""
    return GuardianRelation.objects.active(on).filter(guardian=guardian, child=child).exists()


def check_consent_giver(
    person: Person, given_by: Person, categories: Iterable[str], on: dt.date, *, child_heard: bool
) -> None:
    """Raise a translated ValidationError (field `given_by`) unless `given_by` may give this consent."""
    categories = list(categories)
    if given_by.pk == person.pk:
        if may_consent_for_self(person, categories, on):
            return
        if person.age_on(on) < AGE_OWN_CONSENT:
            message = _("A child under 15 cannot give this consent alone: a guardian must give it.")
        else:
            message = _(
                "A child may consent alone only in their own health, social welfare, child protection, "
                "pupil welfare, NGO-support and contact matters: a guardian must give this consent."
            )
        raise ValidationError({"given_by": message}, code="no_capacity")
    if not person.is_child_on(on):
        raise ValidationError(
            {"given_by": _("An adult gives consent about their own information themselves.")},
            code="adult_consents_self",
        )
    if not is_current_guardian(given_by, person, on):
        raise ValidationError(
            {"given_by": _("The person giving consent is not a current guardian of the child.")},
            code="not_guardian",
        )
    if must_be_heard(person, on) and not child_heard:
        raise ValidationError(
            {
                "child_heard": _(
                    "A child of 12 or over must be heard before a guardian consents for them. "
                    "Hear the child and record that they were heard."
                )
            },
            code="child_not_heard",
        )
