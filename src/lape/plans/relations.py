"""The relation this app gives `lape.access`: who is on a child's plan team.

Registered in PlansConfig.ready() with lape.access.relations.register_relation. A professional is
on the child's plan when the membership they act in is the coordinator of one of the child's
plans, or a team member in force: from ≤ today ≤ to (Finnish calendar days) and not removed.
Removal stamps `removed_at`, so a removed member is off the team at once, not at midnight.

The relation says only that the actor is on the team; access still asks for a basis (own register,
consent, law) for every entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from .models import Plan

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# One plain SQL query, as the referrals' relation: access asks it on every decision.
_ON_TEAM = """
    SELECT CASE WHEN EXISTS (
        SELECT 1 FROM plans_plan plan
        WHERE plan.child_id = %s {plan}
          AND (plan.coordinator_id = %s OR EXISTS (
              SELECT 1 FROM plans_teammember member
              WHERE member.plan_id = plan.id AND member.membership_id = %s
                AND member.removed_at IS NULL AND member.started <= %s
                AND (member.ended IS NULL OR member.ended >= %s)))
    ) THEN 1 ELSE 0 END"""


def _db(value: Any) -> Any:
    """A UUID as the database stores it (SQLite: 32 hex characters; PostgreSQL: uuid)."""
    return Plan._meta.pk.get_db_prep_value(value, connection)


def _ask(actor: Actor, person_id: uuid.UUID, plan_id: uuid.UUID | None, on: dt.date | None) -> bool:
    day = on or timezone.localdate()
    membership = _db(actor.membership_id)
    params: list[Any] = [_db(person_id)]
    if plan_id is not None:
        params.append(_db(plan_id))
    params += [membership, membership, day, day]
    sql = _ON_TEAM.format(plan="AND plan.id = %s" if plan_id is not None else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bool(row and row[0])


def on_plan_team(actor: Actor, person_id: uuid.UUID) -> bool:
    """Whether the actor coordinates or is on the team of a plan of this child (the access relation provider)."""
    return _ask(actor, person_id, None, None)


def on_team_of(actor: Actor, plan: Plan, on: dt.date | None = None) -> bool:
    """Whether the actor coordinates or is on the team of this plan (the plan's own rule on top of access)."""
    return _ask(actor, plan.child_id, plan.pk, on)
