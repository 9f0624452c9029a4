"""Round trips: the official HSDS examples and our own data survive import → export → import → export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lape.directory.hsds.export import export_json
from lape.directory.hsds.importer import import_path, import_records
from lape.directory.hsds.validation import validate_service

from .hsds_samples import make_kuopio, new_id, service

pytestmark = pytest.mark.django_db


def _without_last_modified(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_last_modified(v) for k, v in value.items() if k != "last_modified"}
    if isinstance(value, list):
        return [_without_last_modified(v) for v in value]
    return value


def _export(tmp_path: Path, name: str) -> list[dict[str, Any]]:
    export_json(tmp_path / name)
    data: list[dict[str, Any]] = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    return data


def _assert_round_trip(tmp_path: Path) -> list[dict[str, Any]]:
    first = _export(tmp_path, "first.json")
    import_path(tmp_path / "first.json")
    second = _export(tmp_path, "second.json")
    assert _without_last_modified(first) == _without_last_modified(second)
    for exported in first:
        assert validate_service(exported) == []
    return first


@pytest.mark.parametrize("example", ["service_full.json", "service_list.json"])
def test_it_imports_and_exports_the_official_json_examples(
    hsds_dir: Path, tmp_path: Path, example: str
) -> None:
    result = import_path(hsds_dir / "examples" / example)
    assert result.created["service"] == 1
    exported = _assert_round_trip(tmp_path)
    original = json.loads((hsds_dir / "examples" / "service_full.json").read_text(encoding="utf-8"))
    assert exported[0]["id"] == original["id"] and exported[0]["name"] == original["name"]
    if example == "service_full.json":
        # Fields without a column come back as they came.
        for key in ("funding", "program", "required_documents", "capacities", "additional_urls", "metadata"):
            assert exported[0][key] == original[key]
        assert exported[0]["phones"][0]["extension"] == 100
        assert (
            exported[0]["organization"]["parent_organization_id"]
            == original["organization"]["parent_organization_id"]
        )


def test_it_imports_and_exports_the_official_csv_example(hsds_dir: Path, tmp_path: Path) -> None:
    result = import_path(hsds_dir / "examples" / "csv")
    assert result.created["service"] == 1
    # The example package links some rows to ids it does not contain: they are reported, not imported.
    assert any(w.record_id.startswith("service_capacity.csv") for w in result.warnings)
    exported = _assert_round_trip(tmp_path)
    assert exported[0]["service_at_locations"][0]["location"]["addresses"][0]["city"] == "MyCity"
    assert exported[0]["organization"]["organization_identifiers"][0]["identifier"] == "1234567"


def test_it_round_trips_finnish_services(tmp_path: Path) -> None:
    make_kuopio()
    import_records([service(), service(new_id(), name="Perheneuvola")])
    exported = _assert_round_trip(tmp_path)
    assert {s["translations"]["sv"]["name"] for s in exported} == {"Barnrådgivning"}
    assert all(s["low_threshold"] for s in exported)
