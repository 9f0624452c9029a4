"""`lape import-areas` on the real public files in ../shared/data/areas."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lape.areas.models import Municipality, Region, WellbeingCounty

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


@pytest.fixture
def areas_dir(shared_data: Path) -> Path:
    return shared_data / "areas"


def _import(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_areas", str(directory), *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int]:
    return Region.objects.count(), WellbeingCounty.objects.count(), Municipality.objects.count()


def test_it_imports_the_309_municipalities_of_2023(areas_dir: Path) -> None:
    output = _import(areas_dir)
    assert Municipality.objects.count() == 309
    assert Municipality.objects.filter(valid_year=2023).count() == 309
    assert Region.objects.count() == 19
    assert "Municipalities: 309 (new 309, updated 0)." in output


def test_it_imports_the_23_units_of_the_county_classification(areas_dir: Path) -> None:
    _import(areas_dir)
    kinds = dict(WellbeingCounty.objects.values_list("code", "kind"))
    assert len(kinds) == 23
    assert sum(kind == WellbeingCounty.Kind.COUNTY for kind in kinds.values()) == 21
    assert kinds["90"] == WellbeingCounty.Kind.HELSINKI
    assert kinds["91"] == WellbeingCounty.Kind.ALAND
    assert Municipality.objects.filter(code="091", wellbeing_county__code="90").exists()


def test_it_places_kuopio_in_the_pohjois_savo_region_and_county(areas_dir: Path) -> None:
    _import(areas_dir)
    kuopio = Municipality.objects.select_related("region", "wellbeing_county").get(code="297")
    region, county = kuopio.region, kuopio.wellbeing_county
    assert region is not None
    assert county is not None
    assert kuopio.name_fi == "Kuopio"
    assert (region.code, region.name_fi) == ("11", "Pohjois-Savo")
    assert (county.code, county.name_fi) == ("13", "Pohjois-Savon hyvinvointialue")
    assert county.kind == WellbeingCounty.Kind.COUNTY
    assert region.municipalities.count() == 19
    assert kuopio.central_locality == "Kuopio"
    assert kuopio.latitude == pytest.approx(62.89, abs=0.01)
    assert kuopio.longitude == pytest.approx(27.68, abs=0.01)


def test_it_reads_the_language_status_of_each_municipality(areas_dir: Path) -> None:
    _import(areas_dir)
    status = dict(Municipality.objects.values_list("code", "language_status"))
    assert status["297"] == Municipality.LanguageStatus.FINNISH
    assert status["638"] == Municipality.LanguageStatus.BILINGUAL_FINNISH_MAJORITY  # Porvoo
    assert status["545"] == Municipality.LanguageStatus.BILINGUAL_SWEDISH_MAJORITY  # Närpes
    assert status["035"] == Municipality.LanguageStatus.SWEDISH  # Brändö, Åland
    assert status["478"] == Municipality.LanguageStatus.SWEDISH  # Mariehamn
    assert Municipality.objects.get(code="638").is_bilingual


def test_it_keeps_the_swedish_and_english_names(areas_dir: Path) -> None:
    _import(areas_dir)
    helsinki = Municipality.objects.get(code="091")
    assert (helsinki.name_fi, helsinki.name_sv, helsinki.name_en) == ("Helsinki", "Helsingfors", "Helsinki")
    assert Municipality.objects.get(code="638").name("sv") == "Borgå"
    county = WellbeingCounty.objects.get(code="13")
    assert county.name_sv == "Norra Savolax välfärdsområde"
    assert county.name_en == "North Savo wellbeing services county"
    region = Region.objects.get(code="11")
    assert (region.name_sv, region.name_en) == ("Norra Savolax", "North Savo")
    # The national code list is authoritative for the 2023 names.
    assert Municipality.objects.get(code="478").name_fi == "Maarianhamina - Mariehamn"


def test_it_pads_codes_to_three_and_two_digits(areas_dir: Path) -> None:
    _import(areas_dir)
    akaa = Municipality.objects.get(name_fi="Akaa")
    assert akaa.code == "020"
    assert Region.objects.get(municipalities=akaa).code == "06"
    assert not Municipality.objects.filter(code="20").exists()


def test_it_updates_in_place_when_imported_again(areas_dir: Path) -> None:
    _import(areas_dir)
    kuopio = Municipality.objects.get(code="297")
    kuopio.name_sv = "changed by hand"
    kuopio.save()
    before = _counts()
    output = _import(areas_dir)
    assert _counts() == before == (19, 23, 309)
    again = Municipality.objects.get(code="297")
    assert again.pk == kuopio.pk
    assert again.name_sv == "Kuopio"
    assert "Municipalities: 309 (new 0, updated 309)." in output


def test_it_imports_the_2026_key_table_and_keeps_merged_municipalities(areas_dir: Path) -> None:
    _import(areas_dir)
    output = _import(areas_dir, "--year", "2026")
    assert Municipality.objects.filter(valid_year=2026).count() == 308
    pertunmaa = Municipality.objects.get(code="588")  # merged into Mäntyharju in 2026
    assert pertunmaa.valid_year == 2023
    assert "1 municipality from earlier imports is not in this year's table; it was kept." in output


def _break(source: Path, target: Path, name: str, old: bytes, new: bytes) -> None:
    shutil.copytree(source, target)
    path = target / name
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "statfi_municipality_key_2023.csv",
            b"\n297,Kuopio,",
            b"\n29x,Kuopio,",
            "statfi_municipality_key_2023.csv, line 115: “29x” is not a valid code (municipality, up to 3 digits).",
        ),
        (
            "statfi_municipality_key_2023.csv",
            b"\n638,Porvoo,Borg\xc3\xa5,Porvoo,1,",
            b"\n638,Porvoo,Borg\xc3\xa5,Porvoo,1,oops,",
            "statfi_municipality_key_2023.csv, line 204: the row has 66 fields, the header has 65.",
        ),
        (
            "municipality_to_region_2022.csv",
            b"Windows-1252;;kunta_1_20220101#maakunta_1_20220101",
            b"Windows-1252;;kunta_1_20220101#seutukunta_1_20220101",
            "municipality_to_region_2022.csv, line 3: the first line should name the classification pair",
        ),
        (
            "municipality_codes_2023.json",
            b'"codeValue": "297"',
            b'"codeValue": 297,,',
            "municipality_codes_2023.json, line 1970: the JSON is not valid",
        ),
        (
            "municipality_central_localities.csv",
            b"297,KUOPIO,27.6778599,62.8934537",
            b"297,KUOPIO,27.6778599,north",
            "municipality_central_localities.csv, line 181: the coordinates are not numbers.",
        ),
    ],
)
def test_it_changes_nothing_and_names_the_problem_when_a_file_is_broken(
    areas_dir: Path, tmp_path: Path, name: str, old: bytes, new: bytes, expected: str
) -> None:
    _import(areas_dir)
    Municipality.objects.filter(code="297").update(name_sv="before the broken import")
    before = _counts()
    broken = tmp_path / "areas"
    _break(areas_dir, broken, name, old, new)
    with pytest.raises(CommandError) as raised:
        _import(broken)
    message = str(raised.value)
    assert expected in message
    assert message.startswith("Nothing was imported.")
    assert _counts() == before
    assert Municipality.objects.get(code="297").name_sv == "before the broken import"


def test_it_names_a_missing_file_and_writes_nothing(areas_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "areas"
    shutil.copytree(areas_dir, broken)
    (broken / "wellbeing_counties_codelist.json").unlink()
    with pytest.raises(CommandError, match=r"wellbeing_counties_codelist\.json: the file does not exist\."):
        _import(broken)
    assert _counts() == (0, 0, 0)
