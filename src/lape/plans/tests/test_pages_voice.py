"""The family's voice on the pages: Aino's father Pekka (a guardian) and Veera (13, her own plan)
sign in for real through the local OIDC provider; they write their own words, say what they
think of a goal, and Veera answers the self-assessment; the professionals' plan page shows it, and a
nurse records one done together with the younger Aino."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

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
from lape.people.models import Person
from lape.referrals.handling import assign_request, identify_person
from lape.referrals.tests.conftest import family_asks, membership_of
from lape.referrals.tests.page_clients import browser_of

from ..entries import add_goal
from ..models import Entry, Plan, SelfAssessment
from ..team import close_plan, start_plan
from .conftest import Team, World

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _url(name: str, plan: Plan, **kwargs: object) -> str:
    return reverse(f"plans:{name}", kwargs={"plan_id": plan.pk, **kwargs})


def teen_plan(world: World, teen: Person) -> Plan:
    """Veera's plan, started by the family worker from a contact request that identified her."""
    request = family_asks(world).request
    worker = membership_of(world.family_worker)
    assign_request(world.coordinator, request.pk, service=world.family_work, professional=worker)
    identify_person(world.family_worker, request.pk, identity_code=person("veera").identity_code)
    return start_plan(world.family_worker, teen.pk)


def test_it_lets_a_guardian_write_his_own_words_shown_escaped(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    client = _signed_in("pekka")
    page = client.get(_url("family_plan", team.plan)).content.decode()
    assert "Our own words" in page and 'name="words-topic"' in page and "Answer: how are you?" not in page
    words = "<script>alert(1)</script> Aino laughs again."
    response = client.post(
        _url("family_words_new", team.plan), {"words-topic": "going_well", "words-text": words}
    )
    assert response.status_code == 302 and response["Location"].endswith("#own-words")
    entry = Entry.objects.get(kind="voice")
    assert (entry.author_person_id, entry.topic) == (family.father.pk, "going_well")
    page = client.get(_url("family_plan", team.plan)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Aino laughs again." in page and "<script>alert" not in page
    assert "Pekka Testinen" in page


def test_it_reshows_empty_words_with_the_error_next_to_the_field(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    client = _signed_in("pekka")
    response = client.post(
        _url("family_words_new", team.plan), {"words-topic": "wishes", "words-text": "   "}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text
    assert re.search(r'<input type="radio" name="words-topic" value="wishes"[^>]* checked', text)
    assert not Entry.objects.filter(kind="voice").exists()


def test_it_lets_a_guardian_disagree_with_a_goal(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    client = _signed_in("pekka")
    prefix = f"goal-{goal.pk}"
    assert f'name="{prefix}-agrees"' in client.get(_url("family_plan", team.plan)).content.decode()
    url = _url("family_goal_opinion", team.plan, goal_id=goal.pk)
    response = client.post(url, {f"{prefix}-agrees": "no", f"{prefix}-text": "Too fast."})
    assert response.status_code == 302
    entry = Entry.objects.get(kind="voice")
    assert (entry.goal_id, entry.agrees, entry.text, entry.topic) == (
        goal.pk,
        False,
        "Too fast.",
        "about_goal",
    )
    assert "Does not agree with the goal." in client.get(_url("family_plan", team.plan)).content.decode()
    # Neither answer chosen: 400, nothing written.
    assert client.post(url, {f"{prefix}-text": "Hmm"}).status_code == 400
    assert Entry.objects.filter(kind="voice").count() == 1


def test_it_refuses_another_familys_guardian_and_a_closed_plan(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    outi = register(person("outi"))
    stranger = _signed_in("outi")
    data = {"words-topic": "worries", "words-text": "Let me in."}
    assert stranger.post(_url("family_words_new", team.plan), data).status_code == 404
    assert stranger.get(_url("family_self_assessment", team.plan)).status_code == 404
    assert AccessLogEntry.objects.filter(username=f"person:{outi.pk}", refusal="no_relation").count() == 2
    close_plan(world.family_worker, team.plan.pk, summary="Done.")
    response = _signed_in("pekka").post(_url("family_words_new", team.plan), data)
    assert response.status_code == 409 and "This plan is closed" in response.content.decode()
    assert not Entry.objects.filter(kind="voice").exists()


def test_it_lets_veera_answer_the_self_assessment_and_shows_it_over_time(
    family_oidc: Provider, family: Family, world: World
) -> None:
    plan = teen_plan(world, family.teen)
    client = _signed_in("veera")
    plan_page = client.get(_url("family_plan", plan)).content.decode()
    assert _url("family_self_assessment", plan) in plan_page and "No self-assessment yet." in plan_page
    form = client.get(_url("family_self_assessment", plan)).content.decode()
    assert form.count("<fieldset") == 8 and "Do you feel safe at home, at school and outside?" in form
    assert form.count('<svg class="face-picture"') == 8 * 5 and "Really good" in form
    response = client.post(_url("family_self_assessment", plan), {"safe": "5", "healthy": "2", "active": ""})
    assert response.status_code == 302 and response["Location"].endswith("#wellbeing")
    assessment = SelfAssessment.objects.get()
    assert assessment.author_person_id == family.teen.pk
    table = client.get(_url("family_plan", plan)).content.decode()
    assert "5 – really good" in table and "2 – not so good" in table and "not answered" in table
    # The professionals' page shows the same table to the coordinator (the register's own).
    page = browser_of(world.family_worker).get(_url("plan", plan)).content.decode()
    assert "5 – really good" in page and 'data-testid="wellbeing-table"' in page


def test_it_reshows_a_self_assessment_without_answers_with_its_error(
    family_oidc: Provider, family: Family, world: World
) -> None:
    plan = teen_plan(world, family.teen)
    response = _signed_in("veera").post(_url("family_self_assessment", plan), {"safe": ""})
    assert (
        response.status_code == 400
        and "Choose a face for at least one question." in response.content.decode()
    )
    response = _signed_in("veera").post(_url("family_self_assessment", plan), {"safe": "7"})
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()


def test_it_tells_a_guardian_that_only_the_child_answers(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    client = _signed_in("pekka")
    page = client.get(_url("family_self_assessment", team.plan))
    assert page.status_code == 409 and "Only the child answers the self-assessment" in page.content.decode()
    assert client.post(_url("family_self_assessment", team.plan), {"safe": "3"}).status_code == 409
    assert not SelfAssessment.objects.exists()


def test_it_lets_a_nurse_record_one_done_together_with_aino(world: World, team: Team) -> None:
    nurse = browser_of(world.nurse)
    url = _url("self_assessment_new", team.plan)
    assert (
        "Record a self-assessment done together with the child"
        in nurse.get(_url("plan", team.plan)).content.decode()
    )
    form = nurse.get(url).content.decode()
    assert form.count("<legend>") == 8
    response = nurse.post(url, {"healthy": "4", "safe": "3"})
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert assessment.author_membership_id == world.nurse.membership_id and assessment.category == "health"
    page = nurse.get(_url("plan", team.plan)).content.decode()
    assert "4 – good" in page and "with a professional" in page
    # The school social worker (the city) sees only that one exists.
    other = browser_of(world.school_social_worker).get(_url("plan", team.plan)).content.decode()
    assert "A self-assessment in the register of" in other and "4 – good" not in other
    assert browser_of(world.stranger).get(url).status_code == 404


def test_it_refuses_a_post_without_its_csrf_token(family_oidc: Provider, family: Family, team: Team) -> None:
    client = _signed_in("pekka")
    client.handler.enforce_csrf_checks = True  # after the sign-in: from here on as a browser would be
    data = {"words-topic": "wishes", "words-text": "Hi"}
    assert client.post(_url("family_words_new", team.plan), data).status_code == 403


def test_it_speaks_finnish_and_swedish(family_oidc: Provider, family: Family, world: World) -> None:
    plan = teen_plan(world, family.teen)
    finnish = _signed_in("veera", "fi").get(_url("family_self_assessment", plan)).content.decode()
    assert '<html lang="fi">' in finnish and "Tallenna vastaukseni" in finnish
    swedish = _signed_in("veera", "sv").get(_url("family_plan", plan)).content.decode()
    assert '<html lang="sv">' in swedish and "Våra egna ord" in swedish


def test_it_draws_the_chart_over_time_from_the_second_assessment_on(world: World, team: Team) -> None:
    nurse = browser_of(world.nurse)
    nurse.post(_url("self_assessment_new", team.plan), {"healthy": "2"})
    page = nurse.get(_url("plan", team.plan)).content.decode()
    assert "2 – not so good" in page and 'data-testid="wellbeing-chart"' not in page
    nurse.post(_url("self_assessment_new", team.plan), {"healthy": "5"})
    page = nurse.get(_url("plan", team.plan)).content.decode()
    assert 'data-testid="wellbeing-chart"' in page
    # Healthy: from 2 (y 30) on the left to 5 (y 0) on the right; the table has both columns.
    assert '<polyline points="0.0,30.0 160.0,0.0"' in page and "5 – really good" in page


def test_it_says_so_when_the_goal_is_not_one_of_the_plans(
    family_oidc: Provider, family: Family, team: Team
) -> None:
    url = _url("family_goal_opinion", team.plan, goal_id="00000000-0000-0000-0000-000000000000")
    data = {"goal-00000000-0000-0000-0000-000000000000-agrees": "yes"}
    response = _signed_in("pekka").post(url, data)
    assert response.status_code == 400 and "Choose a goal of this plan." in response.content.decode()
    assert not Entry.objects.filter(kind="voice").exists()
