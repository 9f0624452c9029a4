"""The plan in the family's own view: Aino's father Pekka (a guardian) signs in for real through the
local OIDC provider and reads Aino's plan (the plans tests' team: the family worker coordinating,
the nurse, the school social worker, the NGO's worker)."""

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
    register,
    sign_in,
)
from lape.people.registry import end_guardianship

from ..entries import add_action, add_goal
from ..team import close_plan
from .conftest import Team, World

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _plan_url(plan_id: object) -> str:
    return reverse("plans:family_plan", kwargs={"plan_id": plan_id})


def _goal_and_action(world: World, team: Team) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    add_action(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        what="Evening routine coaching at home",
        responsible_id=team.nurse.pk,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        goal_id=goal.pk,
    )


def test_it_shows_a_guardian_the_childs_plan_with_the_team_goals_and_actions(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _goal_and_action(world, team)
    client = _signed_in("pekka")
    assert _plan_url(team.plan.pk) in client.get(reverse("access:family_home")).content.decode()
    page = client.get(_plan_url(team.plan.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Shared plan: Aino Testinen" in text
    coordinator = world.family_worker.membership_id
    assert str(team.plan.coordinator.organization) in text and team.plan.coordinator_id == coordinator
    assert len(page.context["view"].team) == 3 + 1  # the coordinator is on the team, and three more
    assert "Calm evenings" in text and "Evening routine coaching at home" in text
    me = f"person:{family.father.pk}"
    read = AccessLogEntry.objects.filter(username=me, record_id=str(team.plan.pk), outcome="allowed")
    assert read.exists()
    entries = AccessLogEntry.objects.filter(username=me, record_type__in=["plan_goal", "plan_action"])
    assert sorted(entries.values_list("outcome", flat=True)) == ["allowed", "allowed"]


def test_it_gives_another_familys_guardian_the_same_404_as_a_missing_plan(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    outi = register(person("outi"))
    client = _signed_in("outi")
    assert client.get(_plan_url(team.plan.pk)).status_code == 404
    assert client.get(_plan_url("00000000-0000-0000-0000-000000000000")).status_code == 404
    refused = AccessLogEntry.objects.get(username=f"person:{outi.pk}", record_id=str(team.plan.pk))
    assert (refused.outcome, refused.refusal) == ("refused", "no_relation")
    assert _plan_url(team.plan.pk) not in client.get(reverse("access:family_home")).content.decode()


def test_it_shows_nothing_of_the_plan_after_custody_ended(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    client = _signed_in("pekka")
    assert client.get(_plan_url(team.plan.pk)).status_code == 200
    end_guardianship(family.father, family.child, ended=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(_plan_url(team.plan.pk)).status_code == 404
    assert _plan_url(team.plan.pk) not in client.get(reverse("access:family_home")).content.decode()


def test_it_shows_the_plan_in_finnish_and_swedish(family_oidc: Provider, family: Family, team: Team) -> None:
    finnish = _signed_in("pekka", "fi").get(_plan_url(team.plan.pk)).content.decode()
    assert '<html lang="fi">' in finnish and "Yhteinen suunnitelma: Aino Testinen" in finnish
    assert "Koordinaattori" in finnish
    swedish = _signed_in("pekka", "sv").get(_plan_url(team.plan.pk)).content.decode()
    assert '<html lang="sv">' in swedish and "Gemensam plan: Aino Testinen" in swedish


def test_it_shows_the_family_a_closed_plans_summary(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    close_plan(world.family_worker, team.plan.pk, summary="Evenings are calm; the family manages well.")
    text = _signed_in("pekka").get(_plan_url(team.plan.pk)).content.decode()
    assert "Closing summary" in text and "Evenings are calm; the family manages well." in text
