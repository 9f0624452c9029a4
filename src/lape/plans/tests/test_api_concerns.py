"""The concern-signal API: register, list mine with the matches, withdraw; the same rules and log as the page."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from lape.access.models import AccessLogEntry
from lape.accounts.acting import Actor
from lape.referrals.tests.conftest import child_code
from lape.referrals.tests.page_clients import browser_of

from ..concerns import MATCH_RECORD
from ..models import ConcernSignal
from .conftest import World, rows
from .test_api import MISSING

API = "/api/concerns"


def api(actor: Actor, language: str = "en") -> Client:
    return browser_of(actor, language=language)


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _signal(actor: Actor, world: World, contact: str) -> Any:
    return post(api(actor), "/", {"identity_code": child_code(world), "contact": contact})


def test_two_organisations_find_each_other_and_learn_nothing_more(world: World) -> None:
    first = _signal(world.nurse, world, "+358 40 111 2222")
    assert first.status_code == 201, first.content
    assert first.json()["matches"] == []
    second = _signal(world.school_social_worker, world, "kuraattori@example.org")
    assert second.status_code == 201
    (match,) = second.json()["matches"]
    assert (match["organization"], match["contact"]) == ("Pohjois-Savon hyvinvointialue", "+358 40 111 2222")
    assert world.child.identity_code_masked == second.json()["child_masked_identity_code"]
    assert child_code(world) not in second.content.decode()  # the identity code never comes back
    listed = api(world.nurse).get(f"{API}/").json()
    assert [m["contact"] for m in listed[0]["matches"]] == ["kuraattori@example.org"]
    assert rows("nurse")[-1] == (MATCH_RECORD, "read", "allowed", "")


def test_a_signal_is_withdrawn_once_and_then_409(world: World) -> None:
    signal_id = _signal(world.nurse, world, "+358 40 111 2222").json()["id"]
    nurse = api(world.nurse)
    withdrawn = post(nurse, f"/{signal_id}/withdraw", {})
    assert withdrawn.status_code == 200 and not withdrawn.json()["in_force"]
    again = post(nurse, f"/{signal_id}/withdraw", {})
    assert again.status_code == 409 and "withdrawn already" in again.json()["detail"]


def test_anothers_signal_and_a_missing_one_are_the_same_404(world: World) -> None:
    signal_id = _signal(world.nurse, world, "+358 40 111 2222").json()["id"]
    other = api(world.family_worker)
    assert post(other, f"/{signal_id}/withdraw", {}).json() == post(other, f"/{MISSING}/withdraw", {}).json()
    assert post(other, f"/{signal_id}/withdraw", {}).status_code == 404
    assert ConcernSignal.objects.get().withdrawn_at is None


def test_a_manager_may_not_signal_or_list_and_is_logged(world: World) -> None:
    manager = api(world.manager)
    assert manager.get(f"{API}/").status_code == 404
    assert rows("manager")[-1][2:] == ("refused", "role")


def test_bad_input_is_a_reasoned_4xx_and_writes_nothing(world: World) -> None:
    nurse = api(world.nurse, language="fi")
    bad_code = post(nurse, "/", {"identity_code": "131052-308X", "contact": "x"})
    assert bad_code.status_code == 400 and "identity_code" in bad_code.json()["errors"]
    assert "131052-308X" not in bad_code.content.decode()
    no_contact = post(nurse, "/", {"identity_code": child_code(world), "contact": "  "})
    assert no_contact.status_code == 400 and "contact" in no_contact.json()["errors"]
    too_long = post(nurse, "/", {"identity_code": "x" * 21, "contact": "x"})
    assert too_long.status_code == 422
    assert not ConcernSignal.objects.exists()
    assert not AccessLogEntry.objects.filter(record_id__contains="131052-308").exists()
