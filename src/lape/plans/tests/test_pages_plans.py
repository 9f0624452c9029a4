"""The plan pages of professionals: my plans, starting a plan, the plan page and each of its forms.

The people are the plans tests' (conftest): Aino's plan, started by the county's family worker from
her contact request, with the county's nurse, the city's school social worker and MLL's worker on
the team. Each form is posted as a browser would (prefixed fields, CSRF); the answers are the
rules' (docs/plans.md): a refused step 409 with its sentence, bad input 400 with the typed values,
a missing or forbidden plan the same 404, logged.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.models import AccessLogEntry
from lape.referrals.referring import create_referral
from lape.referrals.tests.conftest import World, consent_to, identified_request, membership_of
from lape.referrals.tests.page_clients import browser_of

from ..coordination import offer_coordination
from ..entries import add_goal, add_note
from ..models import CoordinationOffer, Entry, OfferStatus, Plan, PlanStatus, TeamMember
from .conftest import Team

pytestmark = pytest.mark.django_db


def plan_url(plan: Plan, step: str = "plan") -> str:
    return reverse(f"plans:{step}", kwargs={"plan_id": plan.pk})


def coordinator_browser(world: World, language: str = "en") -> Client:
    return browser_of(world.family_worker, language=language)


# My plans


def test_it_lists_my_plans_with_the_child_the_coordinator_and_the_next_review(
    world: World, team: Team
) -> None:
    Plan.objects.filter(pk=team.plan.pk).update(next_review_on=dt.date(2031, 5, 4))
    page = browser_of(world.nurse).get(reverse("plans:my_plans"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Aino Testinen" in text
    assert "Pohjois-Savon hyvinvointialue" in text  # the coordinator's organisation
    assert "05/04/2031" in text or "2031" in text
    assert page["Cache-Control"].count("no-store") == 1


def test_it_shows_no_plan_of_others_in_my_plans(world: World, team: Team) -> None:
    page = browser_of(world.cp_worker).get(reverse("plans:my_plans"))
    assert page.status_code == 200
    assert "Aino" not in page.content.decode()


def test_it_lets_the_offered_member_accept_from_my_plans(world: World, team: Team) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    browser = browser_of(world.nurse)
    page = browser.get(reverse("plans:my_plans"))
    assert "offers you the coordination" in page.content.decode()
    answer = browser.post(reverse("plans:offer_answer", args=[offer.pk, "accept"]))
    assert answer.status_code == 302
    team.plan.refresh_from_db()
    assert team.plan.coordinator_id == membership_of(world.nurse).pk


def test_it_lets_the_offered_member_decline(world: World, team: Team) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    answer = browser_of(world.nurse).post(reverse("plans:offer_answer", args=[offer.pk, "decline"]))
    assert answer.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_it_answers_409_when_someone_else_accepts_an_offer(world: World, team: Team) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    answer = browser_of(world.ngo_worker).post(reverse("plans:offer_answer", args=[offer.pk, "accept"]))
    assert answer.status_code == 409
    assert 'data-testid="refused"' in answer.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_it_lets_the_coordinator_cancel_an_offer(world: World, team: Team) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    answer = coordinator_browser(world).post(reverse("plans:offer_answer", args=[offer.pk, "cancel"]))
    assert answer.status_code == 302
    assert CoordinationOffer.objects.get(pk=offer.pk).status == OfferStatus.CANCELLED


# Starting a plan


def test_it_links_a_contact_request_with_a_person_to_starting_a_plan(world: World) -> None:
    request = identified_request(world)
    page = browser_of(world.family_worker).get(reverse("referrals:request", args=[request.pk]))
    assert f"{reverse('plans:start')}?child={world.child.pk}" in page.content.decode()


def test_it_links_a_referral_to_starting_a_plan_for_its_person(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    referral = create_referral(
        world.family_worker,
        person=world.child,
        receiver_service=world.family_friend,
        category="ngo_support",
        reason="A family friend for the evenings, please.",
    )
    page = browser_of(world.family_worker).get(reverse("referrals:referral", args=[referral.pk]))
    assert page.status_code == 200
    assert f"{reverse('plans:start')}?child={world.child.pk}" in page.content.decode()


def test_it_starts_a_plan_from_the_form(world: World) -> None:
    identified_request(world)
    browser = browser_of(world.family_worker)
    form = browser.get(f"{reverse('plans:start')}?child={world.child.pk}")
    assert form.status_code == 200
    assert f'value="{world.child.pk}"' in form.content.decode()
    answer = browser.post(reverse("plans:start"), {"child": str(world.child.pk), "next_review_on": ""})
    plan = Plan.objects.get(child=world.child)
    assert answer.status_code == 302
    assert answer["Location"] == plan_url(plan)
    assert plan.coordinator_id == membership_of(world.family_worker).pk


def test_it_refuses_a_past_review_date_next_to_the_field(world: World) -> None:
    identified_request(world)
    answer = browser_of(world.family_worker).post(
        reverse("plans:start"), {"child": str(world.child.pk), "next_review_on": "2020-01-02"}
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "The next review cannot be in the past" in text
    assert 'value="2020-01-02"' in text
    assert not Plan.objects.exists()


def test_it_refuses_a_second_plan_of_a_child(world: World, team: Team) -> None:
    answer = coordinator_browser(world).post(reverse("plans:start"), {"child": str(world.child.pk)})
    assert answer.status_code == 400
    assert "This child has a plan already" in answer.content.decode()
    assert Plan.objects.count() == 1


def test_it_answers_a_stranger_starting_a_plan_with_404(world: World) -> None:
    answer = browser_of(world.stranger).post(reverse("plans:start"), {"child": str(world.child.pk)})
    assert answer.status_code == 404
    assert not Plan.objects.exists()


# The plan page


def test_it_shows_the_plan_frame_and_team(world: World, team: Team) -> None:
    page = browser_of(world.nurse).get(plan_url(team.plan))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Aino Testinen" in text
    assert 'data-testid="member"' in text and text.count('data-testid="member"') == 4
    assert "Pupil welfare" in text  # the school social worker's task
    assert "Kuopion kaupunki" in text and "MLL Kuopio" in text


def test_it_shows_own_entries_whole_and_others_as_headings(world: World, team: Team) -> None:
    add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    add_note(world.school_social_worker, team.plan.pk, category="pupil_welfare", text="Came to school daily")
    text = browser_of(world.school_social_worker).get(plan_url(team.plan)).content.decode()
    assert "Came to school daily" in text
    assert "Calm evenings" not in text
    assert "A goal by Pohjois-Savon hyvinvointialue, social services" in text
    assert "you have no basis to read it" in text
    assert "Open in an emergency" not in text  # a school social worker may not break the glass


def test_it_shows_another_organisations_entry_whole_under_consent(world: World, team: Team) -> None:
    add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    consent_to(world, world.ngo, "social_services")
    text = browser_of(world.ngo_worker).get(plan_url(team.plan)).content.decode()
    assert "Calm evenings" in text
    assert "you have no basis to read it" not in text


def test_it_shows_a_goal_behind_a_readable_note_only_when_the_goal_is_readable(
    world: World, team: Team
) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    consent_to(world, world.city, "social_services")  # the school social worker reads the goal, and
    add_note(
        world.school_social_worker, team.plan.pk, category="pupil_welfare", text="Slept well", goal_id=goal.pk
    )
    consent_to(world, world.ngo, "pupil_welfare")  # the NGO reads the note, not the goal
    text = browser_of(world.ngo_worker).get(plan_url(team.plan)).content.decode()
    assert "Slept well" in text
    assert "Calm evenings" not in text
    assert "About the goal: a goal you have no basis to read" in text
    text = browser_of(world.school_social_worker).get(plan_url(team.plan)).content.decode()
    assert "About the goal: Calm evenings" in text


def test_it_answers_a_stranger_and_a_missing_plan_alike_and_logs_both(world: World, team: Team) -> None:
    browser = browser_of(world.stranger)
    forbidden = browser.get(plan_url(team.plan))
    missing = browser.get(reverse("plans:plan", kwargs={"plan_id": uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    refusals = AccessLogEntry.objects.filter(username="stranger", record_type="plan", outcome="refused")
    assert sorted(refusals.values_list("refusal", flat=True)) == ["no_relation", "not_found"]


def test_it_answers_a_manager_with_404(world: World, team: Team) -> None:
    assert browser_of(world.manager).get(plan_url(team.plan)).status_code == 404


def test_it_sends_someone_not_logged_in_to_the_login(team: Team) -> None:
    answer = Client().get(plan_url(team.plan))
    assert answer.status_code == 302
    assert reverse("accounts:login") in answer["Location"]


def test_it_refuses_a_form_without_its_csrf_token(world: World, team: Team) -> None:
    browser = browser_of(world.family_worker, enforce_csrf_checks=True)
    answer = browser.post(plan_url(team.plan, "close"), {"close-summary": "Done"})
    assert answer.status_code == 403
    assert Plan.objects.get(pk=team.plan.pk).status == PlanStatus.OPEN


@pytest.mark.parametrize(("language", "heading"), [("fi", "Tiimi"), ("sv", "Team"), ("en", "Team")])
def test_it_speaks_finnish_and_swedish(world: World, team: Team, language: str, heading: str) -> None:
    page = browser_of(world.nurse, language=language).get(plan_url(team.plan))
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.content.decode()
    assert f'<h2 id="team">{heading}</h2>' in page.content.decode()


# The forms


def test_it_adds_a_member(world: World, team: Team) -> None:
    form = coordinator_browser(world).get(plan_url(team.plan)).content.decode()
    assert reverse("access:consents", args=[world.child.pk]) in form  # the consent the new member needs
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "member_add"),
        {"member-membership": str(membership_of(world.cp_worker).pk), "member-task": "Safety assessment"},
    )
    assert answer.status_code == 302
    assert TeamMember.objects.filter(plan=team.plan, membership=membership_of(world.cp_worker)).exists()


def test_it_refuses_adding_a_member_by_a_member_with_409(world: World, team: Team) -> None:
    answer = browser_of(world.nurse).post(
        plan_url(team.plan, "member_add"), {"member-membership": str(membership_of(world.cp_worker).pk)}
    )
    assert answer.status_code == 409
    assert "Only the plan&#x27;s coordinator can add members" in answer.content.decode()
    assert not TeamMember.objects.filter(membership=membership_of(world.cp_worker)).exists()


def test_it_refuses_a_member_twice_next_to_the_field(world: World, team: Team) -> None:
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "member_add"),
        {"member-membership": str(membership_of(world.nurse).pk), "member-task": "Again"},
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "This professional is on the team already." in text
    assert 'value="Again"' in text
    assert 'href="#id_member-membership"' in text


def test_it_removes_a_member_after_a_confirmation(world: World, team: Team) -> None:
    browser = coordinator_browser(world)
    url = reverse("plans:member_remove", args=[team.plan.pk, team.nurse.pk])
    confirm = browser.get(url)
    assert confirm.status_code == 200
    assert TeamMember.objects.get(pk=team.nurse.pk).removed_at is None
    assert browser.post(url).status_code == 302
    assert TeamMember.objects.get(pk=team.nurse.pk).removed_at is not None
    assert browser_of(world.nurse).get(plan_url(team.plan)).status_code == 404


def test_it_lets_a_member_leave(world: World, team: Team) -> None:
    url = reverse("plans:member_remove", args=[team.plan.pk, team.ngo_worker.pk])
    answer = browser_of(world.ngo_worker).post(url)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("plans:my_plans")


def test_it_refuses_removing_the_coordinator_with_409(world: World, team: Team) -> None:
    own = TeamMember.objects.get(plan=team.plan, membership=membership_of(world.family_worker))
    answer = coordinator_browser(world).post(reverse("plans:member_remove", args=[team.plan.pk, own.pk]))
    assert answer.status_code == 409
    assert "Hand the coordination over first" in answer.content.decode()


def test_it_offers_the_coordination(world: World, team: Team) -> None:
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "offer_new"), {"offer-member": str(team.nurse.pk)}
    )
    assert answer.status_code == 302
    page = coordinator_browser(world).get(plan_url(team.plan))
    assert 'data-testid="pending-offer"' in page.content.decode()


def test_it_adds_a_goal_and_reshows_a_refused_one(world: World, team: Team) -> None:
    browser = coordinator_browser(world)
    refused = browser.post(
        plan_url(team.plan, "goal_new"),
        {"goal-category": "social_services", "goal-domain": "safe", "goal-words": "", "goal-child_words": ""},
    )
    assert refused.status_code == 400
    assert not Entry.objects.exists()
    answer = browser.post(
        plan_url(team.plan, "goal_new"),
        {"goal-category": "social_services", "goal-domain": "safe", "goal-child_words": "I want to sleep"},
    )
    assert answer.status_code == 302
    goal = Entry.objects.get()
    assert (goal.kind, goal.domain, goal.child_words) == ("goal", "safe", "I want to sleep")


def test_it_refuses_a_category_outside_the_own_register(world: World, team: Team) -> None:
    answer = browser_of(world.nurse).post(
        plan_url(team.plan, "goal_new"),
        {"goal-category": "social_services", "goal-domain": "safe", "goal-words": "x"},
    )
    assert answer.status_code == 400  # the nurse's form offers only health
    assert not Entry.objects.exists()


def test_it_adds_an_action_with_its_service(world: World, team: Team) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    due = timezone.localdate() + dt.timedelta(days=14)
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "action_new"),
        {
            "action-category": "social_services",
            "action-what": "A family friend visits weekly",
            "action-responsible_id": str(team.ngo_worker.pk),
            "action-due_on": due.isoformat(),
            "action-goal_id": str(goal.pk),
            "action-service_id": str(world.family_friend.pk),
            "action-method": "Family friend",
        },
    )
    assert answer.status_code == 302
    action = Entry.objects.get(kind="action")
    assert (action.responsible_id, action.due_on, action.service_id) == (
        team.ngo_worker.pk,
        due,
        world.family_friend.pk,
    )


def test_it_refuses_an_action_due_in_the_past(world: World, team: Team) -> None:
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "action_new"),
        {
            "action-category": "social_services",
            "action-what": "Visits",
            "action-responsible_id": str(team.nurse.pk),
            "action-due_on": "2020-01-01",
        },
    )
    assert answer.status_code == 400
    assert "Visits</textarea>" in answer.content.decode()  # a textarea: the words are its content
    assert not Entry.objects.exists()


def test_it_adds_a_note(world: World, team: Team) -> None:
    answer = browser_of(world.nurse).post(
        plan_url(team.plan, "note_new"), {"note-category": "health", "note-text": "Sleeps better"}
    )
    assert answer.status_code == 302
    assert Entry.objects.get().text == "Sleeps better"


def test_it_reads_the_plan_once_when_it_reshows_a_refused_note(world: World, team: Team) -> None:
    add_goal(world.nurse, team.plan.pk, category="health", domain="healthy", words="Sleep")
    before = AccessLogEntry.objects.count()
    browser_of(world.nurse).get(plan_url(team.plan))
    one_read = AccessLogEntry.objects.count() - before
    answer = browser_of(world.nurse).post(plan_url(team.plan, "note_new"), {"note-category": "health"})
    assert answer.status_code == 400
    assert AccessLogEntry.objects.count() - before == 2 * one_read  # the re-shown page's read, once


def test_it_records_a_meeting_and_moves_the_next_review(world: World, team: Team) -> None:
    today = timezone.localdate()
    review = today + dt.timedelta(days=60)
    answer = coordinator_browser(world).post(
        plan_url(team.plan, "meeting_new"),
        {
            "meeting-category": "social_services",
            "meeting-held_on": today.isoformat(),
            "meeting-participants": "The team and the family",
            "meeting-decisions": "Continue",
            "meeting-next_review_on": review.isoformat(),
        },
    )
    assert answer.status_code == 302
    assert Plan.objects.get(pk=team.plan.pk).next_review_on == review


def test_it_refuses_a_meeting_by_a_member_with_409(world: World, team: Team) -> None:
    answer = browser_of(world.nurse).post(
        plan_url(team.plan, "meeting_new"),
        {
            "meeting-category": "health",
            "meeting-held_on": timezone.localdate().isoformat(),
            "meeting-participants": "Us",
            "meeting-decisions": "Continue",
        },
    )
    assert answer.status_code == 409
    assert not Entry.objects.exists()


def test_it_closes_the_plan_with_a_summary(world: World, team: Team) -> None:
    browser = coordinator_browser(world)
    assert browser.post(plan_url(team.plan, "close"), {"close-summary": ""}).status_code == 400
    assert browser.post(plan_url(team.plan, "close"), {"close-summary": "Things are well"}).status_code == 302
    page = browser_of(world.nurse).get(plan_url(team.plan))
    assert "Things are well" in page.content.decode()
    assert "Add a goal" not in page.content.decode()
    late = browser_of(world.nurse).post(
        plan_url(team.plan, "note_new"), {"note-category": "health", "note-text": "Late"}
    )
    assert late.status_code == 409


def test_it_answers_a_stranger_posting_a_form_with_404(world: World, team: Team) -> None:
    answer = browser_of(world.stranger).post(
        plan_url(team.plan, "note_new"), {"note-category": "social_services", "note-text": "x"}
    )
    assert answer.status_code == 404
    assert not Entry.objects.exists()
