"""The back office: a publisher edits only their own organisation's services, in three languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lape.directory.models import Location, Organization, Publisher, Schedule, Service, ServiceAtLocation
from lape.directory.permissions import can_edit_service, organizations_for, publisher_group

pytestmark = pytest.mark.django_db


def _publisher(username: str, organization: Organization) -> User:
    user = User.objects.create_user(username, password="not-a-real-password-1", is_staff=True)
    user.groups.add(publisher_group())
    Publisher.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def world() -> dict[str, Any]:
    """Two organisations with a service each; a publisher of each, and an administrator."""
    kuopio = Organization.objects.create(name="Kuopion kaupunki", business_id="0171612-6")
    ngo = Organization.objects.create(name="Perhetalo ry")
    return {
        "kuopio": kuopio,
        "ngo": ngo,
        "neuvola": Service.objects.create(organization=kuopio, name="Lastenneuvola"),
        "kerho": Service.objects.create(organization=ngo, name="Vauvakerho"),
        "nurse_publisher": _publisher("kuopio-publisher", kuopio),
        "ngo_publisher": _publisher("ngo-publisher", ngo),
        "admin": User.objects.create_superuser("administrator", password="not-a-real-password-2"),
    }


def _client(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def _form_data(response: Any) -> dict[str, Any]:
    """The POST data a browser would send for an admin change form, as it was rendered."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, dt.date | dt.time):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data


def test_it_limits_a_publisher_to_their_own_organisations(world: dict[str, Any]) -> None:
    assert list(organizations_for(world["nurse_publisher"])) == [world["kuopio"]]
    assert can_edit_service(world["nurse_publisher"], world["neuvola"])
    assert not can_edit_service(world["nurse_publisher"], world["kerho"])
    assert can_edit_service(world["admin"], world["kerho"])


def test_it_lists_only_the_publishers_own_services(world: dict[str, Any]) -> None:
    response = _client(world["nurse_publisher"]).get(reverse("admin:directory_service_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world["neuvola"]]
    assert "Vauvakerho" not in response.content.decode()


def test_it_lists_every_service_for_an_administrator(world: dict[str, Any]) -> None:
    response = _client(world["admin"]).get(reverse("admin:directory_service_changelist"))
    assert set(response.context["cl"].result_list) == {world["neuvola"], world["kerho"]}


def test_it_opens_the_publishers_own_service(world: dict[str, Any]) -> None:
    url = reverse("admin:directory_service_change", args=[world["neuvola"].pk])
    response = _client(world["nurse_publisher"]).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name_sv"' in html
    assert 'lang="sv"' in html
    assert 'name="translations"' not in html


def test_it_answers_not_found_for_another_organisations_service(world: dict[str, Any]) -> None:
    client = _client(world["nurse_publisher"])
    for view in ("change", "delete", "history"):
        url = reverse(f"admin:directory_service_{view}", args=[world["kerho"].pk])
        assert client.get(url).status_code in {403, 404}, view


def test_it_refuses_a_change_posted_to_another_organisations_service(world: dict[str, Any]) -> None:
    kerho = world["kerho"]
    url = reverse("admin:directory_service_change", args=[kerho.pk])
    # The data is what the NGO's own publisher would post, so only the organisation differs.
    data = _form_data(_client(world["ngo_publisher"]).get(url))
    data["name"] = "Kaapattu"
    response = _client(world["nurse_publisher"]).post(url, data)
    assert response.status_code in {403, 404}
    kerho.refresh_from_db()
    assert kerho.name == "Vauvakerho"


def test_it_offers_only_the_publishers_organisations_on_a_service(world: dict[str, Any]) -> None:
    response = _client(world["nurse_publisher"]).get(reverse("admin:directory_service_add"))
    field = response.context["adminform"].form.fields["organization"]
    assert list(field.queryset) == [world["kuopio"]]


def test_it_refuses_to_move_a_service_to_another_organisation(world: dict[str, Any]) -> None:
    neuvola = world["neuvola"]
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    client = _client(world["nurse_publisher"])
    data = _form_data(client.get(url))
    data["organization"] = str(world["ngo"].pk)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with an error
    assert response.context["adminform"].form.errors["organization"]
    neuvola.refresh_from_db()
    assert neuvola.organization == world["kuopio"]


def test_it_saves_swedish_and_english_text_into_translations(world: dict[str, Any]) -> None:
    neuvola = world["neuvola"]
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    client = _client(world["nurse_publisher"])
    data = _form_data(client.get(url))
    data.update(
        {"name_sv": "Barnrådgivning", "description_sv": "För barnfamiljer.", "name_en": "Child health clinic"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    neuvola.refresh_from_db()
    assert neuvola.name == "Lastenneuvola"
    assert neuvola.translations == {
        "sv": {"name": "Barnrådgivning", "description": "För barnfamiljer."},
        "en": {"name": "Child health clinic"},
    }
    record = neuvola.history.first()
    assert record.history_user == world["nurse_publisher"]


def test_it_shows_existing_translations_in_the_form(world: dict[str, Any]) -> None:
    neuvola = world["neuvola"]
    neuvola.set_text("name", "sv", "Barnrådgivning")
    neuvola.save()
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    form = _client(world["nurse_publisher"]).get(url).context["adminform"].form
    assert form["name_sv"].value() == "Barnrådgivning"
    assert form["name_en"].value() == ""


def test_it_records_opening_hours_added_inline_on_the_services_history(world: dict[str, Any]) -> None:
    neuvola = world["neuvola"]
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    client = _client(world["nurse_publisher"])
    data = _form_data(client.get(url))
    data.update(
        {
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-byday": "MO,TU",
            "schedules-0-opens_at": "08:00",
            "schedules-0-closes_at": "16:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert neuvola.schedules.get().byday == "MO,TU"
    latest = neuvola.history.first()
    assert latest.history_user == world["nurse_publisher"]
    assert "1" in latest.history_change_reason
    history = client.get(reverse("admin:directory_service_history", args=[neuvola.pk])).content.decode()
    assert "MO,TU" in history


def test_it_records_a_text_and_inline_change_as_one_history_entry(world: dict[str, Any]) -> None:
    neuvola = world["neuvola"]
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    client = _client(world["nurse_publisher"])
    data = _form_data(client.get(url))
    before = neuvola.history.count()
    data.update({"name_sv": "Barnrådgivning", "schedules-TOTAL_FORMS": "1", "schedules-0-byday": "WE"})
    assert client.post(url, data).status_code == 302
    assert neuvola.history.count() == before + 1
    latest = neuvola.history.first()
    assert latest.translations == {"sv": {"name": "Barnrådgivning"}}
    assert latest.history_change_reason.endswith("added: 1")


def test_it_will_not_let_an_inline_take_over_another_organisations_schedule(world: dict[str, Any]) -> None:
    neuvola, kerho = world["neuvola"], world["kerho"]
    foreign = Schedule.objects.create(service=kerho, byday="FR", description="NGO")
    url = reverse("admin:directory_service_change", args=[neuvola.pk])
    client = _client(world["nurse_publisher"])
    data = _form_data(client.get(url))
    data.update(
        {
            "schedules-TOTAL_FORMS": "1",
            "schedules-INITIAL_FORMS": "1",
            "schedules-0-id": str(foreign.pk),
            "schedules-0-service": str(neuvola.pk),
            "schedules-0-byday": "SA",
        }
    )
    client.post(url, data)
    # The formset only knows the service's own rows: the posted id is treated as a new row.
    foreign.refresh_from_db()
    assert (foreign.service_id, foreign.byday) == (kerho.pk, "FR")
    assert not neuvola.schedules.filter(pk=foreign.pk).exists()


def test_it_hides_another_organisations_locations_and_links(world: dict[str, Any]) -> None:
    ours = Location.objects.create(name="Neuvolatalo", organization=world["kuopio"])
    theirs = Location.objects.create(name="Perhetalo", organization=world["ngo"])
    ServiceAtLocation.objects.create(service=world["kerho"], location=theirs)
    client = _client(world["nurse_publisher"])
    locations = client.get(reverse("admin:directory_location_changelist")).context["cl"].result_list
    assert list(locations) == [ours]
    links = client.get(reverse("admin:directory_serviceatlocation_changelist")).context["cl"].result_list
    assert list(links) == []
    assert client.get(reverse("admin:directory_location_change", args=[theirs.pk])).status_code == 404


def test_it_lets_a_stranger_with_staff_status_see_nothing(world: dict[str, Any]) -> None:
    stranger = User.objects.create_user("stranger", password="not-a-real-password-3", is_staff=True)
    stranger.groups.add(publisher_group())
    response = _client(stranger).get(reverse("admin:directory_service_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_it_links_the_quality_view_from_the_admin_index(world: dict[str, Any]) -> None:
    response = _client(world["nurse_publisher"]).get(reverse("admin:index"))
    assert reverse("admin:directory_service_quality") in response.content.decode()


def test_it_refuses_a_schedule_that_belongs_to_no_one(world: dict[str, Any]) -> None:
    client = _client(world["nurse_publisher"])
    data = {"byday": "MO", "opens_at": "08:00", "closes_at": "12:00"}
    response = client.post(reverse("admin:directory_schedule_add"), data)
    assert response.status_code == 200
    assert "your own organisation" in str(response.context["adminform"].form.non_field_errors())
    assert not Schedule.objects.exists()


def test_it_accepts_a_schedule_for_the_publishers_own_service(world: dict[str, Any]) -> None:
    client = _client(world["nurse_publisher"])
    data = {"service": str(world["neuvola"].pk), "byday": "MO", "opens_at": "08:00", "closes_at": "12:00"}
    response = client.post(reverse("admin:directory_schedule_add"), data)
    assert response.status_code == 302
    assert world["neuvola"].schedules.get().byday == "MO"


def test_it_refuses_a_location_for_another_organisation(world: dict[str, Any]) -> None:
    client = _client(world["nurse_publisher"])
    data = {
        "organization": str(world["ngo"].pk),
        "location_type": "physical",
        "name": "Vieras talo",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("addresses", "schedules", "phones", "languages")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post(reverse("admin:directory_location_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organization"]
    assert not Location.objects.exists()
