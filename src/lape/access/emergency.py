"""Break-the-glass: reading a child's information in an emergency without the usual basis.

The hook for issue 5 (its page and the review of every such access come then): `decide(...,
emergency=True, reason=...)` allows a read when nothing else does, only for the roles below and
only with a stated reason; the log row carries basis "emergency" and the reason, and
`emergency_access` is sent in the same transaction so that a reviewer can be told.
"""

from __future__ import annotations

from django.dispatch import Signal

from .decisions import Action

# Roles that may have to act at once for a child's safety or health.
EMERGENCY_ROLES: frozenset[str] = frozenset(
    {"child_protection_worker", "social_worker", "doctor_psychologist", "public_health_nurse"}
)
MIN_REASON_LENGTH = 10

# Sent with `entry` (the AccessLogEntry) and `target` (what was read) after an emergency access was
# logged, in the row's transaction: lape.plans.emergency_review queues it for the controller's review.
emergency_access = Signal()


def may_break_glass(role: str, action: str, reason: str) -> bool:
    """Whether an emergency access may be allowed: a read, by an emergency role, with a real reason."""
    return action == Action.READ and role in EMERGENCY_ROLES and len(reason.strip()) >= MIN_REASON_LENGTH
