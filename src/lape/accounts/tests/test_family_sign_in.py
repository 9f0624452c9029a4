"""Family sign-in against the real local OpenID Connect provider (authorisation code + PKCE).

The provider (lape_demo_idp, django-oauth-toolkit) runs in its own process; LAPE's relying party
reads its discovery document, exchanges the code with the PKCE verifier and checks the ID token's
signature with the provider's JWKS, its issuer and its nonce. Refused: a weak identification, a
person LAPE does not know, a child under 12, a tampered or replayed state, a changed nonce, a
provider that is not the configured issuer, and a professional's session.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lape.access.models import AccessLogEntry
from lape.accounts.family import SESSION_FAMILY_PERSON
from lape.referrals.tests import conftest as referrals_world

from .family_provider import (
    Family,
    Provider,
    back_to_lape,
    family,
    family_oidc,
    identify,
    oidc_provider,
    person,
    sign_in,
    start_sign_in,
)

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["family", "family_oidc", "oidc_provider", "world"]


def _refusal(response: Any) -> str:
    assert response.status_code == 403
    text = response.content.decode()
    return text.split('data-code="', 1)[1].split('"', 1)[0]


def _signed_in(client: Client) -> str | None:
    return client.session.get(SESSION_FAMILY_PERSON)


def test_it_signs_a_guardian_in_through_the_provider(family_oidc: Provider, family: Family) -> None:
    client = Client()
    authorize = start_sign_in(client)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{family_oidc.issuer}/authorize/")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["response_type"] == ["code"] and query["state"][0] and query["nonce"][0]

    response = back_to_lape(client, identify(authorize, "pekka"))

    assert response.status_code == 302 and response["Location"] == reverse("access:family_home")
    assert _signed_in(client) == str(family.father.pk)


def test_it_keeps_the_identity_code_out_of_the_session_and_the_log(
    family_oidc: Provider, family: Family
) -> None:
    client = Client()
    code = person("pekka").identity_code
    sign_in(client, "pekka")
    session = json.dumps(dict(client.session.items()), default=str)
    assert code not in session and code[:6] + code[7:] not in session
    assert not AccessLogEntry.objects.filter(record_id__contains=code[7:]).exists()


def test_it_refuses_an_identification_that_is_not_strong(family_oidc: Provider, family: Family) -> None:
    client = Client()
    assert _refusal(sign_in(client, "pekka-password")) == "not_strong"
    assert _signed_in(client) is None


def test_it_refuses_a_person_who_is_not_registered(family_oidc: Provider, family: Family) -> None:
    client = Client(headers={"Accept-Language": "en"})
    response = sign_in(client, "ville")
    assert _refusal(response) == "not_registered"
    assert "You are not a client of the services on this platform" in response.content.decode()
    assert _signed_in(client) is None


def test_it_refuses_a_child_under_12(family_oidc: Provider, family: Family) -> None:
    client = Client()
    assert _refusal(sign_in(client, "aino")) == "too_young"
    assert _signed_in(client) is None


def test_it_lets_a_child_of_12_or_more_in(family_oidc: Provider, family: Family) -> None:
    client = Client()
    sign_in(client, "veera")
    assert _signed_in(client) == str(family.teen.pk)


def test_it_explains_a_refusal_in_swedish(family_oidc: Provider, family: Family) -> None:
    client = Client(headers={"Accept-Language": "sv"})
    response = sign_in(client, "aino")
    assert _refusal(response) == "too_young"
    assert 'lang="sv"' in response.content.decode()
    assert "Barn under 12" in response.content.decode()


def test_it_refuses_a_tampered_state(family_oidc: Provider, family: Family) -> None:
    client = Client()
    answer = urlsplit(identify(start_sign_in(client), "pekka"))
    query = {k: v[0] for k, v in parse_qs(answer.query).items()}
    query["state"] = query["state"][:-2] + "xx"
    response = client.get(f"{answer.path}?{urlencode(query)}")
    assert _refusal(response) == "provider"
    assert _signed_in(client) is None


def test_it_refuses_a_replayed_answer(family_oidc: Provider, family: Family) -> None:
    client = Client()
    answer = identify(start_sign_in(client), "pekka")
    assert back_to_lape(client, answer).status_code == 302

    thief = Client()  # the same answer again, in another browser or the same one
    assert _refusal(back_to_lape(thief, answer)) == "provider"
    assert _refusal(back_to_lape(client, answer)) == "provider"


def test_it_refuses_an_answer_for_another_sign_in(family_oidc: Provider, family: Family) -> None:
    victim, attacker = Client(), Client()
    start_sign_in(victim)
    victims_state = next(k for k in victim.session.keys() if k.startswith("_state_"))  # noqa: SIM118 - a session has no iterator
    attackers_answer = urlsplit(identify(start_sign_in(attacker), "pekka"))
    code = parse_qs(attackers_answer.query)["code"][0]
    # The attacker's code with the victim's state: the PKCE verifier does not match the code.
    state = victims_state.split("_state_family_", 1)[1]
    response = victim.get(f"{attackers_answer.path}?{urlencode({'code': code, 'state': state})}")
    assert _refusal(response) == "provider"
    assert _signed_in(victim) is None


def test_it_refuses_an_id_token_with_another_nonce(family_oidc: Provider, family: Family) -> None:
    client = Client()
    answer = identify(start_sign_in(client), "pekka")
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_"))  # noqa: SIM118 - a session has no iterator
    stored = session[key]
    stored["data"]["nonce"] = "not-the-nonce-the-provider-signed"
    session[key] = stored
    session.save()
    assert _refusal(back_to_lape(client, answer)) == "provider"
    assert _signed_in(client) is None


def test_it_refuses_a_provider_that_is_not_the_configured_issuer(
    settings: Any, family_oidc: Provider, family: Family
) -> None:
    # The same provider reached by another name: its discovery document names its own issuer.
    settings.LAPE_FAMILY_OIDC = family_oidc.settings(issuer=f"http://localhost:{family_oidc.port}/o")
    client = Client()
    assert _refusal(client.post(reverse("accounts:family_sign_in"))) == "provider"


def test_it_says_when_family_sign_in_is_not_in_use(settings: Any, db: Any) -> None:
    settings.LAPE_FAMILY_OIDC = {**settings.LAPE_FAMILY_OIDC, "issuer": ""}
    client = Client(headers={"Accept-Language": "en"})
    assert "not in use on this service" in client.get(reverse("accounts:family_sign_in")).content.decode()
    assert _refusal(client.post(reverse("accounts:family_sign_in"))) == "not_configured"


def test_it_keeps_a_professional_out_of_the_family_sign_in(family_oidc: Provider, family: Family) -> None:
    client = Client()
    client.force_login(User.objects.create_user("nurse-on-duty"))
    assert _refusal(client.post(reverse("accounts:family_sign_in"))) == "professional"
    # And the family pages send a professional to the family sign-in, never in.
    home = client.get(reverse("access:family_home"))
    assert home.status_code == 302 and home["Location"] == reverse("accounts:family_sign_in")


def test_it_gives_a_family_member_no_professional_login(family_oidc: Provider, family: Family) -> None:
    client = Client()
    sign_in(client, "pekka")
    assert "_auth_user_id" not in client.session
    work = client.get("/work/")
    assert work.status_code == 302 and work["Location"].startswith(reverse("accounts:login"))


def test_it_signs_the_family_member_out(family_oidc: Provider, family: Family) -> None:
    client = Client()
    sign_in(client, "pekka")
    client.post(reverse("accounts:family_sign_out"))
    assert _signed_in(client) is None
    home = client.get(reverse("access:family_home"))
    assert home.status_code == 302
