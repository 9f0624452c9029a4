"""The API lets in the same actors as the pages: logged in, in a membership, with the second factor when needed."""

from __future__ import annotations

import pytest
from django.test import Client

from lape.accounts.tests.conftest import PASSWORD, World
from lape.accounts.tests.login_steps import log_in, post_password

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lape.accounts.tests.protected_urls")]


def test_it_answers_the_verified_nurse_as_her_actor(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    response = browser_client.get("/test-api/client-record")
    assert response.status_code == 200
    assert response.json() == {"username": "nurse", "role": "public_health_nurse"}


def test_it_refuses_the_nurse_before_her_code(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    assert browser_client.get("/test-api/client-record").status_code == 401


def test_it_refuses_a_visitor_and_a_stranger(world: World, browser_client: Client) -> None:
    assert browser_client.get("/test-api/client-record").status_code == 401
    post_password(browser_client, "stranger")
    assert browser_client.get("/test-api/client-record").status_code == 401


def test_it_lets_a_publisher_in_without_a_code(world: World, browser_client: Client) -> None:
    post_password(browser_client, "publisher")
    assert browser_client.get("/test-api/client-record").json()["role"] == "publisher"


def test_it_refuses_a_write_without_the_csrf_token(world: World) -> None:
    browser = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    browser.post(
        "/accounts/login/", {"username": "publisher", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert browser.post("/test-api/client-record").status_code == 403
    token = browser.cookies["csrftoken"].value  # a login rotates the token
    response = browser.post("/test-api/client-record", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json() == {"changed_by": "publisher"}
