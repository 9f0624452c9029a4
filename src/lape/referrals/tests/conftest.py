"""The people and places of the referrals tests (owned by referrals-core; page tests may use them too).

A county (wellbeing-services county) runs the Kuopio family centre (coordinated by its family-centre
unit) and the Siilinjärvi one (no coordinating unit: every county coordinator), family work, family
counselling and child protection; a city runs schools and youth work; an NGO runs a family-friend
service in the Kuopio network; a neighbouring county is a stranger's organisation.

Personas (all with a verified second factor unless said): the Kuopio coordinator, a family worker,
a social worker, a child-protection worker and a public health nurse of the county; a school social
worker and a teacher of the city; an NGO worker; a social worker of the neighbouring county (the
stranger); a manager of the county (no client data). The family: Aino (10) and her mother Maija.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from lape.access.consent_actions import grant_consent
from lape.access.models import AccessLogEntry, Consent
from lape.accounts.acting import Actor
from lape.accounts.models import Membership, Role, Unit
from lape.directory.models import FamilyCentre, Organization, Service
from lape.people.identity_codes import compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import register_person
from lape.referrals.models import TriageSetting
from lape.referrals.requests import Submitted, submit_request


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def locmem_mail(settings: Any) -> Iterator[None]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield


def years_ago(years: int, days: int = 0) -> dt.date:
    """A birth date that makes a person `years` old today (plus `days` days)."""
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - dt.timedelta(days=days)


def make_actor(
    username: str, organization: Organization, role: str, unit: Unit | None = None, *, verified: bool = True
) -> Actor:
    """A professional with a real user (with an e-mail address) and membership, acting in it."""
    user = User.objects.create_user(username, email=f"{username}@example.org", password=None)
    membership = Membership.objects.create(
        user=user, organization=organization, unit=unit, role=role, started=dt.date(2024, 1, 1)
    )
    return Actor.for_membership(membership, verified=verified)


def membership_of(actor: Actor) -> Membership:
    return Membership.objects.get(pk=actor.membership_id)


@dataclass
class World:
    county: Organization
    city: Organization
    ngo: Organization
    other_county: Organization
    centre_unit: Unit
    kuopio: FamilyCentre
    siilinjarvi: FamilyCentre
    family_work: Service  # county, in both networks
    counselling: Service  # county, Kuopio network
    child_protection: Service  # county, in no network
    family_friend: Service  # NGO, Kuopio network
    youth_work: Service  # city, in no network
    coordinator: Actor
    family_worker: Actor
    social_worker: Actor
    cp_worker: Actor
    nurse: Actor
    school_social_worker: Actor
    teacher: Actor
    ngo_worker: Actor
    stranger: Actor
    manager: Actor
    child: Person
    mother: Person


def _service(organization: Organization, name: str, *centres: FamilyCentre) -> Service:
    service = Service.objects.create(organization=organization, name=name)
    for centre in centres:
        centre.services.add(service)
    return service


@pytest.fixture
def world(db: Any) -> World:
    county = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    city = Organization.objects.create(name="Kuopion kaupunki", kind="municipality")
    ngo = Organization.objects.create(name="MLL Kuopio", kind="ngo")
    other = Organization.objects.create(name="Keski-Suomen hyvinvointialue", kind="wellbeing_county")
    centre_unit = Unit.objects.create(organization=county, name="Kuopion perhekeskus")
    kuopio = FamilyCentre.objects.create(
        name="Kuopion perhekeskus", coordinator=county, translations={"en": {"name": "Kuopio Family Centre"}}
    )
    siilinjarvi = FamilyCentre.objects.create(name="Siilinjärven perhekeskus", coordinator=county)
    TriageSetting.objects.create(family_centre=kuopio, response_days=2, coordinating_unit=centre_unit)
    born = years_ago(10)
    child = register_person(
        given_names="Aino", family_name="Testinen", identity_code=compose_identity_code(born, 960)
    )
    mother = Person.objects.create(given_names="Maija", family_name="Testinen", birth_date=years_ago(38))
    GuardianRelation.objects.create(guardian=mother, child=child, started=child.birth_date)
    return World(
        county=county,
        city=city,
        ngo=ngo,
        other_county=other,
        centre_unit=centre_unit,
        kuopio=kuopio,
        siilinjarvi=siilinjarvi,
        family_work=_service(county, "Perhetyö", kuopio, siilinjarvi),
        counselling=_service(county, "Perheneuvola", kuopio),
        child_protection=_service(county, "Lastensuojelu"),
        family_friend=_service(ngo, "Perhekummitoiminta", kuopio),
        youth_work=_service(city, "Nuorisotyö"),
        coordinator=make_actor("coordinator", county, Role.COORDINATOR, centre_unit),
        family_worker=make_actor("family-worker", county, Role.FAMILY_WORKER),
        social_worker=make_actor("social-worker", county, Role.SOCIAL_WORKER),
        cp_worker=make_actor("cp-worker", county, Role.CHILD_PROTECTION_WORKER),
        nurse=make_actor("nurse", county, Role.PUBLIC_HEALTH_NURSE),
        school_social_worker=make_actor("school-social-worker", city, Role.SCHOOL_SOCIAL_WORKER),
        teacher=make_actor("teacher", city, Role.TEACHER),
        ngo_worker=make_actor("ngo-worker", ngo, Role.NGO_WORKER),
        stranger=make_actor("stranger", other, Role.SOCIAL_WORKER),
        manager=make_actor("manager", county, Role.MANAGER),
        child=child,
        mother=mother,
    )


def family_asks(world: World, **overrides: Any) -> Submitted:
    """A family's ordinary request to the Kuopio family centre."""
    fields: dict[str, Any] = {
        "worry": "Our son does not sleep and we are exhausted.",
        "children_ages": [0, 4],
        "language": "fi",
        "contact_method": "phone",
        "contact_name": "Maija",
        "contact_phone": "+358 40 123 4567",
        "family_centre": world.kuopio,
    }
    return submit_request(**(fields | overrides))


def consent_to(
    world: World, organization: Organization, *categories: str, by: Actor | None = None
) -> Consent:
    """The mother's consent to share Aino's information of these categories with `organization`."""
    return grant_consent(
        by or world.family_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[organization],
        categories=list(categories),
        purpose="A referral to a family service",
    )


def log_rows() -> list[tuple[str, str, str, str]]:
    """(username, action, outcome, refusal) of every access-log row, oldest first."""
    return list(AccessLogEntry.objects.values_list("username", "action", "outcome", "refusal"))


def child_code(world: World) -> str:
    """Aino's synthetic identity code (individual number 960)."""
    return compose_identity_code(world.child.birth_date, 960)


def identified_request(world: World, worker: Actor | None = None) -> Any:
    """A family's request assigned to the family worker (or `worker`), who has identified the child (Aino)."""
    from lape.referrals.handling import assign_request, identify_person

    worker = worker or world.family_worker
    request = family_asks(world).request
    assign_request(
        world.coordinator, request.pk, service=world.family_work, professional=membership_of(worker)
    )
    identify_person(worker, request.pk, identity_code=child_code(world))
    request.refresh_from_db()
    return request
