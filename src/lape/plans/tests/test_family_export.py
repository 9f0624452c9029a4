"""The family's copy of their data (GDPR art. 15 and 20): Aino's father Pekka signs in for real and
downloads the family's data as JSON and as a PDF (the plans tests' team; a second child, Åsa, in
his custody; another family's child and a young person of 13 whose data must never be in it)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.models import AccessLogEntry
from lape.accounts.tests.family_provider import (
    Family,
    Provider,
    family,
    family_oidc,
    oidc_provider,
    person,
    register,
    sign_in,
)
from lape.people.registry import add_guardian, end_guardianship, register_person
from lape.referrals.tests.conftest import child_code, consent_to

from ..break_glass import entry_in_emergency
from ..concerns import register_signal
from ..entries import add_action, add_goal, add_note
from ..team import close_plan
from .conftest import Team, World

pytestmark = pytest.mark.django_db
__all__ = ["family", "family_oidc", "oidc_provider"]

JSON_URL = "/family/export.json"
PDF_URL = "/family/export.pdf"


def _signed_in(username: str, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert sign_in(client, username).status_code == 302
    return client


def _export(client: Client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def _aino_has_a_plan_and_more(world: World, team: Team) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    add_action(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        what="Evening routine coaching at home",
        responsible_id=team.nurse.pk,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        goal_id=goal.pk,
    )
    add_note(world.nurse, team.plan.pk, category="health", text="Nurse's working note")
    consent_to(world, world.ngo, "social_services")
    register_signal(world.nurse, identity_code=child_code(world), contact="017 555 0101")


def _person(document: dict, given_names: str) -> dict:
    return next(p for p in document["people"] if p["person"][0]["given_names"] == given_names)


def test_it_gives_a_guardian_the_familys_data_as_documented_json(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _aino_has_a_plan_and_more(world, team)
    document = _export(_signed_in("pekka"))
    assert (document["format"], document["version"]) == ("lape-family-export", 1)
    assert [p["is_me"] for p in document["people"]] == [True, False]
    aino = _person(document, "Aino")
    assert aino["person"][0]["birth_date"] == world.child.birth_date.isoformat()
    (plan,) = aino["plans"]
    assert plan["status"] == "open" and len(plan["team"]) == 4
    texts = [entry["text"] for entry in plan["entries"]]
    assert texts == ["Calm evenings", "Evening routine coaching at home"]  # notes stay with the team
    assert aino["consents"][0]["to_organisations"] == ["MLL Kuopio"]
    (signal,) = aino["concern_signals"]
    assert signal["organisation"] == "Pohjois-Savon hyvinvointialue" and signal["state"] == "in force"
    assert "017 555 0101" not in json.dumps(document)  # the signaller's contact is not the family's
    assert [r["status"] for r in aino["contact_requests"]] == ["assigned"]
    assert any(row["what"] == "goal of a shared plan" for row in aino["access_log"])


def test_it_never_puts_an_identity_code_or_another_familys_data_in_the_export(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _aino_has_a_plan_and_more(world, team)
    outi = register(person("outi"))
    other_child = register_person(given_names="Toinen", family_name="Lapsi", birth_date=dt.date(2018, 5, 1))
    add_guardian(outi, other_child, started=other_child.birth_date)
    content = _signed_in("pekka").get(JSON_URL).content.decode()
    assert "Toinen" not in content and str(other_child.pk) not in content
    assert "Veera" not in content and str(family.teen.pk) not in content
    assert child_code(world) not in content and world.child.identity_code_masked not in content
    assert "Aino" not in _signed_in("outi").get(JSON_URL).content.decode()


def test_it_logs_every_record_exported_as_an_export_in_one_go(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _aino_has_a_plan_and_more(world, team)
    client = _signed_in("pekka")
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    _export(client)
    rows = list(AccessLogEntry.objects.filter(id__gt=before, action="export").order_by("id"))
    assert {r.username for r in rows} == {f"person:{family.father.pk}"}
    assert {r.outcome for r in rows} == {"allowed"}
    aino = [(r.record_type, r.record_id) for r in rows if r.person_id == world.child.pk]
    for record_type in ("person", "consent", "disclosure_ban", "access_log", "concern_signal", "plan"):
        assert record_type in {t for t, _ in aino}
    assert sorted(t for t, _ in aino if t.startswith("plan_")) == ["plan_action", "plan_goal"]
    assert ("contact_request", str(world.child.contact_requests.get().pk)) in aino
    ids = [r.id for r in AccessLogEntry.objects.filter(id__gt=before).order_by("id")]
    assert ids == [r.id for r in rows]  # nothing else between: one transaction's rows


def test_it_gives_a_readable_pdf_with_the_childrens_names(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _aino_has_a_plan_and_more(world, team)
    asa = register_person(given_names="Åsa", family_name="Jääskeläinen", birth_date=dt.date(2019, 3, 1))
    add_guardian(family.father, asa, started=asa.birth_date)
    add_goal(
        world.family_worker,
        team.plan.pk,
        category="social_services",
        domain="safe",
        words="Ωmega – “fine” 🙂",
    )
    response = _signed_in("pekka").get(PDF_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = b"".join(
        zlib.decompress(stream)
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.DOTALL)
        if stream[:1] == b"x"  # zlib's header: the page contents (fpdf2 compresses them)
    )
    assert "Aino Testinen".encode("latin-1") in text
    assert "Åsa Jääskeläinen".encode("latin-1") in text  # ä, ö and å in the standard fonts
    assert b'?mega - "fine" ?' in text  # what Latin-1 has no letter for degrades, never fails
    assert b"Calm evenings" in text


def test_it_gives_nothing_new_of_a_child_whose_custody_ended(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    _aino_has_a_plan_and_more(world, team)
    client = _signed_in("pekka")
    end_guardianship(family.father, family.child, ended=timezone.localdate() - dt.timedelta(days=1))
    exported_before = AccessLogEntry.objects.filter(person_id=world.child.pk, action="export").count()
    document = _export(client)
    assert [p["person"][0]["given_names"] for p in document["people"]] == ["Pekka"]
    assert "Calm evenings" not in json.dumps(document)
    assert AccessLogEntry.objects.filter(person_id=world.child.pk, action="export").count() == exported_before


def test_it_gives_a_young_person_only_their_own_data(family_oidc: Provider, family: Family) -> None:
    document = _export(_signed_in("veera"))
    assert [p["person"][0]["given_names"] for p in document["people"]] == ["Veera"]


def test_it_exports_a_closed_plan_with_its_summary(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    close_plan(world.family_worker, team.plan.pk, summary="Evenings are calm now; the family manages.")
    (plan,) = _person(_export(_signed_in("pekka")), "Aino")["plans"]
    assert plan["status"] == "closed" and plan["closing_summary"].startswith("Evenings are calm")
    assert plan["closed_at"].endswith("Z")


def test_it_shows_the_family_a_break_the_glass_read_with_its_reason(
    family_oidc: Provider, family: Family, world: World, team: Team
) -> None:
    """The data controller's reviewer is not the only one told: the family sees it too."""
    note = add_note(world.ngo_worker, team.plan.pk, category="ngo_support", text="NGO's own note")
    entry_in_emergency(world.nurse, note.pk, "The child was brought to the clinic injured")
    client = _signed_in("pekka")
    page = client.get(reverse("access:family_access_log", kwargs={"person_id": world.child.pk}))
    text = page.content.decode()
    assert "Emergency access beyond consent." in text
    assert "The child was brought to the clinic injured" in text
    rows = _person(_export(client), "Aino")["access_log"]
    (emergency,) = [r for r in rows if r["emergency"]]
    assert emergency["reason"] == "The child was brought to the clinic injured"
    assert emergency["who"] and emergency["basis"] == "emergency"


def test_it_sends_a_visitor_who_is_not_signed_in_to_sign_in(db: object) -> None:
    for url in (JSON_URL, PDF_URL):
        response = Client().get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"]
