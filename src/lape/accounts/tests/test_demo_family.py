"""The demo's family logins: the demo persons of 12 or more at the local provider, documented, and
the provider kept out of anything but the demo configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lape.accounts.demo_family import WEAK, WEAK_USERNAME, demo_family_logins
from lape.people.demo import demo_person, load_demo_people
from lape.people.registry import find_by_identity_code

pytestmark = pytest.mark.django_db
# lape.people.demo: the guardians and the children of 12 or more (Lumi 12, Veeti 16, Oskar 14).
SIGNS_IN = {
    "testinen-aino",
    "testinen-mikko",
    "testinen-lumi",
    "esimerkki-sanna",
    "esimerkki-veeti",
    "testberg-johan",
    "testberg-sofia",
    "testberg-oskar",
    "exempelsson-maria",
}


def test_it_gives_every_demo_person_of_12_or_more_a_login_with_their_identity_code() -> None:
    load_demo_people()
    logins = {login.username: login for login in demo_family_logins()}
    assert set(logins) == SIGNS_IN | {WEAK_USERNAME}
    for username in SIGNS_IN:
        assert find_by_identity_code(logins[username].identity_code) == demo_person(username)
    assert logins[WEAK_USERNAME].acr == WEAK
    assert logins[WEAK_USERNAME].identity_code == logins["testinen-aino"].identity_code


def test_it_has_no_logins_before_the_demo_is_loaded() -> None:
    assert demo_family_logins() == []


def test_it_documents_every_demo_family_login() -> None:
    docs = (Path(settings.PROJECT_ROOT) / "docs" / "accounts.md").read_text(encoding="utf-8")
    for username in SIGNS_IN | {WEAK_USERNAME}:
        assert f"`{username}`" in docs, username
    assert "`lape-demo-family`" in docs


def test_it_refuses_to_run_the_demo_provider_outside_the_demo(monkeypatch: Any, settings: Any) -> None:
    load_demo_people()
    settings.DEBUG = False
    monkeypatch.delenv("LAPE_ALLOW_INSECURE_KEY", raising=False)
    with pytest.raises(CommandError, match="only in the demo configuration"):
        call_command("demo_idp")


def test_it_keeps_the_provider_from_loading_without_its_switch() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "LAPE_DEMO_IDP"}
    result = subprocess.run(
        [sys.executable, "-c", "import lape_demo_idp.settings"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "runs only for the demo and the tests (LAPE_DEMO_IDP=1)" in result.stderr
