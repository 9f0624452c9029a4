"""Answers remembered within one read of many records of one person (a plan's entries).

Inside `remembered()`, what every decision of the read asks alike is asked once: whether the actor
is on the person's team or referral (`relations.has_relation`), and the person's consents and
disclosure bans in force at the read's moment (`consents`, `bans`), keyed by everything the answer
depends on, the moment included. A caller that wants the consents and bans remembered passes the
same `at` to every decision (one read is one moment); a decision without `at` takes its own moment
and so remembers nothing across decisions. Outside the block, every question goes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("access_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, remember each answer by its key (see the module's docstring)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def recall(key: Hashable, ask: Callable[[], T]) -> T:
    """The answer remembered under `key` inside `remembered()`, asked once; outside it, asked afresh."""
    memo = _memo.get()
    if memo is None:
        return ask()
    if key not in memo:
        memo[key] = ask()
    answer: T = memo[key]
    return answer
