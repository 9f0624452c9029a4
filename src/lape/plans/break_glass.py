"""Break-the-glass on a plan's entry: a team member in an emergency role reads an entry withheld from them.

The rule is access's (lape.access.emergency, docs/access.md "Emergency"): only a read, only the
roles that may have to act at once for a child's safety or health, only with a stated reason; the
read is logged with basis `emergency` and the reason, and `emergency_access` is sent in the same
transaction for the review. The plan's own rule still holds first: the actor must be on this
plan's team (a missing entry, another plan's, and a plan one is not on all give the same 404).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from lape.access import decide, guard
from lape.access.decisions import Action, Refusal, refused
from lape.access.emergency import EMERGENCY_ROLES

from .models import Entry, Plan
from .reading import ENTRY_RECORD, EntryView
from .steps import frame_decision
from .targets import entry_target, plan_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


def _entry_on_team(actor: Actor, entry_id: uuid.UUID | str) -> Entry:
    """The entry, when the actor is on its plan's team; otherwise NotFoundOrForbidden (logged)."""
    entries = Entry.objects.select_related("plan", "owner_organization", "author_membership__user")
    entry = guard.find(actor, Action.READ, entries, entry_id, ENTRY_RECORD)
    frame_decision(actor, Action.READ, entry.plan)
    return entry


def emergency_heading(actor: Actor, entry_id: uuid.UUID | str) -> tuple[Plan, EntryView]:
    """The entry's plan and heading, of an entry the actor could open in an emergency (the page that asks the reason).

    A role that may not break the glass gets the 404, logged as an emergency refused. Reading the
    heading is a read of the plan's frame, logged as one.
    """
    entry = _entry_on_team(actor, entry_id)
    target = entry_target(entry, entry.plan.child_id)
    if actor.role not in EMERGENCY_ROLES:
        guard.enforce(actor, Action.READ, target, refused(Refusal.EMERGENCY))
    frame = plan_target(entry.plan, actor)
    guard.enforce(actor, Action.READ, frame, decide(actor, Action.READ, frame))
    basis = decide(actor, Action.READ, target).basis
    return entry.plan, EntryView(
        id=entry.pk,
        kind=entry.kind,
        category=entry.category,
        organization=entry.owner_organization,
        created_at=entry.created_at,
        entry=None,
        basis=basis,
    )


def entry_in_emergency(actor: Actor, entry_id: uuid.UUID | str, reason: str) -> Entry:
    """The whole entry, read with the reason (basis `emergency` when nothing else allows); refused: 404, logged."""
    entry = _entry_on_team(actor, entry_id)
    guard.check(actor, Action.READ, entry_target(entry, entry.plan.child_id), reason=reason, emergency=True)
    return entry
