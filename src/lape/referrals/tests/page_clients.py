"""Browsers of the page tests: a family's (no login) and a professional's, logged in with both factors.

A professional's client is logged in as their user and verified with a real TOTP device, as
django-otp's middleware checks it on every request (the device must be the user's and confirmed);
the login pages themselves are tested in lape.accounts. The browser test logs in through the pages.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.acting import SESSION_MEMBERSHIP, Actor


def family_browser(language: str = "en", **kwargs: object) -> Client:
    """A family's browser asking for pages in `language`."""
    return Client(headers={"Accept-Language": language}, **kwargs)  # type: ignore[arg-type]


def browser_of(actor: Actor, *, language: str = "en", verified: bool = True, **kwargs: object) -> Client:
    """A browser logged in as the actor's user, acting in the actor's membership (second factor given)."""
    client = Client(headers={"Accept-Language": language}, **kwargs)  # type: ignore[arg-type]
    user = User.objects.get(pk=actor.user_id)
    client.force_login(user)
    session = client.session
    session[SESSION_MEMBERSHIP] = str(actor.membership_id)
    if verified:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
