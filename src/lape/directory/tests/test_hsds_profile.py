"""The Finnish HSDS profile: valid merge patches, true to the models, and enforced on our own output."""

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from lape.areas.models import Municipality
from lape.directory.hsds.profile import compile_schema, merge_patch, profile_patches, validate
from lape.directory.hsds.serialize import service_to_hsds
from lape.directory.models import Location, Organization, Service, ServiceArea, ServiceAtLocation


def test_it_merges_as_rfc_7386_says() -> None:
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    assert merge_patch(target, {"a": "z", "c": {"f": None}}) == {"a": "z", "c": {"d": "e"}}
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}
    assert merge_patch({"a": "b"}, {"b": {"c": None}}) == {"a": "b", "b": {}}


def test_it_patches_only_files_that_hsds_has(hsds_dir: Path) -> None:
    core = {p.name for p in (hsds_dir / "schema").glob("*.json")}
    assert set(profile_patches()) <= core


@pytest.mark.parametrize("name", ["service.json", "organization.json", "location.json", "taxonomy_term.json"])
def test_it_compiles_to_valid_json_schema(hsds_dir: Path, name: str) -> None:
    schema = compile_schema(hsds_dir / "schema", name)
    Draft202012Validator.check_schema(schema)
    assert "translations" in schema["properties"]


def test_it_lists_exactly_the_translatable_fields_of_the_models() -> None:
    patches = profile_patches()
    for file, model in [
        ("service.json", Service),
        ("organization.json", Organization),
        ("location.json", Location),
    ]:
        sv = patches[file]["properties"]["translations"]["properties"]["sv"]["properties"]
        assert set(sv) == set(model.TRANSLATABLE), file


@pytest.fixture
def kuopio_service(db: None) -> Service:
    kuopio = Municipality.objects.create(code="297", name_fi="Kuopio", name_sv="Kuopio")
    org = Organization.objects.create(name="Kuopion kaupunki", kind="municipality", municipality=kuopio)
    org.set_text("name", "sv", "Kuopio stad")
    org.save()
    service = Service.objects.create(
        organization=org,
        name="Avoin varhaiskasvatus",
        description="Leikkitoimintaa lapsille ja aikuisille.",
        service_level=Service.Level.UNIVERSAL,
        free_of_charge=True,
        drop_in=True,
        minimum_age=0,
        maximum_age=6,
    )
    service.set_text("name", "sv", "Öppen småbarnspedagogik")
    service.set_text("name", "en", "Open early childhood education")
    service.save()
    place = Location.objects.create(name="Leikkipuisto Väinölänniemi", municipality=kuopio, organization=org)
    ServiceAtLocation.objects.create(service=service, location=place)
    ServiceArea.objects.create(service=service, municipality=kuopio)
    return service


def test_it_accepts_our_own_export(hsds_dir: Path, kuopio_service: Service) -> None:
    document = service_to_hsds(kuopio_service)
    assert validate(document, hsds_dir / "schema") == []
    assert document["translations"]["sv"]["name"] == "Öppen småbarnspedagogik"
    assert document["service_areas"][0]["municipality_code"] == "297"


def test_it_refuses_what_the_profile_forbids(hsds_dir: Path, kuopio_service: Service) -> None:
    document = service_to_hsds(kuopio_service)
    document["translations"]["de"] = {"name": "Offene Kita"}
    document["service_level"] = "premium"
    document["service_areas"][0]["municipality_code"] = "29"
    problems = validate(document, hsds_dir / "schema")
    assert any(p.startswith("translations") for p in problems)
    assert any(p.startswith("service_level") for p in problems)
    assert any(p.startswith("service_areas/0/municipality_code") for p in problems)
