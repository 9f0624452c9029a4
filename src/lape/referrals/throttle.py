"""A limit on public contact-request posts from one address, shared by every server process.

Counted in the database (PostCount: one row per address and time window), so that all the
processes and servers behind one database see the same count; the increment is one conditional
UPDATE, so two posts at the same moment cannot both take the last place. The address is kept only
as a keyed hash (HMAC with the secret key): the table never holds an IP address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.accounts.throttling import client_ip

from .models import PostCount

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_MINUTES = 60


class TooManyPosts(Exception):
    """Too many contact requests from one address: the family is told to wait (HTTP 429)."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        """The refusal in the user's language."""
        return str(
            _(
                "Too many contact requests have been sent from your connection. Please try again in "
                "%(minutes)s minutes, or call the family centre."
            )
            % {"minutes": self.minutes}
        )


def limit() -> int:
    """Posts allowed from one address in one window (LAPE_CONTACT_REQUEST_LIMIT)."""
    return int(getattr(settings, "LAPE_CONTACT_REQUEST_LIMIT", DEFAULT_LIMIT))


def window_minutes() -> int:
    """The length of a window in minutes (LAPE_CONTACT_REQUEST_WINDOW_MINUTES)."""
    return int(getattr(settings, "LAPE_CONTACT_REQUEST_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES))


def address_key(address: str) -> str:
    """The keyed hash that stands for an address in the count (never the address itself)."""
    secret = f"lape-contact-request-throttle:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


def _window_start(now: dt.datetime, minutes: int) -> dt.datetime:
    epoch = int(now.timestamp())
    length = minutes * 60
    return dt.datetime.fromtimestamp(epoch - epoch % length, tz=dt.UTC)


def take_place(address: str | None, now: dt.datetime | None = None) -> bool:
    """Count one post from `address`; False (and nothing counted) when its window is full.

    An unknown address (no REMOTE_ADDR) shares one count, so it cannot be used to get round the limit.
    """
    now = now or timezone.now()
    minutes = window_minutes()
    window = _window_start(now, minutes)
    key = address_key(address or "unknown")
    with transaction.atomic():
        PostCount.objects.bulk_create(
            [PostCount(key=key, window_start=window, count=0)], ignore_conflicts=True
        )
        taken = PostCount.objects.filter(key=key, window_start=window, count__lt=limit()).update(
            count=F("count") + 1
        )
        # Old windows are of no use: keep the table small.
        PostCount.objects.filter(window_start__lt=window - dt.timedelta(days=1)).delete()
    if not taken:
        logger.warning("Contact-request limit reached for address key %s…", key[:12])
    return bool(taken)


def check_public_post(request: HttpRequest, now: dt.datetime | None = None) -> None:
    """Count a public post from the request's address; raise TooManyPosts when over the limit."""
    if not take_place(client_ip(request), now):
        raise TooManyPosts(window_minutes())
