"""The family's own copy of their data (GDPR 2016/679, articles 15 and 20): what the export holds.

A signed-in family member exports the data of the people whose data they may read on the family's
pages (`family_decision`): themselves and the children in their custody today; a young person of 12
or more only themselves. The export is put together from sections: access's own (the person,
consents, disclosure bans, the access log) and those the other apps register in their
AppConfig.ready (`register_family_export`: plans, concern signals, contact requests and referrals),
so that access imports none of them. Every record exported is logged as an `export` by the family
member, one row per target as the family's pages log reads, all in one transaction.

The structure (docs/family-view.md, "The family's copy of their data") is the same for the JSON and
the PDF (lape.access.export_pdf): people, each with sections, each a list of items of named fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lape.people.models import Person
from lape.people.registry import wards_of

from . import log
from .categories import Category
from .decisions import Action, Decision, Target
from .family import ACCESS_LOG_RECORD, CONSENTS_RECORD, PERSON_RECORD, family_decision, family_target
from .models import BanScope, DisclosureBan

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember

# The export's format name and version: a reader of the JSON checks these (docs/family-view.md).
EXPORT_FORMAT = "lape-family-export"
EXPORT_VERSION = 1
BAN_RECORD = "disclosure_ban"

Value = str | int | bool | None | dt.date | dt.datetime | list[str] | list["ExportItem"]


@dataclass(frozen=True)
class ExportField:
    """One named value: `key` for the JSON, `label` (in the reader's language) for the PDF."""

    key: str
    label: str
    value: Value


@dataclass(frozen=True)
class ExportItem:
    """One record in a section (a consent, a plan, a goal...), as its fields."""

    fields: list[ExportField]


@dataclass(frozen=True)
class ExportSection:
    """One kind of data about a person, and the targets whose export is logged."""

    key: str
    title: str
    items: list[ExportItem]
    targets: list[Target] = field(default_factory=list)


@dataclass(frozen=True)
class PersonExport:
    """A person's data in the export, with the decision that let the member export it."""

    person: Person
    is_me: bool
    decision: Decision
    sections: list[ExportSection]


@dataclass(frozen=True)
class FamilyExport:
    """The whole export of one family member's request."""

    generated_at: dt.datetime
    people: list[PersonExport]


# A source gives a person's sections of one app; it reads only (the export logs every target).
ExportSource = Callable[["FamilyMember", Person, dt.date], list[ExportSection]]
_SOURCES: list[ExportSource] = []


def register_family_export(source: ExportSource) -> None:
    """Add an app's sections to the family's export (once per app, in AppConfig.ready)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def people_of(member: FamilyMember, on: dt.date | None = None) -> tuple[Person, list[Person]]:
    """The member and the children in their custody on the day (none for a minor): whose data they see."""
    me = Person.objects.get(pk=member.person_id)
    children = list(wards_of(me, on=on or timezone.localdate()).order_by("birth_date", "id"))
    return me, children


def item(*fields: tuple[str, str, Value]) -> ExportItem:
    """An item from (key, label, value) triples."""
    return ExportItem([ExportField(key, label, value) for key, label, value in fields])


def category_labels(categories: Sequence[str]) -> list[str]:
    """Information categories in the reader's language (unknown codes as they are)."""
    return [str(Category(c).label) if c in Category.values else c for c in categories]


def _person_section(person: Person) -> ExportSection:
    # Minimised: the birth date, never the identity code (not even masked).
    return ExportSection(
        key="person",
        title=_("Person"),
        items=[
            item(
                ("given_names", _("Given names"), person.given_names),
                ("family_name", _("Family name"), person.family_name),
                ("birth_date", _("Date of birth"), person.birth_date),
                ("language", _("Language"), person.language),
            )
        ],
        targets=[family_target(PERSON_RECORD, person.pk)],
    )


def _consents_section(person: Person) -> ExportSection:
    from .views_consent import consents_shown  # the consents page's own query

    consents = consents_shown().filter(person=person)
    return ExportSection(
        key="consents",
        title=_("Consents"),
        items=[
            item(
                ("given_by", _("Given by"), str(c.given_by)),
                ("to_organisations", _("To organisations"), [o.text("name") for o in c.organizations.all()]),
                ("categories", _("Information categories"), category_labels(c.categories)),
                ("purpose", _("Purpose"), c.purpose),
                ("valid_from", _("Valid from"), c.valid_from),
                ("valid_until", _("Valid until"), c.valid_until),
                ("withdrawn_at", _("Withdrawn"), c.withdrawn_at),
            )
            for c in consents
        ],
        targets=[family_target(CONSENTS_RECORD, person.pk)],
    )


def _bans_section(person: Person) -> ExportSection:
    bans = DisclosureBan.objects.filter(person=person).select_related("set_by", "service", "organization")
    items = []
    for ban in bans:
        if ban.scope == BanScope.SERVICE and ban.service is not None:
            covers = ban.service.text("name")
        elif ban.scope == BanScope.ORGANIZATION and ban.organization is not None:
            covers = ban.organization.text("name")
        else:
            covers = str(BanScope(ban.scope).label)
        items.append(
            item(
                ("scope", _("Covers"), ban.scope),
                ("covers", _("What it covers"), covers),
                ("categories", _("Information categories"), category_labels(ban.categories)),
                ("set_by", _("Set by"), str(ban.set_by)),
                ("valid_from", _("In force from"), ban.valid_from),
                ("lifted_at", _("Lifted"), ban.lifted_at),
            )
        )
    return ExportSection(
        key="disclosure_bans",
        title=_("Disclosure bans"),
        items=items,
        targets=[family_target(BAN_RECORD, person.pk)],
    )


def _access_log_section(member: FamilyMember, person: Person) -> ExportSection:
    from .views_family import family_log_entries, log_rows  # the family's access-log page's own words

    rows = log_rows(list(family_log_entries(member, person)), member, person)
    return ExportSection(
        key="access_log",
        title=_("Who has seen or changed the information"),
        items=[
            item(
                ("at", _("When"), row.entry.at),
                ("who", _("Who"), row.who),
                ("role", _("Role"), row.role),
                ("organisation", _("Organisation"), row.organization),
                ("what", _("What"), row.what),
                ("categories", _("Information categories"), row.categories),
                ("action", _("Action"), row.action),
                ("allowed", _("Allowed"), row.allowed),
                ("basis", _("Basis"), row.basis),
                ("law", _("Statute"), row.law),
                ("refusal", _("Why refused"), row.refusal),
                ("emergency", _("Emergency access beyond consent"), row.emergency),
                ("reason", _("Reason given"), row.entry.reason),
            )
            for row in rows
        ],
        targets=[family_target(ACCESS_LOG_RECORD, person.pk)],
    )


def _sections(member: FamilyMember, person: Person, day: dt.date) -> list[ExportSection]:
    own = [
        _person_section(person),
        _consents_section(person),
        _bans_section(person),
        _access_log_section(member, person),
    ]
    return own + [section for source in _SOURCES for section in source(member, person, day)]


def family_export(member: FamilyMember, on: dt.date | None = None) -> FamilyExport:
    """Everything the platform holds that the member may see of their family, with every target's
    export logged (one transaction: all the rows, or none and no export)."""
    day = on or timezone.localdate()
    me, children = people_of(member, day)
    people = []
    for person in [me, *children]:
        decision = family_decision(member, person.pk, day)
        if decision.allowed:  # chosen by the same rule: a defence, never a refusal to log
            people.append(PersonExport(person, person.pk == me.pk, decision, _sections(member, person, day)))
    with transaction.atomic():
        for exported in people:
            for section in exported.sections:
                for target in section.targets:
                    log.append(member, Action.EXPORT, target, exported.decision)
    return FamilyExport(generated_at=timezone.now(), people=people)


def _json_value(value: Value) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_item(v) if isinstance(v, ExportItem) else v for v in value]
    return value


def _json_item(export_item: ExportItem) -> dict[str, Any]:
    return {f.key: _json_value(f.value) for f in export_item.fields}


def as_json(export: FamilyExport) -> dict[str, Any]:
    """The export as the documented JSON document (times in UTC, ISO 8601; dates ISO 8601)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": _json_value(export.generated_at),
        "people": [
            {
                "id": str(p.person.pk),
                "is_me": p.is_me,
                **{s.key: [_json_item(i) for i in s.items] for s in p.sections},
            }
            for p in export.people
        ],
    }
