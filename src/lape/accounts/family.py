"""A family member's session: who signed in with strong identification, kept apart from professionals.

A family member has no user account, membership or role: the session holds only the id of their
registered person (never the identity code), set by the OIDC sign-in (views_family). A session is
either a professional's or a family member's: signing in as one ends the other. The family pages
are wrapped in `family_member_required`, which sets `request.family_member`. The session ends after
the same idle time and absolute limit as a professional's (LAPE_SESSION_IDLE_MINUTES, _MAX_HOURS).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lape.people.models import Person

# The age from which a child signs in themselves (issue 5: "a child of 12 or more").
FAMILY_SIGN_IN_AGE = 12
# The role a family member's own reads are logged with (docs/decisions/006-family-reads-in-the-access-log.md).
FAMILY_ROLE = "family_member"
# The prefix of a family member's "username" in the access log: their person id follows.
FAMILY_LOG_PREFIX = "person:"

SESSION_FAMILY_PERSON = "lape_family_person"
SESSION_FAMILY_SIGNED_IN_AT = "lape_family_signed_in_at"
SESSION_FAMILY_SEEN_AT = "lape_family_seen_at"

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class FamilyMember:
    """A signed-in family member, as the access log names an actor: no user, membership or organisation."""

    person_id: uuid.UUID
    user_id: None = None
    membership_id: None = None
    organization_id: None = None
    unit_id: None = None
    role: str = FAMILY_ROLE

    @property
    def username(self) -> str:
        """Their name in the access log: the person id (an identity code never goes there)."""
        return f"{FAMILY_LOG_PREFIX}{self.person_id}"


def family_person_id_of(username: str) -> uuid.UUID | None:
    """The person id of a family member's access-log username, None for a professional's."""
    if not username.startswith(FAMILY_LOG_PREFIX):
        return None
    try:
        return uuid.UUID(username.removeprefix(FAMILY_LOG_PREFIX))
    except ValueError:
        return None


def sign_in_family_member(request: HttpRequest, person: Person) -> None:
    """Start a family member's session (a new session key; any professional's login ends)."""
    logout(request)  # flushes the session: nothing of an earlier login or sign-in stays
    now = timezone.now().timestamp()
    request.session[SESSION_FAMILY_PERSON] = str(person.pk)
    request.session[SESSION_FAMILY_SIGNED_IN_AT] = now
    request.session[SESSION_FAMILY_SEEN_AT] = now


def sign_out_family_member(request: HttpRequest) -> None:
    """End the family member's session."""
    request.session.flush()


def _expired(request: HttpRequest, now: float) -> str | None:
    session = request.session
    if now - float(session.get(SESSION_FAMILY_SEEN_AT, 0)) > settings.LAPE_SESSION_IDLE_MINUTES * 60:
        return _("You were signed out after a while without activity. Please sign in again.")
    if now - float(session.get(SESSION_FAMILY_SIGNED_IN_AT, 0)) > settings.LAPE_SESSION_MAX_HOURS * 3600:
        return _("You were signed out because a session has a time limit. Please sign in again.")
    return None


def current_family_member(request: HttpRequest) -> FamilyMember | None:
    """The family member of this session, or None (also for a professional's session)."""
    if request.user.is_authenticated:
        return None
    value = request.session.get(SESSION_FAMILY_PERSON)
    if not value:
        return None
    try:
        return FamilyMember(person_id=uuid.UUID(value))
    except ValueError:
        return None


def _in_time(request: HttpRequest) -> tuple[FamilyMember | None, str | None]:
    """The session's family member while within its time limits (the idle clock restarted), or None
    and why the session ended (None: nobody was signed in)."""
    member = current_family_member(request)
    if member is None:
        return None, None
    now = timezone.now().timestamp()
    reason = _expired(request, now)
    if reason is not None:
        sign_out_family_member(request)
        return None, reason
    request.session[SESSION_FAMILY_SEEN_AT] = now
    return member, None


def signed_in_family_member(request: HttpRequest) -> FamilyMember | None:
    """The family member of this session within its time limits (the API's check); an expired session ends."""
    return _in_time(request)[0]


def family_member_required(view: View) -> View:
    """Let only a signed-in family member in and set `request.family_member`; others to the sign-in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member, reason = _in_time(request)
        if member is None:
            if reason is not None:
                messages.info(request, reason)
            return HttpResponseRedirect(reverse("accounts:family_sign_in"))
        request.family_member = member  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return cast(View, wrapped)
