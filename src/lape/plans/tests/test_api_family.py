"""The plan in the family's API: Aino's father Pekka (a guardian, signed in for real) reads her plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
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

from ..entries import add_action, add_goal, add_note
from .conftest import Team, World

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]

API = "/api/plans/family"


def _signed_in(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    assert sign_in(client, username).status_code == 302
    return client


def test_a_guardian_reads_the_childs_plan_goals_and_actions_not_the_notes(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    add_action(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        what="Evening routine coaching",
        responsible_id=team.nurse.pk,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        goal_id=goal.pk,
    )
    add_note(world.nurse, team.plan.pk, category="health", text="A nurse's own note.")
    answer = _signed_in("pekka").get(f"{API}/{team.plan.pk}")
    assert answer.status_code == 200, answer.content
    plan = answer.json()
    assert [g["text"] for g in plan["goals"]] == ["Calm"]
    assert [(a["text"], a["responsible"]) for a in plan["actions"]] == [("Evening routine coaching", "nurse")]
    assert plan["coordinator"]["name"] == "family-worker" and len(plan["team"]) == 4
    assert "nurse's own note" not in answer.content.decode()
    reads = AccessLogEntry.objects.filter(username=f"person:{family.father.pk}", action="read")
    assert reads.count() == 3  # the frame, the goal, the action


def test_another_family_and_a_missing_plan_are_the_same_404(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    register(person("outi"))
    client = _signed_in("outi")
    forbidden = client.get(f"{API}/{team.plan.pk}")
    missing = client.get(f"{API}/7b0e3a52-3f9e-4a0c-9d43-1f5a2c1e0b99")
    assert forbidden.status_code == missing.status_code == 404 and forbidden.json() == missing.json()
    assert Client().get(f"{API}/{team.plan.pk}").status_code == 401
