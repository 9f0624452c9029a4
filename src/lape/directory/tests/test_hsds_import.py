"""Importing HSDS: every format, the Finnish profile, and every problem reported with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lape.directory.hsds.importer import HsdsImportError, import_path, import_records, read_records
from lape.directory.models import Attribute, Organization, Phone, Schedule, Service, ServiceArea

from .hsds_samples import ORG_ID, SERVICE_ID, make_kuopio, new_id, service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kuopio() -> None:
    make_kuopio()


def _problems(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    with pytest.raises(HsdsImportError) as caught:
        import_records(records)
    assert Service.objects.count() == 0 and Organization.objects.count() == 0
    return [(p.record_id, p.field) for p in caught.value.problems]


def test_it_imports_a_finnish_service_with_its_profile_fields() -> None:
    result = import_records([service()])
    assert result.created["service"] == 1
    svc = Service.objects.get(pk=SERVICE_ID)
    assert svc.service_level == "universal" and svc.drop_in and svc.low_threshold
    assert svc.text("name", "sv") == "Barnrådgivning"
    assert svc.extra["required_documents"][0]["document"] == "Kela-kortti"
    org = Organization.objects.get(pk=ORG_ID)
    assert org.kind == "municipality" and org.business_id == "0112038-9" and org.municipality is not None
    assert ServiceArea.objects.get(service=svc).municipality.code == "297"  # type: ignore[union-attr]
    assert Schedule.objects.get(service=svc, closed=True).valid_to.isoformat() == "2025-12-26"  # type: ignore[union-attr]
    assert Attribute.objects.get(link_id=svc.pk).link_entity == "service"


def test_it_reads_a_list_one_object_a_paginated_list_and_ndjson(tmp_path: Path) -> None:
    one, two = service(), service(new_id(), name="Perheneuvola")
    files = {
        "list.json": json.dumps([one, two]),
        "one.json": json.dumps(one),
        "page.json": json.dumps({"total_items": 2, "contents": [one, two]}),
        "lines.ndjson": json.dumps(one) + "\n" + json.dumps(two) + "\n",
        "lines.txt": json.dumps(one) + "\n" + json.dumps(two) + "\n",
    }
    counts = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        counts[name] = len(read_records(tmp_path / name))
    assert counts == {"list.json": 2, "one.json": 1, "page.json": 2, "lines.ndjson": 2, "lines.txt": 2}


def test_it_reports_broken_json_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": "x",\n   "name": }\n]', encoding="utf-8")
    with pytest.raises(HsdsImportError) as caught:
        import_path(path)
    assert "line 3" in caught.value.problems[0].reason
    assert "column" in caught.value.problems[0].reason


def test_it_reports_wrong_types_with_the_field_path() -> None:
    record = service()
    record["phones"][0]["number"] = 5
    record["minimum_age"] = "three"
    record["schedules"][0]["opens_at"] = "kahdeksalta"
    record["free_of_charge"] = "yes"
    assert set(_problems([record])) == {
        (SERVICE_ID, "phones[0].number"),
        (SERVICE_ID, "minimum_age"),
        (SERVICE_ID, "schedules[0].opens_at"),
        (SERVICE_ID, "free_of_charge"),
    }


def test_it_refuses_ids_that_are_not_uuids() -> None:
    record = service()
    record["contacts"][0]["id"] = "contact-1"
    assert _problems([record]) == [(SERVICE_ID, "contacts[0].id")]


def test_it_refuses_the_same_id_with_different_content() -> None:
    first, second = service(), service(new_id(), name="Perheneuvola")
    second["service_at_locations"][0]["location"]["name"] = "Toinen talo"
    problems = _problems([first, second])
    assert problems == [(second["id"], "service_at_locations[0].location")]


def test_it_refuses_references_to_ids_that_exist_nowhere() -> None:
    record = service()
    del record["organization"]
    record["organization_id"] = new_id()
    record["attributes"] = [{"id": new_id(), "taxonomy_term_id": new_id()}]
    assert set(_problems([record])) == {
        (SERVICE_ID, "organization_id"),
        (SERVICE_ID, "attributes[0].taxonomy_term_id"),
    }


def test_it_accepts_references_to_rows_already_in_the_directory() -> None:
    import_records([service()])
    record = service(new_id(), name="Perheneuvola")
    del record["organization"]
    record["organization_id"] = ORG_ID
    record["attributes"] = [{"id": new_id(), "taxonomy_term_id": "5d2f6a3e-0000-4000-8000-0000000000e5"}]
    assert import_records([record]).created["service"] == 1


def test_it_refuses_an_invalid_business_id() -> None:
    record = service()
    record["organization"]["business_id"] = "0112038-8"
    assert _problems([record]) == [(SERVICE_ID, "organization.business_id")]


def test_it_refuses_unknown_municipality_codes() -> None:
    record = service()
    record["organization"]["municipality_code"] = "999"
    record["service_areas"] = [
        {"id": new_id(), "municipality_code": "998"},
        {"id": new_id(), "uri": "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/997"},
    ]
    record["service_at_locations"][0]["location"]["municipality_code"] = "996"
    assert set(_problems([record])) == {
        (SERVICE_ID, "organization.municipality_code"),
        (SERVICE_ID, "service_areas[0].municipality_code"),
        (SERVICE_ID, "service_areas[1].uri"),
        (SERVICE_ID, "service_at_locations[0].location.municipality_code"),
    }


def test_it_refuses_translations_of_unknown_fields_and_languages() -> None:
    record = service()
    record["translations"] = {"de": {"name": "Kinderklinik"}, "sv": {"status": "aktiv"}}
    assert set(_problems([record])) == {
        (SERVICE_ID, "translations.de"),
        (SERVICE_ID, "translations.sv.status"),
    }


def test_it_refuses_bad_profile_choices() -> None:
    record = service()
    record["service_level"] = "premium"
    record["organization"]["organization_kind"] = "club"
    assert set(_problems([record])) == {
        (SERVICE_ID, "service_level"),
        (SERVICE_ID, "organization.organization_kind"),
    }


def test_it_refuses_a_service_without_an_organization() -> None:
    record = service()
    del record["organization"]
    assert _problems([record]) == [(SERVICE_ID, "organization")]


def test_it_imports_nothing_from_a_half_good_file_and_lists_every_problem() -> None:
    good, bad = service(), service(new_id(), org_id=new_id(), name="Perheneuvola")
    bad["phones"][0]["id"] = "not-a-uuid"
    bad["organization"]["business_id"] = "123"
    problems = _problems([good, bad])
    assert set(problems) == {(bad["id"], "phones[0].id"), (bad["id"], "organization.business_id")}
    assert Phone.objects.count() == 0


def test_it_updates_by_id_and_removes_children_no_longer_in_the_file() -> None:
    import_records([service()])
    record = service(name="Lastenneuvola (uusi)")
    record["phones"] = []
    record["schedules"] = record["schedules"][:1]
    result = import_records([record])
    assert result.updated["service"] == 1 and result.created.get("service") == 0
    svc = Service.objects.get(pk=SERVICE_ID)
    assert svc.name == "Lastenneuvola (uusi)"
    assert svc.phones.count() == 0 and svc.schedules.count() == 1
    assert result.removed["phone"] == 1 and result.removed["schedule"] == 1


def test_it_keeps_unknown_references_as_given() -> None:
    record = service()
    record["organization"]["parent_organization_id"] = "5d2f6a3e-0000-4000-8000-0000000000aa"
    import_records([record])
    org = Organization.objects.get(pk=ORG_ID)
    assert org.parent_organization_id is None
    assert org.extra["parent_organization_id"] == "5d2f6a3e-0000-4000-8000-0000000000aa"


def test_it_prints_every_problem_and_fails_from_the_command(tmp_path: Path, capsys: Any) -> None:
    record = service()
    record["organization"]["business_id"] = "0112038-8"
    record["minimum_age"] = -1
    path = tmp_path / "services.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_hsds", str(path))
    err = capsys.readouterr().err
    assert f"{SERVICE_ID}: organization.business_id" in err and f"{SERVICE_ID}: minimum_age" in err
    assert Service.objects.count() == 0


def test_it_imports_from_the_command(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service()]), encoding="utf-8")
    call_command("import_hsds", str(path))
    assert "Imported 1 service in" in capsys.readouterr().out
    assert Service.objects.filter(pk=SERVICE_ID).exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "Tuotiin 1 palvelu ajassa"), ("sv", "Importerade 1 tjänst på"), ("en", "Imported 1 service in")],
)
def test_it_reports_in_the_operators_language(tmp_path: Path, capsys: Any, lang: str, expected: str) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service()]), encoding="utf-8")
    with translation.override(lang):
        call_command("import_hsds", str(path))
    assert expected in capsys.readouterr().out


def test_it_names_the_problem_in_finnish_for_a_finnish_operator(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "not-a-uuid"', encoding="utf-8")
    with translation.override("fi"), pytest.raises(CommandError) as error:
        call_command("import_hsds", str(path))
    assert str(error.value).startswith("Mitään ei tuotu")
