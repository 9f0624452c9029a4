"""The plan page's family-level part: linking siblings' plans, family-level entries, unlinking.

Each step is a form posting to its own address under the plan, then back to the plan's page
(`views._plan_step`: bad input 400 with the form re-shown, a step refused 409 with its sentence,
a plan the actor is not on the team of 404).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lape.accounts.acting import Actor, actor_required
from lape.referrals.views import actor_of

from . import family_part
from .forms import FamilyEntryForm, LinkPlansForm
from .reading import plan_for
from .views import _plan_step

ANCHOR = "family-part"


@never_cache
@require_POST
@actor_required
def family_link(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Link this plan with siblings' plans (a coordinator of one of them, on the team of each)."""
    actor = actor_of(request)
    view = plan_for(actor, plan_id)
    form = LinkPlansForm(request.POST, candidates=family_part.sibling_plans_to_link(actor, view.plan))

    def step(actor: Actor, data: dict[str, Any]) -> None:
        family_part.link_plans(actor, [view.plan.pk, *data["plans"]])

    done = _("The plans were linked in a family-level part.")
    return _plan_step(request, plan_id, "family_link_form", form, step, done, ANCHOR)


@never_cache
@require_POST
@actor_required
def family_entry_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Add a family-level entry (about every child whose plan is linked)."""
    actor = actor_of(request)

    def step(actor: Actor, data: dict[str, Any]) -> None:
        family_part.add_family_entry(
            actor,
            plan_id,
            kind=data["kind"],
            category=data["category"],
            text=data["text"],
            domain=data["domain"],
            due_on=data["due_on"],
            held_on=data["held_on"],
        )

    form = FamilyEntryForm(request.POST, role=actor.role)
    return _plan_step(request, plan_id, "family_entry_form", form, step, _("The entry was saved."), ANCHOR)


@never_cache
@require_POST
@actor_required
def family_leave(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The plan's coordinator unlinks it from the family-level part."""

    def step(actor: Actor, data: dict[str, Any]) -> None:
        family_part.leave_family_part(actor, plan_id)

    done = _("The plan was unlinked from the family-level part.")
    return _plan_step(request, plan_id, "family_leave_form", forms.Form(request.POST), step, done, ANCHOR)
