"""The family's pages: home, the access log of their data, their consents (a signed-in family member).

Family members sign in for real through the local OIDC provider (lape.accounts.tests.family_provider).
The log's rows come from real professional actions of the referrals tests' world: a social worker
reading the child's consents page, a stranger from another county refused there, a
child-protection worker's emergency read with its reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access import guard, log
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.family import ACCESS_LOG_RECORD, PERSON_RECORD, family_target
from lape.access.models import AccessLogEntry
from lape.access.views_family import LOG_PAGE_SIZE
from lape.accounts.family import FAMILY_ROLE, FamilyMember
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
from lape.people.registry import add_guardian, end_guardianship
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import consent_to, identified_request
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _log_page(client: Client, person_id: Any, page: int | None = None) -> Any:
    url = reverse("access:family_access_log", kwargs={"person_id": person_id})
    return client.get(url, {"page": page} if page else {})


def _professionals_read_the_consents(family: Family) -> None:
    """The social worker (on Aino's request) reads her consents; a stranger tries and is refused."""
    world = family.world
    identified_request(world, worker=world.social_worker)
    consents = reverse("access:consents", kwargs={"person_id": family.child.pk})
    assert browser_of(world.social_worker).get(consents).status_code == 200
    assert browser_of(world.stranger).get(consents).status_code == 404


def test_it_shows_a_guardian_themselves_and_their_child(family_oidc: Provider, family: Family) -> None:
    page = _signed_in("pekka").get(reverse("access:family_home"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Signed in as Pekka Testinen." in text
    assert reverse("access:family_access_log", kwargs={"person_id": family.father.pk}) in text
    assert reverse("access:family_access_log", kwargs={"person_id": family.child.pk}) in text


def test_it_logs_the_childs_name_on_the_home_page_as_the_guardians_read(
    family_oidc: Provider, family: Family
) -> None:
    _signed_in("pekka").get(reverse("access:family_home"))
    row = AccessLogEntry.objects.get(person_id=family.child.pk, record_type=PERSON_RECORD)
    assert (row.username, row.role, row.user_id, row.outcome) == (
        f"person:{family.father.pk}",
        FAMILY_ROLE,
        None,
        "allowed",
    )
    assert row.basis == "statute" and row.law == "2016/679 15 art."


def test_it_shows_a_young_person_only_themselves(family_oidc: Provider, family: Family) -> None:
    text = _signed_in("veera").get(reverse("access:family_home")).content.decode()
    assert "Signed in as Veera Testinen." in text
    assert str(family.child.pk) not in text and str(family.father.pk) not in text


def test_it_shows_who_read_the_childs_consents_and_who_was_refused(
    family_oidc: Provider, family: Family
) -> None:
    _professionals_read_the_consents(family)
    page = _log_page(_signed_in("pekka"), family.child.pk)
    text = page.content.decode()
    assert page.status_code == 200
    # Allowed: the social worker, their role and organisation, what they read, on which basis.
    assert "social-worker<br>social worker<br>Pohjois-Savon hyvinvointialue" in text
    assert "Read: consents" in text
    assert "Own organisation&#x27;s register" in text
    # Refused: the stranger of another county, and why.
    assert "stranger<br>social worker<br>Keski-Suomen hyvinvointialue" in text
    assert "<strong>Refused</strong>: not on the person&#x27;s team or referral" in text
    assert 'data-outcome="refused"' in text


def test_it_shows_the_newest_first_with_the_guardians_own_read_on_top(
    family_oidc: Provider, family: Family
) -> None:
    _professionals_read_the_consents(family)
    client = _signed_in("pekka")
    _log_page(client, family.child.pk)
    rows = _log_page(client, family.child.pk).context["rows"]
    assert [r.who for r in rows[:2]] == ["you", "you"]  # this read and the one before it
    assert rows[0].what == "the access log" and rows[0].role == "family member"
    times = [r.entry.at for r in rows]
    assert times == sorted(times, reverse=True)


def test_it_names_the_other_guardian_by_who_they_are_not_by_name(
    family_oidc: Provider, family: Family
) -> None:
    target = family_target(ACCESS_LOG_RECORD, family.child.pk)
    read = Decision(allowed=True, basis=Basis.OWN_REGISTER)
    log.append(FamilyMember(person_id=family.world.mother.pk), Action.READ, target, read)  # Maija, a guardian
    log.append(FamilyMember(person_id=family.child.pk), Action.READ, target, read)  # as if Aino had read it
    rows = _log_page(_signed_in("pekka"), family.child.pk).context["rows"]
    assert [r.who for r in rows[:3]] == ["you", "Aino Testinen", "a guardian"]
    assert "Maija" not in _log_page(_signed_in("pekka"), family.child.pk).content.decode()


def test_it_shows_an_emergency_access_with_its_reason(family_oidc: Provider, family: Family) -> None:
    world = family.world
    target = Target(
        record_type="referral",
        record_id="",
        person_id=family.child.pk,
        owner_organization_id=world.county.pk,
        category="health",
    )
    reason = "Unconscious child brought in, allergies needed"
    guard.check(world.cp_worker, Action.READ, target, reason=reason, emergency=True)
    text = _log_page(_signed_in("pekka"), family.child.pk).content.decode()
    assert "Emergency access beyond consent." in text
    assert f"Reason given: {reason}" in text
    assert "cp-worker<br>child-protection social worker" in text


def test_it_pages_a_long_log(family_oidc: Provider, family: Family) -> None:
    world = family.world
    target = Target("referral", "", family.child.pk, world.other_county.pk, "health")
    for _ in range(LOG_PAGE_SIZE + 5):
        with pytest.raises(guard.NotFoundOrForbidden):
            guard.check(world.stranger, Action.READ, target)
    client = _signed_in("pekka")
    first = _log_page(client, family.child.pk)
    assert len(first.context["rows"]) == LOG_PAGE_SIZE
    assert "?page=2" in first.content.decode()
    second = _log_page(client, family.child.pk, page=2)
    assert 1 <= len(second.context["rows"]) <= 10
    assert second.context["rows"][0].entry.at <= first.context["rows"][-1].entry.at


def test_it_gives_another_familys_guardian_the_same_404_as_a_missing_person(
    family_oidc: Provider, family: Family
) -> None:
    outi = register(person("outi"))
    client = _signed_in("outi")
    assert _log_page(client, family.child.pk).status_code == 404
    assert _log_page(client, "00000000-0000-0000-0000-000000000000").status_code == 404
    consents = reverse("access:family_consents", kwargs={"person_id": family.child.pk})
    assert client.get(consents).status_code == 404
    refused = AccessLogEntry.objects.get(
        person_id=family.child.pk, record_type=ACCESS_LOG_RECORD, username=f"person:{outi.pk}"
    )
    assert (refused.outcome, refused.refusal) == ("refused", "no_relation")


def test_it_shows_nothing_about_a_child_after_custody_ended(family_oidc: Provider, family: Family) -> None:
    client = _signed_in("pekka")
    assert _log_page(client, family.child.pk).status_code == 200
    end_guardianship(family.father, family.child, ended=timezone.localdate() - dt.timedelta(days=1))
    assert _log_page(client, family.child.pk).status_code == 404
    assert str(family.child.pk) not in client.get(reverse("access:family_home")).content.decode()


def test_it_shows_a_young_person_their_own_log_but_not_a_siblings(
    family_oidc: Provider, family: Family
) -> None:
    add_guardian(family.father, family.teen, started=family.teen.birth_date)
    client = _signed_in("veera")
    assert _log_page(client, family.teen.pk).status_code == 200
    assert _log_page(client, family.child.pk).status_code == 404


def test_it_shows_the_childs_consents(family_oidc: Provider, family: Family) -> None:
    world = family.world
    identified_request(world)  # the family worker, on Aino's request, records the mother's consent
    consent_to(world, world.ngo, "ngo_support")
    page = _signed_in("pekka").get(reverse("access:family_consents", kwargs={"person_id": family.child.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Consent to share with MLL Kuopio" in text
    assert "Support from an NGO or parish" in text
    assert "Maija Testinen (guardian)" in text
    assert AccessLogEntry.objects.filter(
        person_id=family.child.pk, record_type="consent", username=f"person:{family.father.pk}"
    ).exists()


def test_it_shows_the_log_in_finnish_and_swedish(family_oidc: Provider, family: Family) -> None:
    _professionals_read_the_consents(family)
    finnish = _log_page(_signed_in("pekka", "fi"), family.child.pk).content.decode()
    assert '<html lang="fi">' in finnish and "Kuka on nähnyt tiedot: Aino Testinen" in finnish
    assert "sosiaalityöntekijä" in finnish
    swedish = _log_page(_signed_in("pekka", "sv"), family.child.pk).content.decode()
    assert '<html lang="sv">' in swedish and "Vem har sett uppgifterna: Aino Testinen" in swedish


def test_it_sends_someone_not_signed_in_to_the_sign_in(db: Any, family: Family) -> None:
    response = Client().get(reverse("access:family_access_log", kwargs={"person_id": family.child.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:family_sign_in")
