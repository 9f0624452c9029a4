"""The data controller's reviewer and break-the-glass (docs/plans.md, "Reviewing break-the-glass").

Aino's plan (conftest): the county's family worker writes a social-services goal that the county's
public health nurse may not read; she opens it in an emergency. The county names its data-protection
reviewer (a manager given the permission `plans.review_emergency_access`), who sees the read with
its reason and marks it reviewed. Nobody else sees the list: deny by default, every refusal logged.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from lape.access.models import AccessLogEntry
from lape.accounts.acting import Actor
from lape.accounts.models import Role
from lape.referrals.tests.conftest import World, make_actor
from lape.referrals.tests.page_clients import browser_of

from ..break_glass import entry_in_emergency
from ..entries import add_goal
from ..models import EmergencyReview, Entry
from .conftest import Team

pytestmark = pytest.mark.django_db

REASON = "The child told the nurse she is afraid to go home tonight."
LIST_URL = reverse("plans:emergency_reviews")


def _grant(actor: Actor, *, through_group: bool = False) -> Actor:
    permission = Permission.objects.get(codename="review_emergency_access", content_type__app_label="plans")
    user = User.objects.get(pk=actor.user_id)
    if through_group:
        group, _ = Group.objects.get_or_create(name="Data protection")
        group.permissions.add(permission)
        user.groups.add(group)
    else:
        user.user_permissions.add(permission)
    return actor


@pytest.fixture
def read_in_emergency(world: World, team: Team) -> Entry:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    entry_in_emergency(world.nurse, goal.pk, REASON)
    return goal


@pytest.fixture
def reviewer(world: World) -> Actor:
    return _grant(make_actor("tietosuoja", world.county, Role.MANAGER), through_group=True)


def _review_url(review: EmergencyReview) -> str:
    return reverse("plans:emergency_review", kwargs={"review_id": review.pk})


def test_it_queues_every_emergency_read_for_the_registers_organisation(
    world: World, read_in_emergency: Entry
) -> None:
    review = EmergencyReview.objects.get()
    row = AccessLogEntry.objects.get(basis="emergency")
    assert review.log_entry_id == row.pk and review.reviewed_at is None
    assert (review.register_organization_id, review.person_id) == (world.county.pk, world.child.pk)


def test_it_shows_the_reviewer_who_read_what_when_and_why_and_logs_it(
    world: World, read_in_emergency: Entry, reviewer: Actor
) -> None:
    page = browser_of(reviewer).get(LIST_URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert REASON in text and "nurse" in text and "Aino Testinen" in text
    assert "goal of a shared plan" in text and 'data-testid="waiting"' in text
    review = EmergencyReview.objects.get()
    read = AccessLogEntry.objects.get(username="tietosuoja", record_type="emergency_review", action="read")
    assert (read.record_id, read.person_id, read.law) == (str(review.pk), world.child.pk, "2016/679 24 art.")


def test_it_marks_a_read_reviewed_with_a_note_once(
    world: World, read_in_emergency: Entry, reviewer: Actor
) -> None:
    review = EmergencyReview.objects.get()
    browser = browser_of(reviewer)
    answer = browser.post(_review_url(review), {"note": "Checked with the nurse: the emergency was real."})
    assert answer.status_code == 302
    review.refresh_from_db()
    assert (
        review.note.startswith("Checked") and review.reviewed_at and review.reviewed_by_id == reviewer.user_id
    )
    write = AccessLogEntry.objects.get(username="tietosuoja", action="write")
    assert (write.record_type, write.record_id, write.outcome) == (
        "emergency_review",
        str(review.pk),
        "allowed",
    )
    text = browser.get(LIST_URL).content.decode()
    assert 'data-testid="reviewed-read"' in text and 'data-testid="none-waiting"' in text
    again = browser.post(_review_url(review), {"note": "Again"})
    assert again.status_code == 409 and "reviewed already" in again.content.decode()
    assert AccessLogEntry.objects.filter(username="tietosuoja", action="write").count() == 1


def test_it_asks_for_a_note_and_changes_nothing_without_one(
    world: World, read_in_emergency: Entry, reviewer: Actor
) -> None:
    review = EmergencyReview.objects.get()
    answer = browser_of(reviewer).post(_review_url(review), {"note": "   "})
    assert answer.status_code == 400 and 'href="#id_note"' in answer.content.decode()
    review.refresh_from_db()
    assert review.reviewed_at is None
    assert not AccessLogEntry.objects.filter(username="tietosuoja", action="write").exists()


@pytest.mark.parametrize("who", ["manager", "nurse", "superuser"])
def test_it_refuses_anyone_without_the_permission_and_logs_it(
    world: World, read_in_emergency: Entry, who: str
) -> None:
    actor = {"manager": world.manager, "nurse": world.nurse}.get(who)
    if actor is None:
        actor = make_actor("root", world.county, Role.ADMINISTRATOR)
        User.objects.filter(pk=actor.user_id).update(is_superuser=True, is_staff=True)
    review = EmergencyReview.objects.get()
    browser = browser_of(actor)
    assert browser.get(LIST_URL).status_code == 404
    assert browser.post(_review_url(review), {"note": "Looks fine"}).status_code == 404
    refused = AccessLogEntry.objects.filter(user_id=actor.user_id, record_type="emergency_review")
    assert {(r.outcome, r.refusal) for r in refused} == {("refused", "role")}
    assert EmergencyReview.objects.get().reviewed_at is None


def test_it_shows_another_organisations_reviewer_nothing_of_the_county(
    world: World, read_in_emergency: Entry
) -> None:
    ngo_reviewer = _grant(make_actor("ngo-dpo", world.ngo, Role.MANAGER))
    browser = browser_of(ngo_reviewer)
    assert REASON not in browser.get(LIST_URL).content.decode()
    review = EmergencyReview.objects.get()
    assert browser.get(_review_url(review)).status_code == 404
    refused = AccessLogEntry.objects.get(username="ngo-dpo", record_id=str(review.pk))
    assert (refused.outcome, refused.refusal) == ("refused", "not_found")


def test_it_asks_an_unverified_reviewer_for_the_second_factor_first(
    world: World, read_in_emergency: Entry, reviewer: Actor
) -> None:
    answer = browser_of(reviewer, verified=False).get(LIST_URL)
    assert answer.status_code == 302 and reverse("accounts:verify") in answer["Location"]


def test_it_shows_the_page_in_finnish_and_swedish(
    world: World, read_in_emergency: Entry, reviewer: Actor
) -> None:
    finnish = browser_of(reviewer, language="fi").get(LIST_URL).content.decode()
    assert '<html lang="fi">' in finnish and "Tarkastettavat hätäkäytöt" in finnish
    swedish = browser_of(reviewer, language="sv").get(LIST_URL).content.decode()
    assert '<html lang="sv">' in swedish and "Nödåtkomster att granska" in swedish
