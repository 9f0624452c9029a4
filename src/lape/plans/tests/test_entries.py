"""Writing a plan's entries: goals, actions, notes, meetings (lape.plans.entries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import timezone

from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.directory.models import Service
from lape.plans.entries import add_action, add_goal, add_note, record_meeting
from lape.plans.models import Entry, Plan
from lape.plans.steps import StepRefused
from lape.plans.team import remove_member

from .conftest import Team, World, errors_of, last_row, rows

TODAY = timezone.localdate


def _nothing_written(before: int) -> None:
    assert not Entry.objects.exists()
    assert AccessLogEntry.objects.count() == before


def test_it_adds_a_goal_in_the_childs_words_and_the_professionals(team: Team, world: World) -> None:
    goal = add_goal(
        world.school_social_worker,
        team.plan.pk,
        category="pupil_welfare",
        domain="included",
        words="Aino takes part in the class's group work.",
        child_words="I want a friend at school.",
    )
    assert (goal.kind, goal.domain, goal.category) == ("goal", "included", "pupil_welfare")
    assert goal.owner_organization_id == world.city.pk
    assert goal.author_membership_id == world.school_social_worker.membership_id
    row = last_row()
    assert (row.record_type, row.record_id, row.category, row.basis) == (
        "plan_goal",
        str(goal.pk),
        "pupil_welfare",
        "own_register",
    )


def test_it_refuses_a_goal_without_words_or_domain_and_writes_nothing(team: Team, world: World) -> None:
    before = AccessLogEntry.objects.count()
    errors = errors_of(
        lambda: add_goal(world.nurse, team.plan.pk, category="health", domain="happy", words=" ")
    )
    assert set(errors) == {"domain", "words"}
    errors = errors_of(
        lambda: add_goal(world.nurse, team.plan.pk, category="health", domain="healthy", words="x" * 4001)
    )
    assert set(errors) == {"words"}
    _nothing_written(before)


def test_it_lets_a_professional_write_only_in_their_own_registers_categories(
    team: Team, world: World
) -> None:
    before = AccessLogEntry.objects.count()
    for category in ("pupil_welfare", "child_protection", "contact", "nonsense"):
        errors = errors_of(lambda c=category: add_note(world.nurse, team.plan.pk, category=c, text="A note."))
        assert set(errors) == {"category"}
    _nothing_written(before)
    note = add_note(world.nurse, team.plan.pk, category="health", text="Sleeps better.")
    assert note.owner_organization_id == world.county.pk


def test_it_adds_an_action_with_who_by_when_a_service_and_a_method(team: Team, world: World) -> None:
    goal = add_goal(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        domain="nurtured",
        words="Calmer evenings.",
    )
    action = add_action(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        what="Evening routine visits twice a week.",
        responsible_id=team.ngo_worker.pk,
        due_on=TODAY() + dt.timedelta(days=60),
        goal_id=goal.pk,
        service_id=world.family_friend.pk,
        method="Lapset puheeksi",
    )
    assert (action.kind, action.goal_id, action.responsible_id, action.service_id) == (
        "action",
        goal.pk,
        team.ngo_worker.pk,
        world.family_friend.pk,
    )
    assert action.method == "Lapset puheeksi"


def test_it_refuses_an_action_by_someone_off_the_team_in_the_past_or_for_another_plans_goal(
    team: Team, world: World
) -> None:
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    other_plan = Plan.objects.create(child=world.mother, coordinator=team.plan.coordinator)
    foreign_goal = Entry.objects.create(
        plan=other_plan,
        kind="goal",
        category="social_services",
        owner_organization=world.county,
        author_membership=team.plan.coordinator,
        domain="safe",
        text="Another plan's goal.",
    )
    Service.objects.filter(pk=world.youth_work.pk).update(status="inactive")
    before = AccessLogEntry.objects.count()
    errors = errors_of(
        lambda: add_action(
            world.family_worker,
            team.plan.pk,
            category="social_services",
            what="",
            responsible_id=team.nurse.pk,
            due_on=TODAY() - dt.timedelta(days=1),
            goal_id=foreign_goal.pk,
            service_id=world.youth_work.pk,
            method="m" * 201,
        )
    )
    assert set(errors) == {"what", "responsible", "due_on", "goal", "service", "method"}
    assert Entry.objects.count() == 1 and AccessLogEntry.objects.count() == before


def test_it_adds_a_note_about_a_goal(team: Team, world: World) -> None:
    goal = add_goal(
        world.nurse, team.plan.pk, category="health", domain="healthy", child_words="I sleep all night."
    )
    note = add_note(world.nurse, team.plan.pk, category="health", text="Three good weeks.", goal_id=goal.pk)
    assert note.goal_id == goal.pk and note.text == "Three good weeks."
    assert "text" in errors_of(lambda: add_note(world.nurse, team.plan.pk, category="health", text=""))
    assert "goal" in errors_of(
        lambda: add_note(world.nurse, team.plan.pk, category="health", text="x", goal_id="x")
    )


def test_it_refuses_tying_a_note_to_a_goal_the_writer_may_not_read(team: Team, world: World) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    errors = errors_of(
        lambda: add_note(world.nurse, team.plan.pk, category="health", text="x", goal_id=goal.pk)
    )
    assert errors["goal"] == ["Choose a goal of this plan."]  # as if it were not there
    assert not Entry.objects.filter(kind="note").exists()


def test_it_records_a_meeting_and_moves_the_next_review(team: Team, world: World) -> None:
    review = TODAY() + dt.timedelta(days=90)
    meeting = record_meeting(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        held_on=TODAY(),
        participants="Aino, her mother, the team",
        decisions="Continue the evening visits.",
        next_review_on=review,
    )
    assert (meeting.kind, meeting.held_on, meeting.text) == (
        "meeting",
        TODAY(),
        "Continue the evening visits.",
    )
    assert Plan.objects.get(pk=team.plan.pk).next_review_on == review


def test_it_refuses_a_meeting_by_a_member_or_with_bad_dates(team: Team, world: World) -> None:
    fields: dict[str, Any] = {
        "category": "health",
        "held_on": TODAY(),
        "participants": "All",
        "decisions": "Go on.",
    }
    with pytest.raises(StepRefused) as refused:
        record_meeting(world.nurse, team.plan.pk, **fields)
    assert refused.value.code == "not_coordinator"
    assert rows("nurse")[-1] == ("plan", "write", "refused", "workflow")
    errors = errors_of(
        lambda: record_meeting(
            world.family_worker,
            team.plan.pk,
            category="social_services",
            held_on=TODAY() + dt.timedelta(days=1),
            participants="",
            decisions="",
            next_review_on=TODAY() - dt.timedelta(days=1),
        )
    )
    assert set(errors) == {"held_on", "participants", "decisions", "next_review_on"}
    assert not Entry.objects.exists() and Plan.objects.get(pk=team.plan.pk).next_review_on is None


def test_it_refuses_a_stranger_writing_as_if_the_plan_did_not_exist(team: Team, world: World) -> None:
    with pytest.raises(NotFoundOrForbidden):
        add_note(world.stranger, team.plan.pk, category="social_services", text="Hello.")
    assert rows("stranger") == [("plan", "write", "refused", "no_relation")]
    assert not Entry.objects.exists()


def test_it_keeps_every_entry_with_one_author_in_the_database(team: Team, world: World) -> None:
    with pytest.raises(IntegrityError):
        Entry.objects.create(
            plan=team.plan, kind="voice", topic="wishes", category="social_services", owner_organization=world.county,
            author_membership=team.plan.coordinator, text="A professional writing as the child.",
        )  # fmt: skip


def test_it_keeps_the_childs_own_words_as_a_persons_entry(team: Team, world: World) -> None:
    entry = Entry.objects.create(
        plan=team.plan, kind="voice", topic="wishes", category="social_services", owner_organization=world.county,
        author_person=world.child, text="I wish for a dog.",
    )  # fmt: skip
    assert entry.author_person_id == world.child.pk
