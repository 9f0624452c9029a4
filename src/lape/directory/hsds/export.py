"""Exporting the directory as HSDS 3.1: a JSON list of full services, NDJSON, or a CSV datapackage folder.

Services are read in chunks so that a national directory is never held in memory at once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
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


# CSV: file name, model, FK columns written as *_id, profile columns. Base columns come from KINDS.
_TABLES: list[tuple[str, str, type[Model], list[str], list[str]]] = [
    ("organization", "organizations.csv", Organization, ["parent_organization"],
     ["organization_kind", "business_id", "municipality_code", "translations"]),
    ("service", "services.csv", Service, ["organization"],
     ["last_modified", "service_level", "free_of_charge", "referral_required", "anonymous", "drop_in",
      "translations"]),
    ("location", "locations.csv", Location, ["organization"], ["municipality_code", "translations"]),
    ("service_at_location", "service_at_location.csv", ServiceAtLocation, ["service", "location"], []),
    ("phone", "phones.csv", Phone,
     ["location", "service", "organization", "contact", "service_at_location"], []),
    ("contact", "contacts.csv", Contact, ["organization", "service", "service_at_location", "location"], []),
    ("language", "languages.csv", Language, ["service", "location", "phone"], []),
    ("schedule", "schedules.csv", Schedule, ["service", "location", "service_at_location"], ["closed"]),
    ("service_area", "service_areas.csv", ServiceArea, ["service", "service_at_location"], ["municipality_code"]),
    ("address", "addresses.csv", Address, ["location"], []),
    ("cost_option", "cost_options.csv", CostOption, ["service"], []),
    ("attribute", "attributes.csv", Attribute, ["taxonomy_term"], ["link_id", "link_entity"]),
    ("taxonomy", "taxonomies.csv", Taxonomy, [], ["translations"]),
    ("taxonomy_term", "taxonomy_terms.csv", TaxonomyTerm, ["parent", "taxonomy"], ["taxonomy", "translations"]),
]  # fmt: skip
_RENAMED = {"organization_kind": "kind", "taxonomy": "taxonomy_name"}


def _cell(obj: Any, column: str) -> str:
    if column == "municipality_code":
        municipality = getattr(obj, "municipality", None)
        return municipality.code if municipality is not None else ""
    if column == "translations":
        return json.dumps(obj.translations, ensure_ascii=False) if obj.translations else ""
    value = _value(getattr(obj, _RENAMED.get(column, column)))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _write_table(
    out: TextIO, model: type[Model], columns: list[str], links: list[str], profile: list[str]
) -> None:
    writer = csv.writer(out, lineterminator="\n")
    header = ["id", *[f"{link}_id" for link in links], *columns, *profile]
    writer.writerow(header)
    qs = model._default_manager.order_by("pk")
    if "municipality_code" in profile:
        qs = qs.select_related("municipality")
    for obj in qs.iterator(chunk_size=2000):
        row = [str(obj.pk)]
        row += [str(getattr(obj, f"{link}_id") or "") for link in links]
        row += [_cell(obj, c) for c in columns]
        row += [_cell(obj, c) for c in profile]
        writer.writerow(row)


def export_csv(folder: Path) -> int:
    """Write the directory as an HSDS CSV datapackage folder with datapackage.json; returns services."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for kind, filename, model, links, profile in _TABLES:
        columns = list(KINDS[kind].columns)
        with (folder / filename).open("w", encoding="utf-8", newline="") as out:
            _write_table(out, model, columns, links, profile)
        fields = ["id", *[f"{link}_id" for link in links], *columns, *profile]
        resources.append(
            {
                "name": kind,
                "path": filename,
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "schema": {"primaryKey": "id", "fields": [{"name": f, "type": "string"} for f in fields]},
            }
        )
    descriptor = {
        "name": "human_services_data",
        "title": "Human Services Data Specification",
        "profile": "tabular-data-package",
        "version": "3.1",
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return Service.objects.count()
