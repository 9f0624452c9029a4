"""The plan's pages in the family's own view (a signed-in family member: lape.accounts.family).

The plan (a logged read), the family's own words and opinions on goals (voice.write_own_words) and
the child's wellbeing self-assessment (self_assessment.record_self_assessment). As the
professionals' pages: a missing or forbidden plan is the same 404; a step refused (a closed plan,
a guardian answering the child's self-assessment) 409 with its sentence; bad input 400 with each
message next to its field and what was typed shown again; CSRF on every form; no JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lape.access import guard
from lape.access.decisions import Action
from lape.accounts.family import FAMILY_SIGN_IN_AGE, FamilyMember, family_member_required
from lape.form_errors import apply_errors

from .domains import WellbeingDomain
from .family import family_plan_for, family_plan_target
from .forms import GoalOpinionForm, OwnWordsForm, SelfAssessmentForm
from .models import Feeling, Plan, PlanStatus, VoiceTopic
from .presenting import Wording
from .self_assessment import QUESTIONS, record_self_assessment
from .steps import StepRefused
from .targets import PLAN_RECORD
from .voice import family_write_decision, write_own_words
from .wellbeing_table import wellbeing_table


def _member(request: HttpRequest) -> FamilyMember:
    return request.family_member  # type: ignore[attr-defined]


def _plan_url(plan_id: object, anchor: str = "") -> str:
    url = reverse("plans:family_plan", kwargs={"plan_id": plan_id})
    return f"{url}#{anchor}" if anchor else url


def _refused(form: forms.Form, error: ValidationError) -> int:
    apply_errors(form, error)
    return 409 if isinstance(error, StepRefused) else 400


def _step_refused(error: ValidationError) -> str:
    """A refused step's sentence for the top of the page (the form may not be on it any more)."""
    return " ".join(error.messages) if isinstance(error, StepRefused) else ""


def _render_plan(
    request: HttpRequest,
    plan_id: str,
    *,
    words_form: OwnWordsForm | None = None,
    opinion_form: tuple[str, GoalOpinionForm] | None = None,
    status: int = 200,
    step_refused: str = "",
) -> HttpResponse:
    member = _member(request)
    view = family_plan_for(member, plan_id)
    plan = view.plan
    is_open = plan.status == PlanStatus.OPEN
    writes = is_open and family_write_decision(member, plan).allowed
    opinions = {str(goal.pk): GoalOpinionForm(goal_id=goal.pk) for goal in view.goals}
    if opinion_form is not None:
        if opinion_form[0] in opinions:
            opinions[opinion_form[0]] = opinion_form[1]
        else:  # not a goal of this plan: its form is nowhere on the page, so say it at the top
            step_refused = step_refused or " ".join(
                str(m) for ms in opinion_form[1].errors.values() for m in ms
            )
    wording = Wording()
    goals = {goal.pk for goal in view.goals}
    context: dict[str, Any] = {
        "view": view,
        "plan": plan,
        "writes": writes,
        "is_child": member.person_id == plan.child_id,
        "words_form": words_form or OwnWordsForm(),
        "goals": [(wording.lines(goal, goals), opinions[str(goal.pk)]) for goal in view.goals],
        "action_lines": [wording.lines(entry, goals) for entry in view.actions],
        "meeting_lines": [wording.lines(entry, goals) for entry in view.meetings_coming],
        "own_words_lines": [wording.lines(entry, goals) for entry in view.own_words],
        "table": wellbeing_table(view.assessments),
        "step_refused": step_refused,
    }
    return render(request, "plans/family_plan.html", context, status=status)


@never_cache
@require_GET
@family_member_required
def family_plan(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The child's plan: the team with contacts, the next review, goals and actions, our own words,
    the self-assessments over time; and the forms to write."""
    return _render_plan(request, plan_id)


@never_cache
@require_POST
@family_member_required
def family_words_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The child or a guardian writes what is going well, what worries them or what they wish for."""
    form = OwnWordsForm(request.POST)
    status, refused = 400, ""
    if form.is_valid():
        try:
            write_own_words(
                _member(request), plan_id, topic=form.cleaned_data["topic"], text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            status, refused = _refused(form, error), _step_refused(error)
        else:
            messages.success(request, _("Your words were added to the plan."))
            return HttpResponseRedirect(_plan_url(plan_id, "own-words"))
    return _render_plan(request, plan_id, words_form=form, status=status, step_refused=refused)


@never_cache
@require_POST
@family_member_required
def family_goal_opinion(request: HttpRequest, plan_id: str, goal_id: str) -> HttpResponse:
    """The child or a guardian says whether they agree with a goal, with words or without."""
    form = GoalOpinionForm(request.POST, goal_id=goal_id)
    status, refused = 400, ""
    if form.is_valid():
        try:
            write_own_words(
                _member(request),
                plan_id,
                topic=VoiceTopic.ABOUT_GOAL,
                text=form.cleaned_data["text"],
                goal_id=goal_id,
                agrees=form.cleaned_data["agrees"],
            )
        except ValidationError as error:
            status, refused = _refused(form, error), _step_refused(error)
        else:
            messages.success(request, _("What you think of the goal was added to the plan."))
            return HttpResponseRedirect(_plan_url(plan_id, "goals-heading"))
    return _render_plan(request, plan_id, opinion_form=(goal_id, form), status=status, step_refused=refused)


def faces_context(form: SelfAssessmentForm) -> list[dict[str, Any]]:
    """Each domain's fieldset: its name, the child's question, the bound field (for the template's faces)."""
    return [
        {
            "domain": domain.value,
            "label": domain.label,
            "question": QUESTIONS[domain.value],
            "field": form[domain.value],
        }
        for domain in WellbeingDomain
    ]


def render_self_assessment(
    request: HttpRequest, template: str, form: SelfAssessmentForm, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The self-assessment form's page (the family's or the professionals' template)."""
    context |= {"form": form, "domains": faces_context(form), "feelings": list(Feeling)}
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@family_member_required
def family_self_assessment(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The child (12 or more) answers the wellbeing self-assessment: a face for each domain."""
    member = _member(request)
    queryset = Plan.objects.select_related("child", "coordinator")
    plan = guard.find(member, Action.READ, queryset, plan_id, PLAN_RECORD)
    guard.enforce(member, Action.READ, family_plan_target(plan), family_write_decision(member, plan))
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record_self_assessment(member, plan_id, form.cleaned_data)
        except ValidationError as error:
            status = _refused(form, error)
        else:
            messages.success(request, _("Thank you! Your answers were saved in the plan."))
            return HttpResponseRedirect(_plan_url(plan_id, "wellbeing"))
    elif request.method == "POST":
        status = 400
    elif member.person_id != plan.child_id or plan.status != PlanStatus.OPEN:
        status = 409  # only the child answers, and only while the plan is open: the page says why
    context = {"plan": plan, "is_child": member.person_id == plan.child_id, "min_age": FAMILY_SIGN_IN_AGE}
    return render_self_assessment(request, "plans/family_self_assessment.html", form, context, status)
