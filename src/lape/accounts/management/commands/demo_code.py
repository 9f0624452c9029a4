"""`lape demo-code [USERNAME]`: the demo professionals' logins, TOTP secrets and current codes.

Demo only: it answers only for the demo usernames whose device still has the published demo
secret, so it can never reveal anything about a real account.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.accounts.demo import (
    DEMO_DEVICE_NAME,
    DEMO_MEMBERS,
    demo_password,
    demo_totp_key,
    demo_totp_secret,
    demo_usernames_with_totp,
)


def current_demo_code(username: str) -> str:
    """The code a demo professional's authenticator app would show now; CommandError for anyone else."""
    if username not in demo_usernames_with_totp():
        raise CommandError(
            _("%(username)s is not a demo professional with two-step login.") % {"username": username}
        )
    device = TOTPDevice.objects.filter(
        user__username=username, name=DEMO_DEVICE_NAME, confirmed=True, key=demo_totp_key(username)
    ).first()
    if device is None:
        raise CommandError(_("The demo users are not loaded. Run `lape demo` first."))
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo professional, or (without a name) every demo login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options.get("username")
        if username:
            self.stdout.write(current_demo_code(username))
            return
        self.stdout.write(_("Demo logins (demo only; never use these in production):"))
        with_totp = set(demo_usernames_with_totp())
        seen: set[str] = set()
        for member in DEMO_MEMBERS:
            if member.username in seen:
                continue
            seen.add(member.username)
            secret = demo_totp_secret(member.username) if member.username in with_totp else "-"
            self.stdout.write(f"  {member.username:<21} {demo_password(member.username) or '':<31} {secret}")
        self.stdout.write(_("Print a demo professional's current code with: lape demo-code USERNAME"))
