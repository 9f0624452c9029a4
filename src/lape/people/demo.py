"""Demo clients: a few synthetic families in the demo municipalities, loaded on `lape demo`.

Everything is invented: the family names say so (Testinen, Esimerkki, Testberg, Exempelsson) and
every identity code has an individual number from 900 to 999, the range never given to a real
person. Ages are counted back from the day of loading, so the baby is a baby in a fresh demo. Ids
are uuid5 of the demo keys: a second run finds the same people and adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from lape.areas.models import Municipality

from .identity_codes import compose_identity_code
from .models import GuardianRelation, Person
from .registry import add_guardian, register_person

DEMO_NAMESPACE = uuid.UUID("0b7e9d4e-3f61-4c55-9d0a-6e2f4b8c1a93")


@dataclasses.dataclass(frozen=True)
class DemoPerson:
    """A demo person: age in years and days on the day of loading, individual number 900–999."""

    key: str
    given_names: str
    family_name: str
    years: int
    days: int
    individual_number: int
    century_sign: str = ""  # "" = the classic sign of the century (- or A)

    @property
    def id(self) -> uuid.UUID:
        """The person's id, the same in every demo."""
        return uuid.uuid5(DEMO_NAMESPACE, self.key)

    def birth_date(self, today: datetime.date) -> datetime.date:
        """The birth date that makes the person `years` years and `days` days old today."""
        try:
            anniversary = today.replace(year=today.year - self.years)
        except ValueError:  # today is 29 Feb and that year has none
            anniversary = today.replace(year=today.year - self.years, day=28)
        return anniversary - datetime.timedelta(days=self.days)

    def identity_code(self, today: datetime.date) -> str:
        """The person's synthetic identity code as of loading on `today`."""
        return compose_identity_code(self.birth_date(today), self.individual_number, self.century_sign)


@dataclasses.dataclass(frozen=True)
class DemoFamily:
    """A demo family: its home municipality (code), language, guardians and children."""

    key: str
    municipality: str
    language: str
    guardians: tuple[DemoPerson, ...]
    children: tuple[DemoPerson, ...]


DEMO_FAMILIES: tuple[DemoFamily, ...] = (
    # Kuopio, Finnish-speaking, two guardians; a baby and a 12-year-old. The father's code uses a
    # 2023 century sign (Y), the baby's too (B), to show they are read like the classic ones.
    DemoFamily(
        key="testinen",
        municipality="297",
        language="fi",
        guardians=(
            DemoPerson("testinen-aino", "Aino Demo", "Testinen", 34, 120, 902),
            DemoPerson("testinen-mikko", "Mikko Demo", "Testinen", 37, 45, 903, "Y"),
        ),
        children=(
            DemoPerson("testinen-eino", "Eino Demo", "Testinen", 0, 95, 905, "B"),
            DemoPerson("testinen-lumi", "Lumi Demo", "Testinen", 12, 40, 904),
        ),
    ),
    # Siilinjärvi, Finnish-speaking, one guardian; a 16-year-old and a 9-year-old.
    DemoFamily(
        key="esimerkki",
        municipality="749",
        language="fi",
        guardians=(DemoPerson("esimerkki-sanna", "Sanna Demo", "Esimerkki", 41, 200, 912),),
        children=(
            DemoPerson("esimerkki-veeti", "Veeti Demo", "Esimerkki", 16, 150, 913),
            DemoPerson("esimerkki-iida", "Iida Demo", "Esimerkki", 9, 10, 914),
        ),
    ),
    # Kuopio, Swedish-speaking, two guardians; a 14-year-old and a 6-year-old.
    DemoFamily(
        key="testberg",
        municipality="297",
        language="sv",
        guardians=(
            DemoPerson("testberg-johan", "Johan Demo", "Testberg", 44, 300, 921),
            DemoPerson("testberg-sofia", "Sofia Demo", "Testberg", 42, 20, 922),
        ),
        children=(
            DemoPerson("testberg-oskar", "Oskar Demo", "Testberg", 14, 90, 923),
            DemoPerson("testberg-elsa", "Elsa Demo", "Testberg", 6, 180, 924),
        ),
    ),
    # Närpes, Swedish-speaking, one guardian; a 2-year-old.
    DemoFamily(
        key="exempelsson",
        municipality="545",
        language="sv",
        guardians=(DemoPerson("exempelsson-maria", "Maria Demo", "Exempelsson", 29, 60, 932),),
        children=(DemoPerson("exempelsson-alva", "Alva Demo", "Exempelsson", 2, 30, 934),),
    ),
)


def demo_person(key: str) -> Person:
    """The loaded demo person with this key (e.g. "testinen-lumi"), for other apps' demos and tests."""
    return Person.objects.get(pk=uuid.uuid5(DEMO_NAMESPACE, key))


@dataclasses.dataclass(frozen=True)
class DemoPeopleSummary:
    """What loading the demo people added."""

    people: int
    guardian_relations: int


def _person(spec: DemoPerson, family: DemoFamily, today: datetime.date) -> tuple[Person, bool]:
    existing = Person.objects.filter(pk=spec.id).first()
    if existing is not None:
        return existing, False
    person = register_person(
        person_id=spec.id,
        given_names=spec.given_names,
        family_name=spec.family_name,
        identity_code=spec.identity_code(today),
        home_municipality=Municipality.objects.filter(code=family.municipality).first(),
        language=family.language,
        today=today,
    )
    return person, True


def load_demo_people(today: datetime.date | None = None) -> DemoPeopleSummary:
    """Load the demo families (idempotent: what exists is left as it is)."""
    today = today or timezone.localdate()
    people = relations = 0
    with transaction.atomic():
        for family in DEMO_FAMILIES:
            guardians = []
            for spec in family.guardians:
                guardian, created = _person(spec, family, today)
                guardians.append(guardian)
                people += created
            for spec in family.children:
                child, created = _person(spec, family, today)
                people += created
                for guardian in guardians:
                    if not GuardianRelation.objects.filter(guardian=guardian, child=child).exists():
                        add_guardian(guardian, child, started=child.birth_date)
                        relations += 1
    return DemoPeopleSummary(people=people, guardian_relations=relations)


def demo_was_loaded(sender: object, **kwargs: Any) -> None:
    """`lape demo` (lape.directory.signals.demo_loaded): add the demo families."""
    load_demo_people()
