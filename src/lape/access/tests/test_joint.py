"""A record about several persons (siblings' family-level entry): every person's decision must allow.

Aino (10) and her brother Otto (7), both in their mother Maija's custody. The county's nurse wrote
a family-level health record about them both; the city's school social worker reads it only with
the mother's consent for each child and no ban on either; each child's log gets its own row.
"""

from __future__ import annotations

import uuid

import pytest

from lape.access import decide
from lape.access.ban_actions import set_ban
from lape.access.consent_actions import grant_consent
from lape.access.decisions import Action, Basis, Refusal, Target
from lape.access.family import FAMILY_ACCESS_LAW, family_joint_decision
from lape.access.guard import NotFoundOrForbidden
from lape.access.joint import (
    check_for_all,
    decide_for_all,
    enforce_for_all,
    readable_for_all,
    targets_for,
    writing_for_all,
)
from lape.access.models import AccessLogEntry, BanScope
from lape.accounts.family import FamilyMember
from lape.people.models import Person

from .conftest import Team, World, make_guardian, make_person, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def otto(world: World) -> Person:
    otto = make_person("Otto", "Testinen", years_ago(7))
    make_guardian(world.mother, otto)
    return otto


def _family_record(world: World, otto: Person) -> tuple[Target, ...]:
    """The county's family-level health record about Aino and Otto, as each child's."""
    record = Target("family_note", str(uuid.uuid4()), None, world.county.pk, "health")
    return targets_for(record, [world.child.pk, otto.pk])


def _on_both_teams(team: Team, world: World, otto: Person) -> None:
    for actor in (world.nurse, world.school_social_worker):
        team.add(actor, world.child)
        team.add(actor, otto)


def _consent(world: World, child: Person) -> None:
    grant_consent(
        world.nurse,
        person=child,
        given_by=world.mother,
        organizations=[world.city],
        categories=["health"],
        purpose="Family support at school",
    )


def _rows(record_id: str) -> list[tuple[uuid.UUID | None, str, str, str]]:
    return list(
        AccessLogEntry.objects.filter(record_id=record_id, record_type="family_note")
        .order_by("id")
        .values_list("person_id", "outcome", "basis", "refusal")
    )


def test_it_gives_one_target_per_person_each_once(world: World, otto: Person) -> None:
    targets = targets_for(
        Target("family_note", "x", None, world.county.pk, "health"), [world.child.pk, otto.pk, world.child.pk]
    )
    assert [t.person_id for t in targets] == [world.child.pk, otto.pk]
    assert {(t.record_type, t.record_id, t.category) for t in targets} == {("family_note", "x", "health")}


def test_it_allows_the_owner_register_for_both_and_logs_a_row_for_each(
    world: World, team: Team, otto: Person
) -> None:
    _on_both_teams(team, world, otto)
    targets = _family_record(world, otto)
    joint = check_for_all(world.nurse, Action.READ, targets)
    assert joint.allowed
    assert _rows(targets[0].record_id) == [
        (world.child.pk, "allowed", Basis.OWN_REGISTER, ""),
        (otto.pk, "allowed", Basis.OWN_REGISTER, ""),
    ]


def test_it_allows_another_organisation_with_a_consent_for_each_child(
    world: World, team: Team, otto: Person
) -> None:
    _on_both_teams(team, world, otto)
    _consent(world, world.child)
    _consent(world, otto)
    targets = _family_record(world, otto)
    joint = check_for_all(world.school_social_worker, Action.READ, targets)
    assert joint.allowed
    assert [row[1:3] for row in _rows(targets[0].record_id)] == [("allowed", "consent")] * 2


def test_it_refuses_when_one_siblings_consent_is_missing_and_logs_each_child(
    world: World, team: Team, otto: Person
) -> None:
    _on_both_teams(team, world, otto)
    _consent(world, world.child)  # Aino's only: Otto's information is not shared with the city
    targets = _family_record(world, otto)
    assert decide(world.school_social_worker, Action.READ, targets[0]).allowed  # Aino's alone would do
    with pytest.raises(NotFoundOrForbidden):
        check_for_all(world.school_social_worker, Action.READ, targets)
    assert _rows(targets[0].record_id) == [
        (world.child.pk, "refused", Basis.NONE, Refusal.ANOTHER_PERSON),
        (otto.pk, "refused", Basis.NONE, Refusal.NO_BASIS),
    ]


def test_it_refuses_when_one_siblings_ban_covers_it_though_both_consented(
    world: World, team: Team, otto: Person
) -> None:
    _on_both_teams(team, world, otto)
    _consent(world, world.child)
    _consent(world, otto)
    set_ban(
        world.nurse,
        person=otto,
        set_by=world.mother,
        scope=BanScope.ORGANIZATION,
        organization=world.county,
    )
    targets = _family_record(world, otto)
    joint = decide_for_all(world.school_social_worker, Action.READ, targets)
    assert not joint.allowed and joint.reason == Refusal.BAN
    with pytest.raises(NotFoundOrForbidden):
        check_for_all(world.school_social_worker, Action.READ, targets)
    assert _rows(targets[0].record_id) == [
        (world.child.pk, "refused", Basis.NONE, Refusal.ANOTHER_PERSON),
        (otto.pk, "refused", Basis.NONE, Refusal.BAN),
    ]


def test_it_refuses_someone_on_one_siblings_team_only(world: World, team: Team, otto: Person) -> None:
    team.add(world.nurse, world.child)  # the nurse works with Aino, not with Otto
    joint = decide_for_all(world.nurse, Action.READ, _family_record(world, otto))
    assert not joint.allowed and joint.reason == Refusal.NO_RELATION
    assert [d.allowed for _t, d in joint.each] == [True, False]


def test_it_never_allows_a_record_about_nobody(world: World) -> None:
    assert not decide_for_all(world.nurse, Action.READ, ()).allowed


def test_it_writes_with_every_childs_row_in_one_transaction(world: World, team: Team, otto: Person) -> None:
    _on_both_teams(team, world, otto)
    targets = _family_record(world, otto)
    with writing_for_all(world.nurse, Action.WRITE, decide_for_all(world.nurse, Action.WRITE, targets)):
        pass
    rows = AccessLogEntry.objects.filter(record_id=targets[0].record_id, action="write")
    assert sorted(rows.values_list("outcome", flat=True)) == ["allowed", "allowed"]
    # The city writes in its own register only: consent never lets anyone write in the county's.
    _consent(world, world.child)
    _consent(world, otto)
    refused = decide_for_all(world.school_social_worker, Action.WRITE, targets)
    with (
        pytest.raises(NotFoundOrForbidden),
        writing_for_all(world.school_social_worker, Action.WRITE, refused),
    ):
        raise AssertionError("the block must not run")  # pragma: no cover
    assert rows.filter(outcome="refused").count() == 2


def test_it_logs_only_the_records_of_a_list_it_shows(world: World, team: Team, otto: Person) -> None:
    _on_both_teams(team, world, otto)
    _consent(world, world.child)
    shown = _family_record(world, otto)
    withheld = targets_for(
        Target("family_note", str(uuid.uuid4()), None, world.county.pk, "health"), [otto.pk]
    )
    _consent(world, otto)
    set_ban(world.nurse, person=otto, set_by=world.mother, scope=BanScope.RECORD,
            record_type="family_note", record_id=withheld[0].record_id)  # fmt: skip
    decided = readable_for_all(world.school_social_worker, [shown, withheld], lambda targets: targets)
    assert [joint.allowed for _r, joint in decided] == [True, False]
    assert len(_rows(shown[0].record_id)) == 2 and _rows(withheld[0].record_id) == []


def test_it_leaves_the_single_person_decision_as_it_was(world: World, team: Team, otto: Person) -> None:
    _on_both_teams(team, world, otto)
    _consent(world, world.child)
    aino_alone = _family_record(world, otto)[0]
    assert decide(world.school_social_worker, Action.READ, aino_alone).basis == Basis.CONSENT
    assert AccessLogEntry.objects.filter(record_type="family_note").count() == 0


# The family's own view: a guardian of every child, a young person of 12 or more who is one of them.


def test_it_lets_a_guardian_of_every_child_read_it_with_a_row_in_each_childs_log(
    world: World, otto: Person
) -> None:
    mother = FamilyMember(person_id=world.mother.pk)
    targets = _family_record(world, otto)
    joint = family_joint_decision(mother, targets)
    assert joint.allowed and {d.law for _t, d in joint.each} == {FAMILY_ACCESS_LAW}
    enforce_for_all(mother, Action.READ, joint)
    assert [row[:2] for row in _rows(targets[0].record_id)] == [
        (world.child.pk, "allowed"),
        (otto.pk, "allowed"),
    ]


def test_it_refuses_a_guardian_of_one_child_only(world: World, otto: Person) -> None:
    stepfather = make_person("Ari", "Testinen", years_ago(40))
    make_guardian(stepfather, otto)  # Otto's guardian, not Aino's
    joint = family_joint_decision(FamilyMember(person_id=stepfather.pk), _family_record(world, otto))
    assert not joint.allowed and joint.reason == Refusal.NO_RELATION
    with pytest.raises(NotFoundOrForbidden):
        enforce_for_all(FamilyMember(person_id=stepfather.pk), Action.READ, joint)
    assert [row[3] for row in _rows(joint.each[0][0].record_id)] == [
        Refusal.NO_RELATION,
        Refusal.ANOTHER_PERSON,
    ]


def test_it_lets_a_young_person_of_twelve_read_what_is_about_them_too_but_not_a_younger_child(
    world: World, otto: Person
) -> None:
    targets = _family_record(world, otto)
    aino = FamilyMember(person_id=world.child.pk)  # 10: her own rows only, not her brother's
    assert not family_joint_decision(aino, targets).allowed
    world.child.birth_date = years_ago(12)
    world.child.save()
    assert family_joint_decision(aino, targets).allowed
    outsider = make_person("Sanni", "Muu", years_ago(14))
    assert not family_joint_decision(FamilyMember(person_id=outsider.pk), targets).allowed
