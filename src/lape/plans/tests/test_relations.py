"""The access relation of plans: who is on a child's plan team, in one query per decision."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lape.access import decide
from lape.access.decisions import Action
from lape.access.memo import remembered
from lape.accounts.acting import Actor
from lape.plans.entries import add_note
from lape.plans.models import TeamMember
from lape.plans.reading import plan_for
from lape.plans.relations import on_plan_team, on_team_of
from lape.plans.targets import plan_target
from lape.plans.team import add_member, remove_member

from .conftest import Team, World, make_actor, membership_of


def test_it_puts_the_coordinator_and_the_members_in_force_on_the_childs_plan(
    team: Team, world: World
) -> None:
    for member in (world.family_worker, world.nurse, world.school_social_worker, world.ngo_worker):
        assert on_plan_team(member, world.child.pk)
        assert on_team_of(member, team.plan)
    for outsider in (world.stranger, world.teacher, world.social_worker):
        assert not on_plan_team(outsider, world.child.pk)
    assert not on_plan_team(world.nurse, world.mother.pk)  # another person


def test_it_takes_a_removed_member_off_at_once(team: Team, world: World) -> None:
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    assert not on_plan_team(world.nurse, world.child.pk)
    today = timezone.localdate()
    assert not on_team_of(
        world.nurse, team.plan, today - dt.timedelta(days=1)
    )  # a removed place opens nothing, whatever the day


def test_it_follows_the_first_and_last_day(team: Team, world: World) -> None:
    today = timezone.localdate()
    later = add_member(
        world.family_worker,
        team.plan.pk,
        membership_of(world.teacher).pk,
        started=today + dt.timedelta(days=1),
    )
    assert not on_plan_team(world.teacher, world.child.pk)
    assert on_team_of(world.teacher, team.plan, today + dt.timedelta(days=1))
    TeamMember.objects.filter(pk=later.pk).update(
        started=today - dt.timedelta(days=10), ended=today - dt.timedelta(days=1)
    )
    assert not on_plan_team(world.teacher, world.child.pk)
    TeamMember.objects.filter(pk=later.pk).update(ended=today)
    assert on_plan_team(world.teacher, world.child.pk)  # the last day is a day on the team


def test_it_asks_one_query_per_decision(team: Team, world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert on_plan_team(world.nurse, world.child.pk)
    assert len(queries) == 1
    nobody = make_actor("nobody", world.county, "public_health_nurse")
    with CaptureQueriesContext(connection) as queries:
        assert not on_plan_team(nobody, world.child.pk)
    assert len(queries) == 1


def test_it_costs_a_decision_one_query_per_provider(team: Team, world: World) -> None:
    # The decision on the plan's frame: the relation providers (referrals, plans) one query each,
    # and nothing else: own register needs no query. The stranger has no relation: both asked.
    with CaptureQueriesContext(connection) as queries:
        assert not decide(world.stranger, Action.READ, plan_target(team.plan, world.stranger)).allowed
    plan_queries = [q for q in queries if "plans_teammember" in q["sql"]]
    assert len(plan_queries) == 1 and len(queries) == 2


def _team_queries(actor: Actor, plan_id: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        plan_for(actor, plan_id)  # type: ignore[arg-type]
    return len([q for q in queries if "plans_teammember" in q["sql"]])


def test_it_asks_the_relation_once_for_a_whole_plan_however_many_entries(team: Team, world: World) -> None:
    add_note(world.nurse, team.plan.pk, category="health", text="One.")
    with_one = _team_queries(world.nurse, team.plan.pk)
    for n in range(10):
        add_note(world.nurse, team.plan.pk, category="health", text=f"Note {n}.")
    # The frame's decision and the plan's own rule, then one for all the entries (access.memo.remembered);
    # the team in force reads plans_teammember too (notes have no responsible member to prefetch).
    assert _team_queries(world.nurse, team.plan.pk) == with_one == 4


def test_it_asks_afresh_outside_one_read(team: Team, world: World) -> None:
    with remembered():
        assert on_plan_team(world.nurse, world.child.pk)
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    assert not decide(world.nurse, Action.READ, plan_target(team.plan, world.nurse)).allowed
