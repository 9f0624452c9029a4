"""The demo plan: loaded by `lape demo` through the app's actions, once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from lape.access.verify import verify_chain
from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.directory.demo import demo_id
from lape.people.demo import demo_person
from lape.plans.demo import load_demo_plans
from lape.plans.models import Plan
from lape.plans.reading import plan_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())


def _actor(key: str) -> Actor:
    return Actor.for_membership(Membership.objects.get(pk=demo_id("membership", key)), verified=True)


def test_the_demo_has_lumis_plan_over_three_organisations_once(demo: None) -> None:
    plan = Plan.objects.get(child=demo_person("testinen-lumi"))
    assert plan.coordinator.user.username == "kuraattori"  # handed over and accepted
    assert plan.team.values("membership__organization").distinct().count() == 3
    assert plan.entries.count() == 5 + 4  # and the family's own words
    assert plan.self_assessments.count() == 2
    assert load_demo_plans() == 0 and Plan.objects.count() == 1
    assert verify_chain().ok


def test_the_demo_plan_shows_each_professional_what_their_basis_allows(demo: None) -> None:
    plan = Plan.objects.get(child=demo_person("testinen-lumi"))
    ngo = plan_for(_actor("jarjestotyontekija:ngo_worker:mll_kuopio"), plan.pk)
    teacher = plan_for(_actor("opettaja:teacher:kuopio"), plan.pk)
    # MLL reads the family work's entries under the guardian's consent (social services), and its own.
    assert {(v.kind, v.category) for v in ngo.entries if v.shown} == {
        ("goal", "social_services"),
        ("action", "social_services"),
        ("meeting", "social_services"),
        ("note", "ngo_support"),
        ("voice", "social_services"),  # the family's own words, in the coordinator's register then
    }
    # Lumi's own answers are in the same register; the one done with the school social worker is
    # in hers (the county, social services, too).
    assert len(ngo.assessments_shown) == 2
    # The teacher (the city) has no consent: every entry is a heading only.
    assert not [v for v in teacher.entries if v.shown] and len(teacher.entries) == 5 + 4
    assert teacher.assessments_shown == [] and len(teacher.assessments) == 2
