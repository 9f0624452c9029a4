"""The access targets of this app's records: what `lape.access` is asked about before each read or write.

**The plan itself** (its child, status, coordinator, team, dates, the pending handover, and that
entries exist and whose they are) is the team's shared working information, filed in the contact
category that every role handling client data has in its own register. Each organisation on the
team holds its copy (as a referral has the sender's and the receiver's): the target names the
actor's own organisation, so a team member reads and writes the plan's frame on the own-register
basis. Access still needs the relation, and the plan's own rule (reading.py, team.py) asks that the
actor be on *this* plan's team, not merely on the child's referral.

**An entry** is in the register of the organisation that wrote it (`owner_organization`), in its
information category: its own organisation's professionals whose role handles that category read
and write it; another organisation's team members read it only under a consent in force (or a law).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lape.access.categories import Category
from lape.access.decisions import Target

from .models import Entry, Plan, SelfAssessment

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

PLAN_RECORD = "plan"


def entry_record_type(kind: str) -> str:
    """The record type access and the log know an entry of this kind by (plan_goal, plan_note...)."""
    return f"plan_{kind}"


def plan_target(plan: Plan, actor: Actor) -> Target:
    """The access target of the plan's frame (team, coordinator, dates, which entries exist) for this actor."""
    return Target(
        record_type=PLAN_RECORD,
        record_id=str(plan.pk),
        person_id=plan.child_id,
        owner_organization_id=actor.organization_id,
        category=Category.CONTACT,
    )


def entry_target(entry: Entry, child_id: object = None) -> Target:
    """The access target of one entry: its kind, the child, the register it is in, its category."""
    return Target(
        record_type=entry_record_type(entry.kind),
        record_id=str(entry.pk),
        person_id=child_id or entry.plan.child_id,  # type: ignore[arg-type]
        owner_organization_id=entry.owner_organization_id,
        category=entry.category,
    )


SELF_ASSESSMENT_RECORD = "plan_self_assessment"


def self_assessment_target(assessment: SelfAssessment, child_id: object) -> Target:
    """The access target of one wellbeing self-assessment: the child, its register, its category."""
    return Target(
        record_type=SELF_ASSESSMENT_RECORD,
        record_id=str(assessment.pk),
        person_id=child_id,  # type: ignore[arg-type]
        owner_organization_id=assessment.owner_organization_id,
        category=assessment.category,
    )
