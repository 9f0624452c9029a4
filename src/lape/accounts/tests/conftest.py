"""Personas for the accounts tests: professionals of a county and a city, with and without a second factor.

- a public health nurse of the county (sees client data; has set up her authenticator app),
- a new social worker of the county (sees client data; has not set one up yet),
- a coordinator who also works as a social worker (two memberships: a choice after login),
- a publisher of the city (no client data; no second factor),
- a stranger with an account but no membership.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.models import Membership, Role, Unit
from lape.directory.models import Organization

PASSWORD = "correct horse battery 42"
NURSE_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex


@dataclass
class World:
    county: Organization
    city: Organization
    clinic: Unit
    social_work: Unit
    nurse: User
    nurse_device: TOTPDevice
    social_worker: User
    coordinator: User
    publisher: User
    stranger: User


def _user(username: str) -> User:
    return User.objects.create_user(username, email=f"{username}@example.org", password=PASSWORD)


def _member(
    user: User, organization: Organization, role: Role, unit: Unit | None = None, **dates: Any
) -> Membership:
    return Membership.objects.create(
        user=user,
        organization=organization,
        unit=unit,
        role=role,
        started=dates.get("started", dt.date(2024, 1, 1)),
        ended=dates.get("ended"),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The production hasher takes a deliberate half-second a password; the tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    county = Organization.objects.create(name="Pohjois-Savon hyvinvointialue")
    city = Organization.objects.create(name="Kuopion kaupunki")
    clinic = Unit.objects.create(
        organization=county, name="Lastenneuvola", translations={"en": {"name": "Child health clinic"}}
    )
    social_work = Unit.objects.create(organization=county, name="Lapsiperheiden sosiaalityö")
    nurse = _user("nurse")
    _member(nurse, county, Role.PUBLIC_HEALTH_NURSE, clinic)
    device = TOTPDevice.objects.create(user=nurse, name="LAPE", key=NURSE_KEY, confirmed=True)
    social_worker = _user("social-worker")
    _member(social_worker, county, Role.SOCIAL_WORKER, social_work)
    coordinator = _user("coordinator")
    _member(coordinator, county, Role.COORDINATOR)
    _member(coordinator, county, Role.SOCIAL_WORKER, social_work)
    publisher = _user("publisher")
    _member(publisher, city, Role.PUBLISHER)
    stranger = _user("stranger")
    return World(
        county, city, clinic, social_work, nurse, device, social_worker, coordinator, publisher, stranger
    )


@pytest.fixture
def browser_client() -> Client:
    """A browser: English pages; a second fixture call is a second browser (its own cookies)."""
    return Client(headers={"Accept-Language": "en"})
