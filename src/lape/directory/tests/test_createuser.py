"""`lape createuser`: publishers of organisations and administrators, with a checked password."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from lape.directory.models import Organization, Service
from lape.directory.permissions import services_for

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "vaalea-kettu-hyppää-9"


def _create(*args: str, password: str = GOOD_PASSWORD) -> str:
    out = io.StringIO()
    call_command("createuser", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out)
    return out.getvalue()


@pytest.fixture
def kuopio() -> Organization:
    return Organization.objects.create(name="Kuopion kaupunki", business_id="0171612-6")


def test_it_creates_a_publisher_of_an_organisation_by_business_id(kuopio: Organization) -> None:
    output = _create("nurse-publisher", "--email", "publisher@example.org", "--organization", "0171612-6")
    user = User.objects.get(username="nurse-publisher")
    assert "nurse-publisher" in output
    assert user.is_staff and not user.is_superuser
    assert user.email == "publisher@example.org"
    assert user.check_password(GOOD_PASSWORD)
    assert list(user.publisher_roles.values_list("organization", flat=True)) == [kuopio.pk]
    assert user.has_perm("directory.change_service")
    assert user.has_perm("directory.add_schedule")
    assert not user.has_perm("directory.change_publisher")


def test_it_creates_a_publisher_of_several_organisations_by_id(kuopio: Organization) -> None:
    ngo = Organization.objects.create(name="Perhetalo ry")
    Service.objects.create(organization=ngo, name="Vauvakerho")
    _create("two-orgs", "--organization", str(kuopio.pk), "--organization", str(ngo.pk))
    user = User.objects.get(username="two-orgs")
    assert user.publisher_roles.count() == 2
    assert [s.name for s in services_for(user)] == ["Vauvakerho"]


def test_it_creates_an_administrator() -> None:
    _create("paakayttaja", "--superuser")
    user = User.objects.get(username="paakayttaja")
    assert user.is_superuser and user.is_staff


def test_it_refuses_an_existing_username(kuopio: Organization) -> None:
    User.objects.create_user("taken")
    with pytest.raises(CommandError, match="already exists"):
        _create("taken", "--organization", "0171612-6")


def test_it_refuses_an_unknown_organisation() -> None:
    with pytest.raises(CommandError, match="No organisation"):
        _create("nobody", "--organization", "1234567-1")
    assert not User.objects.filter(username="nobody").exists()


def test_it_refuses_a_weak_password() -> None:
    with pytest.raises(CommandError, match="password"):
        _create("weak", "--superuser", password="12345678")
    assert not User.objects.filter(username="weak").exists()


def test_it_refuses_an_empty_password_on_stdin() -> None:
    with pytest.raises(CommandError, match="No password"):
        _create("empty", "--superuser", password="")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_asks_for_the_password_twice_on_a_terminal(monkeypatch: Any) -> None:
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createuser", "asked", "--superuser", stdin=_Terminal(), stdout=io.StringIO())
    assert User.objects.get(username="asked").check_password(GOOD_PASSWORD)


def test_it_refuses_passwords_that_do_not_match(monkeypatch: Any) -> None:
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="did not match"):
        call_command("createuser", "mismatch", "--superuser", stdin=_Terminal(), stdout=io.StringIO())


def test_it_exits_non_zero_from_the_lape_command(tmp_path: Any) -> None:
    # A fresh SQLite database in a subprocess: `lape createuser` fails for an unknown organisation.
    env = {
        "LAPE_ALLOW_INSECURE_KEY": "1",
        "LAPE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PATH": "",
    }
    run = [sys.executable, "-m", "lape.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [*run, "createuser", "nobody", "--organization", "1234567-1", "--password-stdin"],
        env=env,
        input=GOOD_PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "No organisation" in result.stderr
