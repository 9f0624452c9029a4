"""Break-the-glass on a plan's entry (docs/access.md "Emergency", docs/plans.md "Pages").

Aino's plan (conftest): the county's family worker writes a social-services goal; the county's
public health nurse is on the team, but her role handles health only, so the goal is withheld from
her. A public health nurse is one of the roles that may open it in an emergency, with a reason of
at least ten characters; MLL's NGO worker is not.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from lape.access.emergency import MIN_REASON_LENGTH, emergency_access
from lape.access.models import AccessLogEntry
from lape.referrals.tests.conftest import World
from lape.referrals.tests.page_clients import browser_of

from ..entries import add_goal, add_note
from ..models import Entry
from .conftest import Team

pytestmark = pytest.mark.django_db

REASON = "The child told the nurse she is afraid to go home tonight."


@pytest.fixture
def goal(world: World, team: Team) -> Entry:
    return add_goal(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        domain="safe",
        words="Calm evenings at home",
    )


def emergency_url(entry: Entry) -> str:
    return reverse("plans:entry_emergency", kwargs={"entry_id": entry.pk})


def emergency_rows() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(basis="emergency"))


def test_it_offers_the_emergency_link_to_an_emergency_role_only(
    world: World, team: Team, goal: Entry
) -> None:
    plan_url = reverse("plans:plan", kwargs={"plan_id": team.plan.pk})
    nurse_page = browser_of(world.nurse).get(plan_url).content.decode()
    assert emergency_url(goal) in nurse_page
    assert "Calm evenings at home" not in nurse_page
    ngo_page = browser_of(world.ngo_worker).get(plan_url).content.decode()
    assert "you have no basis to read it" in ngo_page
    assert emergency_url(goal) not in ngo_page


def test_it_asks_the_reason_before_showing_anything(world: World, team: Team, goal: Entry) -> None:
    page = browser_of(world.nurse).get(emergency_url(goal))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A goal by Pohjois-Savon hyvinvointialue, social services" in text
    assert "Calm evenings at home" not in text
    assert 'name="reason"' in text
    assert not emergency_rows()


def test_it_refuses_a_reason_too_short_and_shows_nothing(world: World, team: Team, goal: Entry) -> None:
    answer = browser_of(world.nurse).post(emergency_url(goal), {"reason": "x" * (MIN_REASON_LENGTH - 1)})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Calm evenings at home" not in text
    assert 'href="#id_reason"' in text
    assert not emergency_rows()


def test_it_shows_the_entry_flagged_and_logs_the_reason(world: World, team: Team, goal: Entry) -> None:
    sent: list[Any] = []

    def heard(sender: Any, entry: AccessLogEntry, **kwargs: Any) -> None:
        sent.append(entry)

    emergency_access.connect(heard)
    try:
        answer = browser_of(world.nurse).post(emergency_url(goal), {"reason": REASON})
    finally:
        emergency_access.disconnect(heard)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Calm evenings at home" in text
    assert 'data-testid="emergency-flag"' in text
    [row] = emergency_rows()
    assert (row.username, row.record_type, row.record_id, row.reason) == (
        "nurse",
        "plan_goal",
        str(goal.pk),
        REASON,
    )
    assert sent == [row]


def test_it_answers_a_role_that_may_not_with_404_and_logs_it(world: World, team: Team, goal: Entry) -> None:
    browser = browser_of(world.ngo_worker)
    assert browser.get(emergency_url(goal)).status_code == 404
    assert browser.post(emergency_url(goal), {"reason": REASON}).status_code == 404
    refusals = AccessLogEntry.objects.filter(
        username="ngo-worker", record_type="plan_goal", outcome="refused"
    )
    assert set(refusals.values_list("refusal", flat=True)) == {"emergency"}
    assert not emergency_rows()


def test_it_answers_a_stranger_as_for_a_missing_entry(world: World, team: Team, goal: Entry) -> None:
    browser = browser_of(world.stranger)
    forbidden = browser.get(emergency_url(goal))
    missing = browser.get(reverse("plans:entry_emergency", kwargs={"entry_id": uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_it_sends_an_entry_readable_anyway_back_to_the_plan(world: World, team: Team) -> None:
    note = add_note(world.nurse, team.plan.pk, category="health", text="Sleeps better")
    answer = browser_of(world.nurse).get(emergency_url(note))
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#entry-{note.pk}")
    assert not emergency_rows()
