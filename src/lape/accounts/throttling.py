"""Throttling of logins: django-axes counts failed passwords and wrong second-factor codes alike.

A wrong TOTP code is reported to axes as a failed login of that username, so a person (or a thief
who has the password) gets the same number of tries for the password and the code together before
the username is locked at that address for the cool-off time. django-otp also slows down each
device after every wrong code (exponential back-off), whatever the address.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

# Django's User.username is at most 150 characters.
USERNAME_MAX_LENGTH = 150


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the one the outermost of LAPE_PROXY_COUNT trusted proxies saw.

    Only the addresses our own proxies appended are trusted; a client can write anything in front.
    """
    proxies = int(getattr(settings, "LAPE_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username axes records: as typed, cut to the longest a username can be (150 characters).

    Without the cut, a login posted with a huge username would overflow axes' column (a 500 on
    PostgreSQL) instead of being refused as a wrong login.
    """
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username")
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]


def is_locked_out(request: HttpRequest, username: str) -> bool:
    """Whether `username` is locked out at this request's address (too many failures, cool-off not over)."""
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def record_failed_code(request: HttpRequest, username: str) -> None:
    """Count a wrong second-factor code as a failed login of `username` (axes listens to the signal)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def cool_off_minutes() -> int:
    """How long a lockout lasts, in whole minutes (for the lockout page)."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
