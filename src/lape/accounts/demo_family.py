"""The demo families' synthetic persons as the local OpenID Connect provider knows them (demo only).

Each demo person of 12 or more (lape.people.demo) signs in at the provider with their demo key as
the username and DEMO_FAMILY_PASSWORD; the provider sends their identity code as read from the
database (the codes depend on the day the demo was loaded). One more login, `demo-weak`, is Aino
Demo Testinen identified by a password only: LAPE refuses it as not strong.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils import timezone

from lape.people.demo import DEMO_FAMILIES
from lape.people.models import Person
from lape.people.registry import open_identity_code

from .family import FAMILY_SIGN_IN_AGE

# Demo only, published in the README: the synthetic persons' password at the demo provider.
DEMO_FAMILY_PASSWORD = "lape-demo-family"  # noqa: S105
LOA_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"
WEAK = "urn:lape:demo:password"
WEAK_USERNAME = "demo-weak"


@dataclass(frozen=True)
class DemoFamilyLogin:
    """One synthetic person's login at the demo provider and the claims it sends."""

    username: str
    password: str
    identity_code: str
    given_name: str
    family_name: str
    acr: str
    role: str


def demo_family_logins() -> list[DemoFamilyLogin]:
    """The loaded demo persons who may sign in (12 or more), and the weak login; [] before `lape demo`."""
    today = timezone.localdate()
    logins = []
    for family in DEMO_FAMILIES:
        for spec, role in [
            *((g, "guardian") for g in family.guardians),
            *((c, "child") for c in family.children),
        ]:
            person = Person.objects.filter(pk=spec.id).first()
            if person is None or person.age_on(today) < FAMILY_SIGN_IN_AGE:
                continue
            logins.append(
                DemoFamilyLogin(
                    username=spec.key,
                    password=DEMO_FAMILY_PASSWORD,
                    identity_code=open_identity_code(person),
                    given_name=person.given_names,
                    family_name=person.family_name,
                    acr=LOA_SUBSTANTIAL,
                    role=role,
                )
            )
    if logins:
        first = logins[0]
        logins.append(
            DemoFamilyLogin(**{**asdict(first), "username": WEAK_USERNAME, "acr": WEAK, "role": "weak"})
        )
    return logins
