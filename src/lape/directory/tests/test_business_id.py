import pytest
from django.core.exceptions import ValidationError

from lape.directory.business_id import is_valid_business_id, validate_business_id


@pytest.mark.parametrize("value", ["0112038-9", "0209602-6", "112038-9"])
def test_it_accepts_business_ids_with_the_right_check_digit(value: str) -> None:
    assert is_valid_business_id(value)


@pytest.mark.parametrize("value", ["0112038-8", "0112038", "0112038-", "A112038-9", "", "01120389"])
def test_it_refuses_malformed_ids_and_wrong_check_digits(value: str) -> None:
    assert not is_valid_business_id(value)
    with pytest.raises(ValidationError):
        validate_business_id(value)


def test_it_says_which_part_is_wrong() -> None:
    with pytest.raises(ValidationError) as wrong_digit:
        validate_business_id("0112038-8")
    assert wrong_digit.value.code == "check_digit"
    with pytest.raises(ValidationError) as bad_format:
        validate_business_id("12345")
    assert bad_format.value.code == "format"
