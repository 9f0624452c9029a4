"""The ID token's claims, named as Suomi.fi e-Identification's attributes reach a relying party via a broker."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# Suomi.fi's nationalIdentificationNumber attribute (the personal identity code).
IDENTITY_CODE_CLAIM = "urn:oid:1.2.246.21"
# The Finnish Trust Network's levels of assurance (eIDAS substantial and high).
LOA_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"
LOA_HIGH = "http://ftn.ficora.fi/2017/loa3"
# Not a strong identification: a password only.
WEAK = "urn:lape:demo:password"


class SuomiFiLikeValidator(OAuth2Validator):
    """Adds the person's identity code, names, `acr` and `amr` to the ID token and userinfo."""

    oidc_claim_scope = None  # every claim goes with the openid scope, as from a broker

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = request.user.person
        strong = person.acr in (LOA_SUBSTANTIAL, LOA_HIGH)
        return {
            IDENTITY_CODE_CLAIM: person.identity_code,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "acr": person.acr,
            "amr": ["mfa" if strong else "pwd"],
        }
