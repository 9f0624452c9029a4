"""The family-level part on the plan pages: linking siblings' plans, family-level entries, unlinking,
and the family's own plan page (a guardian of every child; a young person of 12 or more).

The plans tests' team on Aino's plan and her sister Veera (13, the same guardians: the mother and,
signed in through the local OIDC provider, the father Pekka), whose plan the family worker also
coordinates with the county's nurse on its team. The city's school social worker is on Aino's team only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.models import AccessLogEntry
from lape.accounts.tests.family_provider import (
    Family,
    Provider,
    family,
    family_oidc,
    oidc_provider,
    person,
    sign_in,
)
from lape.people.registry import end_guardianship
from lape.referrals.tests.page_clients import browser_of

from ..family_part import add_family_entry, link_plans
from ..models import FamilyEntry, LinkedPlan, Plan
from .conftest import Sibling, Team, World, sibling_with_plan

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]


@pytest.fixture
def veera(family: Family, world: World, team: Team) -> Sibling:
    return sibling_with_plan(world, code=person("veera").identity_code, given_names="Veera")


def _url(plan: Plan, step: str = "plan") -> str:
    return reverse(f"plans:{step}", kwargs={"plan_id": plan.pk})


def _linked_with_goal(world: World, team: Team, veera: Sibling) -> FamilyEntry:
    link_plans(world.family_worker, [team.plan.pk, veera.plan.pk])
    return add_family_entry(
        world.family_worker,
        team.plan.pk,
        kind="goal",
        category="social_services",
        domain="nurtured",
        text="Parenting group on Tuesdays",
    )


def test_it_offers_the_coordinator_to_link_the_sisters_plan_and_links_it(
    world: World, team: Team, veera: Sibling
) -> None:
    browser = browser_of(world.family_worker)
    page = browser.get(_url(team.plan)).content.decode()
    assert 'id="family-part"' in page and "Veera Testinen" in page and "Link the plans" in page
    answer = browser.post(_url(team.plan, "family_link"), {"family-link-plans": [str(veera.plan.pk)]})
    assert answer.status_code == 302 and answer["Location"].endswith("#family-part")
    assert LinkedPlan.objects.filter(left_at__isnull=True).count() == 2


def test_it_refuses_linking_nothing_with_the_error_next_to_the_field(
    world: World, team: Team, veera: Sibling
) -> None:
    answer = browser_of(world.family_worker).post(_url(team.plan, "family_link"), {})
    assert answer.status_code == 400
    assert 'id="id_family-link-plans_error"' in answer.content.decode() or "This field is required" in (
        answer.content.decode()
    )
    assert not LinkedPlan.objects.exists()


def test_it_adds_a_family_entry_from_the_page_and_shows_it_on_both_plans(
    world: World, team: Team, veera: Sibling
) -> None:
    link_plans(world.family_worker, [team.plan.pk, veera.plan.pk])
    browser = browser_of(world.family_worker)
    form = {
        "family-entry-kind": "goal",
        "family-entry-category": "social_services",
        "family-entry-text": "Calm mornings for the whole family",
        "family-entry-domain": "nurtured",
    }
    answer = browser.post(_url(team.plan, "family_entry_new"), form)
    assert answer.status_code == 302
    for plan in (team.plan, veera.plan):
        page = browser.get(_url(plan)).content.decode()
        assert "Calm mornings for the whole family" in page
    assert FamilyEntry.objects.get().children.count() == 2


def test_it_reshows_a_bad_family_entry_with_its_errors(world: World, team: Team, veera: Sibling) -> None:
    link_plans(world.family_worker, [team.plan.pk, veera.plan.pk])
    form = {
        "family-entry-kind": "goal",
        "family-entry-category": "social_services",
        "family-entry-text": "Typed",
    }
    answer = browser_of(world.family_worker).post(_url(team.plan, "family_entry_new"), form)
    text = answer.content.decode()
    assert answer.status_code == 400
    assert "Choose the wellbeing domain the goal is about." in text and "Typed</textarea>" in text
    assert not FamilyEntry.objects.exists()


def test_it_shows_a_member_of_one_sisters_team_only_a_heading_without_her_name(
    world: World, team: Team, veera: Sibling
) -> None:
    _linked_with_goal(world, team, veera)
    page = browser_of(world.school_social_worker).get(_url(team.plan))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Parenting group on Tuesdays" not in text and 'data-testid="family-withheld"' in text
    assert "A sibling's plan (you are not on its team)" in text and "Veera" not in text
    assert "Add a family-level entry" not in text and "Unlink this plan" not in text


def test_it_gives_a_stranger_the_same_404_on_the_family_forms(
    world: World, team: Team, veera: Sibling
) -> None:
    browser = browser_of(world.stranger)
    for step in ("family_link", "family_entry_new", "family_leave"):
        assert browser.post(_url(team.plan, step), {}).status_code == 404
    assert AccessLogEntry.objects.filter(username="stranger", outcome="refused").count() >= 3


def test_it_lets_only_the_coordinator_unlink_the_plan(world: World, team: Team, veera: Sibling) -> None:
    _linked_with_goal(world, team, veera)
    refused = browser_of(world.nurse).post(_url(veera.plan, "family_leave"), {})
    assert (
        refused.status_code == 409
        and "Only the plan&#x27;s coordinator unlinks it." in refused.content.decode()
    )
    answer = browser_of(world.family_worker).post(_url(veera.plan, "family_leave"), {})
    assert answer.status_code == 302
    assert not LinkedPlan.objects.filter(plan=veera.plan, left_at__isnull=True).exists()
    page = browser_of(world.family_worker).get(_url(team.plan)).content.decode()
    assert "None now: only this plan is linked." in page and "Parenting group on Tuesdays" in page


def test_it_refuses_the_family_forms_without_the_csrf_token(world: World, team: Team, veera: Sibling) -> None:
    browser = browser_of(world.family_worker, enforce_csrf_checks=True)
    answer = browser.post(_url(team.plan, "family_link"), {"family-link-plans": [str(veera.plan.pk)]})
    assert answer.status_code == 403 and not LinkedPlan.objects.exists()


@pytest.mark.parametrize(("language", "heading"), [("fi", "Koko perheen osa"), ("sv", "Hela familjens del")])
def test_it_speaks_finnish_and_swedish(
    world: World, team: Team, veera: Sibling, language: str, heading: str
) -> None:
    _linked_with_goal(world, team, veera)
    page = browser_of(world.family_worker, language=language).get(_url(team.plan))
    assert heading in page.content.decode()


# The family's own plan page


def _signed_in(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    assert sign_in(client, username).status_code == 302
    return client


def _family_url(plan: Plan) -> str:
    return reverse("plans:family_plan", kwargs={"plan_id": plan.pk})


def test_it_shows_a_guardian_of_both_the_family_entry_with_a_row_in_each_childs_log(
    family_oidc: Provider, family: Family, world: World, team: Team, veera: Sibling
) -> None:
    entry = _linked_with_goal(world, team, veera)
    text = _signed_in("pekka").get(_family_url(team.plan)).content.decode()
    assert "For the whole family" in text and "Parenting group on Tuesdays" in text
    rows = AccessLogEntry.objects.filter(username=f"person:{family.father.pk}", record_id=str(entry.pk))
    assert sorted(rows.values_list("person_id", flat=True), key=str) == sorted(
        [world.child.pk, veera.child.pk], key=str
    )


def test_it_shows_a_guardian_of_one_child_only_a_heading(
    family_oidc: Provider, family: Family, world: World, team: Team, veera: Sibling
) -> None:
    entry = _linked_with_goal(world, team, veera)
    end_guardianship(family.father, veera.child, ended=timezone.localdate() - dt.timedelta(days=1))
    text = _signed_in("pekka").get(_family_url(team.plan)).content.decode()
    assert "Parenting group on Tuesdays" not in text and 'data-testid="family-withheld"' in text
    assert not AccessLogEntry.objects.filter(
        record_id=str(entry.pk), username=f"person:{family.father.pk}"
    ).exists()


def test_it_keeps_family_notes_with_the_professionals_as_the_childs_own(
    family_oidc: Provider, family: Family, world: World, team: Team, veera: Sibling
) -> None:
    _linked_with_goal(world, team, veera)
    add_family_entry(
        world.family_worker, team.plan.pk, kind="note", category="social_services", text="Hard week"
    )
    text = _signed_in("pekka").get(_family_url(team.plan)).content.decode()
    assert "Parenting group on Tuesdays" in text and "Hard week" not in text


def test_it_shows_the_young_person_of_13_what_concerns_the_whole_family(
    family_oidc: Provider, family: Family, world: World, team: Team, veera: Sibling
) -> None:
    _linked_with_goal(world, team, veera)
    page = _signed_in("veera").get(_family_url(veera.plan))
    assert page.status_code == 200 and "Parenting group on Tuesdays" in page.content.decode()
