"""Starting and closing a plan, adding and removing team members (lape.plans.team)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from lape.access.guard import NotFoundOrForbidden
from lape.accounts.models import Membership, Role
from lape.people.models import Person
from lape.plans.coordination import offer_coordination
from lape.plans.entries import add_note
from lape.plans.models import CoordinationOffer, Entry, Plan, PlanStatus, TeamMember
from lape.plans.reading import plan_for
from lape.plans.relations import on_plan_team
from lape.plans.steps import StepRefused
from lape.plans.team import add_member, close_plan, remove_member, start_plan

from .conftest import Team, World, errors_of, identified_request, last_row, make_actor, membership_of, rows


def test_it_starts_a_plan_with_its_starter_as_coordinator_and_first_member(world: World) -> None:
    identified_request(world)
    review = timezone.localdate() + dt.timedelta(days=30)
    plan = start_plan(world.family_worker, world.child.pk, next_review_on=review)
    assert plan.status == PlanStatus.OPEN and plan.next_review_on == review
    assert plan.coordinator_id == world.family_worker.membership_id
    assert list(plan.team.values_list("membership_id", flat=True)) == [world.family_worker.membership_id]
    row = last_row()
    assert (row.record_type, row.action, row.outcome, row.basis) == (
        "plan",
        "write",
        "allowed",
        "own_register",
    )
    assert row.person_id == world.child.pk and row.record_id == str(plan.pk)


def test_it_refuses_to_start_a_plan_without_a_relation_to_the_child(world: World) -> None:
    with pytest.raises(NotFoundOrForbidden):
        start_plan(world.stranger, world.child.pk)
    assert not Plan.objects.exists()
    assert rows("stranger") == [("plan", "write", "refused", "no_relation")]


def test_it_answers_a_missing_child_as_a_forbidden_one(world: World) -> None:
    for child_id in (uuid.uuid4(), "not-an-id"):
        with pytest.raises(NotFoundOrForbidden):
            start_plan(world.family_worker, child_id)
    assert rows("family-worker") == [("person", "write", "refused", "not_found")] * 2


def test_it_refuses_a_second_open_plan_an_adult_and_a_past_review(world: World) -> None:
    identified_request(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert "next_review_on" in errors_of(
        lambda: start_plan(world.family_worker, world.child.pk, next_review_on=yesterday)
    )
    start_plan(world.family_worker, world.child.pk)
    assert "child" in errors_of(lambda: start_plan(world.family_worker, world.child.pk))
    assert Plan.objects.count() == 1
    Person.objects.filter(pk=world.child.pk).update(birth_date=dt.date(1980, 1, 1))  # now an adult
    Plan.objects.update(status=PlanStatus.CLOSED, closed_at=timezone.now())
    assert "child" in errors_of(lambda: start_plan(world.family_worker, world.child.pk))


def test_it_adds_members_only_by_the_coordinator(team: Team, world: World) -> None:
    assert team.nurse.membership_id == world.nurse.membership_id
    assert last_row().record_type == "plan" and last_row().username == "family-worker"
    with pytest.raises(StepRefused):
        add_member(world.nurse, team.plan.pk, membership_of(world.teacher).pk)
    assert rows("nurse")[-1] == ("plan", "write", "refused", "workflow")
    assert not TeamMember.objects.filter(membership_id=world.teacher.membership_id).exists()


def test_it_refuses_a_stranger_adding_members_as_if_the_plan_did_not_exist(team: Team, world: World) -> None:
    with pytest.raises(NotFoundOrForbidden):
        add_member(world.stranger, team.plan.pk, membership_of(world.stranger).pk)
    with pytest.raises(NotFoundOrForbidden):
        add_member(world.stranger, uuid.uuid4(), membership_of(world.stranger).pk)
    assert rows("stranger") == [
        ("plan", "write", "refused", "no_relation"),
        ("plan", "write", "refused", "not_found"),
    ]


def test_it_refuses_a_manager_an_ended_membership_a_member_twice_and_bad_dates(
    team: Team, world: World
) -> None:
    today = timezone.localdate()
    plan_id = team.plan.pk
    assert "membership" in errors_of(
        lambda: add_member(world.family_worker, plan_id, membership_of(world.manager).pk)
    )
    ended = membership_of(world.social_worker)
    Membership.objects.filter(pk=ended.pk).update(ended=today - dt.timedelta(days=1))
    assert "membership" in errors_of(lambda: add_member(world.family_worker, plan_id, ended.pk))
    assert "membership" in errors_of(
        lambda: add_member(world.family_worker, plan_id, membership_of(world.nurse).pk)
    )
    assert "membership" in errors_of(lambda: add_member(world.family_worker, plan_id, "garbage"))
    teacher = membership_of(world.teacher).pk
    past = today - dt.timedelta(days=2)
    assert "ended" in errors_of(lambda: add_member(world.family_worker, plan_id, teacher, ended=past))
    assert "task" in errors_of(lambda: add_member(world.family_worker, plan_id, teacher, task="x" * 201))
    assert TeamMember.objects.filter(plan=team.plan).count() == 4


def test_it_ends_a_removed_members_access_at_once(team: Team, world: World) -> None:
    assert plan_for(world.nurse, team.plan.pk)
    removed = remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    assert removed.removed_at is not None and removed.ended == timezone.localdate()
    assert not on_plan_team(world.nurse, world.child.pk)
    with pytest.raises(NotFoundOrForbidden):
        plan_for(world.nurse, team.plan.pk)
    assert rows("nurse")[-1] == ("plan", "read", "refused", "no_relation")


def test_it_lets_a_member_leave_but_not_remove_others(team: Team, world: World) -> None:
    with pytest.raises(StepRefused):
        remove_member(world.nurse, team.plan.pk, team.ngo_worker.pk)
    remove_member(world.nurse, team.plan.pk, team.nurse.pk)
    assert TeamMember.objects.get(pk=team.ngo_worker.pk).removed_at is None
    assert TeamMember.objects.get(pk=team.nurse.pk).removed_at is not None


def test_it_never_removes_the_coordinator(team: Team, world: World) -> None:
    own_place = TeamMember.objects.get(plan=team.plan, membership_id=world.family_worker.membership_id)
    with pytest.raises(StepRefused) as refused:
        remove_member(world.family_worker, team.plan.pk, own_place.pk)
    assert refused.value.code == "coordinator"
    assert TeamMember.objects.get(pk=own_place.pk).removed_at is None
    assert "member" in errors_of(lambda: remove_member(world.family_worker, team.plan.pk, uuid.uuid4()))


def test_it_cancels_the_offer_to_a_removed_member(team: Team, world: World) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    offer.refresh_from_db()
    assert offer.status == "cancelled"


def test_it_closes_a_plan_with_a_summary_and_then_refuses_changes(team: Team, world: World) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    assert "summary" in errors_of(lambda: close_plan(world.family_worker, team.plan.pk, summary="  "))
    with pytest.raises(StepRefused):
        close_plan(world.nurse, team.plan.pk, summary="Done.")
    plan = close_plan(world.family_worker, team.plan.pk, summary="The goals were met.")
    assert (
        plan.status == PlanStatus.CLOSED and plan.closed_at and plan.closing_summary == "The goals were met."
    )
    assert CoordinationOffer.objects.get(pk=offer.pk).status == "cancelled"
    with pytest.raises(StepRefused) as refused:
        add_note(world.nurse, plan.pk, category="health", text="Late note.")
    assert refused.value.code == "closed"
    assert not Entry.objects.exists()
    assert plan_for(world.nurse, plan.pk).plan.status == PlanStatus.CLOSED  # the team still reads it


def test_it_lets_a_new_plan_start_after_the_last_one_closed(team: Team, world: World) -> None:
    close_plan(world.family_worker, team.plan.pk, summary="Closed.")
    again = start_plan(world.nurse, world.child.pk)  # the nurse is on the closed plan's team
    assert again.pk != team.plan.pk and again.coordinator_id == world.nurse.membership_id


def test_it_refuses_a_role_without_client_data_even_when_it_is_on_the_team(team: Team, world: World) -> None:
    manager = make_actor("manager-2", world.county, Role.MANAGER)
    TeamMember.objects.create(plan=team.plan, membership=membership_of(manager))
    with pytest.raises(NotFoundOrForbidden):
        plan_for(manager, team.plan.pk)
    assert rows("manager-2") == [("plan", "read", "refused", "role")]
