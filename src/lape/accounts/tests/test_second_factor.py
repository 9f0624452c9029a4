"""The second factor: required for every role that sees client data, set up with a QR code or by hand."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.models import Membership
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.accounts.tests.conftest import World
from lape.accounts.tests.login_steps import code_for, log_in, post_password, wrong_code

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lape.accounts.tests.protected_urls")]


def test_it_lets_the_nurse_see_client_data_after_both_steps(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    response = browser_client.get("/client-record/")
    assert response.status_code == 200
    assert response.content.decode() == f"nurse as public_health_nurse in {world.county.pk}"


def test_it_refuses_the_nurse_client_data_after_the_password_alone(
    world: World, browser_client: Client
) -> None:
    post_password(browser_client, "nurse")
    response = browser_client.get("/client-record/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=%2Fclient-record%2F"


def test_it_needs_the_second_factor_for_every_role_that_sees_client_data(
    world: World, browser_client: Client
) -> None:
    membership = Membership.objects.get(user=world.nurse)
    post_password(browser_client, "nurse")
    for role in sorted(SEES_CLIENT_DATA):
        Membership.objects.filter(pk=membership.pk).update(role=role)
        response = browser_client.get("/client-record/")
        assert response.status_code == 302, role
        assert response["Location"].startswith("/accounts/login/code/"), role


@pytest.mark.parametrize("role", ["publisher", "manager", "administrator"])
def test_it_does_not_need_the_second_factor_for_roles_without_client_data(
    world: World, browser_client: Client, role: str
) -> None:
    Membership.objects.filter(user=world.publisher).update(role=role)
    post_password(browser_client, "publisher")
    response = browser_client.get("/client-record/")
    assert response.status_code == 200
    assert response.content.decode().startswith(f"publisher as {role}")


def test_it_sends_a_visitor_to_the_login_page(world: World, browser_client: Client) -> None:
    response = browser_client.get("/client-record/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/client-record/"


def test_it_sends_someone_without_a_membership_to_a_page_that_says_so(
    world: World, browser_client: Client
) -> None:
    post_password(browser_client, "stranger")
    response = browser_client.get("/client-record/", follow=True)
    assert response.status_code == 403
    assert "No role in force" in response.content.decode()


def test_it_refuses_a_nurse_whose_membership_has_ended(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    yesterday = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011 - a date a day back is enough
    Membership.objects.filter(user=world.nurse).update(ended=yesterday)
    response = browser_client.get("/client-record/", follow=True)
    assert response.status_code == 403


def test_it_shows_the_qr_code_and_the_key_to_set_up_the_app(world: World, browser_client: Client) -> None:
    post_password(browser_client, "social-worker")
    response = browser_client.get("/accounts/two-factor/setup/")
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=world.social_worker)
    assert device.confirmed is False
    assert "<svg" in html and "<title>QR code for your authenticator app</title>" in html
    secret = html.split('<code id="totp-secret">')[1].split("</code>")[0].replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key


def test_it_keeps_the_same_key_while_the_app_is_being_set_up(world: World, browser_client: Client) -> None:
    post_password(browser_client, "social-worker")
    browser_client.get("/accounts/two-factor/setup/")
    browser_client.get("/accounts/two-factor/setup/")
    assert TOTPDevice.objects.filter(user=world.social_worker).count() == 1


def test_it_confirms_the_app_with_a_code_and_lets_the_social_worker_in(
    world: World, browser_client: Client
) -> None:
    post_password(browser_client, "social-worker", next_url="/client-record/")
    browser_client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=world.social_worker)
    response = browser_client.post(
        "/accounts/two-factor/setup/", {"code": code_for(device), "next": "/client-record/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/client-record/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert browser_client.get("/client-record/").status_code == 200


def test_it_does_not_confirm_the_app_with_a_wrong_code(world: World, browser_client: Client) -> None:
    post_password(browser_client, "social-worker")
    browser_client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=world.social_worker)
    response = browser_client.post("/accounts/two-factor/setup/", {"code": wrong_code(device)})
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.confirmed is False
    assert browser_client.get("/client-record/").status_code == 302


def test_it_never_shows_the_key_of_a_device_already_set_up(world: World, browser_client: Client) -> None:
    post_password(browser_client, "nurse")
    response = browser_client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    assert TOTPDevice.objects.filter(user=world.nurse).count() == 1
