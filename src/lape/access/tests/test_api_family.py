"""The family's API: whom they may see, the access log of their data (paged), their consents, withdrawing one.

Family members sign in for real through the local OIDC provider (lape.accounts.tests.family_provider):
Pekka, Aino's father and guardian; Outi, of another family. The same decisions and log rows as the
family's pages (views_family), which these endpoints call.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lape.access import guard
from lape.access.decisions import Action, Target
from lape.access.family import ACCESS_LOG_RECORD, CONSENTS_RECORD
from lape.access.models import AccessLogEntry, Consent
from lape.access.views_family import LOG_PAGE_SIZE
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
from lape.people.registry import end_guardianship
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import consent_to, identified_request
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]

API = "/api/access/family"
MISSING = "00000000-0000-0000-0000-000000000000"


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _stranger_tries(family: Family, times: int = 1) -> None:
    """The neighbouring county's social worker tries to read Aino's referral: refused, logged."""
    target = Target("referral", "", family.child.pk, family.world.other_county.pk, "health")
    for _ in range(times):
        with pytest.raises(guard.NotFoundOrForbidden):
            guard.check(family.world.stranger, Action.READ, target)


def _mothers_consent(family: Family) -> Consent:
    """The mother's consent, recorded by the family worker on Aino's request, to share with the NGO."""
    identified_request(family.world)
    return consent_to(family.world, family.world.ngo, "ngo_support")


def test_without_a_family_sign_in_it_answers_401(family: Family) -> None:
    assert Client().get(f"{API}/people").status_code == 401
    # A professional's session is not a family member's.
    professional = browser_of(family.world.social_worker)
    assert professional.get(f"{API}/people/{family.child.pk}/access-log").status_code == 401


def test_a_guardian_sees_themselves_and_their_child(family_oidc: Provider, family: Family) -> None:
    people = _signed_in("pekka").get(f"{API}/people").json()
    assert [(p["name"], p["is_me"]) for p in people] == [("Pekka Testinen", True), ("Aino Testinen", False)]


def test_the_access_log_says_who_tried_and_is_paged(family_oidc: Provider, family: Family) -> None:
    _stranger_tries(family, LOG_PAGE_SIZE + 5)
    client = _signed_in("pekka")
    first = client.get(f"{API}/people/{family.child.pk}/access-log")
    assert first.status_code == 200, first.content
    page = first.json()
    assert (page["page"], page["pages"], page["per_page"]) == (1, 2, LOG_PAGE_SIZE)
    assert len(page["rows"]) == LOG_PAGE_SIZE and page["count"] >= LOG_PAGE_SIZE + 5
    refused = next(r for r in page["rows"] if r["who"] == "stranger")
    assert (refused["allowed"], refused["organization"]) == (False, "Keski-Suomen hyvinvointialue")
    assert refused["refusal"]
    second = client.get(f"{API}/people/{family.child.pk}/access-log?page=2").json()
    assert second["page"] == 2 and 1 <= len(second["rows"]) <= 10
    assert second["rows"][0]["at"] <= page["rows"][-1]["at"]
    # Each read of the log is itself in the log, as the family's own read.
    pekka = f"person:{family.father.pk}"
    assert AccessLogEntry.objects.filter(username=pekka, record_type=ACCESS_LOG_RECORD).count() == 2


def test_the_log_is_in_the_askers_language(family_oidc: Provider, family: Family) -> None:
    _stranger_tries(family)
    finnish = _signed_in("pekka", "fi").get(f"{API}/people/{family.child.pk}/access-log").json()
    english = _signed_in("pekka", "en").get(f"{API}/people/{family.child.pk}/access-log").json()
    stranger_fi = next(r for r in finnish["rows"] if r["who"] == "stranger")
    stranger_en = next(r for r in english["rows"] if r["who"] == "stranger")
    assert stranger_fi["action"] != stranger_en["action"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999"])
def test_a_page_number_that_cannot_be_is_422(family_oidc: Provider, family: Family, page: str) -> None:
    answer = _signed_in("pekka").get(f"{API}/people/{family.child.pk}/access-log?page={page}")
    assert answer.status_code == 422 and "page" in answer.json()["detail"]


def test_another_family_ended_custody_and_a_missing_person_are_the_same_404(
    family_oidc: Provider, family: Family
) -> None:
    outi = register(person("outi"))
    client = _signed_in("outi")
    forbidden = client.get(f"{API}/people/{family.child.pk}/access-log")
    missing = client.get(f"{API}/people/{MISSING}/access-log")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert client.get(f"{API}/people/{family.child.pk}/consents").status_code == 404
    refused = AccessLogEntry.objects.filter(person_id=family.child.pk, username=f"person:{outi.pk}")
    assert {(r.record_type, r.outcome, r.refusal) for r in refused} == {
        (ACCESS_LOG_RECORD, "refused", "no_relation"),
        (CONSENTS_RECORD, "refused", "no_relation"),
    }


def test_after_custody_ended_the_childs_log_is_404(family_oidc: Provider, family: Family) -> None:
    client = _signed_in("pekka")
    assert client.get(f"{API}/people/{family.child.pk}/access-log").status_code == 200
    end_guardianship(family.father, family.child, ended=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(f"{API}/people/{family.child.pk}/access-log").status_code == 404
    assert [p["is_me"] for p in client.get(f"{API}/people").json()] == [True]


def test_a_guardian_lists_and_withdraws_a_consent_once(family_oidc: Provider, family: Family) -> None:
    consent = _mothers_consent(family)
    client = _signed_in("pekka")
    listed = client.get(f"{API}/people/{family.child.pk}/consents").json()
    assert [(c["id"], c["state"], c["withdrawable"]) for c in listed] == [(str(consent.pk), "in_force", True)]
    assert listed[0]["organizations"] == [{"id": str(family.world.ngo.pk), "name": "MLL Kuopio"}]
    withdrawn = client.post(f"{API}/consents/{consent.pk}/withdraw", "{}", content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    first_time = Consent.objects.get(pk=consent.pk).withdrawn_at
    again = client.post(f"{API}/consents/{consent.pk}/withdraw", "{}", content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"]
    assert Consent.objects.get(pk=consent.pk).withdrawn_at == first_time


def test_another_familys_consent_cannot_be_withdrawn_and_is_404(
    family_oidc: Provider, family: Family
) -> None:
    consent = _mothers_consent(family)
    register(person("outi"))
    client = _signed_in("outi")
    forbidden = client.post(f"{API}/consents/{consent.pk}/withdraw", "{}", content_type="application/json")
    missing = client.post(f"{API}/consents/{MISSING}/withdraw", "{}", content_type="application/json")
    assert forbidden.status_code == missing.status_code == 404
    assert json.loads(forbidden.content) == json.loads(missing.content)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_the_openapi_document_describes_the_familys_api(client: Client) -> None:
    paths: dict[str, Any] = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/access/family/people",
        "/api/access/family/people/{person_id}/access-log",
        "/api/access/family/people/{person_id}/consents",
        "/api/access/family/consents/{consent_id}/withdraw",
        "/api/access/people/{person_id}/consents",
        "/api/access/consents/{consent_id}/withdraw",
    ):
        assert path in paths
