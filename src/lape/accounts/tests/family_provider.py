"""The family sign-in tests' identification provider: the real local OIDC provider in its own process.

`start_provider` runs `python -m lape_demo_idp` (django-oauth-toolkit) on a free loopback port with
its own database, signing key and synthetic persons, and waits for its discovery document;
`identify` plays the person's browser at the provider (login form, then the authorisation), and
returns the address the provider sends the browser back to LAPE with (code and state). Nothing is
mocked: LAPE's relying party talks to the provider over HTTP.

The synthetic persons (individual numbers 960-966) match those the family tests register:
`PERSONS` gives each one's username, birth date (years ago) and individual number.
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.people.registry import add_guardian, register_person
from lape.referrals.tests.conftest import World, years_ago

PASSWORD = "synthetic-person-password"
CLIENT_ID = "lape-test"
CLIENT_SECRET = "lape-test-secret"
STRONG = "http://ftn.ficora.fi/2017/loa2"
WEAK = "urn:lape:demo:password"
TEST_CALLBACK = "http://testserver/family/sign-in/callback/"


@dataclass(frozen=True)
class SyntheticPerson:
    """A person the provider knows: login, age, individual number, and how strongly they identify."""

    username: str
    given_name: str
    family_name: str
    years: int
    individual_number: int
    acr: str = STRONG

    @property
    def identity_code(self) -> str:
        """The person's synthetic identity code today."""
        return compose_identity_code(years_ago(self.years), self.individual_number)


# Aino (10, the referrals tests' child, 960); her father Pekka (961), who also has a weak login;
# Veera (13, 962); Ville, whom LAPE does not know (963); Outi, a guardian of another family (964);
# Eemeli (15, 965), old enough to decide alone in his own matters.
PERSONS = (
    SyntheticPerson("aino", "Aino", "Testinen", 10, 960),
    SyntheticPerson("pekka", "Pekka", "Testinen", 40, 961),
    SyntheticPerson("pekka-password", "Pekka", "Testinen", 40, 961, acr=WEAK),
    SyntheticPerson("veera", "Veera", "Testinen", 13, 962),
    SyntheticPerson("ville", "Ville", "Tuntematon", 30, 963),
    SyntheticPerson("outi", "Outi", "Muukalainen", 35, 964),
    SyntheticPerson("eemeli", "Eemeli", "Testinen", 15, 965),
)


def person(username: str) -> SyntheticPerson:
    """The synthetic person with this username."""
    return next(p for p in PERSONS if p.username == username)


@dataclass(frozen=True)
class Provider:
    """A running provider: its address and issuer."""

    url: str
    port: int

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def settings(self, issuer: str | None = None) -> dict[str, object]:
        """LAPE's LAPE_FAMILY_OIDC for this provider (the production defaults for claims and acr)."""
        return {
            "issuer": issuer or self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": "openid profile",
            "identity_code_claim": "urn:oid:1.2.246.21",
            "strong_acr": ["http://ftn.ficora.fi/2017/loa2", "http://ftn.ficora.fi/2017/loa3"],
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def start_provider(folder: Path, redirect_uris: list[str]) -> Iterator[Provider]:
    """Run the provider until the block ends; its output goes to folder/provider.log."""
    folder.mkdir(parents=True, exist_ok=True)
    persons = folder / "persons.json"
    persons.write_text(
        json.dumps(
            [
                {
                    "username": p.username,
                    "password": PASSWORD,
                    "identity_code": p.identity_code,
                    "given_name": p.given_name,
                    "family_name": p.family_name,
                    "acr": p.acr,
                }
                for p in PERSONS
            ]
        ),
        encoding="utf-8",
    )
    port = _free_port()
    command = [sys.executable, "-m", "lape_demo_idp", "--port", str(port), "--dir", str(folder)]
    command += ["--persons", str(persons), "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    provider = Provider(url=f"http://127.0.0.1:{port}", port=port)
    with (folder / "provider.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(provider, process, folder)
            yield provider
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for(provider: Provider, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((folder / "provider.log").read_text(encoding="utf-8", errors="replace"))
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError("The OIDC provider did not start within a minute.")


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_NEXT = re.compile(r'name="next" value="([^"]*)"')


def identify(authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """Sign in at the provider as `username` and return where it sends the browser back (code, state)."""
    browser = requests.Session()
    url = authorize_url
    provider = urlsplit(authorize_url).netloc
    for _step in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (301, 302, 303):
            url = urljoin(url, response.headers["Location"])
            if urlsplit(url).netloc != provider:
                return url  # back to LAPE
            continue
        assert response.status_code == 200, response.text[:500]
        token = _CSRF.search(response.text)
        assert token is not None, "the provider's login form"
        next_url = _NEXT.search(response.text)
        assert next_url is not None, "the provider's login form keeps where to go next"
        posted = browser.post(
            url,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
                "next": html.unescape(next_url.group(1)),
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )
        assert posted.status_code == 302, "the provider refused the login"
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """One provider for the test client's sign-ins (LAPE answers as http://testserver)."""
    with start_provider(tmp_path_factory.mktemp("oidc-provider"), [TEST_CALLBACK]) as provider:
        yield provider


@pytest.fixture
def family_oidc(settings: Any, oidc_provider: Provider) -> Provider:
    """LAPE configured to identify family members at the running provider."""
    settings.LAPE_FAMILY_OIDC = oidc_provider.settings()
    return oidc_provider


@dataclass
class Family:
    """The referrals tests' Aino (10) with her father Pekka (a registered guardian), and Veera (13)."""

    world: World
    father: Person
    child: Person
    teen: Person


@pytest.fixture
def family(world: World) -> Family:
    father = register(person("pekka"))
    add_guardian(father, world.child, started=world.child.birth_date)
    return Family(world=world, father=father, child=world.child, teen=register(person("veera")))


def register(synthetic: SyntheticPerson) -> Person:
    """Register a synthetic person in LAPE with their identity code."""
    return register_person(
        given_names=synthetic.given_name,
        family_name=synthetic.family_name,
        identity_code=synthetic.identity_code,
    )


def start_sign_in(client: Client) -> str:
    """Press "Sign in as a family member": the address of the provider's authorisation endpoint."""
    response = client.post(reverse("accounts:family_sign_in"))
    assert response.status_code == 302, response.content[:300]
    return str(response["Location"])


def back_to_lape(client: Client, provider_answer: str) -> HttpResponse:
    """The browser arriving back at LAPE's callback with the provider's answer."""
    parts = urlsplit(provider_answer)
    return client.get(f"{parts.path}?{parts.query}")  # type: ignore[return-value]


def sign_in(client: Client, username: str) -> HttpResponse:
    """The whole sign-in of a synthetic person: LAPE → provider (login) → LAPE."""
    return back_to_lape(client, identify(start_sign_in(client), username))
