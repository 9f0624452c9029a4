"""The Finnish personal identity code (henkilötunnus): parse, validate, compose and mask.

DDMMYYCZZZQ: date of birth, century sign C, individual number ZZZ (002–899; 900–999 are test
codes), check character Q = the nine digits DDMMYYZZZ mod 31 into CHECK_CHARACTERS. Since
1 Jan 2023 the signs Y X W V U also mean the 1900s and B C D E F the 2000s (Population Information
System Act 661/2009, 11 §, as amended by 1157/2022). Error messages never repeat the code: they may
reach a log or a screen that others see.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
# The sign a new code gets for each century (the 2023 signs are given once the classic ones run out).
CLASSIC_SIGNS = {1800: "+", 1900: "-", 2000: "A"}
FIRST_TEST_NUMBER = 900
LENGTH = 11
_DIGITS = re.compile(r"[0-9]+")
_WHITESPACE = re.compile(r"\s+")


class InvalidIdentityCode(ValidationError):
    """An identity code that is not valid, with a translated message saying which part is wrong."""


@dataclasses.dataclass(frozen=True)
class IdentityCode:
    """A valid identity code. Its repr and str show the masked form only, never the whole code."""

    value: str = dataclasses.field(repr=False)
    birth_date: datetime.date
    century_sign: str
    individual_number: int = dataclasses.field(repr=False)
    check_character: str = dataclasses.field(repr=False)

    @property
    def is_test_code(self) -> bool:
        """Whether the individual number is 900–999, the range kept for tests and synthetic data."""
        return self.individual_number >= FIRST_TEST_NUMBER

    @property
    def masked(self) -> str:
        """The date part and century sign, the rest as asterisks: "010203A****"."""
        return masked(self.value)

    def __str__(self) -> str:
        return self.masked


def normalise(text: str) -> str:
    """Upper case without any whitespace: the form codes are compared, hashed and stored in."""
    return _WHITESPACE.sub("", text or "").upper()


def masked(value: str) -> str:
    """The first seven characters of a (normalised) code, the last four as asterisks."""
    return value[:7] + "*" * (len(value) - 7) if len(value) > 7 else "*" * len(value)


def check_character(date_part: str, individual_number: str) -> str:
    """The check character of DDMMYY and ZZZ: the nine-digit number mod 31."""
    return CHECK_CHARACTERS[int(date_part + individual_number) % 31]


def parse_identity_code(text: str, today: datetime.date | None = None) -> IdentityCode:
    """Parse and validate an identity code, or raise InvalidIdentityCode saying what is wrong.

    `today` (default: today in Finland) is the day after which no one can have been born.
    """
    value = normalise(text)
    if len(value) != LENGTH:
        raise InvalidIdentityCode(
            _(
                "An identity code has 11 characters, for example 010203A912E "
                "(date of birth, century sign, individual number, check character)."
            ),
            code="length",
        )
    date_part, sign, number, check = value[:6], value[6], value[7:10], value[10]
    if not _DIGITS.fullmatch(date_part):
        raise InvalidIdentityCode(
            _("The first six characters of an identity code are the date of birth as digits (DDMMYY)."),
            code="format",
        )
    if sign not in CENTURIES:
        raise InvalidIdentityCode(
            _(
                "The seventh character of an identity code is the century sign: + for the 1800s, "
                "- or Y, X, W, V, U for the 1900s, A or B, C, D, E, F for the 2000s."
            ),
            code="century_sign",
        )
    try:
        birth_date = datetime.date(
            CENTURIES[sign] + int(date_part[4:6]), int(date_part[2:4]), int(date_part[0:2])
        )
    except ValueError:
        raise InvalidIdentityCode(
            _("The identity code's date of birth (the first six characters) is not a real date."), code="date"
        ) from None
    if birth_date > (today or timezone.localdate()):
        raise InvalidIdentityCode(
            _("The identity code's date of birth is in the future."), code="date_in_future"
        )
    if not _DIGITS.fullmatch(number) or int(number) < 2:
        raise InvalidIdentityCode(
            _(
                "The individual number (characters 8–10 of an identity code) must be three digits "
                "from 002 to 999."
            ),
            code="individual_number",
        )
    if check != check_character(date_part, number):
        raise InvalidIdentityCode(
            _(
                "The identity code's check character (the last character) does not match: "
                "please check the code for a mistyped character."
            ),
            code="check_character",
        )
    return IdentityCode(
        value=value,
        birth_date=birth_date,
        century_sign=sign,
        individual_number=int(number),
        check_character=check,
    )


def compose_identity_code(birth_date: datetime.date, individual_number: int, century_sign: str = "") -> str:
    """The identity code of a birth date and an individual number (for demo and test data).

    The century sign defaults to the classic one of the birth year's century (+, - or A).
    """
    century = birth_date.year // 100 * 100
    sign = century_sign or CLASSIC_SIGNS.get(century, "")
    if CENTURIES.get(sign) != century:
        raise ValueError(f"no century sign {sign!r} for the year {birth_date.year}")
    if not 2 <= individual_number <= 999:
        raise ValueError("the individual number must be from 2 to 999")
    date_part = birth_date.strftime("%d%m") + f"{birth_date.year % 100:02d}"
    number = f"{individual_number:03d}"
    return f"{date_part}{sign}{number}{check_character(date_part, number)}"


def validate_identity_code(value: str) -> None:
    """A Django validator: raise InvalidIdentityCode when the value is not a valid identity code."""
    parse_identity_code(value)
