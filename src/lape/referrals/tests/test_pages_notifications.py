"""The in-app notifications page: what is waiting, with a link; opening marks it read; never client details."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lape.referrals.handling import assign_request
from lape.referrals.models import Notification
from lape.referrals.tests.conftest import World, family_asks, membership_of
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db


def _assigned_to_the_family_worker(world: World) -> Notification:
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    return Notification.objects.get(recipient_id=world.family_worker.user_id)


def test_it_lists_the_notifications_with_the_unread_count_and_no_client_details(world: World) -> None:
    _assigned_to_the_family_worker(world)
    html = browser_of(world.family_worker).get("/work/notifications/").content.decode()
    assert "A contact request was assigned to you" in html
    assert "(1 unread)" in html
    for private in ("Maija", "sleep", "4567"):
        assert private not in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world: World) -> None:
    notification = _assigned_to_the_family_worker(world)
    client = browser_of(world.family_worker)
    response = client.post(f"/work/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == notification.link
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get(response["Location"]).status_code == 200
    assert "unread)" not in client.get("/work/notifications/").content.decode()


def test_someone_elses_notification_is_not_opened_or_marked(world: World) -> None:
    notification = _assigned_to_the_family_worker(world)
    for target in (str(notification.pk), "not-a-uuid"):
        response = browser_of(world.social_worker).post(f"/work/notifications/{target}/open/")
        assert response.status_code == 302 and response["Location"] == "/work/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_all_notifications_are_marked_read_at_once(world: World) -> None:
    _assigned_to_the_family_worker(world)
    family_asks(world)  # the coordinator's notices, not the family worker's
    response = browser_of(world.family_worker).post("/work/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(
        recipient_id=world.family_worker.user_id, read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(recipient_id=world.coordinator.user_id, read_at__isnull=True).exists()


def test_marking_all_read_is_one_update_however_many_there_are(world: World) -> None:
    for _request in range(4):
        assign_request(
            world.coordinator,
            family_asks(world).request.pk,
            service=world.family_work,
            professional=membership_of(world.family_worker),
        )
    client = browser_of(world.family_worker)
    client.get("/work/notifications/")  # the session's own queries settle first
    with CaptureQueriesContext(connection) as queries:
        client.post("/work/notifications/read/")
    updates = [q["sql"] for q in queries.captured_queries if "referrals_notification" in q["sql"]]
    assert len(updates) == 1 and updates[0].startswith("UPDATE")
    assert (
        Notification.objects.filter(recipient_id=world.family_worker.user_id, read_at__isnull=False).count()
        == 4
    )


def test_a_notification_link_to_another_site_is_not_followed(world: World) -> None:
    notification = _assigned_to_the_family_worker(world)
    Notification.objects.filter(pk=notification.pk).update(link="//evil.example/phish")
    response = browser_of(world.family_worker).post(f"/work/notifications/{notification.pk}/open/")
    assert response["Location"] == "/work/notifications/"


def test_marking_read_needs_a_post_with_the_csrf_token(world: World) -> None:
    notification = _assigned_to_the_family_worker(world)
    client = browser_of(world.family_worker, enforce_csrf_checks=True)
    assert client.post(f"/work/notifications/{notification.pk}/open/").status_code == 403
    assert client.get(f"/work/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
