"""Identity codes: what a clerk types is read exactly as the Digital and Population Data Services Agency defines it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lape.people.identity_codes import (
    CENTURIES,
    CHECK_CHARACTERS,
    InvalidIdentityCode,
    compose_identity_code,
    parse_identity_code,
)

TODAY = datetime.date(2025, 3, 3)


def _error_code(text: str, today: datetime.date = TODAY) -> str | None:
    with pytest.raises(InvalidIdentityCode) as caught:
        parse_identity_code(text, today=today)
    return caught.value.code


def test_it_reads_the_agencys_published_example() -> None:
    # DVV's own example: 13 Oct 1952, individual number 308, check character T.
    code = parse_identity_code("131052-308T", today=TODAY)
    assert code.birth_date == datetime.date(1952, 10, 13)
    assert code.individual_number == 308
    assert code.check_character == "T"
    assert code.is_test_code is False


def test_it_reads_a_1900s_code_with_the_2023_sign_y() -> None:
    code = parse_identity_code("010594Y9032", today=TODAY)
    assert code.birth_date == datetime.date(1994, 5, 1)
    assert code.century_sign == "Y"
    assert code.is_test_code is True


def test_it_reads_a_2000s_code_with_the_2023_sign_b() -> None:
    code = parse_identity_code("020502B902X", today=TODAY)
    assert code.birth_date == datetime.date(2002, 5, 2)
    assert code.century_sign == "B"


@pytest.mark.parametrize("sign", sorted(CENTURIES))
def test_it_gives_every_century_sign_its_century(sign: str) -> None:
    code = parse_identity_code(compose_identity_code(datetime.date(CENTURIES[sign] + 10, 6, 15), 950, sign))
    assert code.birth_date.year == CENTURIES[sign] + 10


def test_it_reads_a_code_typed_in_lower_case_with_spaces() -> None:
    code = parse_identity_code("  131052 - 308t ", today=TODAY)
    assert code.value == "131052-308T"


def test_it_says_when_the_length_is_wrong() -> None:
    assert _error_code("131052-308") == "length"
    assert _error_code("") == "length"


def test_it_says_when_the_date_part_is_not_digits() -> None:
    assert _error_code("13105X-308T") == "format"


def test_it_says_when_the_century_sign_is_unknown() -> None:
    assert _error_code("131052G308T") == "century_sign"
    assert _error_code("1310520308T") == "century_sign"


def test_it_refuses_a_date_that_does_not_exist() -> None:
    assert (
        _error_code(compose_identity_code(datetime.date(2024, 2, 29), 950).replace("290224", "300224"))
        == "date"
    )
    assert _error_code("320101A9000") == "date"


def test_it_accepts_29_february_only_in_a_leap_year() -> None:
    leap = compose_identity_code(datetime.date(2024, 2, 29), 950)
    assert parse_identity_code(leap, today=TODAY).birth_date == datetime.date(2024, 2, 29)
    # 1900 was not a leap year (divisible by 100, not by 400); 2000 was.
    not_leap = "290200-950" + CHECK_CHARACTERS[290200950 % 31]
    assert _error_code(not_leap) == "date"
    assert parse_identity_code("290200A950" + CHECK_CHARACTERS[290200950 % 31], today=TODAY).birth_date == (
        datetime.date(2000, 2, 29)
    )


def test_it_refuses_a_birth_date_in_the_future() -> None:
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert _error_code(compose_identity_code(tomorrow, 950)) == "date_in_future"
    assert parse_identity_code(compose_identity_code(TODAY, 950), today=TODAY).birth_date == TODAY


@pytest.mark.parametrize("number", ["000", "001", "0X1"])
def test_it_refuses_individual_numbers_that_are_never_given(number: str) -> None:
    date_part = "010203"
    check = CHECK_CHARACTERS[int(date_part + number) % 31] if number.isdigit() else "A"
    assert _error_code(f"{date_part}A{number}{check}") == "individual_number"


def test_it_tells_a_real_code_from_a_test_code() -> None:
    assert parse_identity_code(compose_identity_code(datetime.date(2010, 1, 1), 899)).is_test_code is False
    assert parse_identity_code(compose_identity_code(datetime.date(2010, 1, 1), 900)).is_test_code is True


def test_it_refuses_a_wrong_check_character() -> None:
    assert _error_code("131052-308U") == "check_character"
    # G, I, O, Q and Z are never check characters (too like 6, 1, 0, 0 and 2).
    assert _error_code("131052-308Z") == "check_character"


def test_it_never_repeats_the_code_in_its_messages() -> None:
    for text in ("131052-308U", "131052G308T", "131052-000T", "320152-308T", "131052-308"):
        with pytest.raises(InvalidIdentityCode) as caught:
            parse_identity_code(text, today=TODAY)
        assert "308" not in " ".join(caught.value.messages)


def test_it_explains_the_error_in_finnish_and_swedish() -> None:
    with translation.override("fi"):
        finnish = _error_code_message("131052-308U")
    with translation.override("sv"):
        swedish = _error_code_message("131052-308U")
    with translation.override("en"):
        english = _error_code_message("131052-308U")
    assert "tarkist" in finnish.lower()
    assert "kontroll" in swedish.lower()
    assert len({finnish, swedish, english}) == 3


def _error_code_message(text: str) -> str:
    with pytest.raises(InvalidIdentityCode) as caught:
        parse_identity_code(text, today=TODAY)
    return caught.value.messages[0]


def test_it_is_a_django_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse_identity_code("nonsense", today=TODAY)


def test_it_shows_only_the_masked_form_when_printed() -> None:
    code = parse_identity_code("131052-308T", today=TODAY)
    assert code.masked == "131052-****"
    assert str(code) == "131052-****"
    assert "308" not in repr(code)


def test_it_refuses_to_compose_a_code_with_the_wrong_centurys_sign() -> None:
    with pytest.raises(ValueError, match="century sign"):
        compose_identity_code(datetime.date(1990, 1, 1), 950, "A")


# Property-based: every date from 1800 to today and every individual number round-trips, and any one
# character changed to another is caught (the check character catches every single substitution).
dates = st.dates(min_value=datetime.date(1800, 1, 1), max_value=TODAY)
numbers = st.integers(min_value=2, max_value=999)


@st.composite
def codes(draw: st.DrawFn) -> tuple[str, datetime.date, int]:
    birth = draw(dates)
    number = draw(numbers)
    signs = [sign for sign, century in CENTURIES.items() if century == birth.year // 100 * 100]
    return compose_identity_code(birth, number, draw(st.sampled_from(signs))), birth, number


@given(codes())
def test_it_round_trips_every_valid_code(case: tuple[str, datetime.date, int]) -> None:
    text, birth, number = case
    code = parse_identity_code(text, today=TODAY)
    assert (code.value, code.birth_date, code.individual_number) == (text, birth, number)
    assert code.is_test_code is (number >= 900)


@given(
    codes(), st.integers(min_value=0, max_value=10), st.sampled_from("0123456789" + CHECK_CHARACTERS + "-+GZ")
)
def test_it_catches_any_single_changed_character(
    case: tuple[str, datetime.date, int], position: int, replacement: str
) -> None:
    text = case[0]
    if text[position] == replacement:
        return
    changed = text[:position] + replacement + text[position + 1 :]
    # Changing only the century sign to another of the same century leaves a valid code of the same
    # person; the check character does not cover the sign, by design of the code.
    same_century = position == 6 and CENTURIES.get(replacement) == CENTURIES[text[6]]
    if same_century:
        assert parse_identity_code(changed, today=TODAY).birth_date == case[1]
        return
    # A changed sign to another century may still give a valid code (another person): then the birth
    # date differs, which is what a clerk comparing it with the person sees.
    try:
        parsed = parse_identity_code(changed, today=TODAY)
    except InvalidIdentityCode:
        return
    assert position == 6
    assert parsed.birth_date != case[1]
