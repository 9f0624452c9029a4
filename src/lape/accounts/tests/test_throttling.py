"""Throttling: five failures (passwords or codes) lock a username at an address out for fifteen minutes."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from lape.accounts.tests.conftest import World
from lape.accounts.tests.login_steps import code_for, post_code, post_password, wrong_code
from lape.accounts.throttling import client_ip

pytestmark = pytest.mark.django_db


def test_it_locks_a_username_out_after_five_wrong_passwords(world: World, browser_client: Client) -> None:
    for _ in range(4):
        assert post_password(browser_client, "nurse", password="wrong").status_code == 400
    response = post_password(browser_client, "nurse", password="wrong")
    assert response.status_code == 429
    assert "Login locked for a while" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_it_refuses_even_the_right_password_while_locked_out(world: World, browser_client: Client) -> None:
    for _ in range(5):
        post_password(browser_client, "nurse", password="wrong")
    response = post_password(browser_client, "nurse")
    assert response.status_code == 429
    assert "_auth_user_id" not in browser_client.session


def test_it_does_not_lock_another_username_out(world: World, browser_client: Client) -> None:
    for _ in range(5):
        post_password(browser_client, "nurse", password="wrong")
    response = post_password(browser_client, "publisher")
    assert response.status_code == 302


def test_it_forgets_failures_after_a_successful_login(world: World, browser_client: Client) -> None:
    for _ in range(4):
        post_password(browser_client, "publisher", password="wrong")
    assert post_password(browser_client, "publisher").status_code == 302
    browser_client.post("/accounts/logout/")
    for _ in range(4):
        assert post_password(browser_client, "publisher", password="wrong").status_code == 400


def test_it_shows_the_lockout_page_in_finnish(world: World, browser_client: Client) -> None:
    for _ in range(5):
        response = browser_client.post(
            "/accounts/login/", {"username": "nurse", "password": "wrong"}, headers={"Accept-Language": "fi"}
        )
    assert response.status_code == 429
    assert "Kirjautuminen on lukittu" in response.content.decode()


def test_it_counts_wrong_codes_as_failed_logins(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    bad = wrong_code(world.nurse_device)
    statuses = []
    for _ in range(5):
        # django-otp's own back-off would make the test wait; reset it to see axes count every code.
        type(world.nurse_device).objects.filter(pk=world.nurse_device.pk).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        statuses.append(post_code(browser_client, bad).status_code)
    assert statuses == [400, 400, 400, 400, 429]
    # The half-done login ended: the thief must start again, and the password is locked too.
    assert "_auth_user_id" not in browser_client.session
    assert post_password(browser_client, "nurse").status_code == 429


def test_it_does_not_keep_the_wrong_code_in_the_failure_records(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    bad = wrong_code(world.nurse_device)
    post_code(browser_client, bad)
    attempt = AccessAttempt.objects.get(username="nurse")
    assert bad not in attempt.post_data


def test_it_slows_a_device_down_after_a_wrong_code(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    post_code(browser_client, wrong_code(world.nurse_device))
    # Right away the right code waits: django-otp's back-off after a failure.
    response = post_code(browser_client, code_for(world.nurse_device))
    assert response.status_code == 400
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert "otp_device_id" not in browser_client.session


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "192.0.2.1"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.0.0.1"},
            "203.0.113.9",
        ),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
    ],
)
def test_it_trusts_only_the_addresses_our_own_proxies_added(
    rf: Any, settings: Any, proxies: int, meta: dict[str, str], expected: str
) -> None:
    settings.LAPE_PROXY_COUNT = proxies
    request = rf.get("/accounts/login/", **meta)
    request.META.update(meta)
    assert client_ip(request) == expected


def test_it_refuses_a_huge_username_on_the_admin_login_as_a_wrong_login(
    world: World, browser_client: Client
) -> None:
    # The admin's login form does not check the length; axes records a cut username instead of failing.
    response = browser_client.post("/admin/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
