"""The plan's page in the family's own view (a signed-in family member: lape.accounts.family)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lape.accounts.family import FamilyMember, family_member_required

from .family import family_plan_for
from .presenting import Wording


@never_cache
@require_GET
@family_member_required
def family_plan(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The child's plan: the coordinator and team with contacts, the next review, goals and actions."""
    member: FamilyMember = request.family_member  # type: ignore[attr-defined]
    view = family_plan_for(member, plan_id)
    wording = Wording()
    goals = {goal.pk for goal in view.goals}
    lines = {
        f"{name}_lines": [wording.lines(entry, goals) for entry in entries]
        for name, entries in (
            ("goal", view.goals),
            ("action", view.actions),
            ("meeting", view.meetings_coming),
        )
    }
    return render(request, "plans/family_plan.html", {"view": view, "plan": view.plan, **lines})
