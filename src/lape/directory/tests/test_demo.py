"""`lape demo`: the Pohjois-Savo network a newcomer sees first, and the national-scale generator."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from jsonschema import Draft202012Validator

from lape.areas.demo import load_demo_areas
from lape.directory.business_id import is_valid_business_id
from lape.directory.demo import DEMO_LOGINS, demo_records
from lape.directory.hsds.importer import import_records
from lape.directory.hsds.profile import validate as validate_profile
from lape.directory.models import (
    Attribute,
    FamilyCentre,
    Location,
    Organization,
    Publisher,
    Schedule,
    Service,
    ServiceArea,
)
from lape.directory.national import generate_national, places_from_database
from lape.directory.taxonomies import load_demo_taxonomies

TODAY = dt.date(2025, 3, 3)


def _load_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _snapshot() -> dict[str, Any]:
    services = {
        str(s.pk): (s.name, s.translations, s.service_level, s.assured_date, s.organization_id)
        for s in Service.objects.all()
    }
    return {
        "services": services,
        "counts": [
            m.objects.count()
            for m in (Organization, Location, Schedule, ServiceArea, Attribute, FamilyCentre, Publisher)
        ],
        "users": sorted(get_user_model().objects.values_list("username", "is_staff", "is_superuser")),
        "centres": {
            str(c.pk): sorted(str(s) for s in c.services.values_list("pk", flat=True))
            for c in FamilyCentre.objects.all()
        },
    }


@pytest.mark.django_db
def test_it_loads_the_network_and_prints_the_logins() -> None:
    output = _load_demo()

    assert 50 <= Service.objects.count() <= 80
    assert Service.objects.filter(organization__kind="wellbeing_county").exists()
    assert Service.objects.filter(organization__kind="parish").exists()
    for login in DEMO_LOGINS:
        assert login.username in output
        assert login.password in output


@pytest.mark.django_db
def test_it_leaves_the_same_data_when_run_twice() -> None:
    _load_demo()
    first = _snapshot()

    _load_demo()

    assert _snapshot() == first


@pytest.mark.django_db
def test_it_names_every_service_in_finnish_swedish_and_english() -> None:
    _load_demo()

    for service in Service.objects.all():
        assert service.name, service.pk
        assert service.text("name", "sv", fallback=False), service.name
        assert service.text("name", "en", fallback=False), service.name


@pytest.mark.django_db
def test_it_gives_every_organisation_a_valid_business_id() -> None:
    _load_demo()

    ids = list(Organization.objects.values_list("business_id", flat=True))
    assert len(ids) >= 10
    assert all(is_valid_business_id(value) for value in ids), ids


@pytest.mark.django_db
def test_it_groups_services_of_several_organisations_in_every_family_centre() -> None:
    _load_demo()

    centres = FamilyCentre.objects.all()
    assert centres.count() >= 3
    for centre in centres:
        kinds = set(centre.services.values_list("organization__kind", flat=True))
        organisations = set(centre.services.values_list("organization", flat=True))
        assert len(organisations) >= 3, centre.name
        assert {"wellbeing_county", "municipality"} <= kinds, centre.name
        assert centre.municipalities.exists(), centre.name


@pytest.mark.django_db
def test_it_lets_the_kuopio_publisher_edit_only_as_a_publisher_of_kuopio() -> None:
    _load_demo()

    publisher = get_user_model().objects.get(username="kuopio")

    assert list(Publisher.objects.filter(user=publisher).values_list("organization__name", flat=True)) == [
        "Kuopion kaupunki"
    ]
    assert publisher.is_staff and not publisher.is_superuser
    assert publisher.has_perm("directory.change_service")
    assert publisher.has_perm("directory.add_schedule")
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_it_gives_the_data_quality_view_something_to_show() -> None:
    _load_demo()
    year_ago = timezone.localdate() - dt.timedelta(days=365)

    services = list(Service.objects.prefetch_related("schedules"))
    assert any(s.missing_translations() for s in services)
    assert any(not s.schedules.all() for s in services)
    assert any(s.assured_date and s.assured_date < year_ago for s in services)
    assert Schedule.objects.filter(closed=True, valid_from__month=12, valid_from__day=24).exists()


@pytest.mark.django_db
def test_it_builds_demo_records_that_follow_the_profile(hsds_dir: Path) -> None:
    records = demo_records(TODAY)

    for record in records[:: max(1, len(records) // 15)]:
        assert validate_profile(record, hsds_dir / "schema") == [], record["name"]


@pytest.mark.django_db
def test_it_generates_the_requested_number_of_importable_services() -> None:
    load_demo_areas()
    load_demo_taxonomies()

    records = list(generate_national(400, seed=3, today=TODAY))
    result = import_records(records)

    assert len({r["id"] for r in records}) == 400
    assert result.services == 400
    assert Service.objects.count() == 400
    assert set(ServiceArea.objects.values_list("municipality__code", flat=True)) == {
        p.code for p in places_from_database()
    }


@pytest.mark.django_db
def test_it_generates_valid_hsds_services(hsds_dir: Path) -> None:
    load_demo_areas()
    schema = json.loads((hsds_dir / "schema" / "compiled" / "service.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)

    records = list(generate_national(1000, seed=1, today=TODAY))
    sample = random.Random(7).sample(records, 25)

    for record in sample:
        assert [e.message for e in validator.iter_errors(record)] == [], record["id"]
        assert validate_profile(record, hsds_dir / "schema") == [], record["id"]


@pytest.mark.django_db
def test_it_generates_the_same_services_for_the_same_seed() -> None:
    load_demo_areas()

    first = list(generate_national(300, seed=5, today=TODAY))
    again = list(generate_national(300, seed=5, today=TODAY))
    other = list(generate_national(300, seed=6, today=TODAY))

    assert first == again
    assert first != other
