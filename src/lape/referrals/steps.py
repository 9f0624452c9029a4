"""How every action of this app checks and logs: access first, then the workflow, then the write.

1. `lape.access` decides (not allowed: the refusal is logged and NotFoundOrForbidden raised, the
   same 404 as a missing record).
2. The workflow's own rule (the status allows this step, this party may take it); a step refused
   here is logged as refused too (Refusal.WORKFLOW) and raises StepRefused, a ValidationError with
   a translated message: the actor may see the record, so saying why leaks nothing.
3. The write and its "allowed" log row in one transaction (`write_logged`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from lape.access import decide, guard, log
from lape.access.decisions import Action, Decision, Refusal, Target, refused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from lape.accounts.acting import Actor

R = TypeVar("R")


class StepRefused(ValidationError):
    """A step the actor may not take now: out of order, or not theirs to take. Nothing was changed."""


def allowed_or_404(actor: Actor, action: Action | str, target: Target, *, reason: str = "") -> Decision:
    """Access's decision; a refusal is logged and raises NotFoundOrForbidden."""
    decision = decide(actor, action, target, reason=reason)
    if not decision.allowed:
        guard.enforce(actor, action, target, decision, reason=reason)
    return decision


def refuse_step(
    actor: Actor, action: Action | str, target: Target, message: StrOrPromise, code: str
) -> NoReturn:
    """Log the attempt as refused (workflow) and raise StepRefused with the message."""
    log.append(actor, action, target, refused(Refusal.WORKFLOW))
    raise StepRefused(message, code=code)


@contextmanager
def write_logged(
    actor: Actor, action: Action | str, target: Target, decision: Decision, *, reason: str = ""
) -> Iterator[None]:
    """Run the write in one transaction with its "allowed" log row; an error rolls both back.

    A StepRefused raised inside (the record changed meanwhile) is logged as refused after the rollback.
    """
    try:
        with transaction.atomic():
            guard.enforce(actor, action, target, decision, reason=reason)
            yield
    except StepRefused:
        log.append(actor, action, target, refused(Refusal.WORKFLOW))
        raise
