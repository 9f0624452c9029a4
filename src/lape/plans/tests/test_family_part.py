"""The family-level part of siblings' plans: linking, its entries under every child's decision, leaving.

The plans tests' team on Aino's plan (the family worker coordinating, the county's nurse, the city's
school social worker, MLL's worker) and her brother Otto (7, the same mother), whose plan the family
worker also coordinates, with the nurse on its team. Only the family worker and the nurse are on
both teams.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lape.access.ban_actions import set_ban
from lape.access.consent_actions import grant_consent
from lape.access.decisions import Refusal
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry, BanScope
from lape.directory.models import Organization
from lape.people.models import Person

from ..coordination import accept_coordination, offer_coordination
from ..family_part import (
    add_family_entry,
    family_part_for,
    leave_family_part,
    link_plans,
    sibling_plans_to_link,
)
from ..models import FamilyEntry, FamilyPart, LinkedPlan
from ..steps import StepRefused
from ..team import close_plan, remove_member
from .conftest import Sibling, Team, World, errors_of, membership_of, sibling_with_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def otto(world: World, team: Team) -> Sibling:
    return sibling_with_plan(world)


def _linked(world: World, team: Team, otto: Sibling) -> FamilyPart:
    return link_plans(world.family_worker, [team.plan.pk, otto.plan.pk])


def _housing_note(world: World, team: Team) -> FamilyEntry:
    return add_family_entry(
        world.family_worker,
        team.plan.pk,
        kind="note",
        category="social_services",
        text="The family is moving to a bigger flat in March.",
    )


def _consent(world: World, child: Person, organization: Organization, category: str) -> None:
    grant_consent(
        world.family_worker,
        person=child,
        given_by=world.mother,
        organizations=[organization],
        categories=[category],
        purpose="Family support",
    )


def _rows(record_id: object) -> list[tuple[object, str, str, str]]:
    return list(
        AccessLogEntry.objects.filter(record_id=str(record_id))
        .order_by("id")
        .values_list("person_id", "action", "outcome", "refusal")
    )


# Linking


def test_it_links_siblings_plans_with_a_write_row_in_each_childs_log(
    world: World, team: Team, otto: Sibling
) -> None:
    part = _linked(world, team, otto)
    assert sorted(LinkedPlan.objects.filter(part=part).values_list("plan_id", flat=True), key=str) == sorted(
        [team.plan.pk, otto.plan.pk], key=str
    )
    assert sorted(_rows(part.pk), key=str) == sorted(
        [(world.child.pk, "write", "allowed", ""), (otto.child.pk, "write", "allowed", "")], key=str
    )


def test_it_offers_the_siblings_plans_the_coordinator_is_on_the_team_of(
    world: World, team: Team, otto: Sibling
) -> None:
    assert sibling_plans_to_link(world.family_worker, team.plan) == [otto.plan]
    assert sibling_plans_to_link(world.school_social_worker, team.plan) == []  # not on Otto's team


def test_it_refuses_to_link_children_without_the_same_guardians(
    world: World, team: Team, otto: Sibling
) -> None:
    stepfather = Person.objects.create(
        given_names="Ari", family_name="Testinen", birth_date=dt.date(1980, 1, 1)
    )
    otto.child.guardian_relations.create(guardian=stepfather, started=otto.child.birth_date)
    errors = errors_of(lambda: _linked(world, team, otto))
    assert "same guardians" in errors["plans"][0]
    assert not FamilyPart.objects.exists()
    assert not AccessLogEntry.objects.filter(record_type="family_part").exists()


def test_it_refuses_a_member_who_coordinates_neither_plan(world: World, team: Team, otto: Sibling) -> None:
    with pytest.raises(StepRefused):
        link_plans(world.nurse, [team.plan.pk, otto.plan.pk])
    assert not FamilyPart.objects.exists()


def test_it_gives_a_coordinator_not_on_the_siblings_team_the_same_404_as_a_missing_plan(
    world: World, team: Team, otto: Sibling
) -> None:
    offer = offer_coordination(world.family_worker, otto.plan.pk, otto.nurse.pk)
    accept_coordination(world.nurse, offer.pk)
    own = otto.plan.team.get(membership_id=world.family_worker.membership_id)
    remove_member(world.family_worker, otto.plan.pk, own.pk)  # she leaves Otto's team
    with pytest.raises(NotFoundOrForbidden):
        link_plans(world.family_worker, [team.plan.pk, otto.plan.pk])
    refused = AccessLogEntry.objects.filter(record_id=str(otto.plan.pk), outcome="refused")
    assert refused.filter(refusal=Refusal.NO_RELATION).exists()
    assert not FamilyPart.objects.exists()


def test_it_refuses_one_plan_alone_and_a_closed_plan(world: World, team: Team, otto: Sibling) -> None:
    assert "plans" in errors_of(lambda: link_plans(world.family_worker, [team.plan.pk]))
    close_plan(world.family_worker, otto.plan.pk, summary="The work ended.")
    with pytest.raises(StepRefused):
        _linked(world, team, otto)


def test_it_lets_a_third_sibling_join_the_part(world: World, team: Team, otto: Sibling) -> None:
    part = _linked(world, team, otto)
    ilona = sibling_with_plan(world, years=4, number=967, given_names="Ilona")
    assert link_plans(world.family_worker, [ilona.plan.pk, team.plan.pk]) == part
    assert LinkedPlan.objects.filter(part=part, left_at__isnull=True).count() == 3


# Family-level entries


def test_it_writes_a_family_entry_about_both_children_with_a_row_for_each(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    entry = _housing_note(world, team)
    assert set(entry.children.all()) == {world.child, otto.child}
    assert sorted(_rows(entry.pk), key=str) == sorted(
        [(world.child.pk, "write", "allowed", ""), (otto.child.pk, "write", "allowed", "")], key=str
    )


def test_it_refuses_bad_input_and_writes_nothing(world: World, team: Team, otto: Sibling) -> None:
    _linked(world, team, otto)
    errors = errors_of(
        lambda: add_family_entry(world.family_worker, team.plan.pk, kind="goal", category="health", text="")
    )
    assert set(errors) == {"category", "text", "domain"}
    past = timezone.localdate() - dt.timedelta(days=1)
    errors = errors_of(
        lambda: add_family_entry(
            world.family_worker,
            team.plan.pk,
            kind="action",
            category="social_services",
            text="x",
            due_on=past,
        )
    )
    assert set(errors) == {"due_on"}
    assert not FamilyEntry.objects.exists()


def test_it_refuses_a_family_entry_by_someone_on_one_siblings_team_only(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    with pytest.raises(NotFoundOrForbidden):
        add_family_entry(
            world.school_social_worker, team.plan.pk, kind="note", category="pupil_welfare", text="x"
        )
    assert not FamilyEntry.objects.exists()


def test_it_leaves_meetings_to_a_coordinator(world: World, team: Team, otto: Sibling) -> None:
    _linked(world, team, otto)
    today = timezone.localdate()
    with pytest.raises(StepRefused):
        add_family_entry(
            world.nurse, team.plan.pk, kind="meeting", category="health", text="x", held_on=today
        )
    meeting = add_family_entry(
        world.family_worker,
        otto.plan.pk,
        kind="meeting",
        category="social_services",
        text="Plan",
        held_on=today,
    )
    assert meeting.held_on == today


# Reading on a linked plan's page


def test_it_shows_the_entry_whole_to_its_writer_and_logs_a_read_for_each_child(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    entry = _housing_note(world, team)
    view = family_part_for(world.family_worker, team.plan)
    assert view is not None and view.on_every_team
    assert [e.entry for e in view.entries] == [entry]
    assert [s.child_name for s in view.siblings] == ["Otto Testinen"]
    reads = [row for row in _rows(entry.pk) if row[1] == "read"]
    assert sorted(reads, key=str) == sorted(
        [(world.child.pk, "read", "allowed", ""), (otto.child.pk, "read", "allowed", "")], key=str
    )


def test_it_shows_the_nurse_the_entry_only_with_a_consent_for_each_child(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    entry = _housing_note(world, team)
    # The nurse (the county, health) reads the county's social-services note only on consent.
    _consent(world, world.child, world.county, "social_services")
    view = family_part_for(world.nurse, otto.plan)
    assert view is not None and not view.entries[0].shown  # Otto's consent is missing
    assert view.entries[0].refusal == Refusal.NO_BASIS
    assert not [row for row in _rows(entry.pk) if row[1] == "read"]  # a heading is not logged
    _consent(world, otto.child, world.county, "social_services")
    view = family_part_for(world.nurse, otto.plan)
    assert view is not None and view.entries[0].entry == entry


def test_it_withholds_the_entry_when_one_siblings_ban_covers_it(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    entry = _housing_note(world, team)
    _consent(world, world.child, world.city, "social_services")
    _consent(world, otto.child, world.city, "social_services")
    # The school social worker joins Otto's team too, so that only the ban stands in the way.
    from ..team import add_member

    add_member(world.family_worker, otto.plan.pk, membership_of(world.school_social_worker).pk)
    view = family_part_for(world.school_social_worker, team.plan)
    assert view is not None and view.entries[0].entry == entry
    set_ban(
        world.family_worker,
        person=otto.child,
        set_by=world.mother,
        scope=BanScope.RECORD,
        record_type="family_note",
        record_id=str(entry.pk),
    )
    view = family_part_for(world.school_social_worker, team.plan)
    assert view is not None and not view.entries[0].shown and view.entries[0].refusal == Refusal.BAN


def test_it_shows_someone_on_one_siblings_team_only_headings_and_no_name(
    world: World, team: Team, otto: Sibling
) -> None:
    _linked(world, team, otto)
    _housing_note(world, team)
    _consent(world, world.child, world.city, "social_services")
    _consent(world, otto.child, world.city, "social_services")  # consent, but no relation to Otto
    view = family_part_for(world.school_social_worker, team.plan)
    assert view is not None and not view.on_every_team
    assert [s.child_name for s in view.siblings] == [""]
    assert not view.entries[0].shown and view.entries[0].refusal == Refusal.NO_RELATION
    assert not AccessLogEntry.objects.filter(
        record_id=str(otto.plan.pk), username="school-social-worker"
    ).exists()


# Leaving


def test_it_lets_the_coordinator_unlink_a_plan_and_the_entries_stay_about_both(
    world: World, team: Team, otto: Sibling
) -> None:
    part = _linked(world, team, otto)
    entry = _housing_note(world, team)
    with pytest.raises(StepRefused):
        leave_family_part(world.nurse, otto.plan.pk)  # not Otto's coordinator
    link = leave_family_part(world.family_worker, otto.plan.pk)
    assert link.left_at is not None and link.left_by_id == world.family_worker.membership_id
    assert family_part_for(world.family_worker, otto.plan) is None
    view = family_part_for(world.family_worker, team.plan)
    assert view is not None and view.part == part and view.siblings == []
    assert set(entry.children.all()) == {world.child, otto.child}
    with pytest.raises(StepRefused):  # only Aino's plan is linked now
        _housing_note(world, team)
    with pytest.raises(StepRefused):
        leave_family_part(world.family_worker, otto.plan.pk)  # not linked any more
    assert _rows(part.pk).count((otto.child.pk, "write", "allowed", "")) == 2  # linked, then unlinked


def test_it_names_the_field_of_a_meetings_missing_date(world: World, team: Team, otto: Sibling) -> None:
    _linked(world, team, otto)
    with pytest.raises(ValidationError) as raised:
        add_family_entry(
            world.family_worker, team.plan.pk, kind="meeting", category="social_services", text="x"
        )
    assert set(raised.value.message_dict) == {"held_on"}


def test_it_costs_a_plan_without_a_family_part_one_query(world: World, team: Team) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert family_part_for(world.family_worker, team.plan) is None
    assert len(queries) == 1  # every plan page asks; only a linked plan pays for the rest
