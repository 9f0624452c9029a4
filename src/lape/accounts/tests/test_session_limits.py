"""Session limits: idle timeout, absolute limit, and "log out everywhere" ending a second browser's session."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lape.accounts.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from lape.accounts.models import SessionEpoch
from lape.accounts.tests.conftest import World
from lape.accounts.tests.login_steps import log_in

pytestmark = pytest.mark.django_db


def _age_session(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = float(session[key]) - seconds
    session.save()


def _logged_in(client: Client) -> bool:
    return client.get("/accounts/").status_code == 200


def test_it_keeps_a_session_active_within_the_idle_time(world: World, browser_client: Client) -> None:
    log_in(browser_client, "publisher")
    _age_session(browser_client, SESSION_SEEN_AT, 29 * 60)
    assert _logged_in(browser_client)


def test_it_ends_a_session_idle_for_longer_than_thirty_minutes(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    _age_session(browser_client, SESSION_SEEN_AT, 31 * 60)
    response = browser_client.get("/accounts/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "You were logged out after 30 minutes without activity" in response.content.decode()
    assert "otp_device_id" not in browser_client.session


def test_it_reads_the_idle_time_from_the_settings(
    world: World, browser_client: Client, settings: Any
) -> None:
    settings.LAPE_SESSION_IDLE_MINUTES = 5
    log_in(browser_client, "publisher")
    _age_session(browser_client, SESSION_SEEN_AT, 6 * 60)
    assert not _logged_in(browser_client)


def test_it_reads_the_idle_time_from_the_environment() -> None:
    env = {
        **os.environ,
        "LAPE_ALLOW_INSECURE_KEY": "1",
        "LAPE_SESSION_IDLE_MINUTES": "7",
        "LAPE_SESSION_MAX_HOURS": "3",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from lape import settings; print(settings.LAPE_SESSION_IDLE_MINUTES, settings.LAPE_SESSION_MAX_HOURS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["7", "3"]


def test_it_ends_a_session_older_than_the_absolute_limit(world: World, browser_client: Client) -> None:
    log_in(browser_client, "publisher")
    _age_session(browser_client, SESSION_LOGIN_AT, 10 * 3600 + 60)
    response = browser_client.get("/accounts/", follow=True)
    assert "a session lasts at most 10 hours" in response.content.decode()
    assert not _logged_in(browser_client)


def test_it_logs_out_of_this_browser_only_with_a_post(world: World, browser_client: Client) -> None:
    log_in(browser_client, "publisher")
    assert browser_client.get("/accounts/logout/").status_code == 200
    assert _logged_in(browser_client)
    browser_client.post("/accounts/logout/")
    assert not _logged_in(browser_client)


def test_it_logs_out_everywhere_including_a_second_browser(world: World) -> None:
    office = Client(headers={"Accept-Language": "en"})
    home = Client(headers={"Accept-Language": "en"})
    log_in(office, "nurse", world.nurse_device)
    log_in(home, "nurse", world.nurse_device, steps_ahead=1)
    assert _logged_in(office) and _logged_in(home)

    response = office.post("/accounts/logout-everywhere/", follow=True)
    assert "You have logged out on every device" in response.content.decode()
    assert not _logged_in(office)
    response = home.get("/accounts/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "you chose to log out everywhere" in response.content.decode()
    assert "_auth_user_id" not in home.session
    assert SessionEpoch.objects.get(user=world.nurse).epoch == 1


def test_it_lets_the_person_log_in_again_after_logging_out_everywhere(
    world: World, browser_client: Client
) -> None:
    log_in(browser_client, "publisher")
    browser_client.post("/accounts/logout-everywhere/")
    log_in(browser_client, "publisher")
    assert _logged_in(browser_client)


def test_it_does_not_log_out_other_people(world: World) -> None:
    nurse = Client(headers={"Accept-Language": "en"})
    publisher = Client(headers={"Accept-Language": "en"})
    log_in(nurse, "nurse", world.nurse_device)
    log_in(publisher, "publisher")
    publisher.post("/accounts/logout-everywhere/")
    assert _logged_in(nurse)


def test_it_asks_before_logging_out_everywhere(world: World, browser_client: Client) -> None:
    log_in(browser_client, "publisher")
    page = browser_client.get("/accounts/logout-everywhere/")
    assert page.status_code == 200
    assert '<form method="post" action="/accounts/logout-everywhere/">' in page.content.decode()
    assert _logged_in(browser_client)


def test_it_leaves_an_anonymous_api_request_alone(browser_client: Client) -> None:
    # The public API is the busiest path: without a session cookie the limits read no session (so
    # the answer does not vary by cookie) and ask the database nothing.
    with CaptureQueriesContext(connection) as captured:
        response = browser_client.get("/api/hsds/services")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "django_session" not in tables
    assert "accounts_sessionepoch" not in tables
