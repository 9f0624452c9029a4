"""Adding a member asks for the consent it needs: after adding, the coordinator sees which of the
plan's other registers' categories the new member's organisation may read under the family's
consents, and a link to record the consent for each one it may not (the plans tests' team)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from lape.access.models import AccessLogEntry
from lape.referrals.tests.page_clients import browser_of

from ..entries import add_goal, add_note
from ..models import TeamMember
from .conftest import Team, World, consent_to, membership_of

pytestmark = pytest.mark.django_db


def _entries(world: World, team: Team) -> None:
    add_note(world.nurse, team.plan.pk, category="health", text="Growth checked")
    add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    add_note(world.school_social_worker, team.plan.pk, category="pupil_welfare", text="Attendance better")


def _reach_url(team: Team, member: TeamMember) -> str:
    return reverse("plans:member_reach", kwargs={"plan_id": team.plan.pk, "member_id": member.pk})


def test_it_shows_after_adding_a_member_what_consent_they_need(world: World, team: Team) -> None:
    _entries(world, team)
    consent_to(world, world.city, "social_services")
    client = browser_of(world.family_worker)
    answer = client.post(
        reverse("plans:member_add", kwargs={"plan_id": team.plan.pk}),
        {"member-membership": str(membership_of(world.teacher).pk)},
    )
    member = TeamMember.objects.get(plan=team.plan, membership=membership_of(world.teacher))
    assert answer.status_code == 302 and answer["Location"] == _reach_url(team, member)
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    # The teacher's own register (the city's pupil welfare) is not asked about; the county's are.
    assert 'data-testid="reach-pupil_welfare"' not in html
    health = html.split('data-testid="reach-health"')[1].split("</tr>")[0]
    social = html.split('data-testid="reach-social_services"')[1].split("</tr>")[0]
    assert "No: there is no consent" in health and "Pohjois-Savon hyvinvointialue" in health
    assert "Yes, under the family's consent until withdrawn" in social and "record-consent" not in social
    link = health.split('href="')[1].split('"')[0].replace("&amp;", "&")
    parts = urlsplit(link)
    assert parts.path == reverse("access:consent_new", kwargs={"person_id": world.child.pk})
    assert parse_qs(parts.query) == {
        "organization": [str(world.city.pk)],
        "category": ["health"],
        "next": [_reach_url(team, member)],
    }
    rows = AccessLogEntry.objects.filter(username="family-worker").order_by("-id")[:2]
    assert {(r.record_type, r.action, r.outcome) for r in rows} == {
        ("plan", "read", "allowed"),
        ("consent", "read", "allowed"),
    }


def test_it_says_when_nothing_needs_a_consent(world: World, team: Team) -> None:
    html = browser_of(world.family_worker).get(_reach_url(team, team.ngo_worker)).content.decode()
    assert 'data-testid="reach-none"' in html


def test_it_links_each_member_of_another_organisation_from_the_team(world: World, team: Team) -> None:
    html = (
        browser_of(world.family_worker)
        .get(reverse("plans:plan", kwargs={"plan_id": team.plan.pk}))
        .content.decode()
    )
    assert _reach_url(team, team.ngo_worker) in html and _reach_url(team, team.nurse) not in html  # same org


def test_it_gives_a_stranger_and_a_missing_member_a_404(world: World, team: Team) -> None:
    assert browser_of(world.stranger).get(_reach_url(team, team.nurse)).status_code == 404
    assert AccessLogEntry.objects.filter(username="stranger", outcome="refused").exists()
    missing = reverse(
        "plans:member_reach",
        kwargs={"plan_id": team.plan.pk, "member_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert browser_of(world.family_worker).get(missing).status_code == 404
