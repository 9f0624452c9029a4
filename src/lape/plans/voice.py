"""The child's and the guardians' own words in the plan: write_own_words (issue 5, part 2).

**Who.** A signed-in family member (lape.accounts.family): the child themselves, from 12
(`FAMILY_SIGN_IN_AGE`: the sign-in refuses a younger child, and so does this, should a session of
one ever exist), or a guardian in custody today (`lape.access.family.family_decision`). Each writes
as themselves (`author_person`): what is going well, what worries them, what they wish for, and
whether they agree with a goal (with words or without). The plan must be open.

**Whose register** (`voice_register`): the family's words are given to the plan's **coordinator**,
the lead professional who keeps the plan with the family, so they go to the coordinator's
organisation's register, in the least sensitive category the coordinator's role keeps there
(`VOICE_CATEGORY_ORDER`: social services before pupil welfare, early education, NGO support,
health and child protection; a coordinator whose role keeps none of those, a family-centre
coordinator or a youth worker, keeps them with its `contact` records). So the coordinator's
organisation reads them on its own register, and the rest of the team under the family's consent
for that organisation and category — deny by default, as for every entry. The register is fixed when
the words are written: a later handover of the coordination does not move them.

**Logged**: a refusal (another family, custody ended, a child under 12, a missing plan) is logged
and raises NotFoundOrForbidden; a closed plan is logged as refused (`workflow`) and raises
StepRefused; bad input raises a ValidationError keyed by field and writes nothing; the entry and
its "allowed" row share one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import guard
from lape.access.categories import Category
from lape.access.decisions import Action, Decision, Refusal, refused
from lape.access.family import family_decision
from lape.access.registers import handles_in_own_register
from lape.accounts.family import FAMILY_SIGN_IN_AGE

from .family import family_plan_target
from .models import MAX_TEXT, Entry, EntryKind, Plan, PlanStatus, VoiceTopic
from .steps import StepRefused, as_uuid, refuse_step, text_error, writing_unless_changed
from .targets import PLAN_RECORD, entry_target

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember
    from lape.accounts.models import Membership

# The categories a coordinator's register may keep the family's words in, least sensitive first.
VOICE_CATEGORY_ORDER = (
    Category.SOCIAL_SERVICES,
    Category.PUPIL_WELFARE,
    Category.EARLY_EDUCATION,
    Category.NGO_SUPPORT,
    Category.HEALTH,
    Category.CHILD_PROTECTION,
)
# What the child or a guardian writes about in their own words (an opinion on a goal has its own form).
OWN_TOPICS = (VoiceTopic.GOING_WELL, VoiceTopic.WORRIES, VoiceTopic.WISHES)


def register_category(role: str) -> str:
    """The category a role keeps the family's words in: the first of VOICE_CATEGORY_ORDER it handles,
    else `contact` (every role with client data keeps its contacts)."""
    return next((c for c in VOICE_CATEGORY_ORDER if handles_in_own_register(role, c)), Category.CONTACT)


def voice_register(membership: Membership) -> tuple[uuid.UUID, str]:
    """(organisation, category) of the register that keeps what the family gives to this professional."""
    return membership.organization_id, register_category(membership.role)


def family_write_decision(member: FamilyMember, plan: Plan, on: dt.date | None = None) -> Decision:
    """May the family member write in the plan: the child from 12, or a guardian in custody today."""
    on = on or timezone.localdate()
    decision = family_decision(member, plan.child_id, on)
    if decision.allowed and member.person_id == plan.child_id and plan.child.age_on(on) < FAMILY_SIGN_IN_AGE:
        return refused(Refusal.WORKFLOW)  # a younger child's words are heard with a professional
    return decision


def family_plan_for_writing(member: FamilyMember, plan_id: object) -> tuple[Plan, Decision]:
    """The open plan the member may write in, with the decision; refusals logged (404 or StepRefused)."""
    queryset = Plan.objects.select_related("child", "coordinator__organization")
    plan = guard.find(member, Action.WRITE, queryset, plan_id, PLAN_RECORD)
    target = family_plan_target(plan)
    decision = guard.raise_if_refused(member, Action.WRITE, target, family_write_decision(member, plan))
    if plan.status != PlanStatus.OPEN:
        refuse_step(member, target, _("This plan is closed: nothing can be added or changed."), "closed")
    return plan, decision


def still_open(plan: Plan) -> None:
    """Inside the write: refuse if the plan was closed a moment ago (rolls the write back)."""
    if not Plan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).exists():
        raise StepRefused(_("This plan was closed a moment ago."), code="changed")


def _check(plan: Plan, topic: str, text: str, goal_id: object, agrees: bool | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    goal = None
    if topic == VoiceTopic.ABOUT_GOAL:
        goal = Entry.objects.filter(plan=plan, kind=EntryKind.GOAL, pk=as_uuid(goal_id)).first()
        if goal is None:
            errors["goal"] = _("Choose a goal of this plan.")
        if agrees is None:
            errors["agrees"] = _("Say whether you agree with the goal.")
        error = text_error(text, MAX_TEXT, required=False)
    elif topic in OWN_TOPICS:
        agrees = None
        error = text_error(text, MAX_TEXT)
    else:
        errors["topic"] = _("Choose what you are writing about.")
        error = text_error(text, MAX_TEXT, required=False)
    if error:
        errors["text"] = error
    if errors:
        raise ValidationError(errors)
    return {"topic": topic, "text": text, "goal": goal, "agrees": agrees}


def write_own_words(
    member: FamilyMember,
    plan_id: uuid.UUID | str,
    *,
    topic: str,
    text: str = "",
    goal_id: uuid.UUID | str | None = None,
    agrees: bool | None = None,
) -> Entry:
    """The child or a guardian writes in the plan as themselves: going well, worries, wishes, or
    whether they agree with a goal (`about_goal`, with `goal_id` and `agrees`; words optional)."""
    plan, decision = family_plan_for_writing(member, plan_id)
    fields = _check(plan, topic, (text or "").strip(), goal_id, agrees)
    organization_id, category = voice_register(plan.coordinator)
    entry = Entry(
        id=uuid.uuid4(),
        plan=plan,
        kind=EntryKind.VOICE,
        category=category,
        owner_organization_id=organization_id,
        author_person_id=member.person_id,
        **fields,
    )
    with writing_unless_changed(member, entry_target(entry, plan.child_id), decision):
        still_open(plan)
        entry.save(force_insert=True)
    return entry
