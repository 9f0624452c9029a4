"""Roles, units and memberships: who works where, in which role, from when to when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lape.accounts.acting import Actor
from lape.accounts.models import Membership, Role, Unit
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.accounts.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_it_has_the_sixteen_roles_of_the_issue() -> None:
    assert {role.value for role in Role} == {
        "coordinator", "social_worker", "child_protection_worker", "public_health_nurse", "family_worker",
        "school_social_worker", "school_psychologist", "teacher", "early_education_teacher", "youth_worker",
        "ngo_worker", "parish_worker", "doctor_psychologist", "manager", "publisher", "administrator",
    }  # fmt: skip


def test_it_lets_every_role_but_manager_publisher_and_administrator_see_client_data() -> None:
    assert {"manager", "publisher", "administrator"} & SEES_CLIENT_DATA == set()
    assert len(SEES_CLIENT_DATA) == 13
    assert "school_social_worker" in SEES_CLIENT_DATA


def test_it_counts_a_membership_active_from_its_first_to_its_last_day(world: World) -> None:
    membership = Membership.objects.create(
        user=world.stranger, organization=world.city, role=Role.TEACHER,
        started=dt.date(2025, 8, 1), ended=dt.date(2026, 5, 31),
    )  # fmt: skip
    active = Membership.objects.filter(user=world.stranger).active
    assert list(active(on=dt.date(2025, 7, 31))) == []
    assert list(active(on=dt.date(2025, 8, 1))) == [membership]
    assert list(active(on=dt.date(2026, 5, 31))) == [membership]
    assert list(active(on=dt.date(2026, 6, 1))) == []
    assert membership.is_active_on(dt.date(2026, 5, 31)) and not membership.is_active_on(dt.date(2026, 6, 1))


def test_it_refuses_a_unit_of_another_organisation(world: World) -> None:
    membership = Membership(
        user=world.stranger, organization=world.city, unit=world.clinic, role=Role.TEACHER
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "This unit belongs to another organisation" in str(error.value.message_dict["unit"])


def test_it_refuses_a_membership_that_ends_before_it_starts(world: World) -> None:
    membership = Membership(
        user=world.stranger, organization=world.city, role=Role.TEACHER,
        started=dt.date(2025, 8, 1), ended=dt.date(2025, 7, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "cannot end before it starts" in str(error.value.message_dict["ended"])
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_it_names_a_unit_in_the_language_of_the_page(world: World) -> None:
    assert world.clinic.text("name", "fi") == "Lastenneuvola"
    assert world.clinic.text("name", "en") == "Child health clinic"
    assert world.clinic.text("name", "sv") == "Lastenneuvola"  # no Swedish yet: Finnish stands in


def test_it_refuses_two_units_of_the_same_name_in_one_organisation(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(organization=world.county, name="Lastenneuvola")


def test_it_makes_an_actor_of_a_membership(world: World) -> None:
    membership = Membership.objects.get(user=world.nurse)
    actor = Actor.for_membership(membership, verified=True)
    assert actor == Actor(
        user_id=world.nurse.pk, username="nurse", membership_id=membership.pk, role="public_health_nurse",
        organization_id=world.county.pk, unit_id=world.clinic.pk, verified=True,
    )  # fmt: skip
    assert actor.needs_second_factor and actor.may_act
    assert not Actor.for_membership(membership).may_act
    with pytest.raises(AttributeError):
        actor.role = "administrator"  # type: ignore[misc]
