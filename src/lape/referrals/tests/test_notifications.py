"""Notifications in the app and by e-mail: on assignment, status change and overdue; never client details."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from lape.referrals.flow import transition_referral
from lape.referrals.handling import assign_request
from lape.referrals.models import ContactRequest, Notification
from lape.referrals.notifications import mark_read, notifications_for, status_label, unread_count
from lape.referrals.referring import create_referral

from .conftest import World, consent_to, family_asks, identified_request, membership_of

SECRETS = ("sleep", "exhausted", "Maija", "Aino", "Testinen", "4567", "Perhetyö", "Perhekummi", "bruises")


def _run_on_commit(callbacks: list[Any]) -> None:
    for callback in callbacks:
        callback()


def _no_details(mailoutbox: list[Any]) -> None:
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        for secret in SECRETS:
            assert secret not in text, (secret, text)
        for request in ContactRequest.objects.all():
            assert request.reference not in text


def test_an_assignment_tells_the_professional_in_the_app_and_by_email(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = family_asks(world).request
        assign_request(
            world.coordinator,
            request.pk,
            service=world.family_work,
            professional=membership_of(world.family_worker),
        )
    notice = Notification.objects.get(recipient__username="family-worker")
    assert (notice.kind, notice.link, notice.emailed) == (
        "request_assigned",
        f"/work/requests/{request.pk}/",
        True,
    )
    to_worker = [m for m in mailoutbox if m.to == ["family-worker@example.org"]]
    assert len(to_worker) == 1
    assert f"/work/requests/{request.pk}/" in to_worker[0].body
    _no_details(mailoutbox)


def test_a_status_change_tells_the_sender_without_details(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact")
    with django_capture_on_commit_callbacks(execute=True):
        referral = create_referral(
            world.family_worker,
            person=world.child,
            receiver_service=world.family_friend,
            category="ngo_support",
            reason="Aino's family is exhausted.",
        )
        transition_referral(
            world.ngo_worker, referral.pk, "rejected", reason="No family friends free until spring."
        )
    notice = Notification.objects.get(recipient__username="family-worker", kind="referral_status")
    assert notice.status == "rejected"
    assert status_label(notice) == "a referral's status changed: rejected"
    assert {m.to[0] for m in mailoutbox} >= {"family-worker@example.org", "ngo-worker@example.org"}
    _no_details(mailoutbox)
    assert all("spring" not in m.body for m in mailoutbox)


def test_overdue_requests_are_notified_once(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    late = family_asks(world).request
    family_asks(world)  # on time
    ContactRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    Notification.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_overdue", stdout=out)
        call_command("notify_overdue", stdout=out)
    assert "Overdue contact requests notified: 1." in out.getvalue()
    assert "Overdue contact requests notified: 0." in out.getvalue()
    notices = list(Notification.objects.values_list("recipient__username", "kind", "link"))
    assert notices == [("coordinator", "request_overdue", f"/work/requests/{late.pk}/")]
    assert len(mailoutbox) == 1
    _no_details(mailoutbox)


def test_a_professional_reads_and_marks_their_notifications(world: World) -> None:
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    worker = world.family_worker.user_id
    notice = notifications_for(worker).get()
    assert unread_count(worker) == 1
    assert not mark_read(world.coordinator.user_id, notice.pk)  # not hers
    assert unread_count(worker) == 1
    assert mark_read(worker, notice.pk)
    assert unread_count(worker) == 0 and notifications_for(worker, unread_only=True).count() == 0
    assert not mark_read(worker, "not-an-id")


def test_a_user_without_an_email_address_gets_the_in_app_notice_only(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.models import User

    User.objects.filter(username="coordinator").update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        family_asks(world)
    assert Notification.objects.filter(recipient__username="coordinator").count() == 1
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_undo_the_request(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        family_asks(world)
    assert ContactRequest.objects.count() == 1
    assert Notification.objects.get().emailed is False
