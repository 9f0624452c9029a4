"""Checking full HSDS services and flattening them into rows per kind, collecting every problem."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.areas.models import municipality_uri

from ..business_id import is_valid_business_id
from ..models import Organization, Service
from ..translation import OTHER_LANGUAGES
from .kinds import KINDS, Kind, kind_label
from .problems import Problem
from .serialize import MUNICIPALITY_URI_RE

# FK column -> the kind it points to
LINK_KIND = {
    "service": "service",
    "service_at_location": "service_at_location",
    "location": "location",
    "contact": "contact",
    "phone": "phone",
    "organization": "organization",
    "link_id": "service",
    "taxonomy": "taxonomy",
    "taxonomy_term": "taxonomy_term",
    "parent": "taxonomy_term",
    "parent_organization": "organization",
}
BOOLEAN_FACETS = ("free_of_charge", "referral_required", "anonymous", "drop_in")


@dataclass
class Row:
    """One object of one kind, flattened: its columns, extra, links to other rows and soft references."""

    kind: str
    id: uuid.UUID
    record_id: str
    path: str
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    links: dict[str, uuid.UUID] = field(default_factory=dict)
    # FK column -> (HSDS key, given id): kept in `extra` as given when the target is unknown
    soft: dict[str, tuple[str, str]] = field(default_factory=dict)
    municipality_code: str | None = None
    municipality_field: str = ""

    def content(self) -> tuple[Any, ...]:
        return (self.values, self.extra, self.municipality_code)


@dataclass
class Flattened:
    """Everything in a batch of services, by kind and id, with the problems found."""

    rows: dict[str, dict[uuid.UUID, Row]] = field(default_factory=lambda: {k: {} for k in KINDS})
    problems: list[Problem] = field(default_factory=list)
    # references that must exist in the file or the database: (kind, id, record_id, path)
    required: list[tuple[str, uuid.UUID, str, str]] = field(default_factory=list)
    service_ids: list[uuid.UUID] = field(default_factory=list)


class _Walker:
    def __init__(self, out: Flattened) -> None:
        self.out = out
        self.record_id = ""

    def problem(self, path: str, reason: str) -> None:
        self.out.problems.append(Problem(self.record_id, path, reason))

    # -- values -------------------------------------------------------------------------------

    def uuid_of(self, value: Any, path: str) -> uuid.UUID | None:
        if not isinstance(value, str):
            self.problem(path, _("An id must be a UUID written as text."))
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.problem(
                path,
                _("“%(value)s” is not a UUID; write the id like 3f2504e0-4f89-41d3-9a0c-0305e82c3301.")
                % {"value": value[:80]},
            )
            return None

    def convert(self, kind: Kind, key: str, code: str, value: Any, path: str) -> Any:
        if code in {"str", "text"}:
            if not isinstance(value, str):
                self.problem(path, _("Must be text."))
                return None
            max_length = getattr(kind.model._meta.get_field(key), "max_length", None)
            if code == "str" and max_length and len(value) > max_length:
                self.problem(
                    path,
                    ngettext(
                        "Must be at most %(max)d character long.",
                        "Must be at most %(max)d characters long.",
                        max_length,
                    )
                    % {"max": max_length},
                )
                return None
            return value
        if code in {"int", "uint", "float", "decimal"}:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.problem(path, _("Must be a number."))
                return None
            if code == "float":
                return float(value)
            if code == "decimal":
                return decimal.Decimal(str(value))
            if value != int(value):
                self.problem(path, _("Must be a whole number."))
                return None
            if code == "uint" and value < 0:
                self.problem(path, _("Must not be negative."))
                return None
            return int(value)
        if code == "bool":
            if not isinstance(value, bool):
                self.problem(path, _("Must be true or false."))
                return None
            return value
        if code in {"date", "time"}:
            parser = dt.date.fromisoformat if code == "date" else dt.time.fromisoformat
            try:
                if not isinstance(value, str):
                    raise ValueError
                return parser(value)
            except ValueError:
                example = "2024-01-31" if code == "date" else "08:00:00"
                self.problem(
                    path,
                    _("“%(value)s” is not a valid %(what)s; write it like %(example)s.")
                    % {
                        "value": str(value)[:80],
                        "what": _("date") if code == "date" else _("time"),
                        "example": example,
                    },
                )
                return None
        raise AssertionError(code)

    # -- objects ------------------------------------------------------------------------------

    def walk(
        self, kind_name: str, obj: Any, path: str, parent_link: tuple[str, uuid.UUID] | None
    ) -> uuid.UUID | None:
        kind = KINDS[kind_name]
        prefix = f"{path}." if path else ""
        if not isinstance(obj, dict):
            self.problem(path or kind_name, _("Must be an object."))
            return None
        if "id" not in obj:
            self.problem(f"{prefix}id", _("The id is missing: give the object a UUID as its id."))
            return None
        row_id = self.uuid_of(obj["id"], f"{prefix}id")
        if row_id is None:
            return None
        row = Row(kind_name, row_id, self.record_id, path or "id")
        for key, value in obj.items():
            key_path = f"{prefix}{key}"
            if key == "id":
                continue
            if key in kind.columns:
                if value is None:
                    continue
                converted = self.convert(kind, key, kind.columns[key], value, key_path)
                if converted is not None:
                    row.values[key] = converted
            elif key in kind.children:
                self.walk_child(kind, row, key, value, key_path)
            elif key not in kind.handled:
                row.extra[key] = value
        self.profile(kind, row, obj, prefix)
        if parent_link is not None:
            row.links[parent_link[0]] = parent_link[1]
        self.required_fields(kind, row, obj, prefix)
        return self.store(row)

    def walk_child(self, kind: Kind, row: Row, key: str, value: Any, path: str) -> None:
        child = kind.children[key]
        if not child.many:
            if value is None:
                return
            child_id = self.walk(child.kind, value, path, None)
            if child_id is not None and child.parent_column:
                row.links[child.parent_column] = child_id
            return
        if not isinstance(value, list):
            self.problem(path, _("Must be a list."))
            return
        link = child.link or ""
        for index, item in enumerate(value):
            self.walk(child.kind, item, f"{path}[{index}]", (link, row.id))

    def required_fields(self, kind: Kind, row: Row, obj: dict[str, Any], prefix: str) -> None:
        needed = {
            "service": ("name",),
            "organization": ("name",),
            "taxonomy": ("name",),
            "taxonomy_term": ("name",),
            "phone": ("number",),
        }.get(kind.name, ())
        for key in needed:
            if not obj.get(key):
                self.problem(f"{prefix}{key}", _("This field is required."))

    def store(self, row: Row) -> uuid.UUID:
        existing = self.out.rows[row.kind].get(row.id)
        if existing is None:
            self.out.rows[row.kind][row.id] = row
            return row.id
        if existing.content() != row.content():
            self.problem(
                row.path,
                capfirst(
                    _(
                        "Another %(kind)s with the id %(id)s (record %(record)s, %(path)s) has different "
                        "content; give each its own id or make them the same."
                    )
                    % {
                        "kind": kind_label(row.kind),
                        "id": row.id,
                        "record": existing.record_id,
                        "path": existing.path,
                    }
                ),
            )
            return row.id
        for column, target in row.links.items():
            if existing.links.get(column, target) != target:
                self.problem(
                    row.path,
                    capfirst(
                        _(
                            "The %(kind)s %(id)s is listed under two different objects of the same type; "
                            "remove one of the two or give each its own id."
                        )
                        % {"kind": kind_label(row.kind), "id": row.id}
                    ),
                )
            existing.links[column] = target
        for column, soft in row.soft.items():
            existing.soft.setdefault(column, soft)
        return row.id

    # -- profile fields and references ---------------------------------------------------------

    def profile(self, kind: Kind, row: Row, obj: dict[str, Any], prefix: str) -> None:
        if kind.translated and "translations" in obj:
            self.translations(kind, row, obj["translations"], f"{prefix}translations")
        name = kind.name
        if name == "service":
            self.service_profile(row, obj, prefix)
        elif name == "organization":
            self.organization_profile(row, obj, prefix)
        elif name == "schedule" and obj.get("closed") is not None:
            row.values["closed"] = self.convert(kind, "closed", "bool", obj["closed"], f"{prefix}closed")
        elif name == "service_at_location":
            if "location" not in obj:
                self.reference(row, "location", obj.get("location_id"), f"{prefix}location_id", required=True)
        elif name == "location":
            self.reference(row, "organization", obj.get("organization_id"), f"{prefix}organization_id")
        elif name == "taxonomy_term":
            self.reference(row, "parent", obj.get("parent_id"), f"{prefix}parent_id", key="parent_id")
            if "taxonomy_detail" not in obj:
                self.reference(
                    row, "taxonomy", obj.get("taxonomy_id"), f"{prefix}taxonomy_id", key="taxonomy_id"
                )
            taxonomy = obj.get("taxonomy")
            if taxonomy is not None:
                value = self.convert(kind, "taxonomy_name", "str", taxonomy, f"{prefix}taxonomy")
                if value:
                    row.values["taxonomy_name"] = value
        elif name == "attribute":
            if "taxonomy_term" not in obj:
                term = obj.get("taxonomy_term_id")
                if term is None:
                    self.problem(
                        f"{prefix}taxonomy_term_id",
                        _("An attribute needs a taxonomy term: give taxonomy_term_id or taxonomy_term."),
                    )
                self.reference(row, "taxonomy_term", term, f"{prefix}taxonomy_term_id", required=True)
            row.values["link_entity"] = "service"
        if name in {"organization", "location", "service_area"}:
            self.municipality(row, obj, prefix)

    def service_profile(self, row: Row, obj: dict[str, Any], prefix: str) -> None:
        kind = KINDS["service"]
        status = row.values.get("status")
        if status is not None and status not in Service.Status.values:
            self.problem(
                f"{prefix}status",
                _("“%(value)s” is not a service status; use one of: %(choices)s.")
                % {"value": status, "choices": ", ".join(Service.Status.values)},
            )
        level = obj.get("service_level")
        if level is not None:
            if level not in Service.Level.values:
                self.problem(
                    f"{prefix}service_level",
                    _("“%(value)s” is not a service level; use one of: %(choices)s.")
                    % {"value": str(level)[:80], "choices": ", ".join(Service.Level.values)},
                )
            else:
                row.values["service_level"] = level
        for facet in BOOLEAN_FACETS:
            if obj.get(facet) is not None:
                value = self.convert(kind, facet, "bool", obj[facet], f"{prefix}{facet}")
                if value is not None:
                    row.values[facet] = value
        if "organization" not in obj:
            org = obj.get("organization_id")
            if org is None:
                self.problem(
                    f"{prefix}organization",
                    _(
                        "The service has no organisation: every service needs the organisation that provides it."
                    ),
                )
            self.reference(row, "organization", org, f"{prefix}organization_id", required=True)
        elif isinstance(obj["organization"], dict) and obj.get("organization_id") not in (
            None,
            obj["organization"].get("id"),
        ):
            self.problem(
                f"{prefix}organization_id",
                _(
                    "The organization_id differs from the id of the organization: "
                    "make them the same or leave organization_id out."
                ),
            )

    def organization_profile(self, row: Row, obj: dict[str, Any], prefix: str) -> None:
        kind_value = obj.get("organization_kind")
        if kind_value is not None:
            if kind_value not in Organization.Kind.values:
                self.problem(
                    f"{prefix}organization_kind",
                    _("“%(value)s” is not an organisation kind; use one of: %(choices)s.")
                    % {"value": str(kind_value)[:80], "choices": ", ".join(Organization.Kind.values)},
                )
            else:
                row.values["kind"] = kind_value
        business_id = obj.get("business_id")
        if business_id is not None:
            if not isinstance(business_id, str) or not is_valid_business_id(business_id):
                self.problem(
                    f"{prefix}business_id",
                    _("“%(value)s” is not a valid Finnish business ID (e.g. 0112038-9): check the number.")
                    % {"value": str(business_id)[:80]},
                )
            else:
                row.values["business_id"] = business_id
        self.reference(
            row, "parent_organization", obj.get("parent_organization_id"), f"{prefix}parent_organization_id",
            key="parent_organization_id",
        )  # fmt: skip

    def municipality(self, row: Row, obj: dict[str, Any], prefix: str) -> None:
        code = obj.get("municipality_code")
        path = f"{prefix}municipality_code"
        if code is None and row.kind == "service_area" and isinstance(obj.get("uri"), str):
            match = MUNICIPALITY_URI_RE.match(obj["uri"])
            if match:
                code, path = match.group(1), f"{prefix}uri"
        if code is None:
            return
        if not isinstance(code, str) or not code.isdigit() or len(code) > 3:
            self.problem(
                path,
                _("“%(value)s” is not a municipality code (three digits, e.g. 297).")
                % {"value": str(code)[:80]},
            )
            return
        row.municipality_code = code.zfill(3)
        row.municipality_field = path
        if row.kind == "service_area" and not row.values.get("uri"):
            # stored as exported, so JSON and CSV exports of the row agree
            row.values["uri"] = municipality_uri(row.municipality_code)

    def reference(
        self, row: Row, column: str, value: Any, path: str, required: bool = False, key: str = ""
    ) -> None:
        if value is None:
            return
        target = self.uuid_of(value, path)
        if target is None:
            return
        if required:
            row.links[column] = target
            self.out.required.append((LINK_KIND[column], target, self.record_id, path))
        else:
            row.soft[column] = (key or path.rsplit(".", 1)[-1], str(value))
            row.links[column] = target

    def translations(self, kind: Kind, row: Row, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.problem(path, _('Must be an object of languages, e.g. {"sv": {"name": "…"}}.'))
            return
        cleaned: dict[str, dict[str, str]] = {}
        allowed = kind.model.TRANSLATABLE  # type: ignore[attr-defined]
        for lang, fields in value.items():
            if lang not in OTHER_LANGUAGES:
                self.problem(
                    f"{path}.{lang}",
                    _(
                        "Translations are given in Swedish (sv) and English (en); Finnish goes in the fields themselves."
                    ),
                )
                continue
            if not isinstance(fields, dict):
                self.problem(f"{path}.{lang}", _("Must be an object of field names and texts."))
                continue
            kept: dict[str, str] = {}
            for name, text in fields.items():
                if name not in allowed:
                    self.problem(
                        f"{path}.{lang}.{name}",
                        _("“%(name)s” cannot be translated; translatable fields are: %(fields)s.")
                        % {"name": name, "fields": ", ".join(allowed)},
                    )
                elif not isinstance(text, str):
                    self.problem(f"{path}.{lang}.{name}", _("Must be text."))
                elif text:
                    kept[name] = text
            if kept:
                cleaned[lang] = kept
        row.values["translations"] = cleaned


def flatten(records: list[dict[str, Any]]) -> Flattened:
    """Check every service and flatten it into rows; problems are collected, not raised."""
    out = Flattened()
    walker = _Walker(out)
    seen: set[uuid.UUID] = set()
    for index, record in enumerate(records):
        raw_id = record.get("id") if isinstance(record, dict) else None
        walker.record_id = raw_id if isinstance(raw_id, str) and raw_id else f"[{index}]"
        service_id = walker.walk("service", record, "", None)
        if service_id is None:
            continue
        if service_id in seen:
            continue
        seen.add(service_id)
        out.service_ids.append(service_id)
    return out
