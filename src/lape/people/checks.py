"""`lape check --deploy`: the identity-code keys are usable and not the development ones."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .sealing import key_ring


@checks.register(checks.Tags.security, deploy=True)
def identity_code_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An error when the keys are missing or malformed; a warning when the development keys are in use."""
    try:
        ring = key_ring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="people.E001")]
    if ring.insecure:
        return [
            checks.Warning(
                "Identity codes are sealed with the public development keys.",
                hint="Set LAPE_IDENTITY_CODE_KEYS and LAPE_IDENTITY_CODE_LOOKUP_KEY (docs/people.md).",
                id="people.W001",
            )
        ]
    return []
