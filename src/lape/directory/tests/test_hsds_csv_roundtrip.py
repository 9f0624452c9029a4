"""The CSV datapackage export is lossless: what it writes imports into an empty directory as it was."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from lape.directory.hsds.export import export_csv, export_json
from lape.directory.hsds.importer import import_path, import_records
from lape.directory.hsds.kinds import KINDS
from lape.directory.hsds.validation import validate_service
from lape.directory.models import Attribute, Location, Organization, Service, Taxonomy, TaxonomyTerm

from .hsds_samples import SERVICE_ID, make_kuopio, new_id, service

pytestmark = pytest.mark.django_db


def _without_last_modified(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_last_modified(v) for k, v in value.items() if k != "last_modified"}
    if isinstance(value, list):
        return [_without_last_modified(v) for v in value]
    return value


def _export_json(path: Path) -> list[dict[str, Any]]:
    export_json(path)
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return _without_last_modified(data)


def _empty_the_directory() -> None:
    Attribute.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    assert all(not kind.model._default_manager.exists() for kind in KINDS.values())


def _csv_round_trip(tmp_path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The JSON export before, and after exporting CSV and importing it into an empty directory."""
    before = _export_json(tmp_path / "before.json")
    export_csv(tmp_path / "csv")
    _empty_the_directory()
    import_path(tmp_path / "csv")
    after = _export_json(tmp_path / "after.json")
    return before, after


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_round_trips_the_official_csv_example(hsds_dir: Path, tmp_path: Path) -> None:
    import_path(hsds_dir / "examples" / "csv")
    before, after = _csv_round_trip(tmp_path)
    assert after == before
    organization = after[0]["organization"]
    assert organization["tax_status"] == "tax_status"
    assert organization["organization_identifiers"][0]["identifier"] == "1234567"
    assert organization["programs"][0]["name"] == "Community Mental Health Support"
    assert after[0]["program"]["id"] == "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"
    assert after[0]["funding"][0]["source"].startswith("This service is funded partially")
    location = after[0]["service_at_locations"][0]["location"]
    assert location["accessibility"][0]["details"].startswith("Switch hearing aid")


def test_it_round_trips_the_official_json_example(hsds_dir: Path, tmp_path: Path) -> None:
    import_path(hsds_dir / "examples" / "service_full.json")
    before, after = _csv_round_trip(tmp_path)
    assert after == before
    original = json.loads((hsds_dir / "examples" / "service_full.json").read_text(encoding="utf-8"))
    for key in ("funding", "program", "required_documents", "capacities", "additional_urls", "metadata"):
        assert after[0][key] == original[key], key
    for key in ("funding", "programs", "organization_identifiers", "additional_websites", "tax_status"):
        assert after[0]["organization"][key] == original["organization"][key], key
    assert validate_service(after[0]) == []


def test_it_round_trips_finnish_services_with_translations(tmp_path: Path) -> None:
    make_kuopio()
    import_records([service(), service(new_id(), name="Perheneuvola")])
    before, after = _csv_round_trip(tmp_path)
    assert after == before
    first = next(s for s in after if s["id"] == SERVICE_ID)
    assert first["translations"]["sv"]["name"] == "Barnrådgivning"
    assert first["organization"]["funding"][0]["source"] == "Kunnan budjetti"
    assert first["required_documents"][0]["document"] == "Kela-kortti"
    assert first["service_areas"][0]["municipality_code"] == "297"
    assert [s.get("closed") for s in first["schedules"]].count(True) == 1
    assert first["service_at_locations"][0]["location"]["accessibility"][0]["description"] == "Esteetön"


def test_it_writes_every_table_of_the_datapackage_with_its_columns(hsds_dir: Path, tmp_path: Path) -> None:
    import_path(hsds_dir / "examples" / "service_full.json")
    export_csv(tmp_path / "csv")
    descriptor = json.loads((tmp_path / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    official = json.loads((hsds_dir / "datapackage.json").read_text(encoding="utf-8"))
    written = {r["path"]: r for r in descriptor["resources"]}
    assert list(written) == [r["path"] for r in official["resources"]]
    for resource in descriptor["resources"]:
        with (tmp_path / "csv" / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
    for resource in official["resources"]:
        ours = {f["name"]: f["type"] for f in written[resource["path"]]["schema"]["fields"]}
        for field in resource["schema"]["fields"]:
            assert ours.get(field["name"]) == field["type"], (resource["path"], field["name"])
    service_id = json.loads((hsds_dir / "examples" / "service_full.json").read_text(encoding="utf-8"))["id"]
    # The organisation and the service list the same funding and URL: one row links both.
    for table in ("funding.csv", "url.csv"):
        rows = _rows(tmp_path / "csv" / table)
        assert len(rows) == 1 and rows[0]["service_id"] == service_id and rows[0]["organization_id"]
    assert _rows(tmp_path / "csv" / "organizations.csv")[0]["tax_status"] == "tax_status"
    assert _rows(tmp_path / "csv" / "services.csv")[0]["program_id"] == "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"
    capacity = _rows(tmp_path / "csv" / "service_capacity.csv")[0]
    assert capacity["service_id"] == service_id
    assert capacity["unit_id"] == _rows(tmp_path / "csv" / "units.csv")[0]["id"]
    assert all(row["extra"] == "" for row in _rows(tmp_path / "csv" / "services.csv"))


def test_it_keeps_fields_without_a_column_in_the_extra_column(tmp_path: Path) -> None:
    make_kuopio()
    record = service()
    record["x_lape_note"] = {"kept": ["as", "given"]}  # not HSDS: no column holds it
    # a text where HSDS has a number, and a number that is one
    record["capacities"] = [
        {"id": new_id(), "available": "12", "maximum": 10.5, "unit": {"id": new_id(), "name": "paikka"}}
    ]
    record["organization"]["tax_id"] = ""  # an empty text is not an empty cell
    import_records([record])
    before, after = _csv_round_trip(tmp_path)
    assert after == before
    assert after[0]["x_lape_note"] == {"kept": ["as", "given"]}
    assert after[0]["capacities"][0]["available"] == "12" and after[0]["capacities"][0]["maximum"] == 10.5
    assert after[0]["capacities"][0]["unit"]["name"] == "paikka"
    assert after[0]["organization"]["tax_id"] == ""


def test_it_changes_nothing_when_its_export_is_imported_again(hsds_dir: Path, tmp_path: Path) -> None:
    make_kuopio()
    import_records([service()])
    import_path(hsds_dir / "examples" / "service_full.json")
    export_csv(tmp_path / "csv")
    result = import_path(tmp_path / "csv")
    assert sum(result.created.values()) == 0 and sum(result.removed.values()) == 0
    assert sum(result.updated.values()) == 0, result.updated
    assert result.unchanged["service"] == 2
