"""The access log: every row chained to the one before; no way to change or delete a row."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from lape.access import log
from lape.access.appendonly import trigger_names
from lape.access.decisions import Action, Basis, Decision, Refusal, Target, refused
from lape.access.models import GENESIS_HASH, AccessLogEntry, AccessLogHead, AppendOnlyError
from lape.access.verify import verify_chain

from .conftest import World

ALLOWED = Decision(allowed=True, basis=Basis.OWN_REGISTER)


def _target(world: World, record_id: str = "") -> Target:
    return Target(
        record_type="health_record",
        record_id=record_id or str(uuid.uuid4()),
        person_id=world.child.pk,
        owner_organization_id=world.county.pk,
        category="health",
    )


def _append(world: World, count: int = 1) -> list[AccessLogEntry]:
    return [log.append(world.nurse, Action.READ, _target(world), ALLOWED) for _ in range(count)]


def test_it_records_who_did_what_to_whose_record(world: World) -> None:
    target = _target(world, "8d3c9d2e-5d3c-4c4e-9a53-3f1c3f4d0b11")
    entry = log.append(world.nurse, Action.READ, target, ALLOWED)
    entry.refresh_from_db()
    assert (entry.user_id, entry.username, entry.role) == (
        world.nurse.user_id,
        "nurse",
        "public_health_nurse",
    )
    assert (entry.membership_id, entry.organization_id) == (world.nurse.membership_id, world.county.pk)
    assert (entry.record_type, entry.record_id, entry.person_id) == (
        "health_record",
        "8d3c9d2e-5d3c-4c4e-9a53-3f1c3f4d0b11",
        world.child.pk,
    )
    assert (entry.category, entry.action, entry.outcome, entry.basis) == (
        "health",
        "read",
        "allowed",
        "own_register",
    )
    assert entry.at.utcoffset() == dt.timedelta(0)


def test_it_records_a_refusal_with_its_reason(world: World) -> None:
    entry = log.append(world.stranger, Action.READ, _target(world), refused(Refusal.NO_RELATION))
    assert (entry.outcome, entry.basis, entry.refusal) == ("refused", "none", "no_relation")


def test_it_chains_each_row_to_the_one_before(world: World) -> None:
    first, second, third = _append(world, 3)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    head = AccessLogHead.objects.get()
    assert (head.last_entry_id, head.last_hash) == (third.pk, third.hash)


def test_it_appends_many_rows_at_once_in_the_same_chain(world: World) -> None:
    (before,) = _append(world)
    attempts = [(_target(world), ALLOWED) for _ in range(250)]  # more than one statement's worth
    attempts.append((_target(world), refused(Refusal.NO_BASIS)))
    rows = log.append_many(world.nurse, Action.READ, attempts)
    stored = list(
        AccessLogEntry.objects.filter(pk__gt=before.pk)
        .order_by("id")
        .values(*log.HASHED_FIELDS, "hash", "id")
    )
    assert [row["id"] for row in stored] == [row.pk for row in rows]  # ids follow the chain
    assert [row["record_id"] for row in stored] == [target.record_id for target, _ in attempts]
    previous = before.hash
    for row in stored:
        assert row["previous_hash"] == previous and log.entry_hash(row) == row["hash"]
        previous = row["hash"]
    assert stored[-1]["refusal"] == "no_basis"
    head = AccessLogHead.objects.get()
    assert (head.last_entry_id, head.last_hash) == (rows[-1].pk, rows[-1].hash)
    assert verify_chain().ok


def test_it_hashes_what_the_database_gives_back(world: World) -> None:
    (entry,) = _append(world)
    stored = AccessLogEntry.objects.values(*log.HASHED_FIELDS, "hash").get(pk=entry.pk)
    assert log.entry_hash(stored) == stored["hash"]


def test_it_masks_an_identity_code_typed_into_a_reason(world: World) -> None:
    entry = log.append(world.nurse, Action.READ, _target(world), ALLOWED, reason="asked about 010203A912X")
    assert entry.reason == "asked about 010203A****"


def test_it_refuses_to_save_a_row_again(world: World) -> None:
    (entry,) = _append(world)
    entry.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.username == "nurse"


def test_it_refuses_to_delete_a_row(world: World) -> None:
    (entry,) = _append(world)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_bulk_updates(world: World) -> None:
    _append(world, 2)
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.update(username="someone-else")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_update(list(AccessLogEntry.objects.all()), ["username"])
    assert set(AccessLogEntry.objects.values_list("username", flat=True)) == {"nurse"}


def test_it_refuses_a_row_written_outside_the_chain(world: World) -> None:
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.create(record_type="x", action="read", outcome="allowed", basis="none")


def test_it_has_its_triggers_in_the_database(db: None) -> None:
    names = set(trigger_names(connection))
    if connection.vendor == "postgresql":
        assert names == {
            "access_log_no_change",
            "access_log_no_truncate",
            "access_log_head_no_delete",
            "access_log_head_no_truncate",
            "access_log_head_forward",
            "access_log_head_follows",
        }
    else:
        assert names == {
            "access_log_no_update",
            "access_log_no_delete",
            "access_log_head_no_delete",
            "access_log_head_forward",
            "access_log_head_follows",
        }


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_accesslogentry SET username = 'someone-else' WHERE id = %s",
        "DELETE FROM access_accesslogentry WHERE id = %s",
        "UPDATE access_accessloghead SET last_entry_id = last_entry_id - 1 WHERE last_entry_id = %s",
        "DELETE FROM access_accessloghead WHERE last_entry_id = %s",
    ],
)
def test_the_database_refuses_raw_changes(world: World, sql: str) -> None:
    entries = _append(world, 2)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entries[-1].pk])
    assert AccessLogEntry.objects.get(pk=entries[-1].pk).username == "nurse"
    assert AccessLogHead.objects.get().last_entry_id == entries[-1].pk


def test_the_database_refuses_to_empty_the_log(world: World) -> None:
    _append(world, 1)
    # SQLite has no TRUNCATE; its DELETE without WHERE deletes row by row, and each row is refused.
    statement = (
        "TRUNCATE access_accesslogentry"
        if connection.vendor == "postgresql"
        else "DELETE FROM access_accesslogentry"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.count() == 1


def test_it_gives_the_family_who_has_seen_their_data(world: World) -> None:
    about_child = _append(world, 2)
    other = Target("health_record", "1", world.teen.pk, world.county.pk, "health")
    log.append(world.nurse, Action.READ, other, ALLOWED)
    assert list(log.entries_about(world.child.pk)) == list(reversed(about_child))
