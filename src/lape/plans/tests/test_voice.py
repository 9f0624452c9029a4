"""The child's and the guardians' own words and the wellbeing self-assessment (voice.py,
self_assessment.py): who may write, where it is kept, what is logged, who reads it.

Aino's plan of the plans tests (coordinated by the county's family worker: social services), her
mother Maija (a guardian). Aino is 10; `aino_is_13` makes her 13 for the cases where she writes
herself. Family members act as `FamilyMember`s (the sign-in itself is test_pages_voice's).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.accounts.family import FamilyMember
from lape.people.models import Person
from lape.people.registry import end_guardianship
from lape.referrals.tests.conftest import years_ago

from ..entries import add_goal
from ..family import family_plan_for
from ..models import Entry, SelfAssessment, SelfAssessmentAnswer
from ..reading import plan_for
from ..self_assessment import record_self_assessment
from ..steps import StepRefused
from ..team import close_plan
from ..voice import register_category, write_own_words
from .conftest import Team, World, consent_to, errors_of, rows

pytestmark = pytest.mark.django_db


def _as(person: Person) -> FamilyMember:
    return FamilyMember(person_id=person.pk)


@pytest.fixture
def aino_is_13(world: World, team: Team) -> Person:
    world.child.birth_date = years_ago(13)
    world.child.save(update_fields=["birth_date"])
    return world.child


def _me(person: Person) -> str:
    return f"person:{person.pk}"


def test_it_lets_a_guardian_write_her_worries_in_the_coordinators_register(world: World, team: Team) -> None:
    entry = write_own_words(_as(world.mother), team.plan.pk, topic="worries", text="  Aino sleeps badly.  ")
    entry.refresh_from_db()
    assert (entry.kind, entry.topic, entry.text) == ("voice", "worries", "Aino sleeps badly.")
    assert entry.author_person_id == world.mother.pk and entry.author_membership_id is None
    # The coordinator (the county's family worker) keeps the family's words: county, social services.
    assert entry.owner_organization_id == world.county.pk and entry.category == "social_services"
    assert rows(_me(world.mother)) == [("plan_voice", "write", "allowed", "")]
    row = AccessLogEntry.objects.get(username=_me(world.mother))
    assert (row.record_id, row.person_id, row.role) == (str(entry.pk), world.child.pk, "family_member")


def test_it_lets_a_child_of_13_write_her_own_wishes(world: World, team: Team, aino_is_13: Person) -> None:
    entry = write_own_words(_as(aino_is_13), team.plan.pk, topic="wishes", text="A dog.")
    assert entry.author_person_id == aino_is_13.pk
    assert rows(_me(aino_is_13)) == [("plan_voice", "write", "allowed", "")]


def test_it_refuses_a_child_of_10_writing_herself_and_logs_it(world: World, team: Team) -> None:
    with pytest.raises(NotFoundOrForbidden):
        write_own_words(_as(world.child), team.plan.pk, topic="wishes", text="A dog.")
    assert not Entry.objects.filter(kind="voice").exists()
    assert rows(_me(world.child)) == [("plan", "write", "refused", "workflow")]


def test_it_refuses_a_guardian_whose_custody_has_ended(world: World, team: Team) -> None:
    end_guardianship(world.mother, world.child, ended=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(NotFoundOrForbidden):
        write_own_words(_as(world.mother), team.plan.pk, topic="worries", text="Still worried.")
    assert not Entry.objects.filter(kind="voice").exists()
    assert rows(_me(world.mother)) == [("plan", "write", "refused", "no_relation")]


def test_it_gives_another_family_the_same_404_as_a_missing_plan(world: World, team: Team) -> None:
    other = Person.objects.create(given_names="Outi", family_name="Muukalainen", birth_date=years_ago(35))
    for plan_id in (team.plan.pk, "00000000-0000-0000-0000-000000000000", "not-an-id"):
        with pytest.raises(NotFoundOrForbidden):
            write_own_words(_as(other), plan_id, topic="worries", text="Let me in.")
    assert not Entry.objects.filter(kind="voice").exists()
    refusals = [row[3] for row in rows(_me(other))]
    assert refusals == ["no_relation", "not_found", "not_found"]


def test_it_refuses_words_in_a_closed_plan(world: World, team: Team) -> None:
    close_plan(world.family_worker, team.plan.pk, summary="Done.")
    with pytest.raises(StepRefused):
        write_own_words(_as(world.mother), team.plan.pk, topic="going_well", text="All good now.")
    assert not Entry.objects.filter(kind="voice").exists()
    assert rows(_me(world.mother)) == [("plan", "write", "refused", "workflow")]


def test_it_records_a_guardians_disagreement_with_a_goal_with_or_without_words(
    world: World, team: Team
) -> None:
    goal = add_goal(
        world.family_worker, team.plan.pk, category="social_services", domain="safe", words="Calm"
    )
    entry = write_own_words(
        _as(world.mother), team.plan.pk, topic="about_goal", goal_id=goal.pk, agrees=False
    )
    assert (entry.goal_id, entry.agrees, entry.text) == (goal.pk, False, "")
    worded = write_own_words(
        _as(world.mother),
        team.plan.pk,
        topic="about_goal",
        goal_id=goal.pk,
        agrees=True,
        text="Yes, but slowly.",
    )
    assert (worded.agrees, worded.text) == (True, "Yes, but slowly.")


def test_it_refuses_bad_input_and_writes_and_logs_nothing(world: World, team: Team) -> None:
    member, plan_id = _as(world.mother), team.plan.pk
    assert set(errors_of(lambda: write_own_words(member, plan_id, topic="worries", text="  "))) == {"text"}
    too_long = "x" * 4001
    assert set(errors_of(lambda: write_own_words(member, plan_id, topic="wishes", text=too_long))) == {"text"}
    assert set(errors_of(lambda: write_own_words(member, plan_id, topic="secret", text="Hi"))) == {"topic"}
    goal_errors = errors_of(lambda: write_own_words(member, plan_id, topic="about_goal", goal_id="nope"))
    assert set(goal_errors) == {"goal", "agrees"}
    assert not Entry.objects.filter(kind="voice").exists()
    assert rows(_me(world.mother)) == []


def test_it_keeps_the_words_where_the_coordinators_role_keeps_them() -> None:
    assert register_category("family_worker") == "social_services"
    assert register_category("school_social_worker") == "social_services"
    assert register_category("child_protection_worker") == "social_services"
    assert register_category("teacher") == "pupil_welfare"
    assert register_category("public_health_nurse") == "health"
    assert register_category("ngo_worker") == "ngo_support"
    assert register_category("coordinator") == "contact"  # keeps only contacts


def test_it_shows_the_words_to_the_team_under_the_access_rules(world: World, team: Team) -> None:
    entry = write_own_words(_as(world.mother), team.plan.pk, topic="worries", text="Sleep.")

    def shown(actor: object) -> bool:
        view = plan_for(actor, team.plan.pk)  # type: ignore[arg-type]
        return next(e for e in view.entries if e.id == entry.pk).shown

    assert shown(world.family_worker)  # the coordinator's own register
    assert not shown(world.nurse)  # the same county, but health: another register
    assert not shown(world.ngo_worker)
    consent_to(world, world.ngo, "social_services")
    assert shown(world.ngo_worker)
    assert AccessLogEntry.objects.filter(
        username=world.ngo_worker.username, record_id=str(entry.pk), basis="consent"
    ).exists()


def test_it_lets_the_child_of_13_answer_the_self_assessment(
    world: World, team: Team, aino_is_13: Person
) -> None:
    assessment = record_self_assessment(
        _as(aino_is_13), team.plan.pk, {"safe": "5", "healthy": 2, "active": ""}
    )
    answers = dict(
        SelfAssessmentAnswer.objects.filter(assessment=assessment).values_list("domain", "feeling")
    )
    assert answers == {"safe": 5, "healthy": 2}
    assert (assessment.author_person_id, assessment.author_membership_id) == (aino_is_13.pk, None)
    assert (assessment.owner_organization_id, assessment.category) == (world.county.pk, "social_services")
    assert rows(_me(aino_is_13)) == [("plan_self_assessment", "write", "allowed", "")]


def test_it_refuses_a_guardian_answering_the_childs_self_assessment(world: World, team: Team) -> None:
    with pytest.raises(StepRefused):
        record_self_assessment(_as(world.mother), team.plan.pk, {"safe": 3})
    assert not SelfAssessment.objects.exists()
    assert rows(_me(world.mother)) == [("plan", "write", "refused", "workflow")]


def test_it_refuses_a_child_of_10_answering_alone(world: World, team: Team) -> None:
    with pytest.raises(NotFoundOrForbidden):
        record_self_assessment(_as(world.child), team.plan.pk, {"safe": 3})
    assert not SelfAssessment.objects.exists()


def test_it_lets_a_nurse_record_one_done_together_with_a_younger_child(world: World, team: Team) -> None:
    assessment = record_self_assessment(world.nurse, team.plan.pk, {"healthy": 4, "nurtured": 5})
    assert (assessment.author_membership_id, assessment.author_person_id) == (world.nurse.membership_id, None)
    assert (assessment.owner_organization_id, assessment.category) == (world.county.pk, "health")
    assert rows(world.nurse.username)[-1] == ("plan_self_assessment", "write", "allowed", "")


def test_it_refuses_a_stranger_a_manager_and_a_closed_plan(world: World, team: Team) -> None:
    for actor in (world.stranger, world.manager):
        with pytest.raises(NotFoundOrForbidden):
            record_self_assessment(actor, team.plan.pk, {"safe": 3})
    close_plan(world.family_worker, team.plan.pk, summary="Done.")
    with pytest.raises(StepRefused):
        record_self_assessment(world.nurse, team.plan.pk, {"safe": 3})
    assert not SelfAssessment.objects.exists()


def test_it_refuses_answers_off_the_scale_or_none_at_all(world: World, team: Team) -> None:
    assert set(errors_of(lambda: record_self_assessment(world.nurse, team.plan.pk, {"safe": "9"}))) == {
        "safe"
    }
    assert set(errors_of(lambda: record_self_assessment(world.nurse, team.plan.pk, {"safe": "x"}))) == {
        "safe"
    }
    assert set(errors_of(lambda: record_self_assessment(world.nurse, team.plan.pk, {"safe": ""}))) == {
        "__all__"
    }
    assert not SelfAssessment.objects.exists()


def test_it_shows_each_self_assessment_under_the_access_rules_and_logs_the_reads(
    world: World, team: Team, aino_is_13: Person
) -> None:
    childs = record_self_assessment(_as(aino_is_13), team.plan.pk, {"safe": 4})
    nurses = record_self_assessment(world.nurse, team.plan.pk, {"healthy": 3})
    worker_view = plan_for(world.family_worker, team.plan.pk)
    assert [a.pk for a in worker_view.assessments_shown] == [childs.pk]
    nurse_view = plan_for(world.nurse, team.plan.pk)
    assert [a.pk for a in nurse_view.assessments_shown] == [nurses.pk]
    assert [v.id for v in nurse_view.assessments if v.assessment is None] == [childs.pk]
    reads = AccessLogEntry.objects.filter(record_type="plan_self_assessment", action="read")
    assert sorted(reads.values_list("username", "record_id")) == sorted(
        [(world.family_worker.username, str(childs.pk)), (world.nurse.username, str(nurses.pk))]
    )


def test_it_shows_the_family_its_words_and_the_assessments_and_logs_each(
    world: World, team: Team, aino_is_13: Person
) -> None:
    words = write_own_words(_as(world.mother), team.plan.pk, topic="going_well", text="School.")
    assessment = record_self_assessment(world.nurse, team.plan.pk, {"safe": 5})
    view = family_plan_for(_as(aino_is_13), team.plan.pk)
    assert [e.pk for e in view.own_words] == [words.pk] and [a.pk for a in view.assessments] == [
        assessment.pk
    ]
    read = AccessLogEntry.objects.filter(username=_me(aino_is_13), action="read")
    assert {str(words.pk), str(assessment.pk)} <= set(read.values_list("record_id", flat=True))
