"""Demo contact requests and referrals (loaded on `lape demo`, after the demo professionals and families)."""

from __future__ import annotations

from typing import Any


def load_demo_referrals() -> int:
    """Add the demo requests and referrals; the number added. (Being written: adds nothing yet.)"""
    return 0


def demo_was_loaded(sender: object, **kwargs: Any) -> None:
    """`lape demo` (lape.directory.signals.demo_loaded): add the demo requests and referrals."""
    load_demo_referrals()
