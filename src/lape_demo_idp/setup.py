"""Loading the provider's synthetic persons and its one client (LAPE) from what the caller gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from oauth2_provider.models import get_application_model

from .models import SyntheticPerson


@transaction.atomic
def load_persons(path: Path) -> int:
    """Replace the persons with those of a JSON list (username, password, identity_code, names, acr)."""
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    User.objects.all().delete()
    for row in rows:
        user = User.objects.create_user(row["username"], password=row["password"])
        SyntheticPerson.objects.create(
            user=user,
            identity_code=row["identity_code"],
            given_name=row["given_name"],
            family_name=row["family_name"],
            acr=row["acr"],
        )
    return len(rows)


@transaction.atomic
def register_client(client_id: str, client_secret: str, redirect_uris: str) -> None:
    """The relying party (its callbacks separated by spaces): a confidential client, authorisation code with PKCE, RS256 ID tokens."""
    application = get_application_model()
    application.objects.filter(client_id=client_id).delete()
    application.objects.create(
        name="LAPE",
        client_id=client_id,
        client_secret=client_secret,
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uris,
        algorithm=application.RS256_ALGORITHM,
        skip_authorization=True,  # like an identification broker: no separate "allow" page
    )
