"""Records about several persons at once (a family-level entry of siblings' plans): all must allow.

Access decides per person: a target names one person, and consents, bans, the relation and the
family's access log are per person. A record about several persons is read only when the decision
for **each** of them allows it (`rules.decide` on the record as that person's: relation, own
register, consent for the category and the actor's organisation, bans, statutes), and refused if
any refuses. Each person gets their own log row, so each child's family sees the read (or the
attempt) in their own access log: the person's own decision, or, for a person whose own decision
allowed a read that another person's decision refused, `Refusal.ANOTHER_PERSON`.

The single-person path (`rules.decide`, `guard`) is unchanged: this module only asks it once per
person and combines the answers. Break-the-glass is not offered here: an emergency is one child's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.utils import timezone

from . import log
from .decisions import Action, Decision, Refusal, Target, refused
from .guard import NotFoundOrForbidden
from .memo import remembered
from .rules import decide

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

    from .log import LoggedActor

R = TypeVar("R")


@dataclass(frozen=True)
class JointDecision:
    """Each person's decision on one record about several persons; allowed only when all allow."""

    each: tuple[tuple[Target, Decision], ...]

    @property
    def allowed(self) -> bool:
        """All persons' decisions allow (a record about nobody is never allowed)."""
        return bool(self.each) and all(decision.allowed for _target, decision in self.each)

    @property
    def reason(self) -> str:
        """The first refusing person's refusal code ("" when allowed)."""
        return next((decision.reason for _target, decision in self.each if not decision.allowed), "")

    def rows(self) -> list[tuple[Target, Decision]]:
        """What each person's log row says: their own decision; allowed alone but refused with
        the others: `another_person`."""
        if self.allowed:
            return list(self.each)
        return [
            (target, decision if not decision.allowed else refused(Refusal.ANOTHER_PERSON))
            for target, decision in self.each
        ]


def targets_for(target: Target, person_ids: Iterable[uuid.UUID]) -> tuple[Target, ...]:
    """The record as each person's: the same target, one per person (each once, in the order given)."""
    return tuple(dataclasses.replace(target, person_id=person_id) for person_id in dict.fromkeys(person_ids))


def decide_for_all(
    actor: Actor, action: Action | str, targets: Iterable[Target], *, at: dt.datetime | None = None
) -> JointDecision:
    """Each person's decision (rules.decide, at one instant); the record is allowed only if all allow.

    Every person is decided, also after a refusal: each person's log row names their own answer.
    """
    at = at or timezone.now()
    return JointDecision(tuple((target, decide(actor, action, target, at=at)) for target in targets))


def log_for_all(actor: LoggedActor | None, action: Action | str, joint: JointDecision) -> None:
    """One log row per person, in one transaction (in the caller's, if there is one)."""
    with transaction.atomic():
        for target, decision in joint.rows():
            log.append(actor, action, target, decision)


def enforce_for_all(actor: LoggedActor | None, action: Action | str, joint: JointDecision) -> JointDecision:
    """Log every person's row; raise NotFoundOrForbidden (as guard.enforce) unless all allowed."""
    log_for_all(actor, action, joint)
    if not joint.allowed:
        raise NotFoundOrForbidden()
    return joint


def check_for_all(actor: Actor, action: Action | str, targets: Iterable[Target]) -> JointDecision:
    """Decide for every person, log a row for each, and raise NotFoundOrForbidden unless all allow."""
    return enforce_for_all(actor, action, decide_for_all(actor, action, targets))


@contextmanager
def writing_for_all(
    actor: LoggedActor, action: Action | str, joint: JointDecision
) -> Iterator[JointDecision]:
    """guard.writing for a record about several persons: the block runs in the transaction of the
    persons' rows; refused: every row logged and NotFoundOrForbidden raised before the block."""
    if not joint.allowed:
        enforce_for_all(actor, action, joint)
    with transaction.atomic():
        log_for_all(actor, action, joint)
        yield joint


def readable_for_all(
    actor: Actor, records: Iterable[R], targets_of: Callable[[R], Iterable[Target]]
) -> list[tuple[R, JointDecision]]:
    """Each record of a list with its joint decision; the allowed ones' rows logged (one per person).

    As guard.readable: a record refused is not logged (the list chose it, the actor asked for none
    of it by id); the caller shows it as a heading or not at all. The relation is asked once per
    actor and person for the whole list.
    """
    decided: list[tuple[R, JointDecision]] = []
    with remembered():
        for record in records:
            decided.append((record, decide_for_all(actor, Action.READ, targets_of(record))))
    with transaction.atomic():
        for _record, joint in decided:
            if joint.allowed:
                log_for_all(actor, Action.READ, joint)
    return decided
