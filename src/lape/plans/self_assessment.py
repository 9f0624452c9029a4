"""The child's wellbeing self-assessment: record_self_assessment (issue 5, part 2).

A feeling on a five-step scale of faces (lape.plans.models.Feeling) for each of the eight
wellbeing domains (domains.py), each asked as a child's question (`QUESTIONS`); a domain may be
left unanswered, but not all of them.

**Who.** The child themselves, 12 or more and signed in (a guardian reads it but does not answer
it: it is the child's view), on the family's rule of voice.py; or, for a younger child, a
professional on the plan's team who does it **together with the child** and records it as its
author (steps.py: on this plan's team, the plan open). The plan must be open.

**Whose register.** The child's own answers go where the family's own words go (the coordinator's
register, voice.py); one done with a professional goes to that professional's organisation's
register, in the category their role keeps the family's words in (`voice.register_category`), as
every entry a professional writes is in their own register. Access decides every read of it
(record type `plan_self_assessment`) like an entry's, and every write and read is logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from lape.access import decide
from lape.access.decisions import Action, Decision
from lape.accounts.family import FamilyMember

from .domains import WellbeingDomain
from .family import family_plan_target
from .models import Feeling, SelfAssessment, SelfAssessmentAnswer
from .steps import open_for_writing, refuse_step, writing_unless_changed
from .targets import self_assessment_target
from .voice import family_plan_for_writing, register_category, still_open, voice_register

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# Each domain asked in a child's words (the domain's label is its name in the plan).
QUESTIONS: dict[str, Any] = {
    WellbeingDomain.SAFE: _("Do you feel safe at home, at school and outside?"),
    WellbeingDomain.HEALTHY: _("How do you feel in your body and in your mind?"),
    WellbeingDomain.ACHIEVING: _("How are learning and doing things going?"),
    WellbeingDomain.NURTURED: _("Do you feel cared for at home?"),
    WellbeingDomain.ACTIVE: _("Do you have things to do: play, hobbies, friends?"),
    WellbeingDomain.RESPECTED: _("Do people listen to you?"),
    WellbeingDomain.RESPONSIBLE: _("Do you get to take part and help?"),
    WellbeingDomain.INCLUDED: _("Do you feel you belong, with friends and in your groups?"),
}


def _feelings(answers: Mapping[str, object]) -> dict[str, int]:
    """The answered domains' feelings; a ValidationError keyed by domain for a value off the scale."""
    feelings: dict[str, int] = {}
    errors: dict[str, Any] = {}
    for domain in WellbeingDomain.values:
        value = answers.get(domain)
        if value in (None, ""):
            continue
        try:
            feeling = int(str(value))
        except ValueError:
            feeling = 0
        if feeling not in Feeling.values:
            errors[domain] = _("Choose one of the faces, or leave this one empty.")
        feelings[domain] = feeling
    if not errors and not feelings:
        errors[NON_FIELD_ERRORS] = _("Choose a face for at least one question.")
    if errors:
        raise ValidationError(errors)
    return feelings


def record_self_assessment(
    actor: Actor | FamilyMember, plan_id: uuid.UUID | str, answers: Mapping[str, object]
) -> SelfAssessment:
    """Record a self-assessment: the child's own (a family member), or done together with the child
    (a professional on the team). `answers` maps domain codes to 1–5 (or empty: not answered)."""
    decision: Decision | None = None
    if isinstance(actor, FamilyMember):
        plan, decision = family_plan_for_writing(actor, plan_id)
        if actor.person_id != plan.child_id:
            message = _("Only the child answers the self-assessment: it is their own view.")
            refuse_step(actor, family_plan_target(plan), message, "not_the_child")
        organization_id, category = voice_register(plan.coordinator)
        author: dict[str, Any] = {"author_person_id": actor.person_id}
    else:
        plan, _frame = open_for_writing(actor, plan_id)
        organization_id, category = actor.organization_id, register_category(actor.role)
        author = {"author_membership_id": actor.membership_id}
    feelings = _feelings(answers)
    assessment = SelfAssessment(
        id=uuid.uuid4(), plan=plan, category=category, owner_organization_id=organization_id, **author
    )
    target = self_assessment_target(assessment, plan.child_id)
    if decision is None:
        decision = decide(actor, Action.WRITE, target)  # type: ignore[arg-type]
    with writing_unless_changed(actor, target, decision):
        still_open(plan)
        assessment.save(force_insert=True)
        SelfAssessmentAnswer.objects.bulk_create(
            SelfAssessmentAnswer(assessment=assessment, domain=domain, feeling=feeling)
            for domain, feeling in feelings.items()
        )
    return assessment
