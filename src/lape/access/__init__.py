"""The access decision, consent records and the append-only access log (docs/access.md).

`decide(actor, action, target)` answers; `lape.access.guard` decides and logs for views and APIs.
The names below import without the database, so that any app may use them at import time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .decisions import Action, Basis, Decision, Refusal, Target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor


def decide(
    actor: Actor,
    action: Action | str,
    target: Target,
    *,
    at: dt.datetime | None = None,
    reason: str = "",
    emergency: bool = False,
) -> Decision:
    """May `actor` do `action` to `target`? See lape.access.rules.decide (imported when first used)."""
    from .rules import decide as _decide

    return _decide(actor, action, target, at=at, reason=reason, emergency=emergency)


__all__ = ["Action", "Basis", "Decision", "Refusal", "Target", "decide"]
