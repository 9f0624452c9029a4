"""The steps of logging in, as a browser takes them (no shortcut around the login pages)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.tests.conftest import PASSWORD


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead` 30-second steps later).

    A code is accepted once (replay protection); a second login in the same half-minute uses the next one.
    """
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of the codes the device would accept now."""
    accepted = {code_for(device, step) for step in (-1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)


def post_password(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    """Step 1: the login form."""
    return client.post("/accounts/login/", {"username": username, "password": password, "next": next_url})


def post_code(client: Client, code: str, next_url: str = "") -> Any:
    """Step 2: the code form."""
    return client.post("/accounts/login/code/", {"code": code, "next": next_url})


def log_in(client: Client, username: str, device: TOTPDevice | None = None, steps_ahead: int = 0) -> Any:
    """Both steps, for a person who has set up their app (`device`) or who needs no second factor."""
    response = post_password(client, username)
    if device is not None:
        response = post_code(client, code_for(device, steps_ahead))
    return response
