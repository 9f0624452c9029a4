"""Choosing the membership to act in: a coordinator who is also a social worker chooses after login."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.acting import current_actor
from lape.accounts.models import Membership, Role
from lape.accounts.tests.conftest import NURSE_KEY, World
from lape.accounts.tests.login_steps import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lape.accounts.tests.protected_urls")]


@pytest.fixture
def coordinator_device(world: World) -> TOTPDevice:
    return TOTPDevice.objects.create(user=world.coordinator, name="LAPE", key=NURSE_KEY, confirmed=True)


def _membership(world: World, role: Role) -> Membership:
    return Membership.objects.get(user=world.coordinator, role=role)


def test_it_asks_the_coordinator_which_role_she_works_in(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    response = log_in(browser_client, "coordinator", coordinator_device)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/acting-as/")
    page = browser_client.get(response["Location"]).content.decode()
    assert "family-centre coordinator – Pohjois-Savon hyvinvointialue" in page
    assert "social worker – Pohjois-Savon hyvinvointialue / Lapsiperheiden sosiaalityö" in page
    assert "<fieldset>" in page and "<legend>Act as</legend>" in page


def test_it_sends_the_coordinator_to_the_choice_before_client_data(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    log_in(browser_client, "coordinator", coordinator_device)
    response = browser_client.get("/client-record/")
    assert response["Location"] == "/accounts/acting-as/?next=%2Fclient-record%2F"


def test_it_acts_in_the_chosen_role_and_changes_it_on_request(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    log_in(browser_client, "coordinator", coordinator_device)
    chosen = _membership(world, Role.COORDINATOR)
    response = browser_client.post(
        "/accounts/acting-as/", {"membership": chosen.pk, "next": "/client-record/"}
    )
    assert response["Location"] == "/client-record/"
    assert "as coordinator" in browser_client.get("/client-record/").content.decode()

    other = _membership(world, Role.SOCIAL_WORKER)
    browser_client.post("/accounts/acting-as/", {"membership": other.pk})
    response = browser_client.get("/client-record/")
    assert "as social_worker" in response.content.decode()
    actor = current_actor(response.wsgi_request)
    assert actor is not None and actor.membership_id == other.pk and actor.unit_id == world.social_work.pk


def test_it_refuses_to_act_in_someone_elses_membership(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    log_in(browser_client, "coordinator", coordinator_device)
    nurses = Membership.objects.get(user=world.nurse)
    response = browser_client.post("/accounts/acting-as/", {"membership": nurses.pk})
    assert response.status_code == 400
    assert "That role is not one of yours now" in response.content.decode()
    assert browser_client.get("/client-record/").status_code == 302


def test_it_refuses_a_membership_that_has_ended(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    log_in(browser_client, "coordinator", coordinator_device)
    chosen = _membership(world, Role.COORDINATOR)
    browser_client.post("/accounts/acting-as/", {"membership": chosen.pk})
    Membership.objects.filter(pk=chosen.pk).update(ended="2024-06-30")
    # The only one left is chosen for her: no page of client data in the ended role.
    response = browser_client.get("/client-record/", follow=True)
    assert "as social_worker" in response.content.decode()


def test_it_chooses_the_only_membership_without_asking(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    response = browser_client.get("/accounts/acting-as/")
    assert response.status_code == 302
    assert browser_client.session["lape_acting_membership"] == str(
        Membership.objects.get(user=world.nurse).pk
    )


def test_it_shows_who_is_acting_in_the_header_fragment(world: World, browser_client: Client) -> None:
    log_in(browser_client, "nurse", world.nurse_device)
    page = browser_client.get("/accounts/").content.decode()
    header = page.split('data-testid="acting-as"')[1].split("</section>")[0]
    assert "acting as <strong>public health nurse</strong>" in header
    assert "Pohjois-Savon hyvinvointialue / Child health clinic" in header


def test_it_reads_the_memberships_once_for_a_page_with_the_acting_as_header(
    world: World, coordinator_device: TOTPDevice, browser_client: Client
) -> None:
    log_in(browser_client, "coordinator", coordinator_device)
    browser_client.post("/accounts/acting-as/", {"membership": _membership(world, Role.COORDINATOR).pk})
    with CaptureQueriesContext(connection) as captured:
        page = browser_client.get("/accounts/").content.decode()
    assert "acting now" in page and "Change role" in page
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "accounts_membership"' in q["sql"]]
    assert len(reads) == 1
