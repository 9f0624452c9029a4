"""The data-quality report: what a publisher should fix so that families find the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.directory.models import (
    Location,
    Organization,
    Publisher,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from lape.directory.permissions import publisher_group
from lape.directory.quality import Problem, quality_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def kuopio() -> Organization:
    return Organization.objects.create(name="Kuopion kaupunki")


def _complete(org: Organization, name: str = "Lastenneuvola") -> Service:
    """A service with nothing to fix."""
    service = Service.objects.create(organization=org, name=name, assured_date=TODAY - dt.timedelta(days=30))
    service.set_text("name", "sv", "Barnrådgivning")
    service.set_text("name", "en", "Child health clinic")
    service.save()
    Schedule.objects.create(service=service, byday="MO", opens_at=dt.time(8), closes_at=dt.time(16))
    ServiceArea.objects.create(service=service, name="Kuopio")
    return service


def _report(org: Organization) -> Any:
    return quality_report(Service.objects.filter(organization=org), today=TODAY)


def test_it_finds_nothing_wrong_with_a_complete_service(kuopio: Organization) -> None:
    _complete(kuopio)
    report = _report(kuopio)
    assert report.total == 1
    assert report.rows == []
    assert report.counts == dict.fromkeys(Problem.ALL, 0)


def test_it_finds_every_problem_of_an_empty_service(kuopio: Organization) -> None:
    service = Service.objects.create(organization=kuopio, name="Perhetyö", description="Kotiin tuleva tuki")
    row = _report(kuopio).rows[0]
    assert row.service == service
    assert row.problems == list(Problem.ALL)
    assert row.missing == ["sv:name", "en:name", "sv:description", "en:description"]


def test_it_reports_a_missing_english_description(kuopio: Organization) -> None:
    service = _complete(kuopio)
    service.description = "Kuvaus"
    service.set_text("description", "sv", "Beskrivning")
    service.save()
    row = _report(kuopio).rows[0]
    assert row.problems == [Problem.MISSING_TRANSLATIONS]
    assert row.missing == ["en:description"]


def test_it_accepts_opening_hours_of_the_location_where_the_service_is_given(kuopio: Organization) -> None:
    service = _complete(kuopio)
    service.schedules.all().delete()
    assert _report(kuopio).counts[Problem.NO_OPENING_HOURS] == 1
    house = Location.objects.create(name="Neuvolatalo", organization=kuopio)
    ServiceAtLocation.objects.create(service=service, location=house)
    Schedule.objects.create(location=house, byday="TU")
    assert _report(kuopio).counts[Problem.NO_OPENING_HOURS] == 0


def test_it_accepts_opening_hours_and_areas_of_a_service_at_a_location(kuopio: Organization) -> None:
    service = _complete(kuopio)
    service.schedules.all().delete()
    service.service_areas.all().delete()
    link = ServiceAtLocation.objects.create(service=service, location=Location.objects.create(name="Talo"))
    Schedule.objects.create(service_at_location=link, byday="WE")
    ServiceArea.objects.create(service_at_location=link, name="Siilinjärvi")
    assert _report(kuopio).rows == []


def test_it_flags_a_service_verified_over_a_year_ago(kuopio: Organization) -> None:
    service = _complete(kuopio)
    service.assured_date = TODAY - dt.timedelta(days=365)
    service.save()
    assert _report(kuopio).rows == []
    service.assured_date = TODAY - dt.timedelta(days=366)
    service.save()
    assert _report(kuopio).rows[0].problems == [Problem.NOT_VERIFIED]


def test_it_counts_each_problem_over_all_services(kuopio: Organization) -> None:
    _complete(kuopio, "A")
    no_area = _complete(kuopio, "B")
    no_area.service_areas.all().delete()
    Service.objects.create(organization=kuopio, name="C")
    report = _report(kuopio)
    assert report.total == 3
    assert report.counts[Problem.NO_SERVICE_AREA] == 2
    assert report.counts[Problem.NO_OPENING_HOURS] == 1
    assert [row.service.name for row in report.with_problem(Problem.NO_SERVICE_AREA)] == ["B", "C"]
    assert [row.service.name for row in report.with_problem(Problem.NO_OPENING_HOURS)] == ["C"]


def test_it_shows_a_publisher_only_their_own_services_in_the_quality_view(kuopio: Organization) -> None:
    ngo = Organization.objects.create(name="Perhetalo ry")
    Service.objects.create(organization=kuopio, name="Lastenneuvola")
    Service.objects.create(organization=ngo, name="Vauvakerho")
    publisher = User.objects.create_user("kuopio-publisher", password="not-a-real-password-1", is_staff=True)
    publisher.groups.add(publisher_group())
    Publisher.objects.create(user=publisher, organization=kuopio)
    client = Client()
    client.force_login(publisher)
    response = client.get(reverse("admin:directory_service_quality"), {"problem": Problem.NO_OPENING_HOURS})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lastenneuvola" in html
    assert "Vauvakerho" not in html
    assert response.context["report"].total == 1


def test_it_filters_the_quality_view_by_problem(kuopio: Organization) -> None:
    complete = _complete(kuopio, "Valmis")
    complete.service_areas.all().delete()
    Service.objects.create(organization=kuopio, name="Kesken", assured_date=timezone.localdate())
    admin = User.objects.create_superuser("administrator", password="not-a-real-password-2")
    client = Client()
    client.force_login(admin)
    url = reverse("admin:directory_service_quality")
    hours = client.get(url, {"problem": Problem.NO_OPENING_HOURS}).context["rows"]
    assert [row.service.name for row in hours] == ["Kesken"]
    areas = client.get(url, {"problem": Problem.NO_SERVICE_AREA}).context["rows"]
    assert [row.service.name for row in areas] == ["Kesken", "Valmis"]


def test_it_keeps_a_user_without_directory_rights_out_of_the_quality_view() -> None:
    user = User.objects.create_user("no-rights", password="not-a-real-password-4", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:directory_service_quality")).status_code == 403
