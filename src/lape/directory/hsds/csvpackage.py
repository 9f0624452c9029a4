"""The HSDS CSV datapackage: one CSV per table, joined by the *_id columns, assembled into full services.

Rows that no service reaches, and links to ids that are not in the package, are left out and
reported as warnings: the official example package has several such links.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .problems import HsdsImportError, Problem

Json = dict[str, Any]

TABLES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "phone": "phones.csv",
    "contact": "contacts.csv",
    "language": "languages.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "address": "addresses.csv",
    "cost_option": "cost_options.csv",
    "attribute": "attributes.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "funding": "funding.csv",
    "program": "programs.csv",
    "required_document": "required_documents.csv",
    "organization_identifier": "organization_identifiers.csv",
    "accessibility": "accessibility.csv",
    "metadata": "metadata.csv",
    "service_capacity": "service_capacity.csv",
    "unit": "units.csv",
}
INTEGERS = {"extension", "minimum_age", "maximum_age", "year_incorporated", "count", "interval"}
NUMBERS = {"latitude", "longitude", "timezone", "amount", "available", "maximum"}
BOOLEANS = {"free_of_charge", "referral_required", "anonymous", "drop_in", "closed", "low_threshold"}
JSON_COLUMNS = {"translations"}
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
}


def _value(column: str, text: str, where: str, problems: list[Problem]) -> Any:
    try:
        if column in INTEGERS:
            number = float(text)
            return int(number) if number.is_integer() else number
        if column in NUMBERS:
            number = float(text)
            return int(number) if number.is_integer() else number
        if column in BOOLEANS:
            if text.lower() not in {"true", "false", "1", "0"}:
                raise ValueError
            return text.lower() in {"true", "1"}
        if column in JSON_COLUMNS:
            return json.loads(text)
    except ValueError:
        problems.append(
            Problem(where, column, _("“%(value)s” is not a valid value here.") % {"value": text[:80]})
        )
        return text
    return text


def _read_table(folder: Path, name: str, problems: list[Problem]) -> list[Json]:
    path = folder / name
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(csv.DictReader(handle), start=2):
            where = f"{name} line {number}"
            row = {k: _value(k, v, where, problems) for k, v in raw.items() if k and v not in (None, "")}
            row["_where"] = where
            rows.append(row)
    return rows


class _Package:
    def __init__(self, folder: Path) -> None:
        self.problems: list[Problem] = []
        self.tables = {kind: _read_table(folder, name, self.problems) for kind, name in TABLES.items()}
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
        out = {k: v for k, v in row.items() if k not in LINKS and k != "_where"}
        oid = row.get("id", "")
        if kind in {"organization", "taxonomy", "taxonomy_term"}:
            out.setdefault("description", "")  # required by HSDS, may be empty: an empty cell
        if kind == "phone":
            out["languages"] = self.children("language", "phone_id", oid)
        elif kind == "contact":
            out["phones"] = self.children("phone", "contact_id", oid)
        elif kind == "location":
            if "organization_id" in row:
                out["organization_id"] = row["organization_id"]
            for key, child in (("languages", "language"), ("addresses", "address"), ("contacts", "contact"),
                               ("phones", "phone"), ("schedules", "schedule"), ("accessibility", "accessibility")):  # fmt: skip
                out[key] = self.children(child, "location_id", oid)
        elif kind == "service_at_location":
            for key, child in (("service_areas", "service_area"), ("contacts", "contact"), ("phones", "phone"),
                               ("schedules", "schedule")):  # fmt: skip
                out[key] = self.children(child, "service_at_location_id", oid)
            location = self.by_id["location"].get(row.get("location_id", ""))
            if location is not None:
                out["location"] = self.obj("location", location)
            elif "location_id" in row:
                out["location_id"] = row["location_id"]
        elif kind == "organization":
            for key, child in (("funding", "funding"), ("programs", "program"),
                               ("organization_identifiers", "organization_identifier")):  # fmt: skip
                out[key] = self.children(child, "organization_id", oid)
        elif kind == "taxonomy_term":
            taxonomy = self.by_id["taxonomy"].get(row.get("taxonomy_id", ""))
            if taxonomy is not None:
                out["taxonomy_detail"] = self.obj("taxonomy", taxonomy)
        elif kind == "attribute":
            term = self.by_id["taxonomy_term"].get(row.get("taxonomy_term_id", ""))
            if term is not None:
                out["taxonomy_term"] = self.obj("taxonomy_term", term)
            elif "taxonomy_term_id" in row:
                out["taxonomy_term_id"] = row["taxonomy_term_id"]
        elif kind == "service_capacity":
            unit = self.by_id["unit"].get(row.get("unit_id", ""))
            if unit is not None:
                out["unit"] = self.obj("unit", unit)
        return out

    def service(self, row: Json) -> Json:
        out = self.obj("service", row)
        sid = row["id"]
        org = self.by_id["organization"].get(row.get("organization_id", ""))
        if org is not None:
            out["organization"] = self.obj("organization", org)
        elif "organization_id" in row:
            out["organization_id"] = row["organization_id"]
        program = self.by_id["program"].get(out.pop("program_id", ""))
        if program is not None:
            out["program"] = {k: v for k, v in self.obj("program", program).items() if k != "organization_id"}
        for key, child in (("phones", "phone"), ("schedules", "schedule"), ("service_areas", "service_area"),
                           ("service_at_locations", "service_at_location"), ("languages", "language"),
                           ("cost_options", "cost_option"), ("contacts", "contact"), ("funding", "funding"),
                           ("required_documents", "required_document"), ("capacities", "service_capacity")):  # fmt: skip
            out[key] = self.children(child, "service_id", sid)
        out["attributes"] = self.children("attribute", "link_id", sid)
        out["metadata"] = self.children("metadata", "resource_id", sid)
        for key in list(out):
            if out[key] == []:
                del out[key]
        return out

    def warnings(self) -> list[Problem]:
        left = []
        for kind, rows in self.tables.items():
            for row in rows:
                if (kind, row.get("id", row["_where"])) not in self.used:
                    left.append(
                        Problem(
                            row["_where"],
                            "id",
                            _("The row is not linked to any service in the package and was left out."),
                        )
                    )
        return left


def read_package(folder: Path) -> tuple[list[Json], list[Problem]]:
    """Full-service dicts assembled from a CSV datapackage folder, and warnings about rows left out."""
    if not (folder / TABLES["service"]).is_file():
        raise HsdsImportError([Problem(str(folder), "", _("The folder has no services.csv."))])
    package = _Package(folder)
    services = [package.service(row) for row in package.tables["service"] if "id" in row]
    if package.problems:
        raise HsdsImportError(package.problems)
    return services, package.warnings()
