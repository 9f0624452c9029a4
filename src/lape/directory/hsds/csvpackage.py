"""The HSDS CSV datapackage: one CSV per table, joined by the *_id columns, assembled into full services.

The tables and their nesting are described here once; the CSV export writes by the same
description, so that an export reads back into the same services. Rows that no service reaches,
and links to ids that are not in the package, are left out and reported as warnings: the official
example package has several such links. The profile's `extra` column (a JSON object) gives back
the fields of an object that no column holds.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .problems import HsdsImportError, Problem

Json = dict[str, Any]

# The tables of the HSDS 3.1 datapackage, in its order: file and declared columns. The official
# descriptor lists only two columns of service_capacity and none of unit; theirs come from the
# JSON schemas (schema/service_capacity.json, schema/unit.json).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "alternate_name", "description", "email", "website",
                     "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri",
                     "parent_organization_id")),
    "program": ("programs.csv", ("id", "organization_id", "name", "alternate_name", "description")),
    "service": ("services.csv", ("id", "organization_id", "program_id", "name", "alternate_name", "description",
                "url", "email", "status", "interpretation_services", "application_process", "fees_description",
                "wait_time", "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age",
                "assured_date", "assurer_email", "licenses", "alert", "last_modified")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
                  "label")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "location": ("locations.csv", ("id", "location_type", "url", "organization_id", "name", "alternate_name",
                 "description", "transportation", "latitude", "longitude", "external_identifier",
                 "external_identifier_type")),
    "phone": ("phones.csv", ("id", "location_id", "service_id", "organization_id", "contact_id",
              "service_at_location_id", "number", "extension", "type", "description")),
    "contact": ("contacts.csv", ("id", "organization_id", "service_id", "service_at_location_id", "location_id",
                "name", "title", "department", "email")),
    "address": ("addresses.csv", ("id", "location_id", "attention", "address_1", "address_2", "city", "region",
                "state_province", "postal_code", "country", "address_type")),
    "schedule": ("schedules.csv", ("id", "service_id", "location_id", "service_at_location_id", "valid_from",
                 "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday",
                 "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at", "schedule_link",
                 "attending_type", "notes")),
    "funding": ("funding.csv", ("id", "organization_id", "service_id", "source")),
    "service_area": ("service_areas.csv", ("id", "service_id", "service_at_location_id", "name", "description",
                     "extent", "extent_type", "uri")),
    "required_document": ("required_documents.csv", ("id", "service_id", "document", "uri")),
    "language": ("languages.csv", ("id", "service_id", "location_id", "phone_id", "name", "code", "note")),
    "accessibility": ("accessibility.csv", ("id", "location_id", "description", "details", "url")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "code", "name", "description", "parent_id", "taxonomy",
                      "language", "taxonomy_id", "term_uri")),
    "metadata": ("metadata.csv", ("id", "resource_id", "resource_type", "last_action_date", "last_action_type",
                 "field_name", "previous_value", "replacement_value", "updated_by")),
    "meta_table_description": ("meta_table_descriptions.csv", ("id", "name", "language", "character_set")),
    "cost_option": ("cost_options.csv", ("id", "service_id", "valid_from", "valid_to", "option", "currency",
                    "amount", "amount_description")),
    "organization_identifier": ("organization_identifiers.csv", ("id", "organization_id", "identifier_scheme",
                                "identifier_type", "identifier")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "service_capacity": ("service_capacity.csv", ("id", "service_id", "unit_id", "available", "maximum",
                         "description", "updated")),
    "unit": ("units.csv", ("id", "name", "scheme", "identifier", "uri")),
    "url": ("url.csv", ("id", "label", "url", "organization_id", "service_id")),
}  # fmt: skip
# Package-level, not part of any service: written by the export, not read back.
NOT_READ = {"meta_table_description"}

# Nested lists: kind -> {key: (child kind, the child's column holding the parent's id)}.
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "phones": ("phone", "service_id"), "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"), "languages": ("language", "service_id"),
        "cost_options": ("cost_option", "service_id"), "contacts": ("contact", "service_id"),
        "funding": ("funding", "service_id"), "required_documents": ("required_document", "service_id"),
        "capacities": ("service_capacity", "service_id"), "additional_urls": ("url", "service_id"),
    },
    "organization": {
        "funding": ("funding", "organization_id"), "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "additional_websites": ("url", "organization_id"),
    },
    "location": {
        "languages": ("language", "location_id"), "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"), "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"), "accessibility": ("accessibility", "location_id"),
    },
    "service_at_location": {
        "service_areas": ("service_area", "service_at_location_id"),
        "contacts": ("contact", "service_at_location_id"), "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}  # fmt: skip
# Every HSDS object may carry attributes and metadata.
ON_EVERY_OBJECT = {"attributes": ("attribute", "link_id"), "metadata": ("metadata", "resource_id")}
# Single nested objects the parent points to: kind -> {key: (child kind, the parent's column, keep the
# column when the child is nested)}.
REFERENCES: dict[str, dict[str, tuple[str, str, bool]]] = {
    "service": {"organization": ("organization", "organization_id", False), "program": ("program", "program_id", False)},
    "service_at_location": {"location": ("location", "location_id", False)},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id", True)},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id", True)},
    "service_capacity": {"unit": ("unit", "unit_id", False)},
}  # fmt: skip
# Columns that link a row to the object it is nested under; an object leaves them out.
LINKS = {
    "service_id",
    "location_id",
    "organization_id",
    "contact_id",
    "phone_id",
    "service_at_location_id",
    "link_id",
    "resource_id",
    "unit_id",
    "program_id",
}
# ...except where HSDS keeps them in the object itself.
KEPT_LINKS = {"location": {"organization_id"}}
# The profile's column holding, as a JSON object, the fields an object has that no column holds.
EXTRA = "extra"
INTEGERS = {"extension", "minimum_age", "maximum_age", "year_incorporated", "count", "interval"}
NUMBERS = {"latitude", "longitude", "timezone", "amount", "available", "maximum"}
BOOLEANS = {"free_of_charge", "referral_required", "anonymous", "drop_in", "closed", "low_threshold"}
JSON_COLUMNS = {"translations", EXTRA}


def children_of(kind: str) -> dict[str, tuple[str, str]]:
    """The nested lists an object of `kind` may hold, by key."""
    if kind in {"attribute", "metadata"}:
        return CHILDREN.get(kind, {})
    return {**CHILDREN.get(kind, {}), **ON_EVERY_OBJECT}


def parse_cell(column: str, text: str) -> Any:
    """The value of a non-empty CSV cell; raises ValueError when it is not one of the column's type."""
    if column in INTEGERS or column in NUMBERS:
        number = float(text)
        return int(number) if number.is_integer() else number
    if column in BOOLEANS:
        if text.lower() not in {"true", "false", "1", "0"}:
            raise ValueError(text)
        return text.lower() in {"true", "1"}
    if column in JSON_COLUMNS:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError(text)
        return value
    return text


def _value(column: str, text: str, where: str, problems: list[Problem]) -> Any:
    try:
        return parse_cell(column, text)
    except ValueError:
        problems.append(
            Problem(where, column, _("“%(value)s” is not a valid value here.") % {"value": text[:80]})
        )
        return text


def _read_table(folder: Path, name: str, problems: list[Problem]) -> list[Json]:
    path = folder / name
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(csv.DictReader(handle), start=2):
            where = _("%(file)s, line %(line)d") % {"file": name, "line": number}
            row = {k: _value(k, v, where, problems) for k, v in raw.items() if k and v not in (None, "")}
            row["_where"] = where
            row["_line"] = number
            rows.append(row)
    return rows


class _Package:
    def __init__(self, folder: Path) -> None:
        self.problems: list[Problem] = []
        self.tables = {
            kind: _read_table(folder, name, self.problems)
            for kind, (name, _columns) in TABLES.items()
            if kind not in NOT_READ
        }
        self.by_id = {kind: {r["id"]: r for r in rows if "id" in r} for kind, rows in self.tables.items()}
        self.by_link: dict[tuple[str, str], dict[str, list[Json]]] = {}
        self.used: set[tuple[str, Any]] = set()

    def children(self, kind: str, link: str, parent_id: str) -> list[Json]:
        index = self.by_link.get((kind, link))
        if index is None:
            index = defaultdict(list)
            for row in self.tables[kind]:
                if link in row:
                    index[row[link]].append(row)
            self.by_link[(kind, link)] = index
        return [self.obj(kind, row) for row in index.get(parent_id, [])]

    def obj(self, kind: str, row: Json) -> Json:
        self.used.add((kind, row.get("id", row["_where"])))
        kept = KEPT_LINKS.get(kind, set())
        out = {
            k: v
            for k, v in row.items()
            if (k not in LINKS or k in kept) and k not in {"_where", "_line", EXTRA}
        }
        oid = row.get("id", "")
        if kind in {"organization", "taxonomy", "taxonomy_term"}:
            out.setdefault("description", "")  # required by HSDS, may be empty: an empty cell
        for key, (child, column, keep) in REFERENCES.get(kind, {}).items():
            target = self.by_id[child].get(row.get(column, ""))
            if target is not None:
                out[key] = self.obj(child, target)
                if not keep:
                    out.pop(column, None)
            elif column in row:
                out[column] = row[column]  # not in the package: the reference stays as it was given
        if oid:
            for key, (child, link) in children_of(kind).items():
                found = self.children(child, link, oid)
                if found:
                    out[key] = found
        out.update(row.get(EXTRA, {}))
        return out

    def warnings(self) -> list[Problem]:
        """One warning per table with the lines of the rows that no service reaches."""
        left = []
        for kind, rows in self.tables.items():
            lines = [row["_line"] for row in rows if (kind, row.get("id", row["_where"])) not in self.used]
            if not lines:
                continue
            shown = ", ".join(str(n) for n in lines[:10]) + (", …" if len(lines) > 10 else "")
            reason = ngettext(
                "%(count)d row is linked to no service in the package and was left out (line %(lines)s).",
                "%(count)d rows are linked to no service in the package and were left out (lines %(lines)s).",
                len(lines),
            ) % {"count": len(lines), "lines": shown}
            left.append(Problem(TABLES[kind][0] if kind in TABLES else kind, "id", reason))
        return left


def read_package(folder: Path) -> tuple[list[Json], list[Problem]]:
    """Full-service dicts assembled from a CSV datapackage folder, and warnings about rows left out."""
    if not (folder / TABLES["service"][0]).is_file():
        raise HsdsImportError(
            [
                Problem(
                    str(folder),
                    "",
                    _("The folder has no services.csv; give the folder of an HSDS CSV datapackage."),
                )
            ]
        )
    package = _Package(folder)
    services = [package.obj("service", row) for row in package.tables["service"] if "id" in row]
    if package.problems:
        raise HsdsImportError(package.problems)
    return services, package.warnings()
