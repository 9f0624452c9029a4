"""Registering clients and guardians: what a family-centre coordinator records, and what is refused."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from lape.people.identity_codes import InvalidIdentityCode, compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import (
    PersonAlreadyRegistered,
    add_guardian,
    end_guardianship,
    find_by_identity_code,
    guardians_of,
    register_person,
    wards_of,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)
MOTHER_BORN = datetime.date(1990, 4, 12)
FATHER_BORN = datetime.date(1988, 11, 2)
CHILD_BORN = datetime.date(2013, 2, 1)
SIXTEEN_BORN = datetime.date(2008, 9, 30)


def _register(given: str, born: datetime.date, number: int, **kwargs: object) -> Person:
    return register_person(
        given_names=given,
        family_name="Testinen",
        identity_code=compose_identity_code(born, number),
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def mother() -> Person:
    return _register("Aino Demo", MOTHER_BORN, 902)


@pytest.fixture
def father() -> Person:
    return _register("Mikko Demo", FATHER_BORN, 903)


@pytest.fixture
def child() -> Person:
    return _register("Lumi Demo", CHILD_BORN, 904)


def test_it_takes_the_birth_date_from_the_identity_code(child: Person) -> None:
    assert child.birth_date == CHILD_BORN
    assert child.masked_identity_code() == "010213A****"
    assert child.age_on(TODAY) == 12
    assert child.is_child_on(TODAY) is True


def test_it_counts_the_age_in_whole_years(mother: Person) -> None:
    assert mother.age_on(datetime.date(2008, 4, 11)) == 17
    assert mother.is_child_on(datetime.date(2008, 4, 11)) is True
    assert mother.age_on(datetime.date(2008, 4, 12)) == 18
    assert mother.is_child_on(datetime.date(2008, 4, 12)) is False


def test_it_registers_a_person_without_an_identity_code_by_birth_date() -> None:
    baby = register_person(
        given_names="Vauva Demo", family_name="Testinen", birth_date=datetime.date(2025, 2, 1), today=TODAY
    )
    assert baby.identity_code_lookup is None
    assert baby.masked_identity_code() == ""
    assert baby.identity_code_sealed == ""


def test_it_registers_two_people_without_identity_codes() -> None:
    # The lookup hash is unique but empty (NULL) for both: no clash.
    for name in ("Vauva Demo", "Toinen Demo"):
        register_person(given_names=name, family_name="Testinen", birth_date=TODAY, today=TODAY)
    assert Person.objects.count() == 2


def test_it_refuses_a_second_registration_of_the_same_code(child: Person) -> None:
    with pytest.raises(PersonAlreadyRegistered) as caught:
        register_person(
            given_names="Someone Else",
            family_name="Testinen",
            identity_code=f" {compose_identity_code(CHILD_BORN, 904).lower()} ",
            today=TODAY,
        )
    assert caught.value.code == "duplicate"
    assert Person.objects.count() == 1


def test_it_refuses_an_invalid_code_and_writes_nothing() -> None:
    with pytest.raises(InvalidIdentityCode):
        register_person(
            given_names="Lumi Demo", family_name="Testinen", identity_code="010213A904X", today=TODAY
        )
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"given_names": "  "}, "given_names"),
        ({"family_name": "x" * 201}, "family_name"),
        ({"language": "Finnish"}, "language"),
        ({"birth_date": datetime.date(2013, 2, 2)}, "birth_date"),
    ],
)
def test_it_refuses_bad_input_by_field_and_writes_nothing(kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "given_names": "Lumi Demo",
        "family_name": "Testinen",
        "identity_code": compose_identity_code(CHILD_BORN, 904),
        "today": TODAY,
    }
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        register_person(**values)  # type: ignore[arg-type]
    assert field in caught.value.message_dict
    assert Person.objects.count() == 0


def test_it_refuses_a_person_with_neither_code_nor_birth_date() -> None:
    with pytest.raises(ValidationError) as caught:
        register_person(given_names="Lumi Demo", family_name="Testinen", today=TODAY)
    assert "birth_date" in caught.value.message_dict


def test_it_refuses_a_birth_date_in_the_future() -> None:
    with pytest.raises(ValidationError):
        register_person(
            given_names="Lumi Demo",
            family_name="Testinen",
            birth_date=TODAY + datetime.timedelta(1),
            today=TODAY,
        )


def test_it_raises_for_an_invalid_code_when_searching() -> None:
    with pytest.raises(InvalidIdentityCode):
        find_by_identity_code("not a code")


def test_it_records_two_guardians_of_a_child(mother: Person, father: Person, child: Person) -> None:
    add_guardian(mother, child, started=CHILD_BORN)
    add_guardian(father, child, started=CHILD_BORN)
    assert set(guardians_of(child, on=TODAY)) == {mother, father}
    assert list(wards_of(mother, on=TODAY)) == [child]
    assert list(mother.wards.values_list("child_id", flat=True)) == [child.pk]


def test_it_refuses_a_minor_as_a_guardian(mother: Person, child: Person) -> None:
    sixteen = _register("Veeti Demo", SIXTEEN_BORN, 913)
    with pytest.raises(ValidationError) as caught:
        add_guardian(sixteen, child, started=TODAY)
    assert caught.value.code == "guardian_minor"
    assert GuardianRelation.objects.count() == 0


def test_it_refuses_an_adult_as_a_ward(mother: Person, father: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        add_guardian(mother, father, started=TODAY)
    assert caught.value.code == "child_adult"
    assert GuardianRelation.objects.count() == 0


def test_it_refuses_self_guardianship(child: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        add_guardian(child, child, started=TODAY)
    assert caught.value.code == "self"


def test_it_refuses_a_guardianship_before_birth(mother: Person, child: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        add_guardian(mother, child, started=CHILD_BORN - datetime.timedelta(days=1))
    assert caught.value.code == "before_birth"


def test_it_refuses_the_same_guardian_twice(mother: Person, child: Person) -> None:
    add_guardian(mother, child, started=CHILD_BORN)
    with pytest.raises(ValidationError) as caught:
        add_guardian(mother, child, started=TODAY)
    assert caught.value.code == "duplicate"
    assert GuardianRelation.objects.count() == 1


def test_it_ends_a_guardianship_and_keeps_it_as_history(mother: Person, child: Person) -> None:
    add_guardian(mother, child, started=CHILD_BORN)
    ended = end_guardianship(mother, child, ended=datetime.date(2024, 6, 30))
    assert ended.ended == datetime.date(2024, 6, 30)
    assert list(guardians_of(child, on=datetime.date(2024, 6, 30))) == [mother]
    assert list(guardians_of(child, on=TODAY)) == []
    # Once ended, the same guardian may be recorded again (e.g. custody restored by a court).
    add_guardian(mother, child, started=TODAY)
    assert GuardianRelation.objects.count() == 2
    assert list(guardians_of(child, on=TODAY)) == [mother]


def test_it_refuses_to_end_a_guardianship_that_does_not_exist(mother: Person, child: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        end_guardianship(mother, child, ended=TODAY)
    assert caught.value.code == "no_guardianship"


def test_it_refuses_to_end_a_guardianship_before_it_started(mother: Person, child: Person) -> None:
    add_guardian(mother, child, started=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as caught:
        end_guardianship(mother, child, ended=datetime.date(2019, 12, 31))
    assert caught.value.code == "ended_before_start"
    assert GuardianRelation.objects.get().ended is None


def test_it_does_not_count_a_guardianship_that_starts_later(mother: Person, child: Person) -> None:
    add_guardian(mother, child, started=datetime.date(2024, 1, 1))
    assert list(guardians_of(child, on=datetime.date(2023, 12, 31))) == []
    assert list(guardians_of(child, on=datetime.date(2024, 1, 1))) == [mother]


def test_it_offers_no_admin_for_client_data() -> None:
    # Client data is read only through `access`, which logs every read; the admin would bypass it.
    assert not admin.site.is_registered(Person)
    assert not admin.site.is_registered(GuardianRelation)
