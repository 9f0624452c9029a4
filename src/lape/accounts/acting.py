"""Who is acting: the membership (organisation, unit, role) a logged-in professional works in now.

Every access decision is made for an `Actor`, never for a bare user: the same person may be a
school social worker of the county and a volunteer of an NGO, and sees different things in each.
Views that touch client data are wrapped in `actor_required`, which also insists on a verified
second factor for the roles that see client data (`lape.accounts.roles.SEES_CLIENT_DATA`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import Membership
from .roles import needs_second_factor

# The session key holding the id of the membership the user chose to act in.
SESSION_MEMBERSHIP = "lape_acting_membership"
# The request attribute keeping the memberships read for this request (with whose they are).
_MEMBERSHIPS_READ = "_lape_active_memberships"

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Actor:
    """A professional acting in one membership; `verified` says the second factor was given."""

    user_id: int
    username: str
    membership_id: uuid.UUID
    role: str
    organization_id: uuid.UUID
    unit_id: uuid.UUID | None
    verified: bool

    @classmethod
    def for_membership(cls, membership: Membership, verified: bool = False) -> Actor:
        """The actor of `membership`; `verified` is whether this session passed the second factor."""
        return cls(
            user_id=membership.user_id,
            username=membership.user.get_username(),
            membership_id=membership.pk,
            role=membership.role,
            organization_id=membership.organization_id,
            unit_id=membership.unit_id,
            verified=verified,
        )

    @property
    def needs_second_factor(self) -> bool:
        """Whether this actor's role sees client data and so must have given the second factor."""
        return needs_second_factor(self.role)

    @property
    def may_act(self) -> bool:
        """Whether the actor may work now: verified, or in a role that does not need a second factor."""
        return self.verified or not self.needs_second_factor


def is_verified(request: HttpRequest) -> bool:
    """Whether the session's user gave a valid second factor (django-otp's OTPMiddleware sets this)."""
    user: Any = getattr(request, "user", None)
    check = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and check is not None and check())


def active_memberships(request: HttpRequest) -> list[Membership]:
    """The logged-in user's memberships in force today, with their organisations and units.

    Read once a request: `actor_required`, the "acting as" header and the login's next step all ask.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    read: tuple[Any, list[Membership]] | None = getattr(request, _MEMBERSHIPS_READ, None)
    if read is None or read[0] != user.pk:  # Not read yet, or read for the user before a login.
        memberships = Membership.objects.active().filter(user_id=user.pk)
        read = (user.pk, list(memberships.select_related("user", "organization", "unit")))
        setattr(request, _MEMBERSHIPS_READ, read)
    return list(read[1])


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership the user chose for this session, or their only one; None when there is no choice yet."""
    memberships = active_memberships(request)
    chosen = request.session.get(SESSION_MEMBERSHIP) if hasattr(request, "session") else None
    if chosen:
        for membership in memberships:
            if str(membership.pk) == chosen:
                return membership
        return None  # Ended since it was chosen, or not the user's: choose again.
    return memberships[0] if len(memberships) == 1 else None


def current_actor(request: HttpRequest) -> Actor | None:
    """The actor of this request: the chosen membership of the logged-in user; None when not logged in."""
    membership = current_membership(request)
    if membership is None:
        return None
    return Actor.for_membership(membership, verified=is_verified(request))


def choose_membership(request: HttpRequest, membership: Membership) -> Actor:
    """Act in `membership` for the rest of this session (it must be one of the user's active ones)."""
    request.session[SESSION_MEMBERSHIP] = str(membership.pk)
    return Actor.for_membership(membership, verified=is_verified(request))


def _with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


def actor_required(view: View) -> View:
    """Let only a professional acting in a membership in; set `request.actor`.

    Not logged in: to the login page. Several memberships and none chosen: to the choice. A role
    that sees client data without a verified second factor: to the code (or its setup) first.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        actor = current_actor(request)
        if actor is None:
            return _with_next("accounts:choose", request)
        if not actor.may_act:
            return _with_next("accounts:verify", request)
        request.actor = actor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return cast(View, wrapped)
