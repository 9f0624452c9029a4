"""Who is on a person's team or referral: asked of providers that other apps register.

DESIGN.md: a professional sees a child's information only as a member of that child's plan team or
referral. `access` does not know teams or referrals; the apps that own them (referrals, plans)
register a provider in their AppConfig.ready(). With no provider saying yes, access is denied.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from .memo import recall

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

RelationProvider = Callable[["Actor", uuid.UUID], bool]

_providers: list[RelationProvider] = []


def register_relation(provider: RelationProvider) -> RelationProvider:
    """Add a provider that says whether an actor is on a person's team or referral (usable as a decorator)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_relation(provider: RelationProvider) -> None:
    """Remove a provider (tests and app reloads)."""
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[RelationProvider, ...]:
    """The providers registered now, in the order they are asked."""
    return tuple(_providers)


def has_relation(actor: Actor, person_id: uuid.UUID | None) -> bool:
    """Whether any registered provider puts the actor on the person's team or referral."""
    if person_id is None:
        return False
    return recall(
        ("relation", actor, person_id), lambda: any(provider(actor, person_id) for provider in _providers)
    )
