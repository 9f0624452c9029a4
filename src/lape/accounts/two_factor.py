"""The second factor: TOTP devices (django-otp) and their enrolment with a QR code (segno).

A person has at most one confirmed TOTP device. Enrolment makes an unconfirmed device, shows its
secret as a QR code and as text, and confirms it only when the person types a valid code from it,
so a device that was never set up correctly never becomes the one the login asks for.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

import segno
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "LAPE"


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code: `ok`, or `wait_seconds` > 0 when the device is throttled."""

    ok: bool
    wait_seconds: int = 0


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None when they have not set one up."""
    if not getattr(user, "is_authenticated", False):
        return None
    device: TOTPDevice | None = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    return device


def pending_device(user: Any) -> TOTPDevice:
    """The user's device being set up (unconfirmed), made now if there is none."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, as authenticator apps take it by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, title: str) -> str:
    """The device's otpauth:// URI as an inline SVG QR code (no image file, nothing fetched)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=5, title=title, dark="#000", light="#fff")
    return svg


def _wait_seconds(data: dict[str, Any] | None) -> int:
    locked_until = (data or {}).get("locked_until")
    if isinstance(locked_until, dt.datetime):
        return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return 1


def check_code(device: TOTPDevice, code: str) -> CodeCheck:
    """Check a code against the device; a code already used (replay) or too old is refused.

    django-otp slows a device down after each wrong code; while it waits, no code is even checked.
    """
    allowed, data = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(ok=False, wait_seconds=_wait_seconds(data))
    return CodeCheck(ok=bool(device.verify_token(code)))


def confirm_device(device: TOTPDevice) -> None:
    """Make a set-up device the user's device (and drop any other unconfirmed ones)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).exclude(pk=device.pk).delete()
