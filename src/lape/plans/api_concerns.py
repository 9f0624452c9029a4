"""The concern-signal API (django-ninja router, mounted at /api/concerns/): my signals and their matches.

The same actions and reads as the page `/work/concerns/` (concerns.py): only a role that sees
client data, with the second factor, may signal (a manager's attempt is logged as refused and
answers 404, as the page does); every match shown is a logged read about the child; a signal holds
only the child, the signaller and how to reach them. The identity code goes in the body, never in
an address, and never comes back (the child's name and masked code only).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from lape.access import guard
from lape.access.decisions import Action
from lape.accounts.acting import Actor
from lape.accounts.api_auth import acting, acting_actor
from lape.api_errors import AUTH_ERRORS, answers, answers_withdrawal

from .concerns import (
    CONTACT_MAX,
    MatchSeen,
    log_match_read,
    matches_of,
    may_signal,
    own_signals,
    register_signal,
    signal_target,
    withdraw_signal,
)
from .models import ConcernSignal

router = Router(tags=["concern signals"])


class SignalIn(Schema):
    """A signal: the child's identity code (their names if not registered yet) and how to reach you."""

    identity_code: str = Field(max_length=20, description="The child's identity code (henkilötunnus).")
    given_names: str = Field(
        "", max_length=200, description="Needed only when the child is not registered yet."
    )
    family_name: str = Field("", max_length=200)
    contact: str = Field(
        description=f"A phone number or an e-mail address (at most {CONTACT_MAX} characters)."
    )


class MatchOut(Schema):
    """The other organisation's signal about the same child: who and how to reach them, nothing more."""

    id: uuid.UUID
    matched_at: dt.datetime
    organization: str
    professional: str
    contact: str


class SignalOut(Schema):
    """One of your signals, and its matches."""

    id: uuid.UUID
    child_name: str
    child_masked_identity_code: str
    contact: str
    created_at: dt.datetime
    expires_at: dt.datetime
    withdrawn_at: dt.datetime | None
    in_force: bool
    matches: list[MatchOut]


def _match(seen: MatchSeen) -> dict[str, Any]:
    user = seen.other.membership.user
    return {
        "id": seen.match.pk,
        "matched_at": seen.match.created_at,
        "organization": str(seen.other.organization),
        "professional": user.get_full_name() or user.get_username(),
        "contact": seen.other.contact,
    }


def _signal(signal: ConcernSignal, seen: list[MatchSeen]) -> dict[str, Any]:
    return {
        "id": signal.pk,
        "child_name": str(signal.child),
        "child_masked_identity_code": signal.child.masked_identity_code,
        "contact": signal.contact,
        "created_at": signal.created_at,
        "expires_at": signal.expires_at,
        "withdrawn_at": signal.withdrawn_at,
        "in_force": signal.in_force(timezone.now()),
        "matches": [_match(item) for item in seen],
    }


def _matches_read(actor: Actor, signal: ConcernSignal) -> list[MatchSeen]:
    """The signal's matches, each shown one a logged read (as on the page)."""
    seen = matches_of(signal)
    for item in seen:
        log_match_read(actor, item)
    return seen


@router.get("/", response={200: list[SignalOut], **AUTH_ERRORS}, auth=acting)
@answers
def my_signals(request: HttpRequest) -> Any:
    """Your signals, newest first, each with the other side of its matches (each match shown is a logged read)."""
    actor = acting_actor(request)
    guard.raise_if_refused(
        actor, Action.READ, signal_target("", None, actor.organization_id), may_signal(actor)
    )
    return Status(200, [_signal(signal, _matches_read(actor, signal)) for signal in own_signals(actor)])


@router.post("/", response={201: SignalOut, **AUTH_ERRORS}, auth=acting)
@answers
def register(request: HttpRequest, body: SignalIn) -> Any:
    """Register a signal; the answer names any other organisation's signal in force.

    The registration logs the reads of the matches it makes (concerns.py), so they are not logged twice.
    """
    signal = register_signal(acting_actor(request), **body.dict())
    return Status(201, _signal(signal, matches_of(signal)))


@router.post("/{signal_id}/withdraw", response={200: SignalOut, **AUTH_ERRORS}, auth=acting)
@answers_withdrawal
def withdraw(request: HttpRequest, signal_id: str) -> Any:
    """Withdraw one of your signals: it is matched no more. Another's or a missing one: 404; withdrawn already: 409."""
    actor = acting_actor(request)
    signal = withdraw_signal(actor, signal_id)
    return Status(200, _signal(signal, _matches_read(actor, signal)))
