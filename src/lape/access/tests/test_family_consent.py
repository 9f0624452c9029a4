"""Giving a consent from the family's own view (a signed-in family member).

Family members sign in for real through the local OIDC provider. The organisations offered are
those on the child's shared plan (lape.plans registers them); the consent is recorded through the
professionals' own action, `grant_consent`, with the family member as the actor, under the capacity
rules of `lape.access.capacity`: a guardian for a child (after hearing a child of 12 or over), a
young person of 15 or over for themselves in their own matters, and their health care theirs alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.consent_actions import grant_consent
from lape.access.consents import consents_covering
from lape.access.family import family_withdrawal_decision
from lape.access.models import AccessLogEntry, Consent
from lape.accounts.family import FamilyMember
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
from lape.people.registry import add_guardian
from lape.plans.models import Plan, TeamMember
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, membership_of

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]

MISSING = "00000000-0000-0000-0000-000000000000"


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _new_url(person_id: Any) -> str:
    return reverse("access:family_consent_new", kwargs={"person_id": person_id})


def _plan(world: World, child: Person) -> Plan:
    """The child's plan: the county's family worker coordinating, the city's school social worker on the team."""
    coordinator = membership_of(world.family_worker)
    plan = Plan.objects.create(child=child, coordinator=coordinator)
    TeamMember.objects.create(plan=plan, membership=coordinator)
    TeamMember.objects.create(plan=plan, membership=membership_of(world.school_social_worker))
    return plan


def _form(world: World, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "organizations": [str(world.city.pk)],
        "categories": ["social_services"],
        "purpose": "Working together on the shared plan",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
    }
    return {k: v for k, v in (fields | overrides).items() if v is not None}


def _writes(person: Person) -> list[tuple[str, str, str]]:
    rows = AccessLogEntry.objects.filter(record_type="consent", person_id=person.pk, action="write")
    return [(r.username, r.outcome, r.refusal) for r in rows.order_by("id")]


def test_it_lets_a_guardian_give_a_consent_to_an_organisation_of_the_childs_plan(
    family_oidc: Provider, family: Family
) -> None:
    world = family.world
    _plan(world, family.child)
    client = _signed_in("pekka")
    listing = client.get(reverse("access:family_consents", kwargs={"person_id": family.child.pk}))
    assert _new_url(family.child.pk) in listing.content.decode()
    page = client.get(_new_url(family.child.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kuopion kaupunki" in html and "Pohjois-Savon hyvinvointialue" in html  # on the plan
    assert "MLL Kuopio" not in html and "Keski-Suomen" not in html  # not on it
    assert 'name="child_heard"' not in html  # Aino is 10
    response = client.post(_new_url(family.child.pk), _form(world))
    assert response.status_code == 302
    consent = Consent.objects.get(person=family.child)
    assert (consent.given_by, consent.categories, list(consent.organizations.all())) == (
        family.father,
        ["social_services"],
        [world.city],
    )
    assert consent.recorded_by_id is None  # no user: the log row names the family member
    assert consent.valid_until == timezone.localdate() + dt.timedelta(days=365)
    assert consents_covering(family.child.pk, world.city.pk, "social_services") == [consent]
    assert consents_covering(family.child.pk, world.city.pk, "health") == []
    assert _writes(family.child) == [(f"person:{family.father.pk}", "allowed", "")]
    after = client.get(response["Location"]).content.decode()
    assert "Your consent was recorded." in after


def test_it_says_every_missing_choice_and_records_nothing(family_oidc: Provider, family: Family) -> None:
    _plan(family.world, family.child)
    client = _signed_in("pekka")
    response = client.post(
        _new_url(family.child.pk), _form(family.world, organizations=None, categories=None, purpose="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one organisation" in html
    assert "Choose at least one information category." in html
    assert "Say what the information is shared for." in html
    assert not Consent.objects.exists() and _writes(family.child) == []


def test_it_shows_the_typed_values_again_with_a_bad_end_date(family_oidc: Provider, family: Family) -> None:
    _plan(family.world, family.child)
    client = _signed_in("pekka", "fi")
    today = timezone.localdate()
    response = client.post(
        _new_url(family.child.pk),
        _form(
            family.world,
            purpose="Koulun kanssa yhdessä",
            valid_from=(today - dt.timedelta(days=2)).isoformat(),
            valid_until=(today - dt.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Koulun kanssa yhdessä" in html  # what was typed
    assert 'value="social_services" checked' in html or "checked" in html
    assert "Suostumus olisi jo päättynyt" in html  # the action's error, in Finnish
    assert not Consent.objects.exists()


def test_it_refuses_an_organisation_that_is_not_on_the_childs_plan(
    family_oidc: Provider, family: Family
) -> None:
    _plan(family.world, family.child)
    client = _signed_in("pekka")
    response = client.post(
        _new_url(family.child.pk), _form(family.world, organizations=[str(family.world.ngo.pk)])
    )
    assert response.status_code == 400
    assert "Choose organisations from the list." in response.content.decode()
    assert not Consent.objects.exists()


def test_it_asks_a_guardian_to_hear_a_child_of_12_or_over(family_oidc: Provider, family: Family) -> None:
    veera = family.teen  # 13
    add_guardian(family.father, veera, started=veera.birth_date)
    _plan(family.world, veera)
    client = _signed_in("pekka")
    assert 'name="child_heard"' in client.get(_new_url(veera.pk)).content.decode()
    unheard = client.post(_new_url(veera.pk), _form(family.world))
    assert unheard.status_code == 400 and "must be heard" in unheard.content.decode()
    assert not Consent.objects.exists()
    assert client.post(_new_url(veera.pk), _form(family.world, child_heard="on")).status_code == 302
    assert Consent.objects.get().child_heard


def test_it_tells_a_child_under_15_that_a_guardian_consents(family_oidc: Provider, family: Family) -> None:
    veera = family.teen
    _plan(family.world, veera)
    client = _signed_in("veera")
    page = client.get(_new_url(veera.pk)).content.decode()
    assert "Until you are 15, your guardian gives the consents" in page
    assert 'data-testid="give-consent"' not in page
    assert "You may consent yourself" not in page  # not yet: the sentence above says who does
    response = client.post(_new_url(veera.pk), _form(family.world))  # posted anyway
    assert response.status_code == 400
    assert "A child under 15 cannot give this consent alone" in response.content.decode()
    assert not Consent.objects.exists()


def test_it_lets_a_young_person_of_15_consent_in_their_own_health_care(
    family_oidc: Provider, family: Family
) -> None:
    eemeli = register(person("eemeli"))
    _plan(family.world, eemeli)
    client = _signed_in("eemeli")
    assert (
        "You may consent yourself in your own health care" in client.get(_new_url(eemeli.pk)).content.decode()
    )
    response = client.post(_new_url(eemeli.pk), _form(family.world, categories=["health"]))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.given_by, consent.categories) == (eemeli, ["health"])
    assert _writes(eemeli) == [(f"person:{eemeli.pk}", "allowed", "")]
    early = client.post(_new_url(eemeli.pk), _form(family.world, categories=["early_education"]))
    assert early.status_code == 400 and "a guardian must give this consent" in early.content.decode()


def test_it_keeps_a_guardian_from_consenting_where_the_young_person_decides_alone(
    family_oidc: Provider, family: Family
) -> None:
    eemeli = register(person("eemeli"))  # 15
    add_guardian(family.father, eemeli, started=eemeli.birth_date)
    _plan(family.world, eemeli)
    client = _signed_in("pekka")
    assert (
        "decides alone on sharing their own health care" in client.get(_new_url(eemeli.pk)).content.decode()
    )
    response = client.post(_new_url(eemeli.pk), _form(family.world, categories=["health"], child_heard="on"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "a guardian cannot give this consent" in html
    assert 'href="#id_categories_0"' in html  # said next to the categories
    assert not Consent.objects.exists()
    # Alongside the young person, a guardian still consents in social services (Child Welfare Act 21 §).
    assert (
        client.post(
            _new_url(eemeli.pk), _form(family.world, categories=["social_services"], child_heard="on")
        ).status_code
        == 302
    )


def test_it_keeps_a_guardian_from_withdrawing_where_the_young_person_decides_alone(
    family: Family,
) -> None:
    eemeli = register(person("eemeli"))
    add_guardian(family.father, eemeli, started=eemeli.birth_date)
    consent = grant_consent(
        FamilyMember(person_id=eemeli.pk),
        person=eemeli,
        given_by=eemeli,
        organizations=[family.world.county],
        categories=["health"],
        purpose="School health care and the clinic",
    )
    Consent.objects.filter(pk=consent.pk).update(given_by=family.father)  # as if given before he was 15
    consent.refresh_from_db()
    assert not family_withdrawal_decision(FamilyMember(person_id=family.father.pk), consent).allowed
    assert family_withdrawal_decision(FamilyMember(person_id=eemeli.pk), consent).allowed


def test_it_refuses_a_consent_in_another_persons_name(family: Family) -> None:
    from lape.access.guard import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        grant_consent(
            FamilyMember(person_id=family.father.pk),
            person=family.child,
            given_by=family.world.mother,
            organizations=[family.world.city],
            categories=["social_services"],
            purpose="In the mother's name",
        )
    assert not Consent.objects.exists()
    assert _writes(family.child) == [(f"person:{family.father.pk}", "refused", "workflow")]


def test_it_gives_another_familys_guardian_the_same_404_as_a_missing_person(
    family_oidc: Provider, family: Family
) -> None:
    _plan(family.world, family.child)
    register(person("outi"))
    client = _signed_in("outi")
    for url in (_new_url(family.child.pk), _new_url(MISSING)):
        assert client.get(url).status_code == 404
        assert client.post(url, _form(family.world)).status_code == 404
    assert not Consent.objects.exists()
    refusals = AccessLogEntry.objects.filter(username__startswith="person:", outcome="refused")
    assert {r.refusal for r in refusals} == {"no_relation", "not_found"}


def test_it_says_when_no_organisation_works_with_the_child(family_oidc: Provider, family: Family) -> None:
    client = _signed_in("pekka")
    assert (
        "No organisation works with Aino Testinen on a shared plan yet"
        in client.get(_new_url(family.child.pk)).content.decode()
    )


def test_it_needs_the_csrf_token(family_oidc: Provider, family: Family) -> None:
    _plan(family.world, family.child)
    client = _signed_in("pekka")
    client.handler.enforce_csrf_checks = True  # after the sign-in: from here on as a browser would be
    assert client.post(_new_url(family.child.pk), _form(family.world)).status_code == 403
    assert not Consent.objects.exists()


def test_it_speaks_swedish(family_oidc: Provider, family: Family) -> None:
    _plan(family.world, family.child)
    html = _signed_in("pekka", "sv").get(_new_url(family.child.pk)).content.decode()
    assert 'lang="sv"' in html and "Give a consent" not in html
