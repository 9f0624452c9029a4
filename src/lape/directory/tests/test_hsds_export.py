"""Exporting HSDS: JSON, NDJSON and a CSV datapackage, each valid against the HSDS 3.1 schemas."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lape.directory.hsds.export import export_csv, export_json, export_ndjson
from lape.directory.hsds.importer import import_records, read_records
from lape.directory.hsds.validation import validate_service

from .hsds_samples import SERVICE_ID, make_kuopio, new_id, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_services(hsds_dir: Path) -> None:
    make_kuopio()
    import_records([service(), service(new_id(), name="Perheneuvola")])


def test_it_exports_a_json_list_of_valid_full_services(two_services: None, tmp_path: Path) -> None:
    assert export_json(tmp_path / "out.json") == 2
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {s["name"] for s in exported} == {"Lastenneuvola", "Perheneuvola"}
    assert all(validate_service(s) == [] for s in exported)
    first = next(s for s in exported if s["id"] == SERVICE_ID)
    assert first["service_areas"][0]["municipality_code"] == "297"
    assert first["organization"]["business_id"] == "0112038-9"
    assert first["required_documents"][0]["document"] == "Kela-kortti"


def test_it_exports_one_service_a_line(two_services: None, tmp_path: Path) -> None:
    assert export_ndjson(tmp_path / "out.ndjson") == 2
    lines = (tmp_path / "out.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(validate_service(json.loads(line)) == [] for line in lines)


def test_it_exports_a_csv_datapackage_that_imports_back(two_services: None, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    export_csv(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} >= {"services.csv", "organizations.csv", "phones.csv"}
    with (folder / "services.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    records = read_records(folder)
    assert sorted(r["name"] for r in records) == ["Lastenneuvola", "Perheneuvola"]
    problems = [p for r in records for p in validate_service(r)]
    assert problems == []


def test_it_reports_what_breaks_the_schema() -> None:
    problems = validate_service({"id": "not-a-uuid", "name": 5})
    assert any("status" in p for p in problems) and any(p.startswith("name") for p in problems)


def test_it_refuses_an_output_path_it_cannot_write(tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_hsds", str(tmp_path / "missing" / "out.json"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_hsds", str(tmp_path))
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="is a file"):
        call_command("export_hsds", str(tmp_path / "file.txt"), "--format", "csv")


def test_it_exports_from_the_command(two_services: None, tmp_path: Path, capsys: Any) -> None:
    call_command("export_hsds", str(tmp_path / "out.ndjson"))
    assert "Exported 2 services" in capsys.readouterr().out
    assert len((tmp_path / "out.ndjson").read_text(encoding="utf-8").splitlines()) == 2
