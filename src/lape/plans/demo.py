"""Demo plan, loaded on `lape demo` after the demo referrals: Lumi Demo Testinen's shared plan.

The county's family worker (`perhetyontekija`), who met the family through its contact request,
starts the plan and coordinates it; the team spans three organisations: the county's school social
worker (`kuraattori`), the City of Kuopio's teacher (`opettaja`) and MLL's NGO worker
(`jarjestotyontekija`). Goals, an action with MLL's family-friend service, a note and a review, each
in its writer's register: the NGO worker reads the family work's entries under the consent her
guardian gave for the referral (social services); the teacher sees them only as "an entry exists".
The family's voice: Lumi's mother Aino agrees with the family work's goal and writes what worries
her, Lumi (12, signed in) writes what is going well and what she wishes for and answers her
wellbeing self-assessment, and the school social worker records one done together with Lumi; the
family's own words and Lumi's answers are in the coordinator's register (the county, social
services, before the handover), which MLL reads under the same consent. Everything goes through the
app's actions, so the access log shows the writes. A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lape.accounts.acting import Actor
from lape.accounts.family import FamilyMember
from lape.accounts.models import Membership
from lape.directory.demo import demo_id
from lape.people.demo import demo_person

from .coordination import accept_coordination, offer_coordination
from .entries import add_action, add_goal, add_note, record_meeting
from .models import Plan
from .self_assessment import record_self_assessment
from .team import add_member, start_plan
from .voice import write_own_words


def _actor(username: str, role: str, organization: str) -> Actor:
    """A demo professional acting in their demo membership (lape.accounts.demo)."""
    membership = Membership.objects.get(pk=demo_id("membership", f"{username}:{role}:{organization}"))
    return Actor.for_membership(membership, verified=True)


@transaction.atomic
def load_demo_plans() -> int:
    """Add Lumi's plan (idempotent) once the demo referrals are there; the number of plans added."""
    if not Membership.objects.filter(
        pk=demo_id("membership", "perhetyontekija:family_worker:county")
    ).exists():
        return 0  # the accounts' and referrals' demo come first (the same signal, earlier apps)
    lumi = demo_person("testinen-lumi")
    if Plan.objects.filter(child=lumi).exists():
        return 0
    family_worker = _actor("perhetyontekija", "family_worker", "county")
    school_social_worker = _actor("kuraattori", "school_social_worker", "county")
    teacher = _actor("opettaja", "teacher", "kuopio")
    ngo_worker = _actor("jarjestotyontekija", "ngo_worker", "mll_kuopio")
    today = timezone.localdate()
    plan = start_plan(family_worker, lumi.pk, next_review_on=today + dt.timedelta(days=60))
    members = {
        actor.username: add_member(family_worker, plan.pk, actor.membership_id, task=task)
        for actor, task in (
            (school_social_worker, "Oppilashuolto"),
            (teacher, "Luokanopettaja"),
            (ngo_worker, "Perhekummitoiminta"),
        )
    }
    friend = add_goal(
        family_worker,
        plan.pk,
        category="social_services",
        domain="included",
        words="Lumilla on turvallinen aikuinen ja tekemistä koulun jälkeen.",
        child_words="Haluan kaverin, jonka kanssa voi tehdä juttuja.",
    )
    add_action(
        family_worker,
        plan.pk,
        category="social_services",
        what="Perhekummi tapaa Lumia kerran viikossa.",
        responsible_id=members["jarjestotyontekija"].pk,
        due_on=today + dt.timedelta(days=90),
        goal_id=friend.pk,
        service_id=demo_id("service", "mll_family_friend"),
        method="Perhekummitoiminta",
    )
    add_goal(
        school_social_worker,
        plan.pk,
        category="pupil_welfare",
        domain="achieving",
        words="Lumi osallistuu ryhmätöihin ja pyytää apua, kun ei ymmärrä.",
    )
    add_note(ngo_worker, plan.pk, category="ngo_support", text="Ensimmäinen tapaaminen sujui hyvin.")
    record_meeting(
        family_worker,
        plan.pk,
        category="social_services",
        held_on=today,
        participants="Lumi, äiti Aino, perhetyöntekijä, kuraattori",
        decisions="Jatketaan perhekummia; kuraattori tapaa Lumia kahden viikon välein.",
        next_review_on=today + dt.timedelta(days=60),
    )
    # The family's own words, and Lumi's self-assessments (one done with the school social worker).
    mother, child = FamilyMember(demo_person("testinen-aino").pk), FamilyMember(lumi.pk)
    write_own_words(mother, plan.pk, topic="about_goal", goal_id=friend.pk, agrees=True)
    write_own_words(
        mother, plan.pk, topic="worries", text="Lumi on usein yksin iltapäivisin, kun teen vuorotyötä."
    )
    write_own_words(child, plan.pk, topic="going_well", text="Piirtäminen ja meidän koira.")
    write_own_words(child, plan.pk, topic="wishes", text="Että joku tulisi mukaan uimahalliin.")
    record_self_assessment(
        school_social_worker,
        plan.pk,
        {"safe": 4, "healthy": 3, "achieving": 2, "nurtured": 4, "active": 2, "respected": 3, "included": 2},
    )
    record_self_assessment(
        child,
        plan.pk,
        {
            "safe": 4,
            "healthy": 4,
            "achieving": 3,
            "nurtured": 5,
            "active": 3,
            "respected": 4,
            "responsible": 4,
            "included": 3,
        },
    )
    # The family worker offers the coordination to the school social worker, who accepts.
    offer = offer_coordination(family_worker, plan.pk, members["kuraattori"].pk)
    accept_coordination(school_social_worker, offer.pk)
    return 1


def demo_was_loaded(sender: object, **kwargs: Any) -> None:
    """`lape demo` (lape.directory.signals.demo_loaded): add the demo plan."""
    load_demo_plans()
