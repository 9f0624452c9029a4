"""Registering clients and their guardians: the people app's actions and queries.

Every action is all-or-nothing (one transaction) and refuses bad input with a translated
ValidationError before it writes. These functions do not check who asks: views and APIs reach them
through `access`, which decides and logs (DESIGN.md, "one door").
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.areas.models import Municipality

from .identity_codes import InvalidIdentityCode, parse_identity_code
from .models import AGE_OF_MAJORITY, GuardianRelation, Person, age_on
from .sealing import lookup_hash, seal, unseal

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise

NAME_MAX_LENGTH = 200
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class PersonAlreadyRegistered(ValidationError):
    """A person with this identity code is already registered."""


def _field_error(field: str, message: StrOrPromise, code: str) -> ValidationError:
    """A ValidationError of one form field that keeps its code (a dict of plain messages loses it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _name(value: str, field: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise _field_error(field, _("This field is required."), "required")
    if len(name) > NAME_MAX_LENGTH:
        raise _field_error(
            field, _("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}, "max_length"
        )
    return name


def register_person(
    *,
    given_names: str,
    family_name: str,
    identity_code: str = "",
    birth_date: datetime.date | None = None,
    home_municipality: Municipality | None = None,
    language: str = "fi",
    today: datetime.date | None = None,
    person_id: uuid.UUID | None = None,
) -> Person:
    """Register a person; the birth date comes from the identity code when one is given.

    `person_id` is for demo data with stable ids; a new random id otherwise.

    Raises InvalidIdentityCode for a bad code, PersonAlreadyRegistered when the code is known, and
    ValidationError for other bad input; nothing is written then.
    """
    today = today or timezone.localdate()
    given = _name(given_names, "given_names")
    family = _name(family_name, "family_name")
    if not _LANGUAGE_CODE.fullmatch(language or ""):
        raise _field_error(
            "language", _("Give the language as a two-letter code, such as fi, sv or en."), "language"
        )
    person = Person(
        id=person_id or uuid.uuid4(),
        given_names=given,
        family_name=family,
        home_municipality=home_municipality,
        language=language,
    )
    if identity_code.strip():
        code = parse_identity_code(identity_code, today=today)
        if birth_date is not None and birth_date != code.birth_date:
            raise _field_error(
                "birth_date", _("The date of birth does not match the identity code."), "birth_date"
            )
        person.birth_date = code.birth_date
        person.identity_code_lookup = lookup_hash(code.value)
        person.identity_code_sealed = seal(code.value, person.id)
        person.identity_code_masked = code.masked
    elif birth_date is None:
        raise _field_error(
            "birth_date", _("Give an identity code or a date of birth."), "birth_date_required"
        )
    elif birth_date > today:
        raise _field_error("birth_date", _("The date of birth is in the future."), "birth_date")
    else:
        person.birth_date = birth_date
    already = _("A person with this identity code is already registered.")
    if (
        person.identity_code_lookup
        and Person.objects.filter(identity_code_lookup=person.identity_code_lookup).exists()
    ):
        raise PersonAlreadyRegistered(already, code="duplicate")
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:
        # Another registration of the same code won the race between the check and the insert.
        raise PersonAlreadyRegistered(already, code="duplicate") from None
    return person


def find_by_identity_code(identity_code: str) -> Person | None:
    """The person with this identity code, or None; raises InvalidIdentityCode for an invalid code."""
    code = parse_identity_code(identity_code)
    return Person.objects.filter(identity_code_lookup=lookup_hash(code.value)).first()


def find_or_register(
    identity_code: str, *, given_names: str = "", family_name: str = "", language: str = "fi"
) -> Person:
    """The person with this identity code, or a new one registered with the names given.

    What a professional types to name a client: the code, and the names only when nobody has
    that code yet. Errors are keyed by those fields (`identity_code`, `given_names`).
    """
    try:
        person = find_by_identity_code(identity_code)
    except InvalidIdentityCode as error:
        raise ValidationError({"identity_code": error.messages}, code="invalid") from error
    if person is not None:
        return person
    if not (given_names.strip() and family_name.strip()):
        raise ValidationError(
            {
                "given_names": _(
                    "Nobody with this identity code is registered yet: give the names to register them."
                )
            },
            code="unknown",
        )
    try:
        return register_person(
            given_names=given_names, family_name=family_name, identity_code=identity_code, language=language
        )
    except PersonAlreadyRegistered:  # registered by someone else a moment ago
        person = find_by_identity_code(identity_code)
    if person is None:  # pragma: no cover - registered and then gone in the same instant
        raise ValidationError({"identity_code": _("Try again.")}, code="race")
    return person


def open_identity_code(person: Person) -> str:
    """The person's whole identity code ("" when none): only for a reader `access` has allowed."""
    if not person.identity_code_sealed:
        return ""
    return unseal(person.identity_code_sealed, person.id)


def add_guardian(
    guardian: Person,
    child: Person,
    *,
    started: datetime.date | None = None,
    relation_id: uuid.UUID | None = None,
) -> GuardianRelation:
    """Record `guardian` as a guardian of `child` from `started` (default today).

    The guardian must be an adult and the child a minor on that day; nobody is their own guardian,
    and an open relation between the same two is not recorded twice. `relation_id` is for a caller
    that names the relation before it exists (an access-log row written first); a new one otherwise.
    """
    started = started or timezone.localdate()
    if guardian.pk == child.pk:
        raise ValidationError(_("A person cannot be their own guardian."), code="self")
    if started < child.birth_date:
        raise ValidationError(
            _("A guardianship cannot start before the child was born."), code="before_birth"
        )
    if age_on(guardian.birth_date, started) < AGE_OF_MAJORITY:
        raise ValidationError(
            _("A guardian must be an adult (18 or older) when the guardianship starts."),
            code="guardian_minor",
        )
    if age_on(child.birth_date, started) >= AGE_OF_MAJORITY:
        raise ValidationError(
            _("Only a child (under 18) has guardians: this person is an adult on that day."),
            code="child_adult",
        )
    duplicate = _("This person is already recorded as the child's guardian.")
    with transaction.atomic():
        # Lock the child so two simultaneous additions of the same guardian cannot both pass the check.
        Person.objects.select_for_update().filter(pk=child.pk).first()
        if GuardianRelation.objects.filter(guardian=guardian, child=child, ended__isnull=True).exists():
            raise ValidationError(duplicate, code="duplicate")
        try:
            with transaction.atomic():
                return GuardianRelation.objects.create(
                    id=relation_id or uuid.uuid4(), guardian=guardian, child=child, started=started
                )
        except IntegrityError:
            raise ValidationError(duplicate, code="duplicate") from None


def end_guardianship(
    guardian: Person, child: Person, *, ended: datetime.date | None = None
) -> GuardianRelation:
    """End the open guardianship of `guardian` over `child` on `ended` (its last day, default today)."""
    ended = ended or timezone.localdate()
    with transaction.atomic():
        relation = (
            GuardianRelation.objects.select_for_update()
            .filter(guardian=guardian, child=child, ended__isnull=True)
            .first()
        )
        if relation is None:
            raise ValidationError(
                _("This person is not recorded as the child's guardian."), code="no_guardianship"
            )
        if ended < relation.started:
            raise ValidationError(
                _("A guardianship cannot end before it started (%(started)s).")
                % {"started": relation.started.isoformat()},
                code="ended_before_start",
            )
        relation.ended = ended
        relation.save(update_fields=["ended"])
    return relation


def guardians_of(child: Person, on: datetime.date | None = None) -> QuerySet[Person]:
    """The child's guardians on the given day (default today)."""
    on = on or timezone.localdate()
    relations = GuardianRelation.objects.active(on).filter(child=child)
    return Person.objects.filter(pk__in=relations.values("guardian_id"))


def wards_of(guardian: Person, on: datetime.date | None = None) -> QuerySet[Person]:
    """The children the person is a guardian of on the given day (default today)."""
    on = on or timezone.localdate()
    relations = GuardianRelation.objects.active(on).filter(guardian=guardian)
    return Person.objects.filter(pk__in=relations.values("child_id"))
