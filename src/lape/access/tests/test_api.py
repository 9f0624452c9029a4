"""The professionals' consent API: a person's consents, recording one, withdrawing one (the pages' own code)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lape.access.models import Consent
from lape.accounts.acting import Actor
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, identified_request, log_rows
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db
world = referrals_world.world
__all__ = ["world"]

API = "/api/access"
MISSING = "00000000-0000-0000-0000-000000000000"


def api(actor: Actor, language: str = "en") -> Client:
    return browser_of(actor, language=language)


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _consent_body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "given_by_id": str(world.mother.pk),
        "organization_ids": [str(world.ngo.pk)],
        "categories": ["ngo_support"],
        "purpose": "A family friend for the evenings.",
    } | changes


def test_the_family_worker_records_lists_and_withdraws_a_consent(world: World) -> None:
    identified_request(world)
    worker = api(world.family_worker)
    recorded = post(worker, f"/people/{world.child.pk}/consents", _consent_body(world))
    assert recorded.status_code == 201, recorded.content
    assert (recorded.json()["state"], recorded.json()["given_by_name"]) == ("in_force", "Maija Testinen")
    listed = worker.get(f"{API}/people/{world.child.pk}/consents").json()
    assert [c["id"] for c in listed] == [recorded.json()["id"]]
    withdrawn = post(worker, f"/consents/{recorded.json()['id']}/withdraw", {})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    again = post(worker, f"/consents/{recorded.json()['id']}/withdraw", {})
    assert again.status_code == 409


def test_a_stranger_gets_the_same_404_as_for_nobody_and_learns_nothing_from_bad_ids(world: World) -> None:
    identified_request(world)
    stranger = api(world.stranger)
    forbidden = stranger.get(f"{API}/people/{world.child.pk}/consents")
    missing = stranger.get(f"{API}/people/{MISSING}/consents")
    assert forbidden.status_code == missing.status_code == 404 and forbidden.json() == missing.json()
    # Wrong ids in the body do not tell a stranger that the person exists: the decision comes first.
    bad = post(stranger, f"/people/{world.child.pk}/consents", _consent_body(world, given_by_id=MISSING))
    assert bad.status_code == 404
    assert [row[2:] for row in log_rows() if row[0] == "stranger"] == [
        ("refused", "no_relation"),
        ("refused", "not_found"),
        ("refused", "no_relation"),
    ]
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"given_by_id": MISSING}, 400, "given_by_id"),
        ({"organization_ids": [MISSING]}, 400, "organization_ids"),
        ({"organization_ids": []}, 400, "organizations"),
        ({"categories": ["gossip"]}, 400, "categories"),
        ({"purpose": "  "}, 400, "purpose"),
        ({"purpose": "x" * 4001}, 422, "purpose"),
        ({"valid_from": "tomorrow"}, 422, "valid_from"),
    ],
)
def test_bad_input_is_a_reasoned_4xx_and_records_nothing(
    world: World, changes: dict[str, Any], status: int, field: str
) -> None:
    identified_request(world)
    answer = post(
        api(world.family_worker), f"/people/{world.child.pk}/consents", _consent_body(world, **changes)
    )
    assert answer.status_code == status, answer.content
    assert field in answer.content.decode() and answer.json()["detail"]
    assert not Consent.objects.exists()
