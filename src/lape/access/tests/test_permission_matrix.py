"""The permission matrix: every role × every action × every situation, against a table written by hand.

The expectations below are written out, not derived from the code's tables, so that a change to
the rules shows up here as a cell that no longer matches. Each cell also checks its log row: one
row, with the cell's outcome.

Situations (columns), for a child's record in the category the role works in ("home"), unless said:
    own       the actor's own organisation's record; the actor is on the child's team
    foreign   own organisation's record, but of a category of another register (education versus
              social and health; the NGO's own register) than the role works in; on the team
    other     another organisation's record; on the team; no consent
    consent   another organisation's record; on the team; a consent in force shares the category
              with the actor's organisation
    withdrawn as "consent", but the consent was withdrawn a minute ago
    none      the actor's own organisation's record; the actor is NOT on the child's team
Cells: read, write, export; "A" allowed, "-" refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from lape.access import guard
from lape.access.decisions import Action, Target
from lape.access.models import AccessLogEntry, Consent
from lape.directory.models import Organization

from .conftest import Team, make_actor, make_guardian, make_person, years_ago

SITUATIONS = ("own", "foreign", "other", "consent", "withdrawn", "none")
ACTIONS = (Action.READ, Action.WRITE, Action.EXPORT)

# fmt: off
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    #                           own    foreign other  consent withdrawn none
    "coordinator":             ("AAA", "---", "---", "A--",  "---",    "---"),
    "social_worker":           ("AAA", "---", "---", "A--",  "---",    "---"),
    "child_protection_worker": ("AAA", "---", "---", "A--",  "---",    "---"),
    "public_health_nurse":     ("AAA", "---", "---", "A--",  "---",    "---"),
    "family_worker":           ("AAA", "---", "---", "A--",  "---",    "---"),
    "school_social_worker":    ("AAA", "---", "---", "A--",  "---",    "---"),
    "school_psychologist":     ("AAA", "---", "---", "A--",  "---",    "---"),
    "teacher":                 ("AAA", "---", "---", "A--",  "---",    "---"),
    "early_education_teacher": ("AAA", "---", "---", "A--",  "---",    "---"),
    "youth_worker":            ("AAA", "---", "---", "A--",  "---",    "---"),
    "ngo_worker":              ("AAA", "---", "---", "A--",  "---",    "---"),
    "parish_worker":           ("AAA", "---", "---", "A--",  "---",    "---"),
    "doctor_psychologist":     ("AAA", "---", "---", "A--",  "---",    "---"),
    "manager":                 ("---", "---", "---", "---",  "---",    "---"),
    "publisher":               ("---", "---", "---", "---",  "---",    "---"),
    "administrator":           ("---", "---", "---", "---",  "---",    "---"),
}

# The category each role works in, and one it must not reach in its own organisation's register.
HOME_AND_FOREIGN: dict[str, tuple[str, str]] = {
    "coordinator":             ("contact",          "health"),
    "social_worker":           ("social_services",  "pupil_welfare"),
    "child_protection_worker": ("child_protection", "early_education"),
    "public_health_nurse":     ("health",           "pupil_welfare"),
    "family_worker":           ("social_services",  "health"),
    "school_social_worker":    ("pupil_welfare",    "early_education"),
    "school_psychologist":     ("pupil_welfare",    "child_protection"),
    "teacher":                 ("pupil_welfare",    "health"),
    "early_education_teacher": ("early_education",  "social_services"),
    "youth_worker":            ("contact",          "child_protection"),
    "ngo_worker":              ("ngo_support",      "social_services"),
    "parish_worker":           ("ngo_support",      "health"),
    "doctor_psychologist":     ("health",           "pupil_welfare"),
    "manager":                 ("health",           "pupil_welfare"),
    "publisher":               ("contact",          "health"),
    "administrator":           ("social_services",  "pupil_welfare"),
}
# fmt: on


@dataclass(frozen=True)
class Cell:
    role: str
    situation: str
    action: Action

    @property
    def expected(self) -> bool:
        letters = EXPECTED[self.role][SITUATIONS.index(self.situation)]
        return letters[ACTIONS.index(self.action)] == "A"

    def __str__(self) -> str:
        return f"{self.role}-{self.situation}-{self.action}"


CELLS = [Cell(role, situation, action) for role in EXPECTED for situation in SITUATIONS for action in ACTIONS]


def test_the_matrix_covers_every_role() -> None:
    from lape.accounts.models import Role

    assert set(EXPECTED) == set(Role.values) == set(HOME_AND_FOREIGN)


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_the_permission_matrix(cell: Cell, team: Team) -> None:
    own_organisation = Organization.objects.create(name="Oma organisaatio")
    other_organisation = Organization.objects.create(name="Toinen organisaatio")
    actor = make_actor("professional", own_organisation, cell.role)
    child = make_person("Aino", "Testinen", years_ago(9))
    guardian = make_person("Maija", "Testinen", years_ago(35))
    make_guardian(guardian, child)
    home, foreign = HOME_AND_FOREIGN[cell.role]
    if cell.situation != "none":
        team.add(actor, child)
    if cell.situation in {"consent", "withdrawn"}:
        consent = Consent.objects.create(
            person=child,
            given_by=guardian,
            categories=[home],
            purpose="Yhteinen tuki",
            valid_from=timezone.localdate(),
            withdrawn_at=timezone.now() - dt.timedelta(minutes=1) if cell.situation == "withdrawn" else None,
        )
        consent.organizations.set([own_organisation])
    owner = other_organisation if cell.situation in {"other", "consent", "withdrawn"} else own_organisation
    category = foreign if cell.situation == "foreign" else home
    target = Target("record", str(uuid.uuid4()), child.pk, owner.pk, category)

    try:
        guard.check(actor, cell.action, target)
        allowed = True
    except guard.NotFoundOrForbidden:
        allowed = False

    assert allowed is cell.expected
    entry = AccessLogEntry.objects.get()
    assert (entry.outcome, entry.action, entry.role, entry.record_id) == (
        "allowed" if cell.expected else "refused",
        cell.action,
        cell.role,
        target.record_id,
    )
