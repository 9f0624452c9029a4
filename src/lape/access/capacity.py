"""Who may give a consent, or set or lift a disclosure ban: the rule we implement for children, in named, tested functions.

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
- In their own health care a young person of 15 or over decides **alone**: a guardian may not give
  (or withdraw) a consent of the health category for them (Patients' Act 785/1992, 7 §: a minor who
  can decide on their care is cared for in agreement with them; 9 §: they may forbid their
  guardian from being told). In the other own matters the young person speaks alongside the
  guardian (Child Welfare Act 21 §), so either may consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lape.people.models import GuardianRelation, Person

from .categories import Category

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # the stubs' name for a lazy translation

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
# From 12 a young person may keep their own health and social care information from their guardians
# (our simplification of "sufficient maturity": the laws name no age). The law for each category:
AGE_OWN_CONFIDENTIALITY = 12
CONFIDENTIAL_FROM_GUARDIANS: dict[str, str] = {
    # Patients' Act 785/1992, 9 §: a minor of sufficient maturity may forbid telling their guardian.
    Category.HEALTH: "785/1992 9 §",
    # Social Welfare Client Act 812/2000, 11 §: the same in social welfare, child protection included.
    Category.SOCIAL_SERVICES: "812/2000 11 §",
    Category.CHILD_PROTECTION: "812/2000 11 §",
}
# The categories a young person of AGE_OWN_CONSENT or over decides alone, without the guardian.
DECIDES_ALONE_CATEGORIES: frozenset[str] = frozenset({Category.HEALTH})


def may_consent_for_self(person: Person, categories: Iterable[str], on: dt.date) -> bool:
    """Whether the person may give this consent about their own information themselves."""
    if not person.is_child_on(on):
        return True
    return person.age_on(on) >= AGE_OWN_CONSENT and set(categories) <= SELF_CONSENT_CATEGORIES


def decides_alone(child: Person, categories: Iterable[str], on: dt.date) -> list[str]:
    """The categories among these that the child decides alone on that day, so that no guardian may (sorted)."""
    if not child.is_child_on(on) or child.age_on(on) < AGE_OWN_CONSENT:
        return []
    return sorted(set(categories) & DECIDES_ALONE_CATEGORIES)


def may_keep_from_guardians(child: Person, category: str, on: dt.date) -> bool:
    """Whether information of this category about the child may be kept from their guardians (12+, health or social care)."""
    return (
        category in CONFIDENTIAL_FROM_GUARDIANS
        and child.is_child_on(on)
        and child.age_on(on) >= AGE_OWN_CONFIDENTIALITY
    )


def must_be_heard(child: Person, on: dt.date) -> bool:
    """Whether a child is old enough that a guardian's consent needs the child heard first (12+)."""
    return child.is_child_on(on) and child.age_on(on) >= AGE_HEARD


def is_current_guardian(guardian: Person, child: Person, on: dt.date) -> bool:
    """Whether `guardian` is the child's guardian on that day."""
    return GuardianRelation.objects.active(on).filter(guardian=guardian, child=child).exists()


@dataclass(frozen=True)
class _GiverMessages:
    """What each capacity rule says when it refuses, worded for the kind of decision (consent, ban)."""

    under_15: _StrPromise
    not_own_matters: _StrPromise
    adult: _StrPromise
    not_guardian: _StrPromise
    not_heard: _StrPromise
    decides_alone: _StrPromise | None = None  # None: the rule does not apply to this kind of decision


_CONSENT_MESSAGES = _GiverMessages(
    under_15=_("A child under 15 cannot give this consent alone: a guardian must give it."),
    not_own_matters=_(
        "A child may consent alone only in their own health, social welfare, child protection, "
        "pupil welfare, NGO-support and contact matters: a guardian must give this consent."
    ),
    adult=_("An adult gives consent about their own information themselves."),
    not_guardian=_("The person giving consent is not a current guardian of the child."),
    not_heard=_(
        "A child of 12 or over must be heard before a guardian consents for them. "
        "Hear the child and record that they were heard."
    ),
    decides_alone=_(
        "A young person of 15 or over decides on sharing their own health care information "
        "themselves (Patients' Act 785/1992, 7 and 9 §): a guardian cannot give this consent. "
        "The young person can give it."
    ),
)

_BAN_MESSAGES = _GiverMessages(
    under_15=_("A child under 15 cannot set or lift this ban alone: a guardian must."),
    not_own_matters=_(
        "A child may decide alone only on their own health, social welfare, child protection, "
        "pupil welfare, NGO-support and contact information: a guardian must decide on this ban. "
        "A ban on every category includes early childhood education."
    ),
    adult=_("An adult decides on bans on their own information themselves."),
    not_guardian=_("The person asking is not a current guardian of the child."),
    not_heard=_(
        "A child of 12 or over must be heard before a guardian decides on a ban for them. "
        "Hear the child and record that they were heard."
    ),
)


def _check_giver(
    person: Person,
    given_by: Person,
    categories: Iterable[str],
    on: dt.date,
    *,
    child_heard: bool,
    messages: _GiverMessages,
    field: str = "given_by",
) -> None:
    """Raise a translated ValidationError (on `field` or `child_heard`) unless `given_by` may decide.

    Each message keeps its code (a dict of bare messages would lose it), so callers can tell the rules apart.
    """
    categories = list(categories)
    if given_by.pk == person.pk:
        if may_consent_for_self(person, categories, on):
            return
        message = messages.under_15 if person.age_on(on) < AGE_OWN_CONSENT else messages.not_own_matters
        raise ValidationError({field: ValidationError(message, code="no_capacity")})
    if not person.is_child_on(on):
        raise ValidationError({field: ValidationError(messages.adult, code="adult_consents_self")})
    if not is_current_guardian(given_by, person, on):
        raise ValidationError({field: ValidationError(messages.not_guardian, code="not_guardian")})
    if messages.decides_alone is not None and decides_alone(person, categories, on):
        raise ValidationError({field: ValidationError(messages.decides_alone, code="decides_alone")})
    if must_be_heard(person, on) and not child_heard:
        raise ValidationError({"child_heard": ValidationError(messages.not_heard, code="child_not_heard")})


def check_consent_giver(
    person: Person, given_by: Person, categories: Iterable[str], on: dt.date, *, child_heard: bool
) -> None:
    """Raise a translated ValidationError (field `given_by`) unless `given_by` may give this consent."""
    _check_giver(person, given_by, categories, on, child_heard=child_heard, messages=_CONSENT_MESSAGES)


def check_ban_giver(
    person: Person,
    given_by: Person,
    categories: Iterable[str],
    on: dt.date,
    *,
    child_heard: bool,
    field: str = "set_by",
) -> None:
    """Raise a translated ValidationError unless `given_by` may set or lift a disclosure ban of these categories.

    The same rules as a consent's: a ban decides on disclosure just as a consent does. A ban on
    every category (no categories listed) is checked as one on all of them, so a young person of
    15 sets one alone only when it is limited to their own matters.
    """
    chosen = list(categories) or list(Category.values)
    _check_giver(person, given_by, chosen, on, child_heard=child_heard, messages=_BAN_MESSAGES, field=field)
