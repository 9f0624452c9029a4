"""The demo professionals: one for each role, in the demo organisations, able to log in with the published
password and authenticator secret."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp

from lape.accounts.demo import DEMO_MEMBERS, demo_password, demo_totp_secret, demo_usernames_with_totp
from lape.accounts.models import Membership, Role, Unit
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.directory.models import Publisher

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for a base32 secret typed in by hand."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_it_has_a_demo_professional_for_every_role(demo: str) -> None:
    roles = set(Membership.objects.active().values_list("role", flat=True))
    assert roles == {role.value for role in Role}
    assert Unit.objects.count() == 13
    # The directory's publishers are publishers by membership too, still publishing for the same organisations.
    assert Publisher.objects.filter(user__username="kuopio").count() == 1


def test_it_logs_every_demo_professional_in_with_the_published_password_and_secret(demo: str) -> None:
    for username in sorted({m.username for m in DEMO_MEMBERS}):
        client = Client(headers={"Accept-Language": "en"})
        password = demo_password(username)
        assert password is not None, username
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        roles = set(Membership.objects.filter(user__username=username).values_list("role", flat=True))
        if roles & SEES_CLIENT_DATA:
            assert response["Location"].startswith("/accounts/login/code/"), username
            response = client.post(
                "/accounts/login/code/", {"code": _code_from_secret(demo_totp_secret(username))}
            )
            assert response.status_code == 302, username
            assert "otp_device_id" in client.session, username
        page = client.get("/accounts/", follow=True).content.decode()
        assert f"<strong>{username}</strong>" in page, username


def test_it_loads_the_demo_again_without_duplicates(demo: str) -> None:
    counts = (User.objects.count(), Membership.objects.count(), Unit.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (User.objects.count(), Membership.objects.count(), Unit.objects.count()) == counts


def test_it_prints_a_demo_professionals_current_code(demo: str) -> None:
    out = io.StringIO()
    call_command("demo_code", "terveydenhoitaja", stdout=out)
    code = out.getvalue().strip()
    assert code in {_code_from_secret(demo_totp_secret("terveydenhoitaja"), step) for step in (-1, 0, 1)}
    client = Client(headers={"Accept-Language": "en"})
    client.post("/accounts/login/", {"username": "terveydenhoitaja", "password": "lape-demo-nurse"})
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302


def test_it_lists_the_demo_logins_with_their_secrets(demo: str) -> None:
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    listing = out.getvalue()
    for username in demo_usernames_with_totp():
        assert demo_totp_secret(username) in listing
    assert "lape-demo-manager" in listing


def test_it_never_prints_a_code_for_a_real_account(demo: str) -> None:
    User.objects.create_user("real-nurse", password="not-a-real-password-5")
    with pytest.raises(CommandError, match="not a demo professional"):
        call_command("demo_code", "real-nurse", stdout=io.StringIO())


def test_it_stops_printing_codes_when_the_demo_secret_was_replaced(demo: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username="terveydenhoitaja").update(key="00" * 20)
    with pytest.raises(CommandError, match="not loaded"):
        call_command("demo_code", "terveydenhoitaja", stdout=io.StringIO())


def test_it_is_a_lape_command(demo: str, capsys: Any) -> None:
    from lape.cli import main

    assert main(["demo-code"]) == 0
    assert demo_totp_secret("kuraattori") in capsys.readouterr().out


def test_it_lists_every_demo_login_in_the_documentation() -> None:
    from pathlib import Path

    from django.conf import settings

    docs = (Path(settings.PROJECT_ROOT) / "docs" / "accounts.md").read_text(encoding="utf-8")
    for member in DEMO_MEMBERS:
        assert f"| `{member.username}` |" in docs, member.username
        assert f"`{demo_password(member.username)}`" in docs, member.username
    for username in demo_usernames_with_totp():
        assert f"`{demo_totp_secret(username)}`" in docs, username
