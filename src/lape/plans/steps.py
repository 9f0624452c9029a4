"""How every action and read of this app checks: access on the plan, the plan's own rules, then the work.

1. The plan is loaded; a missing one (or an id that is not one) is logged and raises the same
   NotFoundOrForbidden (404) as a forbidden one.
2. `lape.access` decides on the plan's frame (targets.plan_target), and the plan's own rule adds
   that the actor must be on *this* plan's team (relations.on_team_of): a refusal is logged and
   raises NotFoundOrForbidden.
3. The plan's workflow (open, the coordinator's step, the offer is yours): a step refused here is
   logged as refused (Refusal.WORKFLOW) and raises StepRefused, a translated ValidationError; the
   actor is on the team, so saying why leaks nothing.
4. Bad input raises a translated ValidationError keyed by field before anything is written.
5. The write and its "allowed" log row in one transaction (lape.access.guard.writing).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lape.access import decide, guard, log
from lape.access.decisions import Action, Decision, Refusal, Target, refused

from .models import Plan, PlanStatus
from .relations import on_team_of
from .targets import PLAN_RECORD, plan_target

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from lape.access.log import LoggedActor
    from lape.accounts.acting import Actor


class StepRefused(ValidationError):
    """A step the actor may not take now: out of order, or not theirs to take. Nothing was changed."""


def load_plan(actor: Actor, action: Action | str, plan_id: object) -> Plan:
    """The plan with this id; missing: logged, and NotFoundOrForbidden."""
    queryset = Plan.objects.select_related("child", "coordinator__user", "coordinator__organization")
    return guard.find(actor, action, queryset, plan_id, PLAN_RECORD)


def frame_decision(actor: Actor, action: Action | str, plan: Plan, on: dt.date | None = None) -> Decision:
    """Access's decision on the plan's frame, narrowed to this plan's team; a refusal is logged and raises 404.

    An allowed decision is returned unlogged: the caller's read or write logs it.
    """
    target = plan_target(plan, actor)
    decision = decide(actor, action, target)
    if decision.allowed and not on_team_of(actor, plan, on):
        decision = refused(Refusal.NO_RELATION)  # on the child's referral, not on this plan's team
    return guard.raise_if_refused(actor, action, target, decision)


def refuse_step(actor: LoggedActor, target: Target, message: StrOrPromise, code: str) -> NoReturn:
    """Log a write as refused (workflow) and raise StepRefused with the message."""
    log.append(actor, Action.WRITE, target, refused(Refusal.WORKFLOW))
    raise StepRefused(message, code=code)


def must_be_open(actor: Actor, plan: Plan) -> None:
    """Refuse a change to a closed plan."""
    if plan.status != PlanStatus.OPEN:
        refuse_step(
            actor,
            plan_target(plan, actor),
            _("This plan is closed: nothing can be added or changed."),
            "closed",
        )


def must_coordinate(actor: Actor, plan: Plan, message: StrOrPromise) -> None:
    """Refuse a step that only the plan's coordinator may take."""
    if plan.coordinator_id != actor.membership_id:
        refuse_step(actor, plan_target(plan, actor), message, "not_coordinator")


def open_for_writing(actor: Actor, plan_id: object) -> tuple[Plan, Decision]:
    """The plan and access's decision to write its frame, once it is known to be open (steps 1–3)."""
    plan = load_plan(actor, Action.WRITE, plan_id)
    decision = frame_decision(actor, Action.WRITE, plan)
    must_be_open(actor, plan)
    return plan, decision


@contextmanager
def writing_unless_changed(actor: LoggedActor, target: Target, decision: Decision) -> Iterator[None]:
    """guard.writing for a conditional update: a StepRefused raised inside (someone changed the
    record a moment ago) rolls back the write and its "allowed" row, and is logged as refused."""
    try:
        with guard.writing(actor, Action.WRITE, target, decision=decision):
            yield
    except StepRefused:
        log.append(actor, Action.WRITE, target, refused(Refusal.WORKFLOW))
        raise


def text_error(value: str, limit: int, *, required: bool = True) -> StrOrPromise | None:
    """The error for a missing or overlong text, or None."""
    if required and not value:
        return _("Write this: it cannot be empty.")
    if len(value) > limit:
        return _("Keep this under %(limit)s characters.") % {"limit": f"{limit:,}".replace(",", "\u00a0")}
    return None


def as_uuid(value: object) -> uuid.UUID:
    """The value as a UUID; the nil UUID (no record has it) when it is not one, so a typed id finds nothing."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
