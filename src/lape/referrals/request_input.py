"""The rules of a contact request's input: what the family (or a professional) writes, checked and tidied.

Every wrong field is named at once, with a translated message saying what to do; nothing is written
until all are right (docs/referrals.md, "Contact requests").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import ContactMethod

MAX_WORRY = 4000
MAX_CHILDREN = 12
MAX_CHILD_AGE = 17
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{4,19}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")


def _clean_ages(ages: Iterable[Any]) -> list[int]:
    cleaned: list[int] = []
    for age in ages:
        try:
            value = int(str(age).strip())
        except ValueError:
            value = -1
        if not 0 <= value <= MAX_CHILD_AGE:
            raise ValidationError(
                {"children_ages": _("Give each child's age in whole years, from 0 to 17.")}, code="invalid"
            )
        cleaned.append(value)
    if len(cleaned) > MAX_CHILDREN:
        raise ValidationError({"children_ages": _("Give the ages of at most 12 children.")}, code="too_many")
    return cleaned


def clean_request_input(
    *,
    worry: str,
    children_ages: Iterable[Any],
    language: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    contact_method: str,
    contact_times: str,
    needs_contact: bool,
) -> dict[str, Any]:
    """The request's fields checked and tidied; a ValidationError naming every wrong field otherwise."""
    errors: dict[str, Any] = {}
    worry = (worry or "").strip()
    if not worry:
        errors["worry"] = _("Tell us briefly what worries you or what you would like help with.")
    elif len(worry) > MAX_WORRY:
        errors["worry"] = _(
            "Please keep it under 4,000 characters; we will ask for more when we contact you."
        )
    try:
        ages = _clean_ages(children_ages or [])
    except ValidationError as error:
        errors.update(error.message_dict)
        ages = []
    language = (language or "").strip().lower()
    if not LANGUAGE_PATTERN.match(language):
        errors["language"] = _("Choose the language in which you want to be contacted.")
    raw_phone = contact_phone or ""
    email = (contact_email or "").strip()
    phone = re.sub(r"\s+", " ", raw_phone).strip()
    # As typed (the API's schema says the same pattern) or without the spaces around it (a form).
    if phone and not (PHONE_PATTERN.match(raw_phone) or PHONE_PATTERN.match(phone)):
        errors["contact_phone"] = _("Check the phone number: digits, with + and the country code if abroad.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Check the e-mail address, e.g. name@example.fi.")
    if contact_method not in ContactMethod.values:
        errors["contact_method"] = _("Choose how you want to be contacted.")
    elif contact_method == ContactMethod.EMAIL and not email and "contact_email" not in errors:
        errors["contact_email"] = _("Give an e-mail address, or choose to be contacted by phone.")
    elif (
        contact_method != ContactMethod.EMAIL
        and not phone
        and "contact_phone" not in errors
        and (needs_contact or contact_method == ContactMethod.TEXT_MESSAGE)
    ):
        errors["contact_phone"] = _("Give a phone number, or choose to be contacted by e-mail.")
    name = (contact_name or "").strip()
    if len(name) > 200:
        errors["contact_name"] = _("The name is too long (at most 200 characters).")
    times = (contact_times or "").strip()
    if len(times) > 300:
        errors["contact_times"] = _("Please say when to contact you in at most 300 characters.")
    if errors:
        raise ValidationError(errors)
    return {
        "worry": worry,
        "children_ages": ages,
        "language": language,
        "contact_name": name,
        "contact_phone": phone,
        "contact_email": email,
        "contact_method": contact_method,
        "contact_times": times,
    }
