"""Logging in: a password, then the code from the authenticator app; every failure says what to do."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lape.accounts.acting import current_actor
from lape.accounts.models import Role
from lape.accounts.tests.conftest import PASSWORD, World
from lape.accounts.tests.login_steps import code_for, post_code, post_password, wrong_code

pytestmark = pytest.mark.django_db


def _is_verified(client: Client) -> bool:
    return "otp_device_id" in client.session


def test_it_shows_a_login_form_that_works_without_javascript(browser_client: Client) -> None:
    response = browser_client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/accounts/login/"' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_it_shows_the_login_page_in_finnish_and_swedish(browser_client: Client) -> None:
    finnish = browser_client.get("/accounts/login/", headers={"Accept-Language": "fi"}).content.decode()
    swedish = browser_client.get("/accounts/login/", headers={"Accept-Language": "sv"}).content.decode()
    assert "Kirjaudu" in finnish
    assert "Logga in" in swedish


def test_it_logs_a_nurse_in_with_her_password_and_the_code(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "nurse", next_url="/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    assert not _is_verified(browser_client)

    response = post_code(browser_client, code_for(world.nurse_device), next_url="/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert _is_verified(browser_client)
    page = browser_client.get("/accounts/").content.decode()
    assert "public health nurse" in page
    assert "Child health clinic" in page


def test_it_refuses_a_wrong_password_and_says_so(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "nurse", password="wrong password")
    assert response.status_code == 400
    assert "The username or the password is wrong" in response.content.decode()
    assert "_auth_user_id" not in browser_client.session


def test_it_refuses_an_unknown_username_with_the_same_message(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "nobody-here")
    assert response.status_code == 400
    assert "The username or the password is wrong" in response.content.decode()


def test_it_refuses_a_wrong_code_and_leaves_the_nurse_unverified(
    world: World, browser_client: Client
) -> None:
    post_password(browser_client, "nurse")
    response = post_code(browser_client, wrong_code(world.nurse_device))
    assert response.status_code == 400
    assert "The code is wrong or has expired" in response.content.decode()
    assert not _is_verified(browser_client)


def test_it_refuses_a_code_used_once_already(world: World, browser_client: Client) -> None:
    code = code_for(world.nurse_device)
    post_password(browser_client, "nurse")
    assert post_code(browser_client, code).status_code == 302
    second = Client(headers={"Accept-Language": "en"})
    post_password(second, "nurse")
    response = post_code(second, code)
    assert response.status_code == 400
    assert "otp_device_id" not in second.session


def test_it_explains_what_a_code_looks_like(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    response = post_code(browser_client, "12ab")
    assert response.status_code == 400
    assert "A code is six digits" in response.content.decode()


def test_it_does_not_ask_a_publisher_for_a_code(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "publisher", next_url="/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_it_sends_a_social_worker_without_an_app_to_set_one_up(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "social-worker")
    assert response["Location"].startswith("/accounts/two-factor/setup/")


def test_it_ignores_a_next_address_of_another_site(world: World, browser_client: Client) -> None:
    response = post_password(browser_client, "publisher", next_url="https://evil.example/steal")
    assert response["Location"] == "/accounts/"


def test_it_refuses_a_login_post_without_the_csrf_token(world: World) -> None:
    forged = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    response = forged.post("/accounts/login/", {"username": "publisher", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in forged.session


def test_it_accepts_the_login_post_with_the_token_of_its_form(world: World) -> None:
    honest = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    honest.get("/accounts/login/")
    token = honest.cookies["csrftoken"].value
    response = honest.post(
        "/accounts/login/", {"username": "publisher", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in honest.session


def test_it_refuses_a_code_post_without_the_csrf_token(world: World) -> None:
    forged = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    forged.get("/accounts/login/")
    token = forged.cookies["csrftoken"].value
    forged.post("/accounts/login/", {"username": "nurse", "password": PASSWORD, "csrfmiddlewaretoken": token})
    response = forged.post("/accounts/login/code/", {"code": code_for(world.nurse_device)})
    assert response.status_code == 403
    assert "otp_device_id" not in forged.session


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "", "password": ""},
        {"username": "x" * 5000, "password": "y" * 5000},
        {"username": "nurse\x00", "password": "a\x00b"},
        {"username": ["a", "b"], "password": "c"},
        {"username": "<script>alert(1)</script>", "password": "' OR 1=1 --"},
    ],
)
def test_it_answers_garbage_on_the_login_form_with_a_form_error(
    world: World, browser_client: Client, data: dict[str, Any]
) -> None:
    response = browser_client.post("/accounts/login/", data)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "_auth_user_id" not in browser_client.session


@pytest.mark.parametrize("code", ["", "x" * 10000, "12345\x00", "１２３４５６", "999999999"])
def test_it_answers_garbage_on_the_code_form_with_a_form_error(
    world: World, browser_client: Client, code: str
) -> None:
    post_password(browser_client, "nurse")
    response = post_code(browser_client, code)
    assert response.status_code == 400
    assert not _is_verified(browser_client)


def test_it_answers_garbage_on_the_choice_form_with_a_form_error(
    world: World, browser_client: Client
) -> None:
    post_password(browser_client, "coordinator")
    for value in ("", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "\x00"):
        response = browser_client.post("/accounts/acting-as/", {"membership": value})
        assert response.status_code == 400


def test_it_knows_the_actor_after_both_steps(world: World, browser_client: Client, rf: Any) -> None:
    post_password(browser_client, "nurse")
    post_code(browser_client, code_for(world.nurse_device))
    response = browser_client.get("/accounts/")
    actor = current_actor(response.wsgi_request)
    assert actor is not None
    assert actor.role == Role.PUBLIC_HEALTH_NURSE
    assert actor.organization_id == world.county.pk
    assert actor.unit_id == world.clinic.pk
    assert actor.verified is True
