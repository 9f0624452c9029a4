"""The people of the access tests: professionals of a county, a city and an NGO, and a family.

Relations come from `Team`, a real relation provider (the one that referrals and plans will
register later answers the same question from their tables): who is on whose team.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from lape.access.relations import register_relation, unregister_relation
from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.directory.models import Organization
from lape.people.models import GuardianRelation, Person


@dataclass
class Team:
    """Who is on whose team: pairs of (user id, person id), registered as a relation provider."""

    members: set[tuple[int, uuid.UUID]] = field(default_factory=set)

    def add(self, actor: Actor, person: Person) -> None:
        self.members.add((actor.user_id, person.pk))

    def remove(self, actor: Actor, person: Person) -> None:
        self.members.discard((actor.user_id, person.pk))

    def __call__(self, actor: Actor, person_id: uuid.UUID) -> bool:
        return (actor.user_id, person_id) in self.members


@pytest.fixture
def team() -> Iterator[Team]:
    provider = Team()
    register_relation(provider)
    yield provider
    unregister_relation(provider)


def years_ago(years: int, days: int = 0) -> dt.date:
    """A birth date that makes a person `years` old today (plus `days` days)."""
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - dt.timedelta(days=days)


def make_actor(username: str, organization: Organization, role: str, *, verified: bool = True) -> Actor:
    """A professional with a real user and membership, acting in it."""
    user = User.objects.create_user(username)  # no password: these tests never log in, and hashing is slow
    membership = Membership.objects.create(
        user=user, organization=organization, role=role, started=timezone.localdate() - dt.timedelta(days=30)
    )
    return Actor.for_membership(membership, verified=verified)


def make_person(given: str, family: str, born: dt.date) -> Person:
    return Person.objects.create(given_names=given, family_name=family, birth_date=born)


def make_guardian(guardian: Person, child: Person, **dates: Any) -> GuardianRelation:
    dates.setdefault("started", child.birth_date)
    return GuardianRelation.objects.create(guardian=guardian, child=child, **dates)


@dataclass
class World:
    county: Organization
    city: Organization
    ngo: Organization
    nurse: Actor  # public health nurse of the county
    social_worker: Actor  # social worker of the county
    school_social_worker: Actor  # of the city
    teacher: Actor  # of the city
    stranger: Actor  # social worker of the NGO's county neighbour: another organisation
    child: Person  # Aino, 10
    mother: Person  # Maija, Aino's guardian
    teen: Person  # Eetu, 16
    father: Person  # Eetu's guardian


@pytest.fixture
def world(db: Any) -> World:
    county = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    city = Organization.objects.create(name="Kuopion kaupunki", kind="municipality")
    ngo = Organization.objects.create(name="Perhetalo ry", kind="ngo")
    other = Organization.objects.create(name="Keski-Suomen hyvinvointialue", kind="wellbeing_county")
    child = make_person("Aino", "Testinen", years_ago(10))
    mother = make_person("Maija", "Testinen", years_ago(38))
    teen = make_person("Eetu", "Esimerkki", years_ago(16))
    father = make_person("Pekka", "Esimerkki", years_ago(45))
    make_guardian(mother, child)
    make_guardian(father, teen)
    return World(
        county=county,
        city=city,
        ngo=ngo,
        nurse=make_actor("nurse", county, "public_health_nurse"),
        social_worker=make_actor("social-worker", county, "social_worker"),
        school_social_worker=make_actor("school-social-worker", city, "school_social_worker"),
        teacher=make_actor("teacher", city, "teacher"),
        stranger=make_actor("stranger", other, "social_worker"),
        child=child,
        mother=mother,
        teen=teen,
        father=father,
    )
