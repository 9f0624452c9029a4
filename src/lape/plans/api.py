"""The plans API (django-ninja router, mounted at /api/plans/): the shared plan, for its team and its family.

Handlers are thin: parse, call the same action or read the pages call (reading.py, team.py,
entries.py, family.py), shape the answer. So the same `lape.access` decisions run and are logged:
a plan read logs its frame and each entry shown whole; an entry asked for by id that the asker may
not read is logged as refused and answers 404, the same as a missing one; a removed member's next
read is refused. Professionals use their session with the second factor and the CSRF token on
writes (`lape.accounts.api_auth.acting`); a family member their signed-in session
(`signed_in_family`). Answers: 404 alike for missing and forbidden, 400 with each field's problem,
409 for a step the plan's workflow refuses, 422 for what the schema refuses; never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Status

from lape.accounts.api_auth import acting, acting_actor, family_member_of, signed_in_family
from lape.accounts.models import Membership
from lape.api_errors import AUTH_ERRORS
from lape.api_errors import answers as api_answers

from . import api_schemas as s
from . import entries, team
from .family import family_plan_for
from .models import CoordinationOffer, Entry, Plan, TeamMember
from .reading import EntryView, PlanView, entry_for, plan_for, plans_of
from .steps import StepRefused

router = Router(tags=["plans"])
F = TypeVar("F", bound=Callable[..., Any])


def answers(view: F) -> F:
    """The API's refusal answers, with the plan's workflow refusals (StepRefused) as 409."""
    return api_answers(view, conflicts=(StepRefused,))


# --- shaping


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _professional(membership: Membership) -> dict[str, Any]:
    return {
        "membership_id": membership.pk,
        "name": _name(membership.user),
        "role": membership.role,
        "organization": str(membership.organization),
    }


def _member(member: TeamMember) -> dict[str, Any]:
    return {
        **_professional(member.membership),
        "id": member.pk,
        "task": member.task,
        "started": member.started,
        "ended": member.ended,
        "removed_at": member.removed_at,
    }


def _offer(offer: CoordinationOffer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "id": offer.pk,
        "offered_to_membership_id": offer.offered_to_id,
        "offered_to": _name(offer.offered_to.user),
        "created_at": offer.created_at,
    }


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "child_name": str(plan.child),
        "status": plan.status,
        "coordinator": _professional(plan.coordinator),
        "next_review_on": plan.next_review_on,
        "created_at": plan.created_at,
    }


def _content(entry: Entry) -> dict[str, Any]:
    author = entry.author_membership.user if entry.author_membership is not None else None
    return {
        "text": entry.text,
        "author": _name(author) if author is not None else str(entry.author_person or ""),
        "domain": entry.domain,
        "child_words": entry.child_words,
        "goal_id": entry.goal_id,
        "responsible_member_id": entry.responsible_id,
        "due_on": entry.due_on,
        "service_id": entry.service_id,
        "service_name": str(entry.service) if entry.service is not None else "",
        "method": entry.method,
        "held_on": entry.held_on,
        "participants": entry.participants,
        "next_review_on": entry.next_review_on,
    }


def _heading(view: EntryView, plan: Plan) -> dict[str, Any]:
    """An entry as the plan shows it: the heading, and the content only when `view.entry` is there."""
    return {
        "id": view.id,
        "plan_id": plan.pk,
        "kind": view.kind,
        "category": view.category,
        "organization_id": view.organization.pk,
        "organization": str(view.organization),
        "created_at": view.created_at,
        "shown": view.shown,
        "basis": view.basis,
        "content": _content(view.entry) if view.entry is not None else None,
    }


def _entry(entry: Entry) -> dict[str, Any]:
    """One entry the asker may read (entry_for allowed it, or they have just written it)."""
    return {
        "id": entry.pk,
        "plan_id": entry.plan_id,
        "kind": entry.kind,
        "category": entry.category,
        "organization_id": entry.owner_organization_id,
        "organization": str(entry.owner_organization),
        "created_at": entry.created_at,
        "shown": True,
        "basis": None,
        "content": _content(entry),
    }


def _plan(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        **_summary(plan),
        "closing_summary": plan.closing_summary,
        "closed_at": plan.closed_at,
        "team": [_member(m) for m in view.team],
        "pending_offer": _offer(view.pending_offer),
        "entries": [_heading(e, plan) for e in view.entries],
    }


# --- the family's view (before the professionals' routes: /family/… is not a plan id)


def _family_member_out(member: TeamMember | Membership, task: str = "") -> dict[str, Any]:
    membership = member.membership if isinstance(member, TeamMember) else member
    return {
        "name": _name(membership.user),
        "role": membership.role,
        "organization": str(membership.organization),
        "organization_email": membership.organization.email,
        "task": member.task if isinstance(member, TeamMember) else task,
    }


def _family_entry(entry: Entry) -> dict[str, Any]:
    responsible = entry.responsible.membership.user if entry.responsible is not None else None
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "organization": str(entry.owner_organization),
        "created_at": entry.created_at,
        "text": entry.text,
        "domain": entry.domain,
        "child_words": entry.child_words,
        "responsible": _name(responsible) if responsible is not None else "",
        "due_on": entry.due_on,
        "service_name": str(entry.service) if entry.service is not None else "",
        "held_on": entry.held_on,
    }


@router.get("/family/{plan_id}", response={200: s.FamilyPlanOut, **AUTH_ERRORS}, auth=signed_in_family)
@answers
def family_plan(request: HttpRequest, plan_id: str) -> Any:
    """Your or your child's plan: the coordinator and team, the next review, goals, actions, meetings coming."""
    view = family_plan_for(family_member_of(request), plan_id)
    plan = view.plan
    return Status(
        200,
        {
            "id": plan.pk,
            "child_name": str(plan.child),
            "status": plan.status,
            "coordinator": _family_member_out(plan.coordinator),
            "next_review_on": plan.next_review_on,
            "team": [_family_member_out(m) for m in view.team],
            "goals": [_family_entry(e) for e in view.goals],
            "actions": [_family_entry(e) for e in view.actions],
            "meetings_coming": [_family_entry(e) for e in view.meetings_coming],
        },
    )


# --- the professionals' plans


@router.get("/", response={200: list[s.PlanSummaryOut], **AUTH_ERRORS}, auth=acting)
@answers
def my_plans(request: HttpRequest) -> Any:
    """The plans you coordinate or are on the team of, newest first (each plan's frame read logged)."""
    return Status(200, [_summary(plan) for plan in plans_of(acting_actor(request))])


@router.post("/", response={201: s.PlanOut, **AUTH_ERRORS}, auth=acting)
@answers
def start(request: HttpRequest, body: s.StartPlanIn) -> Any:
    """Start a child's plan with you as its coordinator (needs your relation to the child)."""
    actor = acting_actor(request)
    plan = team.start_plan(actor, body.child_id, next_review_on=body.next_review_on)
    return Status(201, _plan(plan_for(actor, plan.pk)))


@router.get("/{plan_id}", response={200: s.PlanOut, **AUTH_ERRORS}, auth=acting)
@answers
def get_plan(request: HttpRequest, plan_id: str) -> Any:
    """The plan: frame, team in force, and every entry's heading, its content only where access allows."""
    return Status(200, _plan(plan_for(acting_actor(request), plan_id)))


@router.get("/{plan_id}/entries/{entry_id}", response={200: s.EntryOut, **AUTH_ERRORS}, auth=acting)
@answers
def get_entry(request: HttpRequest, plan_id: str, entry_id: str) -> Any:
    """One entry whole; one you may not read is logged as refused and is the same 404 as a missing one."""
    return Status(200, _entry(entry_for(acting_actor(request), entry_id, plan_id)))


@router.post("/{plan_id}/goals", response={201: s.EntryOut, **AUTH_ERRORS}, auth=acting)
@answers
def add_goal(request: HttpRequest, plan_id: str, body: s.GoalIn) -> Any:
    """Add a goal in your own register."""
    entry = entries.add_goal(
        acting_actor(request),
        plan_id,
        category=body.category,
        domain=body.domain,
        words=body.words,
        child_words=body.child_words,
    )
    return Status(201, _entry(entry))


@router.post("/{plan_id}/actions", response={201: s.EntryOut, **AUTH_ERRORS}, auth=acting)
@answers
def add_action(request: HttpRequest, plan_id: str, body: s.ActionIn) -> Any:
    """Add an action: what, who on the team, by when; for a goal, with a service and a method."""
    entry = entries.add_action(
        acting_actor(request),
        plan_id,
        category=body.category,
        what=body.what,
        responsible_id=body.responsible_member_id,
        due_on=body.due_on,
        goal_id=body.goal_id,
        service_id=body.service_id,
        method=body.method,
    )
    return Status(201, _entry(entry))


@router.post("/{plan_id}/notes", response={201: s.EntryOut, **AUTH_ERRORS}, auth=acting)
@answers
def add_note(request: HttpRequest, plan_id: str, body: s.NoteIn) -> Any:
    """Add a progress note."""
    entry = entries.add_note(
        acting_actor(request), plan_id, category=body.category, text=body.text, goal_id=body.goal_id
    )
    return Status(201, _entry(entry))


@router.post("/{plan_id}/meetings", response={201: s.EntryOut, **AUTH_ERRORS}, auth=acting)
@answers
def record_meeting(request: HttpRequest, plan_id: str, body: s.MeetingIn) -> Any:
    """Record a meeting or review and the next review (the coordinator's)."""
    entry = entries.record_meeting(
        acting_actor(request),
        plan_id,
        category=body.category,
        held_on=body.held_on,
        participants=body.participants,
        decisions=body.decisions,
        next_review_on=body.next_review_on,
    )
    return Status(201, _entry(entry))


@router.post("/{plan_id}/team", response={201: s.TeamMemberOut, **AUTH_ERRORS}, auth=acting)
@answers
def add_member(request: HttpRequest, plan_id: str, body: s.MemberIn) -> Any:
    """Add a professional to the team (the coordinator's)."""
    member = team.add_member(
        acting_actor(request),
        plan_id,
        body.membership_id,
        task=body.task,
        started=body.started,
        ended=body.ended,
    )
    return Status(201, _member(member))


@router.delete("/{plan_id}/team/{member_id}", response={200: s.TeamMemberOut, **AUTH_ERRORS}, auth=acting)
@answers
def remove_member(request: HttpRequest, plan_id: str, member_id: str) -> Any:
    """Remove a member (the coordinator), or leave the team yourself: their access ends at once."""
    return Status(200, _member(team.remove_member(acting_actor(request), plan_id, member_id)))


@router.post("/{plan_id}/close", response={200: s.PlanSummaryOut, **AUTH_ERRORS}, auth=acting)
@answers
def close(request: HttpRequest, plan_id: str, body: s.CloseIn) -> Any:
    """Close the plan with a summary (the coordinator's); the team keeps reading it."""
    return Status(200, _summary(team.close_plan(acting_actor(request), plan_id, summary=body.summary)))
