"""The kinds of client record, in plain words: what the family's access log and the ban form call them.

Each app names its own record types when it starts (`register_record_type` in its AppConfig.ready),
as it registers its relation provider: access never imports the apps that hold the records.
`bannable` marks the kinds a family may forbid disclosing one record of (a disclosure ban on one
record); the others (the access log, consents, bans themselves) are about the family's own choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RecordType:
    """A record type's name in the log and the target, and its label in the active language."""

    name: str
    label: Promise
    bannable: bool


_TYPES: dict[str, RecordType] = {}


def register_record_type(name: str, label: Promise, *, bannable: bool = False) -> None:
    """Name a record type in plain words; registering one name twice with another label is a mistake."""
    known = _TYPES.get(name)
    if known is not None and (known.label, known.bannable) != (label, bannable):
        raise ValueError(f"record type {name!r} is registered already with another label")
    _TYPES[name] = RecordType(name, label, bannable)


def label_of(name: str) -> str:
    """The record type in the active language (an unregistered one as its name, spaced)."""
    known = _TYPES.get(name)
    return str(known.label) if known else name.replace("_", " ")


def bannable_types() -> list[tuple[str, str]]:
    """The (name, label) of the kinds of record a family may forbid disclosing one of, in order registered."""
    return [(t.name, str(t.label)) for t in _TYPES.values() if t.bannable]


def is_bannable(name: str) -> bool:
    """Whether a ban on one record of this kind can be recorded."""
    known = _TYPES.get(name)
    return known is not None and known.bannable


def register_access_record_types() -> None:
    """Access's own records: the log, consents and bans (the family's choices, not bannable)."""
    register_record_type("access_log", _("the access log"))
    register_record_type("consent", _("consents"))
    register_record_type("disclosure_ban", _("disclosure bans"))
