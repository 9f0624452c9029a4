"""The concern-signal pages: a professional's signals and matches, and the family's view of them.

Professionals are logged in with both factors (lape.referrals.tests.page_clients); family members
sign in for real through the local OIDC provider (lape.accounts.tests.family_provider).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lape.access.models import AccessLogEntry
from lape.accounts.tests.family_provider import (
    Family,
    Provider,
    family,
    family_oidc,
    oidc_provider,
    person,
    register,
    sign_in,
)
from lape.people.identity_codes import compose_identity_code
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, child_code, years_ago
from lape.referrals.tests.page_clients import browser_of

from ..concerns import MATCH_RECORD, SIGNAL_RECORD, register_signal, withdraw_signal
from ..models import ConcernSignal

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]

PAGE = "/work/concerns/"


def _form(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "identity_code": child_code(world),
        "given_names": "",
        "family_name": "",
        "contact": "+358 40 111 2222",
    } | changes


def _withdraw_url(signal: ConcernSignal) -> str:
    return reverse("concerns:concern_withdraw", kwargs={"signal_id": signal.pk})


def test_the_page_has_its_address(world: World) -> None:
    assert reverse("concerns:concerns") == PAGE


def test_a_professional_registers_a_signal_from_the_page(world: World) -> None:
    client = browser_of(world.nurse)
    response = client.post(PAGE, _form(world, contact="neuvola@example.org"))
    assert response.status_code == 302
    signal = ConcernSignal.objects.get()
    assert (signal.child_id, signal.membership_id, signal.contact) == (
        world.child.pk,
        world.nurse.membership_id,
        "neuvola@example.org",
    )
    page = client.get(PAGE).content.decode()
    assert "Nobody else has signalled about this child for now" in page
    assert "Aino Testinen" in page
    assert child_code(world) not in page  # the identity code only masked


def test_both_sides_see_each_others_organisation_professional_and_contact_and_nothing_more(
    world: World,
) -> None:
    register_signal(
        world.school_social_worker, identity_code=child_code(world), contact="kuraattori@example.org"
    )
    nurse = browser_of(world.nurse)
    assert nurse.post(PAGE, _form(world, contact="+358 40 555 0000")).status_code == 302
    nurse_page = nurse.get(PAGE).content.decode()
    assert "Another organisation has signalled about the same child" in nurse_page
    assert "school-social-worker, Kuopion kaupunki: kuraattori@example.org" in nurse_page
    school_page = browser_of(world.school_social_worker).get(PAGE).content.decode()
    assert "nurse, Pohjois-Savon hyvinvointialue: +358 40 555 0000" in school_page
    # Each page shown is a logged read of the match about the child, one per match shown.
    reads = AccessLogEntry.objects.filter(record_type=MATCH_RECORD, person_id=world.child.pk)
    assert reads.filter(username="nurse").count() == 2  # told at the match, then the page
    assert reads.filter(username="school-social-worker").count() == 2


def test_a_signaller_sees_only_their_own_signals(world: World) -> None:
    register_signal(
        world.school_social_worker, identity_code=child_code(world), contact="kuraattori@example.org"
    )
    page = browser_of(world.family_worker).get(PAGE).content.decode()
    assert "kuraattori@example.org" not in page
    assert "You have no signals." in page


def test_an_invalid_identity_code_is_said_next_to_its_field_and_what_was_typed_stays(world: World) -> None:
    response = browser_of(world.nurse).post(
        PAGE, _form(world, identity_code="010101-123X", contact="neuvola@example.org")
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_identity_code"' in text
    assert 'aria-invalid="true"' in text
    assert 'value="neuvola@example.org"' in text
    assert not ConcernSignal.objects.exists()


def test_an_unknown_child_asks_for_the_names(world: World) -> None:
    code = compose_identity_code(years_ago(7), 964)
    response = browser_of(world.nurse).post(PAGE, _form(world, identity_code=code))
    assert response.status_code == 400
    assert "give the names to register them" in response.content.decode()
    created = browser_of(world.nurse).post(
        PAGE, _form(world, identity_code=code, given_names="Eino", family_name="Uusi")
    )
    assert created.status_code == 302
    assert ConcernSignal.objects.get().child.given_names == "Eino"


def test_the_same_organisation_twice_is_refused_with_a_sentence(world: World) -> None:
    register_signal(world.nurse, identity_code=child_code(world), contact="neuvola@example.org")
    response = browser_of(world.family_worker).post(PAGE, _form(world))
    assert response.status_code == 400
    assert "Your organisation already has a signal in force about this child" in response.content.decode()


def test_a_professional_withdraws_their_signal(world: World) -> None:
    signal = register_signal(world.nurse, identity_code=child_code(world), contact="neuvola@example.org")
    client = browser_of(world.nurse)
    assert client.post(_withdraw_url(signal)).status_code == 302
    signal.refresh_from_db()
    assert signal.withdrawn_at is not None
    page = client.get(PAGE).content.decode()
    assert "Withdrawn on" in page
    assert _withdraw_url(signal) not in page


def test_a_stranger_gets_the_same_404_as_for_a_missing_signal(world: World) -> None:
    signal = register_signal(world.nurse, identity_code=child_code(world), contact="neuvola@example.org")
    stranger = browser_of(world.stranger)
    theirs = stranger.post(_withdraw_url(signal))
    missing = stranger.post("/work/concerns/00000000-0000-0000-0000-000000000000/withdraw/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    signal.refresh_from_db()
    assert signal.withdrawn_at is None
    refused = AccessLogEntry.objects.filter(username="stranger", outcome="refused")
    assert list(refused.values_list("record_type", "refusal")) == [(SIGNAL_RECORD, "not_found")] * 2


def test_a_manager_gets_a_404_and_the_refusal_is_logged(world: World) -> None:
    client = browser_of(world.manager)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, _form(world)).status_code == 404
    assert not ConcernSignal.objects.exists()
    refused = AccessLogEntry.objects.filter(username="manager")
    assert list(refused.values_list("outcome", "refusal")) == [("refused", "role")] * 2


def test_no_login_goes_to_the_login(world: World) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_forms_need_their_csrf_token(world: World) -> None:
    signal = register_signal(world.nurse, identity_code=child_code(world), contact="neuvola@example.org")
    client = browser_of(world.nurse, enforce_csrf_checks=True)
    assert 'name="csrfmiddlewaretoken"' in client.get(PAGE).content.decode()
    other = Client(enforce_csrf_checks=True)
    other.get(reverse("accounts:login"))
    forged = other.cookies["csrftoken"].value
    assert client.post(PAGE, _form(world, csrfmiddlewaretoken=forged)).status_code == 403
    assert client.post(_withdraw_url(signal), {"csrfmiddlewaretoken": forged}).status_code == 403
    assert client.post(_withdraw_url(signal)).status_code == 403
    signal.refresh_from_db()
    assert signal.withdrawn_at is None


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [("fi", "Huolisignaalit", "Rekisteröi signaali"), ("sv", "Orossignaler", "Registrera signalen")],
)
def test_the_page_speaks_finnish_and_swedish(world: World, language: str, heading: str, button: str) -> None:
    page = browser_of(world.nurse, language=language).get(PAGE).content.decode()
    assert heading in page
    assert button in page


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _family_url(person_id: Any) -> str:
    return reverse("concerns:family_concern_signals", kwargs={"person_id": person_id})


def test_a_guardian_sees_that_signals_exist_by_which_organisation_and_since_when(
    family_oidc: Provider, family: Family
) -> None:
    world = family.world
    register_signal(
        world.school_social_worker, identity_code=child_code(world), contact="kuraattori@example.org"
    )
    withdrawn = register_signal(world.nurse, identity_code=child_code(world), contact="+358 40 555 0000")
    withdraw_signal(world.nurse, withdrawn.pk)
    client = _signed_in("pekka")
    assert _family_url(family.child.pk) in client.get(reverse("access:family_home")).content.decode()
    response = client.get(_family_url(family.child.pk))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kuopion kaupunki" in text and "Pohjois-Savon hyvinvointialue" in text
    assert "in force" in text and "withdrawn" in text
    # Not the professionals' contacts: the family asks the organisation.
    assert "kuraattori@example.org" not in text and "555 0000" not in text
    row = AccessLogEntry.objects.get(username=f"person:{family.father.pk}", record_type=SIGNAL_RECORD)
    assert (row.person_id, row.action, row.outcome, row.role) == (
        family.child.pk,
        "read",
        "allowed",
        "family_member",
    )
    # The child's access log names the signals and their reads in plain words.
    log = client.get(
        reverse("access:family_access_log", kwargs={"person_id": family.child.pk})
    ).content.decode()
    assert "a concern signal (that a professional is involved; no content)" in log


def test_the_family_page_speaks_finnish(family_oidc: Provider, family: Family) -> None:
    register_signal(family.world.nurse, identity_code=child_code(family.world), contact="neuvola@example.org")
    text = _signed_in("pekka", "fi").get(_family_url(family.child.pk)).content.decode()
    assert "voimassa" in text


def test_another_familys_guardian_gets_the_same_404_as_for_a_missing_person(
    family_oidc: Provider, family: Family
) -> None:
    outi = register(person("outi"))
    client = _signed_in("outi")
    theirs = client.get(_family_url(family.child.pk))
    missing = client.get(_family_url("00000000-0000-0000-0000-000000000000"))
    assert theirs.status_code == missing.status_code == 404
    refused = AccessLogEntry.objects.get(person_id=family.child.pk, username=f"person:{outi.pk}")
    assert (refused.record_type, refused.outcome, refused.refusal) == (
        SIGNAL_RECORD,
        "refused",
        "no_relation",
    )
