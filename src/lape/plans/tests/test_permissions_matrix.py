"""The permission matrix of plans: every role × read / write a plan entry × every information category ×
own organisation / other organisation with consent / consent withdrawn / not on the team / removed
from the team / the child's own confidentiality (own organisation, and another with consent, the
entries marked confidential from the guardians), generated, each cell allow or deny. The family's
side of the child's own confidentiality (the young person, a guardian, another family's guardian ×
every category × marked or not) is the last matrix here.

The county's family worker coordinates Aino's plan; the county has written an entry in every
category. The professional under test is placed on the team (any role: the matrix asks access, not
the team's own rule that only client-data roles are added). Reading is asking for the entry by id
(and the plan's list must agree); writing is adding a note in that category, which always goes to
the writer's own organisation's register. The expected answers are written here from the rules in
DESIGN.md and docs/access.md (the table "Registers: categories and roles"), not read from the code.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lape.access.consent_actions import grant_consent, withdraw_consent
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import Consent
from lape.access.record_types import label_of
from lape.accounts.models import Role
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
from lape.people.models import GuardianRelation, Person
from lape.people.registry import add_guardian
from lape.plans.entries import add_note
from lape.plans.family_part import family_part_for
from lape.plans.models import Entry, FamilyEntry, FamilyPart, LinkedPlan, Plan, TeamMember
from lape.plans.reading import entry_for, plan_for
from lape.plans.targets import entry_record_type
from lape.plans.team import remove_member

from .conftest import World, consent_to, make_actor, membership_of

__all__ = ["family", "family_oidc", "oidc_provider"]

CATEGORIES = (
    "pupil_welfare",
    "early_education",
    "health",
    "social_services",
    "child_protection",
    "ngo_support",
)
# docs/access.md, "Registers: categories and roles" (the entry categories; contact is no entry's).
OWN_REGISTER: dict[str, set[str]] = {
    "coordinator": set(),
    "social_worker": {"social_services"},
    "family_worker": {"social_services"},
    "child_protection_worker": {"child_protection", "social_services"},
    "public_health_nurse": {"health"},
    "doctor_psychologist": {"health"},
    "school_social_worker": {"pupil_welfare", "social_services"},
    "school_psychologist": {"pupil_welfare", "health"},
    "teacher": {"pupil_welfare"},
    "early_education_teacher": {"early_education"},
    "youth_worker": set(),
    "ngo_worker": {"ngo_support"},
    "parish_worker": {"ngo_support"},
}
NO_CLIENT_DATA = {"manager", "publisher", "administrator"}
SITUATIONS = (
    "own_organisation",
    "other_with_consent",
    "consent_withdrawn",
    "not_on_team",
    "removed",
    "own_organisation_confidential",
    "other_with_consent_confidential",
)
ACTIONS = ("read", "write")


def expected(role: str, situation: str, action: str, category: str) -> bool:
    """The rule, cell by cell. The child's own confidentiality keeps an entry from the guardians only:
    to the professionals it is as any other entry (docs/plans.md)."""
    situation = situation.removesuffix("_confidential")
    if role in NO_CLIENT_DATA or situation in ("not_on_team", "removed"):
        return False
    handles = category in OWN_REGISTER[role]
    if action == "write":  # always in one's own register; a consent never lets anyone write
        return handles
    if situation == "own_organisation":
        return handles
    return situation == "other_with_consent"  # another's register: read under a consent in force only


def _allowed(attempt: Any) -> bool:
    try:
        attempt()
    except (NotFoundOrForbidden, ValidationError):
        return False
    return True


def _plan(world: World) -> tuple[Plan, dict[str, Entry]]:
    coordinator = membership_of(world.family_worker)
    plan = Plan.objects.create(child=world.child, coordinator=coordinator)
    TeamMember.objects.create(plan=plan, membership=coordinator)
    entries = {
        category: Entry.objects.create(
            plan=plan,
            kind="note",
            category=category,
            owner_organization=world.county,
            author_membership=coordinator,
            text=f"The county's {category} note.",
        )
        for category in CATEGORIES
    }
    return plan, entries


def _cells(
    world: World, plan: Plan, entries: dict[str, Entry], role: str, situation: str
) -> dict[tuple[str, str], bool]:
    Entry.objects.filter(pk__in=[e.pk for e in entries.values()]).update(
        confidential=situation.endswith("_confidential")
    )
    organization = (
        world.ngo if situation.startswith(("other_with_consent", "consent_withdrawn")) else world.county
    )
    actor = make_actor(f"{role}-{situation}", organization, role)
    if situation != "not_on_team":
        place = TeamMember.objects.create(plan=plan, membership=membership_of(actor))
        if situation == "removed":
            remove_member(world.family_worker, plan.pk, place.pk)
    if situation.startswith("other_with_consent"):
        consent_to(world, world.ngo, *CATEGORIES)
    if situation == "consent_withdrawn":  # every consent of the family, given just before
        for consent in Consent.objects.filter(person=world.child, withdrawn_at__isnull=True):
            withdraw_consent(world.family_worker, consent.pk)
    cells: dict[tuple[str, str], bool] = {}
    try:
        ids = {entry.pk for entry in entries.values()}  # the county's (earlier situations wrote notes too)
        listed = {view.category: view.shown for view in plan_for(actor, plan.pk).entries if view.id in ids}
    except NotFoundOrForbidden:
        listed = dict.fromkeys(CATEGORIES, False)
    for category, entry in entries.items():
        cells["read", category] = _allowed(lambda e=entry: entry_for(actor, e.pk))
        assert listed[category] == cells["read", category], (situation, category)  # the list agrees
    for category in CATEGORIES:  # after the reads: the notes written here are not in the list above
        cells["write", category] = _allowed(
            lambda c=category: add_note(actor, plan.pk, category=c, text="A note of my own.")
        )
    return cells


@pytest.mark.parametrize("role", sorted(role.value for role in Role))
def test_the_matrix_for(world: World, role: str) -> None:
    plan, entries = _plan(world)
    actual, wanted = {}, {}
    for situation in SITUATIONS:
        cells = _cells(world, plan, entries, role, situation)
        for action in ACTIONS:
            for category in CATEGORIES:
                actual[situation, action, category] = cells[action, category]
                wanted[situation, action, category] = expected(role, situation, action, category)
    assert actual == wanted


def test_the_matrix_has_every_cell_and_both_answers() -> None:
    cells = [
        expected(role.value, s, a, c)
        for role in Role
        for s in SITUATIONS
        for a in ACTIONS
        for c in CATEGORIES
    ]
    assert len(cells) == 16 * 7 * 2 * 6
    assert 0 < sum(cells) < len(cells) / 2  # deny by default: most cells refuse


# The family-level part: every role × reading a family-level entry of each category about Aino and
# her brother Otto (the same mother), on Aino's plan page. All must allow: each child's decision.
FAMILY_SITUATIONS = (
    "own_organisation",
    "other_with_both_consents",
    "other_with_one_consent",
    "one_team_only",
)


def expected_family(role: str, situation: str, category: str) -> bool:
    """The multi-person rule (docs/access.md, "Records about several persons"), cell by cell."""
    if role in NO_CLIENT_DATA or situation == "one_team_only":
        return False
    if situation == "own_organisation":
        return category in OWN_REGISTER[role]
    return situation == "other_with_both_consents"  # one sibling's missing consent refuses it


def _family(world: World) -> tuple[Plan, Plan, dict[str, FamilyEntry]]:
    coordinator = membership_of(world.family_worker)
    otto = Person.objects.create(
        given_names="Otto", family_name="Testinen", birth_date=world.child.birth_date
    )
    GuardianRelation.objects.create(guardian=world.mother, child=otto, started=otto.birth_date)
    plans = []
    for child in (world.child, otto):
        plan = Plan.objects.create(child=child, coordinator=coordinator)
        TeamMember.objects.create(plan=plan, membership=coordinator)
        plans.append(plan)
    part = FamilyPart.objects.create(created_by=coordinator)
    for plan in plans:
        LinkedPlan.objects.create(part=part, plan=plan, linked_by=coordinator)
    entries = {}
    for category in CATEGORIES:
        entries[category] = FamilyEntry.objects.create(
            part=part,
            kind="note",
            category=category,
            owner_organization=world.county,
            author_membership=coordinator,
            text=f"The county's family-level {category} note.",
        )
        entries[category].children.set([world.child, otto])
    return plans[0], plans[1], entries


def _family_cells(
    world: World, aino_plan: Plan, otto_plan: Plan, entries: dict[str, FamilyEntry], role: str, situation: str
) -> dict[str, bool]:
    organization = world.county if situation in ("own_organisation", "one_team_only") else world.ngo
    actor = make_actor(f"family-{role}-{situation}", organization, role)
    plans = (aino_plan,) if situation == "one_team_only" else (aino_plan, otto_plan)
    for plan in plans:
        TeamMember.objects.create(plan=plan, membership=membership_of(actor))
    Consent.objects.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )  # the last situation's
    if situation.startswith("other_with"):
        consent_to(world, world.ngo, *CATEGORIES)  # Aino's
    if situation == "other_with_both_consents":
        grant_consent(
            world.family_worker,
            person=otto_plan.child,
            given_by=world.mother,
            organizations=[world.ngo],
            categories=list(CATEGORIES),
            purpose="Family support",
        )
    try:
        plan_for(actor, aino_plan.pk)
    except NotFoundOrForbidden:
        return dict.fromkeys(CATEGORIES, False)
    view = family_part_for(actor, aino_plan)
    assert view is not None
    shown = {row.id: row.shown for row in view.entries}
    return {category: shown[entry.pk] for category, entry in entries.items()}


@pytest.mark.parametrize("role", sorted(role.value for role in Role))
def test_the_family_level_matrix_for(world: World, role: str) -> None:
    aino_plan, otto_plan, entries = _family(world)
    actual, wanted = {}, {}
    for situation in FAMILY_SITUATIONS:
        cells = _family_cells(world, aino_plan, otto_plan, entries, role, situation)
        for category in CATEGORIES:
            actual[situation, category] = cells[category]
            wanted[situation, category] = expected_family(role, situation, category)
    assert actual == wanted


def test_the_family_level_matrix_has_both_answers() -> None:
    cells = [expected_family(r.value, s, c) for r in Role for s in FAMILY_SITUATIONS for c in CATEGORIES]
    assert len(cells) == 16 * 4 * 6 and 0 < sum(cells) < len(cells) / 2


# The child's own confidentiality, the family's side: a young person of 13 (Veera), her guardian
# (Pekka) and another family's guardian (Outi) × every category × an entry marked confidential
# (where the law allows: health and social care) or not: does the family's plan page show the
# entry, and does the family's access log show its rows? Each reader signs in through the local
# OIDC provider. The answers: the young person sees everything of hers; her guardian everything
# not marked; another family's guardian nothing (404).

FAMILY_READERS = ("young_person", "guardian", "other_family")
MARKABLE = {"health", "social_services", "child_protection"}  # Patients' Act 9 §; 812/2000 11 §


def expected_for_family(reader: str, marked: bool) -> bool:
    """The family's rule, cell by cell."""
    if reader == "other_family":
        return False
    return reader == "young_person" or not marked


def _veeras_plan(world: World, veera: Person) -> tuple[Plan, dict[tuple[str, bool], Entry]]:
    coordinator = membership_of(world.family_worker)
    plan = Plan.objects.create(child=veera, coordinator=coordinator)
    TeamMember.objects.create(plan=plan, membership=coordinator)
    entries = {
        (category, marked): Entry.objects.create(
            plan=plan,
            kind="goal",
            domain="healthy",
            category=category,
            owner_organization=world.county,
            author_membership=coordinator,
            text=f"Goal {category} {'marked' if marked else 'open'}",
            confidential=marked,
        )
        for category in CATEGORIES
        for marked in (False, True)
        if category in MARKABLE or not marked
    }
    return plan, entries


@pytest.mark.parametrize("reader", FAMILY_READERS)
def test_the_childs_own_confidentiality_for(
    world: World, family: Family, family_oidc: Provider, reader: str
) -> None:
    veera = family.teen
    add_guardian(family.father, veera, started=veera.birth_date)
    register(person("outi"))
    plan, entries = _veeras_plan(world, veera)
    for entry in entries.values():  # the family worker asks for each: allowed and refused rows
        _allowed(lambda e=entry: entry_for(world.family_worker, e.pk))
    client = Client(headers={"Accept-Language": "en"})
    assert sign_in(client, {"young_person": "veera", "guardian": "pekka", "other_family": "outi"}[reader])
    page = client.get(reverse("plans:family_plan", kwargs={"plan_id": plan.pk}))
    log = client.get(reverse("access:family_access_log", kwargs={"person_id": veera.pk}))
    assert (page.status_code, log.status_code) == ((404, 404) if reader == "other_family" else (200, 200))
    shown_text = page.content.decode() if page.status_code == 200 else ""
    logged = {row.entry.record_id for row in log.context["rows"]} if log.status_code == 200 else set()
    export = json.loads(client.get("/family/export.json").content)  # the family's copy of its data
    exported = [p for p in export["people"] if p["id"] == str(veera.pk)]
    exported_text = json.dumps(exported, ensure_ascii=False)
    actual, wanted = {}, {}
    for (category, marked), entry in entries.items():
        actual[category, marked] = (
            entry.text in shown_text,
            str(entry.pk) in logged,
            entry.text in exported_text,
        )
        wanted[category, marked] = (expected_for_family(reader, marked),) * 3
    assert actual == wanted
    assert len(wanted) == len(CATEGORIES) + len(MARKABLE)
    # The exported access log is the page's: the same rows about the goals (marked ones kept alike).
    goal_label = str(label_of(entry_record_type("goal")))
    exported_goal_rows = [r for p in exported for r in p["access_log"] if r["what"] == goal_label]
    page_goal_rows = (
        [r for r in log.context["rows"] if r.entry.record_type == entry_record_type("goal")] if logged else []
    )
    assert len(exported_goal_rows) == len(page_goal_rows)
