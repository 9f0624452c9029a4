"""The demo areas load from the package's own small files, without ../shared."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from lape.areas.demo import DEMO_DIR, import_demo_areas, load_demo_areas
from lape.areas.models import Municipality, Region, WellbeingCounty

pytestmark = pytest.mark.django_db

FIELDS = (
    "code",
    "name_fi",
    "name_sv",
    "name_en",
    "language_status",
    "region__code",
    "region__name_sv",
    "wellbeing_county__code",
    "wellbeing_county__name_en",
    "wellbeing_county__kind",
    "central_locality",
    "latitude",
    "longitude",
    "valid_year",
)


def test_it_loads_the_demo_areas_without_the_shared_data(tmp_path: Path) -> None:
    with override_settings(SHARED_DATA_DIR=tmp_path / "no-shared-here"):
        load_demo_areas()
    pohjois_savo = Region.objects.get(code="11")
    assert pohjois_savo.municipalities.count() == 19
    county = WellbeingCounty.objects.get(code="13")
    assert county.municipalities.count() == 19
    assert Municipality.objects.count() == 23
    assert set(Municipality.objects.filter(region__code="11").values_list("code", flat=True)) >= {
        "297",
        "140",
        "915",
        "749",
        "171",
    }


def test_it_shows_every_language_status_in_the_demo() -> None:
    load_demo_areas()
    status = dict(Municipality.objects.values_list("code", "language_status"))
    assert status["297"] == Municipality.LanguageStatus.FINNISH
    assert status["638"] == Municipality.LanguageStatus.BILINGUAL_FINNISH_MAJORITY
    assert status["545"] == Municipality.LanguageStatus.BILINGUAL_SWEDISH_MAJORITY
    assert status["478"] == Municipality.LanguageStatus.SWEDISH
    assert WellbeingCounty.objects.get(code="90").kind == WellbeingCounty.Kind.HELSINKI


def test_it_follows_the_key_table_for_joroinen_and_the_2017_merger() -> None:
    load_demo_areas()
    assert Region.objects.get(municipalities__code="171").name_fi == "Pohjois-Savo"
    assert not Municipality.objects.filter(name_fi="Juankoski").exists()  # part of Kuopio since 2017


def test_it_loads_the_demo_areas_again_in_place() -> None:
    first = import_demo_areas()
    second = import_demo_areas()
    assert first.municipalities.created == 23
    assert (second.municipalities.created, second.municipalities.updated) == (0, 23)
    assert Municipality.objects.count() == 23


def test_it_can_import_the_demo_folder_with_the_command() -> None:
    call_command("import_areas", str(DEMO_DIR))
    county = WellbeingCounty.objects.get(municipalities__code="297")
    assert county.name_fi == "Pohjois-Savon hyvinvointialue"


@pytest.mark.shared_data
def test_it_ships_demo_areas_equal_to_the_real_ones(shared_data: Path) -> None:
    load_demo_areas()
    demo = list(Municipality.objects.order_by("code").values_list(*FIELDS))
    call_command("import_areas", str(shared_data / "areas"), stdout=StringIO())
    real = list(
        Municipality.objects.filter(code__in=[row[0] for row in demo]).order_by("code").values_list(*FIELDS)
    )
    assert demo == real
