"""Exporting the directory as HSDS 3.1: a JSON list of full services, NDJSON, or a CSV datapackage folder.

Services are read in chunks so that a national directory is never held in memory at once.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from django.db.models import Model

from ..models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .csvpackage import (
    BOOLEANS,
    EXTRA,
    INTEGERS,
    JSON_COLUMNS,
    NUMBERS,
    REFERENCES,
    TABLES,
    children_of,
    parse_cell,
)
from .kinds import KINDS
from .serialize import _value, attributes_for, service_to_hsds, services_for_export

CHUNK = 500


def iter_services() -> Iterator[dict[str, Any]]:
    """Every service as a full HSDS dict, read in chunks of CHUNK services."""
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        attributes = attributes_for("service", chunk)
        for service in services_for_export().filter(pk__in=chunk).order_by("pk"):
            yield service_to_hsds(service, attributes=attributes[str(service.pk)])


Json = dict[str, Any]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


def export_json(path: Path) -> int:
    """Write a JSON list of full services; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for service in iter_services():
            out.write(",\n" if count else "\n")
            out.write(_dumps(service))
            count += 1
        out.write("\n]\n")
    return count


def export_ndjson(path: Path) -> int:
    """Write one full service per line; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for service in iter_services():
            out.write(_dumps(service) + "\n")
            count += 1
    return count


# CSV. Model tables: model, FK columns written as *_id, profile columns beyond the declared ones
# (columns and files come from csvpackage.TABLES). Rows of the other tables come from `extra`.
_MODEL_TABLES: dict[str, tuple[type[Model], list[str], list[str]]] = {
    "organization": (Organization, ["parent_organization"],
                     ["organization_kind", "business_id", "municipality_code", "translations"]),
    "service": (Service, ["organization"],
                ["last_modified", "service_level", "free_of_charge", "referral_required", "anonymous", "drop_in",
                 "translations"]),
    "attribute": (Attribute, ["taxonomy_term"], ["link_id", "link_entity"]),
    "service_at_location": (ServiceAtLocation, ["service", "location"], []),
    "location": (Location, ["organization"], ["municipality_code", "translations"]),
    "phone": (Phone, ["location", "service", "organization", "contact", "service_at_location"], []),
    "contact": (Contact, ["organization", "service", "service_at_location", "location"], []),
    "address": (Address, ["location"], []),
    "schedule": (Schedule, ["service", "location", "service_at_location"], ["closed"]),
    "service_area": (ServiceArea, ["service", "service_at_location"], ["municipality_code"]),
    "language": (Language, ["service", "location", "phone"], []),
    "taxonomy_term": (TaxonomyTerm, ["parent", "taxonomy"], ["taxonomy", "translations"]),
    "cost_option": (CostOption, ["service"], []),
    "taxonomy": (Taxonomy, [], ["translations"]),
}  # fmt: skip
_RENAMED = {"organization_kind": "kind", "taxonomy": "taxonomy_name"}
_TYPES = {
    **dict.fromkeys(INTEGERS | NUMBERS, "number"),
    **dict.fromkeys(BOOLEANS, "boolean"),
    **dict.fromkeys(JSON_COLUMNS, "object"),
    **dict.fromkeys(
        ["assured_date", "dtstart", "last_action_date", "until", "valid_from", "valid_to"], "date"
    ),
    **dict.fromkeys(["last_modified", "updated"], "datetime"),
    **dict.fromkeys(["opens_at", "closes_at"], "time"),
}
_PROFILE_DESCRIPTIONS = {
    "translations": 'Finnish profile: Swedish and English texts, {"sv": {"name": …}, "en": {…}}.',
    EXTRA: "Finnish profile: the object's fields that no column holds, as a JSON object.",
}


@cache
def _header(kind: str) -> list[str]:
    declared = list(TABLES[kind][1])
    profile = [c for c in _MODEL_TABLES.get(kind, (Model, [], []))[2] if c not in declared]
    translated = kind in {"organization", "service", "location", "taxonomy", "taxonomy_term"}
    if translated and "translations" not in profile:
        profile.append("translations")
    return [*declared, *profile, EXTRA]


def _text(value: Any) -> str:
    value = _value(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _cell(obj: Any, column: str) -> str:
    if column == "municipality_code":
        municipality = getattr(obj, "municipality", None)
        return municipality.code if municipality is not None else ""
    if column == "translations":
        return json.dumps(obj.translations, ensure_ascii=False) if obj.translations else ""
    return _text(getattr(obj, _RENAMED.get(column, column)))


def _reads_back(column: str, text: str, value: Any) -> bool:
    """Whether the importer reads `text` in `column` back as `value`, of the same type."""
    if text == "":
        return False
    try:
        parsed = parse_cell(column, text)
    except ValueError:
        return False
    return type(parsed) is type(value) and parsed == value


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


class _Tables:
    """Rows of the tables that `extra` feeds, by kind and id; a row met twice is written once."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)

    def add(self, kind: str, obj: Json, links: dict[str, str]) -> str:
        """Add an HSDS object (and what it nests) as rows; returns its id."""
        row = {"id": _text(obj.get("id"))} if obj.get("id") is not None else {}
        row.update(links)
        self.fill(kind, obj, row, _header(kind))
        key = row.get("id") or f"#{len(self.rows[kind])}"
        existing = self.rows[kind].get(key)
        if existing is None:
            self.rows[kind][key] = row
        else:
            for column, text in row.items():
                if text and not existing.get(column):
                    existing[column] = text
        return row.get("id", "")

    def fill(self, kind: str, fields: Json, row: dict[str, str], header: list[str]) -> None:
        """Put the fields into the row's columns, nested objects into their tables, the rest into extra."""
        rest: Json = {}
        oid = row.get("id", "")
        children = children_of(kind)
        references = REFERENCES.get(kind, {})
        for key, value in fields.items():
            if key == "id":
                continue
            if key in children and oid and _objects(value):
                child, link = children[key]
                for item in value:
                    self.add(child, item, {link: oid})
                continue
            if key in references and isinstance(value, dict) and value.get("id") is not None:
                child, column, _keep = references[key]
                child_id = self.add(child, value, {})
                if row.get(column, child_id) == child_id:
                    row[column] = child_id
                    continue
            if key in JSON_COLUMNS and key in header and isinstance(value, dict):
                row[key] = json.dumps(value, ensure_ascii=False)
                continue
            if key in header and not isinstance(value, dict | list):
                text = _text(value)
                if row.get(key, text) == text and _reads_back(key, text, value):
                    row[key] = text
                    continue
            rest[key] = value
        if rest:
            row[EXTRA] = json.dumps(rest, ensure_ascii=False)


def _write_model_table(out: TextIO, kind: str, tables: _Tables) -> None:
    model, links, profile = _MODEL_TABLES[kind]
    header = _header(kind)
    modelled = {"id", *[f"{link}_id" for link in links], *KINDS[kind].columns, *profile}
    columns = [c for c in header if c in modelled]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    qs = model._default_manager.order_by("pk")
    if "municipality_code" in profile:
        qs = qs.select_related("municipality")
    for obj in qs.iterator(chunk_size=2000):
        row = {c: text for c in columns if (text := _cell(obj, c))}
        if obj.extra:  # type: ignore[attr-defined]
            tables.fill(kind, obj.extra, row, header)  # type: ignore[attr-defined]
        writer.writerow([row.get(c, "") for c in header])


def _in_database(model: type[Model], ids: Iterable[str]) -> set[str]:
    """Which of the ids the model's table has (rows from `extra` that a model row already wrote)."""
    valid = []
    for text in ids:
        try:
            valid.append(uuid.UUID(text))
        except ValueError:
            continue
    found: set[str] = set()
    for start in range(0, len(valid), CHUNK):
        pks = model._default_manager.filter(pk__in=valid[start : start + CHUNK]).values_list("pk", flat=True)
        found.update(str(pk) for pk in pks)
    return found


def _resource(kind: str) -> Json:
    fields = []
    for name in _header(kind):
        field: Json = {"name": name, "type": _TYPES.get(name, "string")}
        if name == "id" or name.endswith("_id"):
            field["format"] = "uuid"
        if name not in TABLES[kind][1]:
            field["description"] = _PROFILE_DESCRIPTIONS.get(name, "Finnish profile (docs/hsds-profile.md).")
        fields.append(field)
    schema: Json = {"primaryKey": "id", "fields": fields}
    return {
        "name": kind,
        "path": TABLES[kind][0],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": schema,
    }


def export_csv(folder: Path) -> int:
    """Write the directory as an HSDS CSV datapackage folder with datapackage.json; returns services.

    Every table of the HSDS datapackage is written; the fields kept in `extra` go back to their
    tables and columns, and what no column holds to the profile's `extra` column.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tables = _Tables()
    for kind in _MODEL_TABLES:
        with (folder / TABLES[kind][0]).open("w", encoding="utf-8", newline="") as out:
            _write_model_table(out, kind, tables)
    tables.rows["meta_table_description"] = {
        kind: {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hsds:{path}")),
            "name": kind,
            "character_set": "UTF-8",
        }
        for kind, (path, _columns) in TABLES.items()
    }
    for kind, (path, _columns) in TABLES.items():
        rows = tables.rows.get(kind, {})
        if kind in _MODEL_TABLES:
            if not rows:
                continue
            # Appended after the model's rows; an id the model table holds was written already.
            there = _in_database(_MODEL_TABLES[kind][0], rows)
            rows = {key: row for key, row in rows.items() if key not in there}
        header = _header(kind)
        with (folder / path).open("a" if kind in _MODEL_TABLES else "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            if kind not in _MODEL_TABLES:
                writer.writerow(header)
            writer.writerows([row.get(c, "") for c in header] for row in rows.values())
    descriptor = {
        "name": "human_services_data",
        "title": "Human Services Data Specification",
        "profile": "tabular-data-package",
        "version": "3.1",
        "resources": [_resource(kind) for kind in TABLES],
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return Service.objects.count()
