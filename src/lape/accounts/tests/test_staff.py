"""The back office follows memberships: publishers publish, account administrators manage their own organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from lape.accounts.models import Membership, Role, Unit
from lape.accounts.staff import ACCOUNT_ADMIN_GROUP
from lape.accounts.tests.conftest import World
from lape.directory.models import Publisher
from lape.directory.permissions import PUBLISHER_GROUP, organizations_for

pytestmark = pytest.mark.django_db


def test_it_makes_a_publisher_membership_a_directory_publisher(world: World) -> None:
    world.publisher.refresh_from_db()
    assert list(organizations_for(world.publisher)) == [world.city]
    assert world.publisher.is_staff
    assert world.publisher.groups.filter(name=PUBLISHER_GROUP).exists()


def test_it_takes_publishing_away_when_the_membership_ends(world: World) -> None:
    membership = Membership.objects.get(user=world.publisher)
    membership.ended = dt.date(2024, 12, 31)
    membership.save()
    assert not Publisher.objects.filter(user=world.publisher).exists()


def test_it_takes_publishing_away_when_the_membership_is_deleted(world: World) -> None:
    Membership.objects.get(user=world.publisher).delete()
    assert not Publisher.objects.filter(user=world.publisher).exists()


def test_it_leaves_a_publisher_made_by_hand_alone(world: World) -> None:
    Publisher.objects.create(user=world.publisher, organization=world.county)
    Membership.objects.get(user=world.publisher).delete()
    assert list(Publisher.objects.filter(user=world.publisher).values_list("organization", flat=True)) == [
        world.county.pk
    ]


@pytest.fixture
def county_admin(world: World) -> Client:
    user = User.objects.create_user("county-admin", password="not-a-real-password-9")
    Membership.objects.create(
        user=user, organization=world.county, role=Role.ADMINISTRATOR, started=dt.date(2023, 1, 1)
    )
    Membership.objects.create(user=world.stranger, organization=world.city, role=Role.TEACHER)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_it_lets_an_account_administrator_manage_their_own_organisations_memberships(
    world: World, county_admin: Client
) -> None:
    page = county_admin.get("/admin/accounts/membership/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "nurse" in html and "social-worker" in html
    assert ">stranger<" not in html  # the city's teacher is not the county's to manage
    city_membership = Membership.objects.get(user=world.stranger)
    assert county_admin.get(f"/admin/accounts/membership/{city_membership.pk}/change/").status_code == 302


def test_it_lets_an_account_administrator_add_a_unit_only_to_their_own_organisation(
    world: World, county_admin: Client
) -> None:
    page = county_admin.get("/admin/accounts/unit/add/").content.decode()
    assert "Pohjois-Savon hyvinvointialue" in page
    assert "Kuopion kaupunki" not in page
    response = county_admin.post(
        "/admin/accounts/unit/add/", {"organization": world.city.pk, "name": "Koulu"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Unit.objects.filter(name="Koulu").exists()


def test_it_shows_an_account_administrator_only_their_organisations_memberships_of_a_user(
    world: World, county_admin: Client
) -> None:
    Membership.objects.create(user=world.nurse, organization=world.city, role=Role.TEACHER)
    page = county_admin.get(f"/admin/auth/user/{world.nurse.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child health clinic" in html  # her county membership, with its unit
    assert "Kuopion kaupunki" not in html  # neither her city membership nor the city as a choice


def test_it_does_not_let_an_account_administrator_make_a_superuser(
    world: World, county_admin: Client
) -> None:
    page = county_admin.get(f"/admin/auth/user/{world.nurse.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert county_admin.get(f"/admin/auth/user/{world.stranger.pk}/change/").status_code == 302


def test_it_puts_an_administrator_in_the_account_administrators_group(
    world: World, county_admin: Client
) -> None:
    user = User.objects.get(username="county-admin")
    assert user.is_staff and user.groups.filter(name=ACCOUNT_ADMIN_GROUP).exists()
    Membership.objects.filter(user=user).update(ended=dt.date(2024, 1, 1))  # ended long ago
    Membership.objects.get(user=user).save()
    assert not user.groups.filter(name=ACCOUNT_ADMIN_GROUP).exists()
