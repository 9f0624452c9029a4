"""Importing Open Referral HSDS 3.1 services: check everything first, then write all in one transaction.

`read_records` reads a file or a CSV datapackage folder into full-service dicts, `import_records`
checks them (every problem is collected, with the record id and the field path) and writes them
with bulk queries; on any problem nothing is written and `HsdsImportError` lists the problems.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lape.areas.models import Municipality

from ..signals import services_imported
from .kinds import KINDS, OWNED_BY, WRITE_ORDER, kind_label
from .normalize import LINK_KIND, Flattened, Row, flatten
from .problems import HsdsImportError, Problem
from .reading import read_records_with_warnings

__all__ = [
    "HsdsImportError",
    "ImportResult",
    "Problem",
    "import_path",
    "import_records",
    "read_records",
]

BATCH = 500
# bulk_update writes one CASE WHEN per column: its cost grows with the square of the batch.
UPDATE_BATCH = 50
# FK columns an import leaves as they are when the file does not give them: a service export
# does not nest an organisation's own phones, contacts and locations.
KEEP_WHEN_ABSENT = {"organization", "wellbeing_county"}


@dataclass
class ImportResult:
    """How many rows of each kind were created, updated, left unchanged and removed; what was left out."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def services(self) -> int:
        return self.created.get("service", 0) + self.updated.get("service", 0)


def read_records(path: Path) -> list[dict[str, Any]]:
    """Full-service dicts from a JSON, paginated-list or NDJSON file, or a CSV datapackage folder."""
    return read_records_with_warnings(path)[0]


def import_path(path: Path) -> ImportResult:
    """Read and import `path`; raises HsdsImportError (nothing written) when anything is wrong."""
    records, warnings = read_records_with_warnings(path)
    result = import_records(records)
    result.warnings = warnings + result.warnings
    return result


def import_records(records: list[dict[str, Any]]) -> ImportResult:
    """Check and import full services; all or nothing."""
    flat = flatten(records)
    existing = _existing_ids(flat)
    municipalities = _resolve(flat, existing)
    if flat.problems:
        raise HsdsImportError(flat.problems)
    with transaction.atomic():
        result = _write(flat, existing, municipalities)
        # in the same transaction: what listens (the search index) changes with the data or not at all
        services_imported.send(sender=import_records, service_ids=list(flat.rows["service"]))
        return result


def _batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _existing_ids(flat: Flattened) -> dict[str, set[uuid.UUID]]:
    """Ids of each kind that the file uses or refers to and that the database already has."""
    wanted: dict[str, set[uuid.UUID]] = {name: set(rows) for name, rows in flat.rows.items()}
    for kind, target, _record, _path in flat.required:
        wanted[kind].add(target)
    for rows in flat.rows.values():
        for row in rows.values():
            for column in row.soft:
                wanted[LINK_KIND[column]].add(row.links[column])
    found: dict[str, set[uuid.UUID]] = {}
    for name, ids in wanted.items():
        model = KINDS[name].model
        found[name] = set()
        for batch in _batches(ids):
            found[name].update(model._default_manager.filter(pk__in=batch).values_list("pk", flat=True))
    return found


def _resolve(flat: Flattened, existing: dict[str, set[uuid.UUID]]) -> dict[str, int]:
    """Check references and municipality codes; returns municipality code -> row id."""
    for kind, target, record_id, path in flat.required:
        if target not in flat.rows[kind] and target not in existing[kind]:
            flat.problems.append(
                Problem(
                    record_id,
                    path,
                    capfirst(
                        _(
                            "No %(kind)s with the id %(id)s exists in the file or in the directory: "
                            "check the id or add it to the file."
                        )
                        % {"kind": kind_label(kind), "id": target}
                    ),
                )
            )
    for rows in flat.rows.values():
        for row in rows.values():
            for column, (key, given) in list(row.soft.items()):
                target = row.links[column]
                if target in flat.rows[LINK_KIND[column]] or target in existing[LINK_KIND[column]]:
                    continue
                # Unknown: keep the reference as it came, so the export gives it back.
                del row.links[column]
                row.extra[key] = given
    codes = {
        row.municipality_code for rows in flat.rows.values() for row in rows.values() if row.municipality_code
    }
    known = dict(Municipality.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    for rows in flat.rows.values():
        for row in rows.values():
            if row.municipality_code and row.municipality_code not in known:
                flat.problems.append(
                    Problem(
                        row.record_id,
                        row.municipality_field,
                        _(
                            "There is no municipality with the code %(code)s; import the municipalities first or check the code."
                        )
                        % {"code": row.municipality_code},
                    )
                )
    return known


def _write(
    flat: Flattened, existing: dict[str, set[uuid.UUID]], municipalities: dict[str, int]
) -> ImportResult:
    result = ImportResult()
    now = timezone.now()
    for name in WRITE_ORDER:
        kind = KINDS[name]
        model = kind.model
        rows = flat.rows[name]
        if not rows:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in {"last_modified", "low_threshold"}
        ]
        old_ids = [row_id for row_id in rows if row_id in existing[name]]
        old: dict[Any, Any] = {}
        for batch in _batches(old_ids):
            old.update(model._default_manager.in_bulk(batch))
        to_create, to_update = [], []
        unchanged = 0
        changed: set[str] = set()
        for row_id, row in rows.items():
            obj: Any = old.get(row_id)
            before = None
            if obj is None:
                obj = model(pk=row_id)
                to_create.append(obj)
            else:
                before = [getattr(obj, f.attname) for f in fields]
            _fill(obj, row, fields, municipalities)
            if before is not None:
                # Rows that did not change keep their history and last_modified untouched.
                after = [getattr(obj, f.attname) for f in fields]
                if before == after:
                    unchanged += 1
                    continue
                changed.update(
                    f.name
                    for f, old_value, new in zip(fields, before, after, strict=True)
                    if old_value != new
                )
                to_update.append(obj)
            if name == "service":
                obj.low_threshold = obj.is_low_threshold()
            if hasattr(obj, "last_modified"):
                obj.last_modified = now
        history = hasattr(model, "history")
        if to_create:
            if history:
                bulk_create_with_history(to_create, model, batch_size=BATCH, default_date=now)
            else:
                model._default_manager.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            # Only the columns that changed somewhere: bulk_update's cost grows with the columns.
            names = [f.name for f in fields if f.name in changed]
            names += ["last_modified"] if hasattr(model, "last_modified") else []
            names += ["low_threshold"] if name == "service" else []
            if history:
                bulk_update_with_history(to_update, model, names, batch_size=UPDATE_BATCH, default_date=now)
            else:
                model._default_manager.bulk_update(to_update, names, batch_size=UPDATE_BATCH)
        result.created[name] = len(to_create)
        result.updated[name] = len(to_update)
        result.unchanged[name] = unchanged
    _remove_stale(flat, existing, result)
    return result


def _fill(obj: Any, row: Row, fields: list[Any], municipalities: dict[str, int]) -> None:
    """Set every column from the row: the file holds the whole object."""
    for f in fields:
        if isinstance(f, models.ForeignKey):
            if f.name == "municipality":
                code = row.municipality_code
                setattr(obj, f.attname, municipalities[code] if code else None)
            elif f.name in row.links:
                setattr(obj, f.attname, row.links[f.name])
            elif f.name not in KEEP_WHEN_ABSENT or obj._state.adding:
                setattr(obj, f.attname, None)
        elif f.name == "extra":
            obj.extra = row.extra
        elif f.name == "link_id":
            obj.link_id = row.links["link_id"]
        elif f.name in row.values:
            setattr(obj, f.name, row.values[f.name])
        elif f.name in KEEP_WHEN_ABSENT:
            continue
        else:
            setattr(obj, f.name, f.get_default())


def _remove_stale(flat: Flattened, existing: dict[str, set[uuid.UUID]], result: ImportResult) -> None:
    """Remove rows that an imported parent owned before but the file no longer lists under it."""
    for name, parents in OWNED_BY.items():
        model = KINDS[name].model
        in_file = flat.rows[name]
        stale: set[Any] = set()
        for column in parents:
            parent_ids = [pid for pid in flat.rows[LINK_KIND[column]] if pid in existing[LINK_KIND[column]]]
            for batch in _batches(parent_ids):
                ids = model._default_manager.filter(**{f"{column}_id__in": batch}).values_list(
                    "pk", flat=True
                )
                stale.update(pk for pk in ids if pk not in in_file)
        for batch in _batches(stale):
            model._default_manager.filter(pk__in=batch).delete()
        result.removed[name] = len(stale)
    service_ids = [sid for sid in flat.rows["service"] if sid in existing["service"]]
    attributes = KINDS["attribute"].model._default_manager
    removed = 0
    for batch in _batches(service_ids):
        ids = attributes.filter(link_entity="service", link_id__in=batch).values_list("pk", flat=True)
        stale_ids = [pk for pk in ids if pk not in flat.rows["attribute"]]
        removed += len(stale_ids)
        attributes.filter(pk__in=stale_ids).delete()
    result.removed["attribute"] = removed
