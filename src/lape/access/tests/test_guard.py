"""The guard: decides, logs every attempt in the same transaction, and hides refusals as "not found"."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.http import Http404

from lape.access import guard
from lape.access.decisions import Action, Refusal, Target, refused
from lape.access.emergency import emergency_access
from lape.access.models import AccessLogEntry
from lape.people.models import Person

from .conftest import Team, World


def _health_record(world: World) -> Target:
    return Target("health_record", str(uuid.uuid4()), world.child.pk, world.county.pk, "health")


def _person_target(person: Person) -> Target:
    """A person row as a record of no organisation's register: the guard refuses it to all."""
    return Target("person", str(person.pk), person.pk, None, "health")


def test_it_logs_an_allowed_read(world: World, team: Team) -> None:
    team.add(world.nurse, world.child)
    decision = guard.check(world.nurse, Action.READ, _health_record(world))
    entry = AccessLogEntry.objects.get()
    assert decision.allowed
    assert (entry.outcome, entry.basis, entry.username) == ("allowed", "own_register", "nurse")


def test_it_logs_a_refusal_and_raises_not_found(world: World, team: Team) -> None:
    with pytest.raises(guard.NotFoundOrForbidden) as raised:
        guard.check(world.stranger, Action.READ, _health_record(world))
    assert isinstance(raised.value, Http404)
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.refusal, entry.username) == ("refused", "no_relation", "stranger")


def test_missing_and_forbidden_look_the_same(world: World, team: Team) -> None:
    people = Person.objects.all()
    with pytest.raises(guard.NotFoundOrForbidden) as forbidden:
        guard.fetch(world.stranger, Action.READ, people, world.child.pk, _person_target)
    with pytest.raises(guard.NotFoundOrForbidden) as missing:
        guard.fetch(world.stranger, Action.READ, people, uuid.uuid4(), _person_target)
    assert type(forbidden.value) is type(missing.value)
    assert forbidden.value.args == missing.value.args
    refusals = list(AccessLogEntry.objects.values_list("refusal", flat=True))
    assert refusals == ["no_relation", "not_found"]


def test_it_fetches_a_record_the_actor_may_read(world: World, team: Team) -> None:
    team.add(world.nurse, world.child)

    def county_health(person: Person) -> Target:
        return Target("person", str(person.pk), person.pk, world.county.pk, "health")

    assert guard.fetch(
        world.nurse, Action.READ, Person.objects.all(), str(world.child.pk), county_health
    ) == (world.child)
    assert AccessLogEntry.objects.get().record_id == str(world.child.pk)


@pytest.mark.parametrize("typed", ["010203A912X", "not an id", "'; DROP TABLE x; --"])
def test_it_never_logs_what_was_typed_in_place_of_an_id(world: World, typed: str) -> None:
    with pytest.raises(guard.NotFoundOrForbidden):
        guard.fetch(world.nurse, Action.READ, Person.objects.all(), typed, _person_target)
    entry = AccessLogEntry.objects.get()
    assert (entry.refusal, entry.record_id, entry.record_type) == ("not_found", "", "person")


def test_a_write_and_its_log_row_share_one_transaction(world: World, team: Team) -> None:
    team.add(world.nurse, world.child)
    with pytest.raises(RuntimeError), guard.writing(world.nurse, Action.WRITE, _health_record(world)):
        Person.objects.filter(pk=world.child.pk).update(given_names="Changed")
        raise RuntimeError("the write failed half way")
    assert Person.objects.get(pk=world.child.pk).given_names == "Aino"
    assert not AccessLogEntry.objects.exists()
    with guard.writing(world.nurse, Action.WRITE, _health_record(world)) as decision:
        Person.objects.filter(pk=world.child.pk).update(given_names="Aino Maria")
    assert decision.allowed
    assert AccessLogEntry.objects.get().action == "write"


def test_a_refused_write_does_not_run_and_is_logged(world: World, team: Team) -> None:
    ran = []
    with (
        pytest.raises(guard.NotFoundOrForbidden),
        guard.writing(world.teacher, Action.WRITE, _health_record(world)),
    ):
        ran.append(True)
    assert not ran
    assert AccessLogEntry.objects.get().outcome == "refused"


def test_a_write_refused_by_the_apps_own_rule_does_not_run_and_is_logged(world: World, team: Team) -> None:
    team.add(world.nurse, world.child)  # access itself would allow it: the app's own decision refuses
    ran = []
    with (
        pytest.raises(guard.NotFoundOrForbidden),
        guard.writing(world.nurse, Action.WRITE, _health_record(world), decision=refused(Refusal.WORKFLOW)),
    ):
        ran.append(True)
    assert not ran
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.refusal) == ("refused", "workflow")


def test_an_emergency_access_is_logged_with_its_reason_and_announced(world: World) -> None:
    heard: list[Any] = []

    def listener(sender: Any, entry: AccessLogEntry, **kwargs: Any) -> None:
        heard.append(entry)

    emergency_access.connect(listener)
    try:
        guard.check(
            world.stranger,
            Action.READ,
            _health_record(world),
            emergency=True,
            reason="Child found injured at night",
        )
    finally:
        emergency_access.disconnect(listener)
    entry = AccessLogEntry.objects.get()
    assert (entry.basis, entry.reason) == ("emergency", "Child found injured at night")
    assert heard == [entry]
