"""Handing the coordination over: it takes effect only when the new coordinator accepts (lape.plans.coordination)."""

from __future__ import annotations

import uuid

import pytest

from lape.access.guard import NotFoundOrForbidden
from lape.plans.coordination import (
    accept_coordination,
    cancel_coordination_offer,
    decline_coordination,
    offer_coordination,
)
from lape.plans.models import Plan, TeamMember
from lape.plans.steps import StepRefused
from lape.plans.team import remove_member

from .conftest import Team, World, errors_of, rows


def _coordinator(team: Team) -> uuid.UUID:
    plan = Plan.objects.get(pk=team.plan.pk)
    # Never without one, and the coordinator is always on the team.
    assert TeamMember.objects.filter(
        plan=plan, membership_id=plan.coordinator_id, removed_at__isnull=True
    ).exists()
    return plan.coordinator_id


def test_it_hands_the_coordination_over_only_when_the_new_coordinator_accepts(
    team: Team, world: World
) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.school_social_worker.pk)
    assert offer.status == "pending"
    assert _coordinator(team) == world.family_worker.membership_id  # still the one who offered
    accepted = accept_coordination(world.school_social_worker, offer.pk)
    assert accepted.status == "accepted" and accepted.answered_at is not None
    assert _coordinator(team) == world.school_social_worker.membership_id
    # The former coordinator stays on the team and may now leave it.
    remove_member(
        world.family_worker,
        team.plan.pk,
        TeamMember.objects.get(membership_id=world.family_worker.membership_id).pk,
    )
    assert _coordinator(team) == world.school_social_worker.membership_id


def test_it_keeps_the_coordinator_when_the_offer_is_declined_or_cancelled(team: Team, world: World) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    assert decline_coordination(world.nurse, offer.pk).status == "declined"
    assert _coordinator(team) == world.family_worker.membership_id
    again = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    assert cancel_coordination_offer(world.family_worker, again.pk).status == "cancelled"
    assert _coordinator(team) == world.family_worker.membership_id
    with pytest.raises(StepRefused) as refused:
        accept_coordination(world.nurse, again.pk)
    assert refused.value.code == "answered"
    assert _coordinator(team) == world.family_worker.membership_id


def test_it_refuses_accepting_someone_elses_offer(team: Team, world: World) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    for step in (accept_coordination, decline_coordination):
        with pytest.raises(StepRefused) as refused:
            step(world.ngo_worker, offer.pk)
        assert refused.value.code == "not_yours"
    assert rows("ngo-worker") == [("plan", "write", "refused", "workflow")] * 2
    with pytest.raises(StepRefused):
        cancel_coordination_offer(world.nurse, offer.pk)  # only the coordinator takes an offer back
    assert _coordinator(team) == world.family_worker.membership_id


def test_it_refuses_an_offer_by_anyone_but_the_coordinator(team: Team, world: World) -> None:
    with pytest.raises(StepRefused) as refused:
        offer_coordination(world.nurse, team.plan.pk, team.ngo_worker.pk)
    assert refused.value.code == "not_coordinator"


def test_it_refuses_an_offer_to_someone_not_on_the_team_or_to_oneself(team: Team, world: World) -> None:
    own = TeamMember.objects.get(plan=team.plan, membership_id=world.family_worker.membership_id)
    assert "member" in errors_of(lambda: offer_coordination(world.family_worker, team.plan.pk, own.pk))
    assert "member" in errors_of(lambda: offer_coordination(world.family_worker, team.plan.pk, uuid.uuid4()))
    remove_member(world.family_worker, team.plan.pk, team.nurse.pk)
    assert "member" in errors_of(lambda: offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk))


def test_it_refuses_an_offer_to_a_role_that_sees_no_client_data(team: Team, world: World) -> None:
    from .conftest import membership_of

    manager = TeamMember.objects.create(plan=team.plan, membership=membership_of(world.manager))
    assert "member" in errors_of(lambda: offer_coordination(world.family_worker, team.plan.pk, manager.pk))


def test_it_allows_one_waiting_offer_at_a_time(team: Team, world: World) -> None:
    offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    with pytest.raises(StepRefused) as refused:
        offer_coordination(world.family_worker, team.plan.pk, team.ngo_worker.pk)
    assert refused.value.code == "pending"


def test_it_refuses_a_stranger_and_a_missing_offer_alike(team: Team, world: World) -> None:
    offer = offer_coordination(world.family_worker, team.plan.pk, team.nurse.pk)
    for offer_id in (offer.pk, uuid.uuid4()):
        with pytest.raises(NotFoundOrForbidden):
            accept_coordination(world.stranger, offer_id)
    assert rows("stranger") == [
        ("plan", "write", "refused", "no_relation"),
        ("coordination_offer", "write", "refused", "not_found"),
    ]
    assert _coordinator(team) == world.family_worker.membership_id
