"""The plans API: the same reads and actions as the pages, over JSON, with the same access decisions and log.

The plans tests' team (conftest): Aino's plan, coordinated by the county's family worker, with the
county's public health nurse, the city's school social worker and the NGO's worker. Professionals
use their session with the second factor (browser_of: a real TOTP device) and, where said, Django's
CSRF check.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lape.access.models import AccessLogEntry
from lape.accounts.acting import Actor
from lape.referrals.tests.page_clients import browser_of

from ..entries import add_goal, add_note
from ..models import Entry, Plan, TeamMember
from .conftest import Team, World, consent_to, identified_request, rows

API = "/api/plans"
MISSING = "7b0e3a52-3f9e-4a0c-9d43-1f5a2c1e0b99"


def api(actor: Actor, *, language: str = "en", csrf: bool = False) -> Client:
    """The professional's client of the API: logged in, acting in their membership, second factor given."""
    return browser_of(actor, language=language, enforce_csrf_checks=csrf)


def post(client: Client, path: str, body: Any, **extra: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **extra)


def _entries(team: Team, world: World) -> tuple[Entry, Entry]:
    """The county nurse's health note and the city's pupil-welfare goal."""
    health = add_note(world.nurse, team.plan.pk, category="health", text="Sleeps better since March.")
    school = add_goal(
        world.school_social_worker,
        team.plan.pk,
        category="pupil_welfare",
        domain="included",
        words="Group work.",
    )
    return health, school


# --- who may ask


def test_it_answers_401_without_a_login(world: World) -> None:
    assert Client().get(f"{API}/").status_code == 401


def test_it_answers_403_without_the_second_factor_and_says_why(world: World) -> None:
    answer = browser_of(world.nurse, verified=False).get(f"{API}/")
    assert answer.status_code == 403 and "second factor" in answer.json()["detail"]


# --- my plans, starting one


def test_it_starts_a_plan_and_lists_it_as_mine(world: World) -> None:
    identified_request(world)
    worker = api(world.family_worker)
    started = post(worker, "/", {"child_id": str(world.child.pk)})
    assert started.status_code == 201, started.content
    plan = started.json()
    assert (plan["child_name"], plan["status"]) == ("Aino Testinen", "open")
    assert plan["coordinator"]["membership_id"] == str(world.family_worker.membership_id)
    assert [m["membership_id"] for m in plan["team"]] == [str(world.family_worker.membership_id)]
    assert [p["id"] for p in worker.get(f"{API}/").json()] == [plan["id"]]
    again = post(worker, "/", {"child_id": str(world.child.pk)})
    assert again.status_code == 400 and "child" in again.json()["errors"]
    assert Plan.objects.count() == 1


def test_a_stranger_cannot_start_a_plan_for_a_child_they_have_no_relation_to(world: World) -> None:
    identified_request(world)
    answer = post(api(world.stranger), "/", {"child_id": str(world.child.pk)})
    assert answer.status_code == 404
    assert not Plan.objects.exists()
    assert rows("stranger")[-1][2:] == ("refused", "no_relation")


# --- reading: headings for what access withholds, a refused read by id logged


def test_the_plan_shows_anothers_entry_as_its_heading_only(team: Team, world: World) -> None:
    health, school = _entries(team, world)
    before = AccessLogEntry.objects.count()
    plan = api(world.nurse).get(f"{API}/{team.plan.pk}").json()
    by_id = {e["id"]: e for e in plan["entries"]}
    assert by_id[str(health.pk)]["shown"] and by_id[str(health.pk)]["content"]["text"] == health.text
    assert by_id[str(health.pk)]["basis"] == "own_register"
    withheld = by_id[str(school.pk)]
    assert (withheld["shown"], withheld["content"], withheld["basis"]) == (False, None, "none")
    assert (withheld["kind"], withheld["category"], withheld["organization"]) == (
        "goal",
        "pupil_welfare",
        "Kuopion kaupunki",
    )
    assert "Group work" not in json.dumps(plan)
    # The frame and the one entry shown whole: two reads, as on the page.
    new = AccessLogEntry.objects.order_by("id")[before:]
    assert [(r.username, r.record_type, r.outcome) for r in new] == [
        ("nurse", "plan", "allowed"),
        ("nurse", "plan_note", "allowed"),
    ]


def test_another_organisations_entry_outside_consent_asked_by_id_is_refused_logged_and_404(
    team: Team, world: World
) -> None:
    health, _school = _entries(team, world)
    school = api(world.school_social_worker)
    refused = school.get(f"{API}/{team.plan.pk}/entries/{health.pk}")
    missing = school.get(f"{API}/{team.plan.pk}/entries/{MISSING}")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert "Sleeps" not in refused.content.decode()
    assert rows("school-social-worker")[-2:] == [
        ("plan_note", "read", "refused", "no_basis"),
        ("plan_entry", "read", "refused", "not_found"),
    ]
    consent_to(world, world.city, "health")
    allowed = school.get(f"{API}/{team.plan.pk}/entries/{health.pk}")
    assert allowed.status_code == 200 and allowed.json()["content"]["text"] == "Sleeps better since March."
    assert rows("school-social-worker")[-1] == ("plan_note", "read", "allowed", "")


def test_an_entry_asked_for_under_another_plans_address_is_not_found(team: Team, world: World) -> None:
    health, _school = _entries(team, world)
    answer = api(world.nurse).get(f"{API}/{MISSING}/entries/{health.pk}")
    assert answer.status_code == 404
    assert rows("nurse")[-1] == ("plan_entry", "read", "refused", "not_found")


def test_a_stranger_and_a_missing_plan_are_the_same_404(team: Team, world: World) -> None:
    stranger = api(world.stranger)
    answers = [stranger.get(f"{API}/{plan_id}") for plan_id in (team.plan.pk, MISSING, "' OR 1=1 --")]
    assert {a.status_code for a in answers} == {404}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert [r[2:] for r in rows("stranger")] == [
        ("refused", "no_relation"),
        ("refused", "not_found"),
        ("refused", "not_found"),
    ]


def test_a_removed_team_member_is_refused_at_the_next_read(team: Team, world: World) -> None:
    ngo = api(world.ngo_worker)
    assert ngo.get(f"{API}/{team.plan.pk}").status_code == 200
    removed = api(world.family_worker).delete(f"{API}/{team.plan.pk}/team/{team.ngo_worker.pk}")
    assert removed.status_code == 200 and removed.json()["removed_at"]
    assert ngo.get(f"{API}/{team.plan.pk}").status_code == 404
    assert rows("ngo-worker")[-1] == ("plan", "read", "refused", "no_relation")
    assert team.plan.pk not in [p["id"] for p in ngo.get(f"{API}/").json()]


# --- writing


def test_the_team_writes_goals_actions_notes_and_meetings(team: Team, world: World) -> None:
    worker = api(world.family_worker)
    base = f"/{team.plan.pk}"
    goal = post(
        worker,
        f"{base}/goals",
        {"category": "social_services", "domain": "safe", "child_words": "Calm evenings"},
    )
    assert goal.status_code == 201, goal.content
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    action = post(
        worker,
        f"{base}/actions",
        {
            "category": "social_services",
            "what": "Evening routine coaching",
            "responsible_member_id": str(team.nurse.pk),
            "due_on": due,
            "goal_id": goal.json()["id"],
            "service_id": str(world.family_work.pk),
        },
    )
    assert action.status_code == 201, action.content
    assert action.json()["content"]["service_name"] == "Perhetyö"
    note = post(api(world.nurse), f"{base}/notes", {"category": "health", "text": "Weight fine."})
    assert note.status_code == 201
    review = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    meeting = post(
        worker,
        f"{base}/meetings",
        {
            "category": "social_services",
            "held_on": timezone.localdate().isoformat(),
            "participants": "Family, nurse",
            "decisions": "Go on.",
            "next_review_on": review,
        },
    )
    assert meeting.status_code == 201
    plan = worker.get(f"{API}/{team.plan.pk}").json()
    assert [e["kind"] for e in plan["entries"]] == ["goal", "action", "note", "meeting"]
    assert plan["next_review_on"] == review


def test_a_step_that_is_not_yours_is_409_with_the_reason_and_logged(team: Team, world: World) -> None:
    meeting = post(
        api(world.nurse),
        f"/{team.plan.pk}/meetings",
        {
            "category": "health",
            "held_on": timezone.localdate().isoformat(),
            "participants": "x",
            "decisions": "y",
        },
    )
    assert meeting.status_code == 409 and "coordinator" in meeting.json()["detail"]
    added = post(
        api(world.nurse), f"/{team.plan.pk}/team", {"membership_id": str(world.social_worker.membership_id)}
    )
    assert added.status_code == 409
    assert rows("nurse")[-1][2:] == ("refused", "workflow")
    assert not Entry.objects.filter(kind="meeting").exists()


def test_the_coordinator_adds_a_member_who_then_reads_the_plan(team: Team, world: World) -> None:
    social_worker = api(world.social_worker)
    assert social_worker.get(f"{API}/{team.plan.pk}").status_code == 404
    added = post(
        api(world.family_worker),
        f"/{team.plan.pk}/team",
        {"membership_id": str(world.social_worker.membership_id), "task": "Family support"},
    )
    assert added.status_code == 201 and added.json()["task"] == "Family support"
    assert social_worker.get(f"{API}/{team.plan.pk}").status_code == 200


# --- bad input: 4xx with a reason, never 500, nothing written


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"category": "health", "text": "   "}, 400, "text"),
        ({"category": "health", "text": "x" * 4001}, 400, "text"),
        ({"category": "pupil_welfare", "text": "Not my register."}, 400, "category"),
        ({"category": "nonsense", "text": "Hello"}, 400, "category"),
        ({"category": "health", "text": "Hello", "goal_id": MISSING}, 400, "goal"),
        ({"category": "health", "text": "Hello", "goal_id": "not-a-uuid"}, 422, "goal_id"),
        ({"category": "health"}, 422, "text"),
        ({"category": "health", "text": ["a", "list"]}, 422, "text"),
    ],
)
def test_bad_input_is_answered_with_the_reason_and_writes_nothing(
    team: Team, world: World, body: dict[str, Any], status: int, field: str
) -> None:
    answer = post(api(world.nurse), f"/{team.plan.pk}/notes", body)
    assert answer.status_code == status, answer.content
    assert answer.json()["detail"] and field in answer.content.decode()
    assert not Entry.objects.exists()


def test_the_reason_is_in_the_askers_language(team: Team, world: World) -> None:
    finnish = post(
        api(world.nurse, language="fi"), f"/{team.plan.pk}/notes", {"category": "health", "text": ""}
    )
    assert finnish.json()["errors"]["text"] == ["Kirjoita tämä: se ei voi olla tyhjä."]
    swedish = post(
        api(world.nurse, language="sv"), f"/{team.plan.pk}/notes", {"category": "health", "text": ""}
    )
    assert swedish.json()["errors"]["text"] != finnish.json()["errors"]["text"]
    assert swedish.json()["detail"].startswith("Uppgifter saknas")


def test_garbage_and_bad_dates_are_not_a_500(team: Team, world: World) -> None:
    nurse = api(world.nurse)
    garbage = nurse.post(f"{API}/{team.plan.pk}/notes", b"\xff{{not json", content_type="application/json")
    assert 400 <= garbage.status_code < 500
    bad_date = post(
        api(world.family_worker),
        f"/{team.plan.pk}/meetings",
        {"category": "social_services", "held_on": "yesterday", "participants": "x", "decisions": "y"},
    )
    assert bad_date.status_code == 422 and "held_on" in bad_date.json()["detail"]
    assert not Entry.objects.exists()


def test_scripted_text_is_stored_and_answered_as_text(team: Team, world: World) -> None:
    script = '<script>alert("x")</script> & <b>bold</b>'
    answer = post(api(world.nurse), f"/{team.plan.pk}/notes", {"category": "health", "text": script})
    assert answer.status_code == 201 and answer["Content-Type"].startswith("application/json")
    assert answer.json()["content"]["text"] == script
    assert Entry.objects.get().text == script  # as written: the pages escape it when they show it
    page = browser_of(world.nurse).get(f"/work/plans/{team.plan.pk}/")
    assert script not in page.content.decode() and "&lt;script&gt;" in page.content.decode()


def test_a_forged_write_without_the_csrf_token_is_refused_and_writes_nothing(
    team: Team, world: World
) -> None:
    answer = post(api(world.nurse, csrf=True), f"/{team.plan.pk}/notes", {"category": "health", "text": "x"})
    assert answer.status_code == 403 and "CSRF" in answer.json()["detail"]
    assert not Entry.objects.exists()


def test_removing_a_member_twice_is_a_reasoned_400(team: Team, world: World) -> None:
    worker = api(world.family_worker)
    path = f"{API}/{team.plan.pk}/team/{team.ngo_worker.pk}"
    assert worker.delete(path).status_code == 200
    again = worker.delete(path)
    assert again.status_code == 400 and "member" in again.json()["errors"]
    assert TeamMember.objects.filter(pk=team.ngo_worker.pk, removed_at__isnull=False).exists()


def test_closing_the_plan_then_writing_is_409(team: Team, world: World) -> None:
    worker = api(world.family_worker)
    closed = post(worker, f"/{team.plan.pk}/close", {"summary": "Things are well."})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = post(api(world.nurse), f"/{team.plan.pk}/notes", {"category": "health", "text": "Late."})
    assert late.status_code == 409 and "closed" in late.json()["detail"]


def test_the_openapi_document_describes_the_plans_api(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/plans/",
        "/api/plans/{plan_id}",
        "/api/plans/{plan_id}/entries/{entry_id}",
        "/api/plans/{plan_id}/team/{member_id}",
        "/api/plans/family/{plan_id}",
        "/api/concerns/",
    ):
        assert path in paths
    assert "delete" in paths["/api/plans/{plan_id}/team/{member_id}"]


def test_a_plan_id_that_is_not_a_uuid_is_logged_as_not_found(team: Team, world: World) -> None:
    answer = api(world.nurse).get(f"{API}/{uuid.uuid4()}")
    assert answer.status_code == 404
    assert rows("nurse")[-1][2:] == ("refused", "not_found")


def test_an_oversized_body_is_refused_not_a_500(team: Team, world: World) -> None:
    huge = json.dumps({"category": "health", "text": "x" * 3_000_000})
    answer = api(world.nurse).post(f"{API}/{team.plan.pk}/notes", huge, content_type="application/json")
    assert 400 <= answer.status_code < 500
    assert not Entry.objects.exists()
