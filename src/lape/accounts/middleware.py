"""Session limits: an idle timeout, an absolute limit, and "log out everywhere" (a per-user epoch).

At login a session is stamped with the time and the user's session epoch. On every request of a
logged-in user the middleware ends the session when it has been idle longer than
LAPE_SESSION_IDLE_MINUTES, is older than LAPE_SESSION_MAX_HOURS, or belongs to an older epoch
(the user pressed "log out everywhere", which raises the epoch and so ends all their sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SessionEpoch

SESSION_LOGIN_AT = "lape_login_at"
SESSION_SEEN_AT = "lape_seen_at"
SESSION_EPOCH = "lape_session_epoch"
# The last-seen time is written at most this often (seconds): a session save per request is waste.
SEEN_RESOLUTION = 60


def _now() -> float:
    return timezone.now().timestamp()


def epoch_of(user_id: Any) -> int:
    """The user's current session epoch (0 until they first log out everywhere)."""
    epoch = SessionEpoch.objects.filter(user_id=user_id).values_list("epoch", flat=True).first()
    return int(epoch or 0)


def stamp_session(request: HttpRequest, user: Any) -> None:
    """Mark a new login's session with the time and the user's epoch (called on user_logged_in)."""
    now = _now()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_EPOCH] = epoch_of(user.pk)


def log_out_everywhere(user: Any) -> None:
    """End every session of `user`, on every device, at their next request."""
    SessionEpoch.objects.get_or_create(user_id=user.pk)
    SessionEpoch.objects.filter(user_id=user.pk).update(epoch=F("epoch") + 1, changed=timezone.now())


def session_end_reason(request: HttpRequest, now: float) -> str | None:
    """Why this logged-in session must end now (a translated sentence), or None if it may go on."""
    session = request.session
    if SESSION_LOGIN_AT not in session:  # A session from before these limits: stamp it now.
        stamp_session(request, request.user)
        return None
    if session.get(SESSION_EPOCH) != epoch_of(request.user.pk):
        return _("You were logged out because you chose to log out everywhere.")
    idle = settings.LAPE_SESSION_IDLE_MINUTES
    if now - float(session.get(SESSION_SEEN_AT, 0)) > idle * 60:
        return ngettext(
            "You were logged out after %(minutes)d minute without activity. Please log in again.",
            "You were logged out after %(minutes)d minutes without activity. Please log in again.",
            idle,
        ) % {"minutes": idle}
    hours = settings.LAPE_SESSION_MAX_HOURS
    if now - float(session[SESSION_LOGIN_AT]) > hours * 3600:
        return ngettext(
            "You were logged out because a session lasts at most %(hours)d hour. Please log in again.",
            "You were logged out because a session lasts at most %(hours)d hours. Please log in again.",
            hours,
        ) % {"hours": hours}
    return None


class SessionLimitsMiddleware:
    """Ends sessions that are idle, too old or of an older epoch; keeps the last-seen time of the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No session cookie, nobody logged in: asking `request.user` would read the session, and a
        # read session makes the response "Vary: Cookie". Anonymous requests (the public API) are
        # left as they came: no session read, no query.
        if request.session.session_key is not None and request.user.is_authenticated:
            now = _now()
            reason = session_end_reason(request, now)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
            elif now - float(request.session.get(SESSION_SEEN_AT, 0)) >= SEEN_RESOLUTION:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)
