"""The shapes of the plans API (docs/api.md, "Plans"): what goes in and what comes out.

Text is JSON text: it is stored and answered as written (a `<script>` stays the characters it is),
never as HTML; the pages escape it when they show it. Lengths, categories, domains and dates are
checked by the actions, which answer 400 with each field's problem in the asker's language.
"""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from .domains import WellbeingDomain
from .models import ENTRY_CATEGORIES

CATEGORY = f"The information category, one your role handles in your register: {', '.join(ENTRY_CATEGORIES)}."

# --- out


class ProfessionalOut(Schema):
    """A professional as the plan shows them: name, role, organisation."""

    membership_id: uuid.UUID
    name: str
    role: str
    organization: str


class TeamMemberOut(ProfessionalOut):
    """A place on the plan's team."""

    id: uuid.UUID
    task: str
    started: dt.date
    ended: dt.date | None
    removed_at: dt.datetime | None


class OfferOut(Schema):
    """An offer of the coordination waiting for an answer."""

    id: uuid.UUID
    offered_to_membership_id: uuid.UUID
    offered_to: str
    created_at: dt.datetime


class PlanSummaryOut(Schema):
    """A plan in a list: the child, the coordinator, where it stands."""

    id: uuid.UUID
    child_name: str
    status: str = Field(description="open or closed")
    coordinator: ProfessionalOut
    next_review_on: dt.date | None
    created_at: dt.datetime


class EntryContentOut(Schema):
    """An entry's content: only when access allows the asker to read it. Fields not of its kind are empty."""

    text: str = Field(
        description="A goal in the professionals' words, what an action does, a note, a meeting's decisions."
    )
    author: str
    domain: str = Field(description="A goal's wellbeing domain.")
    child_words: str = Field(description="A goal in the child's own words.")
    goal_id: uuid.UUID | None = Field(description="The goal an action or a note is for.")
    responsible_member_id: uuid.UUID | None = Field(description="Who on the team does an action.")
    due_on: dt.date | None
    service_id: uuid.UUID | None
    service_name: str
    method: str
    held_on: dt.date | None
    participants: str
    next_review_on: dt.date | None


class EntryOut(Schema):
    """An entry's heading (always), and its content when access allows it (`shown`)."""

    id: uuid.UUID
    plan_id: uuid.UUID
    kind: str = Field(description="goal, action, note, meeting or voice")
    category: str = Field(description="The information category (access's categories).")
    organization_id: uuid.UUID = Field(description="Whose register the entry is in.")
    organization: str
    created_at: dt.datetime
    shown: bool = Field(
        description="False: the entry exists and is this organisation's; its content is withheld."
    )
    basis: str | None = Field(
        description="On which basis the content is shown (own_register, consent, statute; none when withheld). "
        "Given in the plan; not for one entry."
    )
    content: EntryContentOut | None


class PlanOut(PlanSummaryOut):
    """A plan as one team member sees it: the frame, the team in force, and every entry's heading."""

    closing_summary: str
    closed_at: dt.datetime | None
    team: list[TeamMemberOut]
    pending_offer: OfferOut | None
    entries: list[EntryOut]


class FamilyEntryOut(Schema):
    """A goal, an action or a coming meeting, as the family reads it."""

    id: uuid.UUID
    kind: str
    organization: str
    created_at: dt.datetime
    text: str
    domain: str
    child_words: str
    responsible: str
    due_on: dt.date | None
    service_name: str
    held_on: dt.date | None


class FamilyTeamMemberOut(Schema):
    """A team member as the family sees them: who, in which role, where, how to reach the organisation."""

    name: str
    role: str
    organization: str
    organization_email: str
    task: str


class FamilyPlanOut(Schema):
    """The child's plan in the family's view (docs/family-view.md, "The plan")."""

    id: uuid.UUID
    child_name: str
    status: str
    coordinator: FamilyTeamMemberOut
    next_review_on: dt.date | None
    team: list[FamilyTeamMemberOut]
    goals: list[FamilyEntryOut]
    actions: list[FamilyEntryOut]
    meetings_coming: list[FamilyEntryOut]


# --- in


class StartPlanIn(Schema):
    """Start a child's plan (you become its coordinator): needs a relation to the child already."""

    child_id: uuid.UUID = Field(description="The child's person id (from your contact request or referral).")
    next_review_on: dt.date | None = None


class MemberIn(Schema):
    """Add a professional (their membership) to the team."""

    membership_id: uuid.UUID
    task: str = Field("", description="What they do for the child (at most 200 characters).")
    started: dt.date | None = Field(None, description="From (default today).")
    ended: dt.date | None = Field(None, description="The last day, if known.")


class GoalIn(Schema):
    """A goal in your register: its wellbeing domain, in your words, the child's own words, or both."""

    category: str = Field(description=CATEGORY)
    domain: str = Field(description=f"The wellbeing domain: {', '.join(WellbeingDomain.values)}.")
    words: str = ""
    child_words: str = ""


class ActionIn(Schema):
    """An action: what, who on the team, by when; optionally for a goal, with a service and a method."""

    category: str = Field(description=CATEGORY)
    what: str
    responsible_member_id: uuid.UUID = Field(description="A team member's id (PlanOut.team[].id).")
    due_on: dt.date
    goal_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    method: str = ""


class NoteIn(Schema):
    """A progress note, optionally about a goal."""

    category: str = Field(description=CATEGORY)
    text: str
    goal_id: uuid.UUID | None = None


class MeetingIn(Schema):
    """A meeting or review (the coordinator's): when, who took part, what was decided, the next review."""

    category: str = Field(description=CATEGORY)
    held_on: dt.date
    participants: str
    decisions: str
    next_review_on: dt.date | None = None


class CloseIn(Schema):
    """Close the plan with a summary (the coordinator's)."""

    summary: str
