"""The family's strong identification through OpenID Connect: LAPE as the relying party (Authlib).

In production the provider is an OIDC broker of Suomi.fi e-Identification; in the demo and the
tests it is the local provider `lape_demo_idp`. The flow is the authorisation code flow with PKCE
(S256): state and nonce kept in the session, the ID token's signature checked with the provider's
published keys (JWKS) and its issuer, audience, expiry and nonce checked by Authlib. The issuer is
configured, and a provider whose discovery document names another is refused. Settings:
`settings.LAPE_FAMILY_OIDC` (docs/accounts.md, "Family sign-in").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError  # Authlib checks ID tokens with joserfc (its dependency)

CLIENT_NAME = "family"


class SignInRefused(Exception):
    """The identification did not let anyone in; `code` names why (FAMILY_REFUSALS)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Why a family sign-in was refused, in words the family understands, with what to do next.
FAMILY_REFUSALS: dict[str, Any] = {
    "not_configured": _("Signing in as a family member is not in use on this service."),
    "provider": _(
        "The identification could not be completed or its answer could not be trusted. Start the "
        "sign-in again; if this keeps happening, contact your family centre."
    ),
    "not_strong": _(
        "Family members sign in with strong identification only (online banking codes, a mobile "
        "certificate or an identity card). Start again and choose one of these."
    ),
    "no_identity_code": _("The identification did not give a valid personal identity code."),
    "not_registered": _(
        "You are not a client of the services on this platform, so there is nothing to show you. "
        "If you think you should be, contact your family centre."
    ),
    "too_young": _(
        "Children under 12 do not sign in themselves: a guardian sees their information. Ask your "
        "guardian or your family centre."
    ),
    "professional": _(
        "You are signed in to the work pages. Sign out first, then sign in as a family member."
    ),
}


@dataclass(frozen=True)
class Identified:
    """What a strong identification told about the person (the identity code is not kept anywhere)."""

    identity_code: str
    given_name: str
    family_name: str
    acr: str


def config() -> dict[str, Any]:
    """The provider's settings; an empty issuer turns family sign-in off."""
    return dict(settings.LAPE_FAMILY_OIDC)


def enabled() -> bool:
    """Whether family sign-in is configured."""
    current = config()
    return bool(current.get("issuer") and current.get("client_id"))


@functools.lru_cache(maxsize=8)
def _client(issuer: str, client_id: str, client_secret: str, scope: str) -> Any:
    """The Authlib client of one provider configuration (its discovery document is read once)."""
    oauth = OAuth()
    return oauth.register(
        name=CLIENT_NAME,
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": scope, "code_challenge_method": "S256", "timeout": 10},
    )


def _configured_client() -> tuple[Any, str]:
    current = config()
    client = _client(current["issuer"], current["client_id"], current["client_secret"], current["scope"])
    return client, current["issuer"]


def start(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """Redirect the browser to the provider (state, nonce and PKCE verifier kept in the session)."""
    if not enabled():
        raise SignInRefused("not_configured")
    client, issuer = _configured_client()
    try:
        metadata = client.load_server_metadata()
        response: HttpResponse = client.authorize_redirect(request, redirect_uri)
    except (AuthlibBaseError, OSError, ValueError):
        raise SignInRefused("provider") from None
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
    if metadata.get("issuer") != issuer:
        raise SignInRefused("provider")
    return response


def finish(request: HttpRequest) -> Identified:
    """Take the provider's answer: code for tokens, the ID token verified; refuse a weak identification."""
    if not enabled():
        raise SignInRefused("not_configured")
    client, issuer = _configured_client()
    try:
        token = client.authorize_access_token(
            request, claims_options={"iss": {"essential": True, "values": [issuer]}}
        )
    except (AuthlibBaseError, JoseError, OSError, ValueError, KeyError, TypeError):
        # A tampered or replayed state, a wrong nonce, issuer or signature, an error from the provider.
        raise SignInRefused("provider") from None
    claims = token.get("userinfo") or {}
    if not claims:
        raise SignInRefused("provider")
    current = config()
    acr = str(claims.get("acr", ""))
    if acr not in current["strong_acr"]:
        raise SignInRefused("not_strong")
    code = claims.get(current["identity_code_claim"])
    if not isinstance(code, str) or not code:
        raise SignInRefused("no_identity_code")
    return Identified(
        identity_code=code,
        given_name=str(claims.get("given_name", "")),
        family_name=str(claims.get("family_name", "")),
        acr=acr,
    )
