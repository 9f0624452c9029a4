"""The demo requests and referrals: loaded by `lape demo` through the app's own actions, once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from lape.access.models import AccessLogEntry
from lape.access.verify import verify_chain
from lape.referrals.demo import DEMO_STATUS_TOKEN, load_demo_referrals
from lape.referrals.models import ContactRequest, Notification, Referral
from lape.referrals.requests import request_status
from lape.referrals.triage import is_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())


def test_the_demo_notifies_in_the_app_without_sending_email(demo: None, mailoutbox: list[Any]) -> None:
    assert Notification.objects.filter(recipient__username="koordinaattori", kind="new_request").exists()
    assert mailoutbox == []


def test_the_demo_has_requests_in_every_state_and_one_overdue(demo: None) -> None:
    requests = {r.reference: r for r in ContactRequest.objects.all()}
    assert sorted(requests) == ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004"]
    assert [requests[f"DEMO-000{n}"].status for n in range(1, 5)] == ["new", "new", "answered", "closed"]
    assert is_overdue(requests["DEMO-0002"]) and not is_overdue(requests["DEMO-0001"])
    assert requests["DEMO-0001"].language == "sv"
    assert requests["DEMO-0003"].person is not None


def test_the_demo_status_link_works(demo: None) -> None:
    status = request_status(DEMO_STATUS_TOKEN)
    assert status is not None and status.reference == "DEMO-0001"


def test_the_demo_has_a_closed_loop_a_running_referral_and_a_notification(demo: None) -> None:
    referrals = {r.receiver_service.name: r for r in Referral.objects.select_related("receiver_service")}
    assert {r.status for r in referrals.values()} == {"in-progress", "completed", "requested"}
    notification = Referral.objects.get(kind="child_protection_notification")
    assert notification.status == "requested" and notification.sender_organization.name == "Kuopion kaupunki"
    completed = Referral.objects.get(status="completed")
    assert completed.outcome
    cross = Referral.objects.get(status="in-progress")
    assert cross.sender_organization != cross.receiver_organization
    assert cross.items.get().basis == "consent"


def test_the_demo_is_in_the_access_log_and_the_chain_holds(demo: None) -> None:
    assert AccessLogEntry.objects.filter(
        username="perhetyontekija", action="export", outcome="allowed"
    ).exists()
    assert AccessLogEntry.objects.filter(username="opettaja", law="417/2007 25 §").exists()
    assert verify_chain().ok


def test_a_second_run_adds_nothing(demo: None) -> None:
    assert load_demo_referrals() == 0
    call_command("demo", stdout=io.StringIO())
    assert ContactRequest.objects.count() == 4 and Referral.objects.count() == 3
