"""The young person's own confidentiality: a health or social care entry about a child of 12 or over
may be marked confidential from the guardians (Patients' Act 785/1992, 9 §; Social Welfare Client
Act 812/2000, 11 §). The action and the professionals' pages here; what the family sees is the
family side of the permission matrix (test_permissions_matrix.py).

Veera (13) has a plan coordinated by the county's family worker, with the county's nurse and the
city's teacher on the team; Aino (10) is the plans tests' child.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from lape.access.models import AccessLogEntry
from lape.people.models import GuardianRelation, Person
from lape.referrals.tests.conftest import years_ago
from lape.referrals.tests.page_clients import browser_of

from ..entries import add_goal, add_note
from ..models import Entry, Plan, TeamMember
from .conftest import Team, World, errors_of, last_row, membership_of

pytestmark = pytest.mark.django_db


def _veeras_plan(world: World) -> Plan:
    veera = Person.objects.create(given_names="Veera", family_name="Testinen", birth_date=years_ago(13))
    GuardianRelation.objects.create(guardian=world.mother, child=veera, started=veera.birth_date)
    plan = Plan.objects.create(child=veera, coordinator=membership_of(world.family_worker))
    for actor in (world.family_worker, world.nurse, world.teacher):
        TeamMember.objects.create(plan=plan, membership=membership_of(actor))
    return plan


def test_it_lets_a_nurse_keep_a_young_persons_health_note_from_the_guardians(world: World) -> None:
    plan = _veeras_plan(world)
    note = add_note(
        world.nurse, plan.pk, category="health", text="Asked about contraception", confidential=True
    )
    assert Entry.objects.get(pk=note.pk).confidential
    assert (last_row().record_id, last_row().action, last_row().outcome) == (str(note.pk), "write", "allowed")


def test_it_lets_a_family_worker_keep_a_social_services_goal_from_the_guardians(world: World) -> None:
    plan = _veeras_plan(world)
    goal = add_goal(
        world.family_worker,
        plan.pk,
        category="social_services",
        domain="safe",
        words="A safe place",
        confidential=True,
    )
    assert goal.confidential


def test_it_refuses_confidentiality_for_a_child_under_12(world: World, team: Team) -> None:
    before = AccessLogEntry.objects.count()
    errors = errors_of(
        lambda: add_note(world.nurse, team.plan.pk, category="health", text="Growth fine", confidential=True)
    )
    assert "can be kept from the guardians" in errors["confidential"][0]
    assert not Entry.objects.exists() and AccessLogEntry.objects.count() == before  # nothing written


def test_it_refuses_confidentiality_outside_health_and_social_care(world: World) -> None:
    plan = _veeras_plan(world)
    errors = errors_of(
        lambda: add_note(world.teacher, plan.pk, category="pupil_welfare", text="Absences", confidential=True)
    )
    assert list(errors) == ["confidential"]
    assert not Entry.objects.exists()


def test_it_offers_the_box_where_it_applies(world: World, team: Team) -> None:
    plan = _veeras_plan(world)
    url = reverse("plans:plan", kwargs={"plan_id": plan.pk})
    assert 'name="note-confidential"' in browser_of(world.nurse).get(url).content.decode()
    assert 'name="note-confidential"' not in browser_of(world.teacher).get(url).content.decode()  # no health
    aino = reverse("plans:plan", kwargs={"plan_id": team.plan.pk})
    assert 'name="note-confidential"' not in browser_of(world.nurse).get(aino).content.decode()  # 10
    assert 'name="meeting-confidential"' not in browser_of(world.family_worker).get(url).content.decode()


def test_it_marks_a_note_through_the_page_and_shows_the_team_it_is_confidential(world: World) -> None:
    plan = _veeras_plan(world)
    client = browser_of(world.nurse)
    url = reverse("plans:note_new", kwargs={"plan_id": plan.pk})
    answer = client.post(
        url, {"note-category": "health", "note-text": "Her own matter", "note-confidential": "on"}
    )
    assert answer.status_code == 302
    assert Entry.objects.get().confidential
    page = client.get(reverse("plans:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Her own matter" in page and 'data-testid="confidential"' in page


def test_it_says_why_next_to_the_box_and_keeps_the_text(world: World, team: Team) -> None:
    client = browser_of(world.nurse)
    url = reverse("plans:note_new", kwargs={"plan_id": team.plan.pk})
    answer = client.post(
        url, {"note-category": "health", "note-text": "Kept text", "note-confidential": "on"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Kept text" in html and 'href="#id_note-confidential"' in html
    assert not Entry.objects.exists()
