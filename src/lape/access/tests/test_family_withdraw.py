"""Withdrawing a consent from the family's own view (a signed-in family member).

Family members sign in for real through the local OIDC provider; the consents are recorded by the
referrals tests' professionals with `grant_consent`, and withdrawn through the same
`withdraw_consent` the professionals use, with the family member as the actor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.consent_actions import grant_consent
from lape.access.consents import consents_in_force
from lape.access.models import AccessLogEntry, Consent
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
from lape.people.models import Person
from lape.people.registry import add_guardian, end_guardianship
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import consent_to, identified_request

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]

MISSING = "00000000-0000-0000-0000-000000000000"


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _withdraw_url(consent_id: Any) -> str:
    return reverse("access:family_consent_withdraw", kwargs={"consent_id": consent_id})


def _consents_url(person_id: Any) -> str:
    return reverse("access:family_consents", kwargs={"person_id": person_id})


def _mothers_consent(family: Family) -> Consent:
    """Aino's mother's consent, recorded by the family worker on Aino's request."""
    identified_request(family.world)
    return consent_to(family.world, family.world.ngo, "ngo_support")


def _own_consent(family: Family, young: Person) -> Consent:
    """A young person's own consent to contact social services (any professional may record one)."""
    return grant_consent(
        family.world.family_worker,
        person=young,
        given_by=young,
        organizations=[family.world.county],
        categories=["contact"],
        purpose="Contacting social services on his behalf",
    )


def _writes(consent: Consent) -> list[tuple[str, str, str]]:
    rows = AccessLogEntry.objects.filter(record_type="consent", record_id=str(consent.pk), action="write")
    return [(r.username, r.outcome, r.refusal) for r in rows.order_by("at", "id")]


def test_it_lets_a_guardian_withdraw_the_other_guardians_consent_for_their_child(
    family_oidc: Provider, family: Family
) -> None:
    consent = _mothers_consent(family)
    client = _signed_in("pekka")
    listing = client.get(_consents_url(family.child.pk)).content.decode()
    assert _withdraw_url(consent.pk) in listing
    assert "To withdraw a consent, contact the professional" not in listing
    confirm = client.get(_withdraw_url(consent.pk))
    assert confirm.status_code == 200 and "Withdraw the consent now" in confirm.content.decode()
    response = client.post(_withdraw_url(consent.pk))
    assert response.status_code == 302 and response["Location"] == _consents_url(family.child.pk)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawal_recorded_by_id is None
    assert not consents_in_force(family.child.pk).filter(pk=consent.pk).exists()  # at once
    assert _writes(consent)[-1] == (f"person:{family.father.pk}", "allowed", "")
    after = client.get(_consents_url(family.child.pk)).content.decode()
    assert "The consent was withdrawn." in after and _withdraw_url(consent.pk) not in after


def test_it_lets_a_young_person_of_15_withdraw_their_own_consent(
    family_oidc: Provider, family: Family
) -> None:
    eemeli = register(person("eemeli"))
    consent = _own_consent(family, eemeli)
    client = _signed_in("eemeli")
    assert _withdraw_url(consent.pk) in client.get(_consents_url(eemeli.pk)).content.decode()
    assert client.post(_withdraw_url(consent.pk)).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert _writes(consent)[-1] == (f"person:{eemeli.pk}", "allowed", "")


def test_it_keeps_a_young_persons_own_consent_from_their_guardian(
    family_oidc: Provider, family: Family
) -> None:
    eemeli = register(person("eemeli"))
    add_guardian(family.father, eemeli, started=eemeli.birth_date)
    consent = _own_consent(family, eemeli)
    client = _signed_in("pekka")
    page = client.get(_consents_url(eemeli.pk))
    assert page.status_code == 200 and _withdraw_url(consent.pk) not in page.content.decode()
    assert client.get(_withdraw_url(consent.pk)).status_code == 404
    assert client.post(_withdraw_url(consent.pk)).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert _writes(consent)[-1] == (f"person:{family.father.pk}", "refused", "workflow")


def test_it_keeps_a_guardians_consent_from_a_child_under_15(family_oidc: Provider, family: Family) -> None:
    veera = family.teen  # 13: she could not have given it alone, so she cannot withdraw it alone
    add_guardian(family.father, veera, started=veera.birth_date)
    consent = grant_consent(
        family.world.family_worker,
        person=veera,
        given_by=family.father,
        organizations=[family.world.county],
        categories=["contact"],
        purpose="Contacting social services",
        child_heard=True,
    )
    client = _signed_in("veera")
    assert _withdraw_url(consent.pk) not in client.get(_consents_url(veera.pk)).content.decode()
    assert client.post(_withdraw_url(consent.pk)).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_it_gives_another_family_ended_custody_and_a_missing_consent_the_same_404(
    family_oidc: Provider, family: Family
) -> None:
    consent = _mothers_consent(family)
    outi = register(person("outi"))
    stranger = _signed_in("outi")
    assert stranger.get(_withdraw_url(consent.pk)).status_code == 404
    assert stranger.post(_withdraw_url(consent.pk)).status_code == 404
    assert stranger.post(_withdraw_url(MISSING)).status_code == 404
    assert (f"person:{outi.pk}", "refused", "no_relation") in _writes(consent)
    missing = AccessLogEntry.objects.get(username=f"person:{outi.pk}", record_id=MISSING, action="write")
    assert (missing.outcome, missing.refusal) == ("refused", "not_found")

    father = _signed_in("pekka")
    end_guardianship(family.father, family.child, ended=timezone.localdate() - dt.timedelta(days=1))
    assert father.get(_withdraw_url(consent.pk)).status_code == 404
    assert father.post(_withdraw_url(consent.pk)).status_code == 404
    assert _writes(consent)[-1] == (f"person:{family.father.pk}", "refused", "no_relation")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_it_answers_a_second_withdrawal_with_409_and_keeps_the_first_time(
    family_oidc: Provider, family: Family
) -> None:
    consent = _mothers_consent(family)
    client = _signed_in("pekka")
    assert client.post(_withdraw_url(consent.pk)).status_code == 302
    consent.refresh_from_db()
    first = consent.withdrawn_at
    second = client.post(_withdraw_url(consent.pk))
    assert second.status_code == 409
    assert "This consent has already been withdrawn." in second.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at == first
    assert [w for w in _writes(consent) if w[0] == f"person:{family.father.pk}"] == [
        (f"person:{family.father.pk}", "allowed", "")  # the second's row went with its rollback
    ]


def test_it_refuses_a_withdrawal_without_the_csrf_token(family_oidc: Provider, family: Family) -> None:
    consent = _mothers_consent(family)
    client = _signed_in("pekka")
    client.handler.enforce_csrf_checks = True  # after the sign-in: from here on as a browser would be
    assert client.post(_withdraw_url(consent.pk)).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_it_offers_the_withdrawal_in_finnish_and_swedish(family_oidc: Provider, family: Family) -> None:
    consent = _mothers_consent(family)
    finnish = _signed_in("pekka", "fi")
    listing = finnish.get(_consents_url(family.child.pk)).content.decode()
    assert '<html lang="fi">' in listing
    assert "Peruuta suostumus tietojen luovuttamiseen: MLL Kuopio" in listing
    assert "Peruuta suostumus nyt" in finnish.get(_withdraw_url(consent.pk)).content.decode()
    swedish = _signed_in("pekka", "sv").get(_consents_url(family.child.pk)).content.decode()
    assert '<html lang="sv">' in swedish
    assert "Återkalla samtycket till utlämnande till MLL Kuopio" in swedish
