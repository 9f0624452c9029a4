"""The API's side of `actor_required`: django-ninja authentication by the session, as an `Actor`.

`auth=ActorAuth()` on a router or operation lets in only a logged-in professional acting in a
membership, with the second factor verified when the role sees client data; everyone else gets
401. It is Django's session with Django's CSRF check on unsafe methods (ninja's SessionAuth).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from .acting import Actor, current_actor


class ActorAuth(SessionAuth):
    """Session authentication that yields the request's `Actor` (also set as `request.actor`)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        """The actor of this session when they may act now; None (401) otherwise."""
        if not request.user.is_authenticated:
            return None
        actor = current_actor(request)
        if actor is None or not actor.may_act:
            return None
        request.actor = actor  # type: ignore[attr-defined]
        return actor


def actor_of(request: HttpRequest) -> Actor:
    """The actor ActorAuth found for this request (for handlers behind `auth=ActorAuth()`)."""
    actor: Any = getattr(request, "auth", None)
    if not isinstance(actor, Actor):
        raise LookupError("This handler is not behind ActorAuth.")
    return actor
