"""Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FORMAT = re.compile(r"^(\d{6,7})-(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when the remainder is 1 (no valid ID exists)."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_business_id(value: str) -> bool:
    """True when `value` is a well-formed business ID with the right check digit."""
    match = _FORMAT.match(value or "")
    if not match:
        return False
    digits = match.group(1).zfill(7)  # old six-digit IDs take a leading zero
    return business_id_check_digit(digits) == int(match.group(2))


def validate_business_id(value: str) -> None:
    """Django validator for business IDs."""
    if not _FORMAT.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not a business ID: write seven digits, a hyphen and a check digit, e.g. 0112038-9."
            ),
            params={"value": value},
            code="format",
        )
    if not is_valid_business_id(value):
        raise ValidationError(
            _("The check digit of business ID “%(value)s” is wrong: check the number."),
            params={"value": value},
            code="check_digit",
        )
