"""The API's side of `actor_required` and `family_member_required`: django-ninja authentication by the session.

`auth=ActorAuth()` on a router or operation lets in only a logged-in professional acting in a
membership, with the second factor verified when the role sees client data; everyone else gets
401. It is Django's session with Django's CSRF check on unsafe methods (ninja's SessionAuth).

The client-data APIs use `acting` (a professional: 401 without a login, 403 saying why without the
second factor) and `signed_in_family` (a family member's session, its idle and absolute time
limits as on the pages). Both are the session cookie with Django's CSRF check on every unsafe
method (`X-CSRFToken`): a missing or another session's token is 403, nothing changed.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, SessionAuth
from ninja.utils import check_csrf

from .acting import Actor, current_actor
from .family import FamilyMember, signed_in_family_member


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


class SessionCookie(APIKeyCookie):
    """The session cookie, with Django's CSRF check on every unsafe method (403 saying what to do)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise HttpError(
                403, _("The security token (CSRF) is missing or wrong. Reload the page and try again.")
            )
        return request.COOKIES.get(self.param_name)


class ActingProfessional(SessionCookie):
    """The session of a professional acting in a membership, with the second factor when the role needs it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = current_actor(request)
        if actor is None:
            return None
        if not actor.may_act:
            raise HttpError(
                403, _("Log in with your second factor (the code of your authenticator app) first.")
            )
        return actor


class SignedInFamilyMember(SessionCookie):
    """The session of a family member signed in with strong identification (lape.accounts.family)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> FamilyMember | None:
        return signed_in_family_member(request)


acting = ActingProfessional()
signed_in_family = SignedInFamilyMember()


def acting_actor(request: HttpRequest) -> Actor:
    """The actor `acting` found for this request."""
    return cast(Actor, request.auth)  # type: ignore[attr-defined]


def family_member_of(request: HttpRequest) -> FamilyMember:
    """The family member `signed_in_family` found for this request."""
    return cast(FamilyMember, request.auth)  # type: ignore[attr-defined]
