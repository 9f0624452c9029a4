"""The professionals' pages of the shared plan: my plans, starting one, the plan, its forms, break-the-glass.

The pages are thin: each parses a form, calls one action or read of this app (which asks `access`
and logs), and renders in the professionals' work area (the referrals app's `_work_page.html`).
A missing plan or entry and one the actor may not see are the same 404 (NotFoundOrForbidden);
a step the plan's workflow refuses (StepRefused: not the coordinator's, a closed plan) answers 409
with its sentence; bad input 400, the typed values shown again and nothing written. Addresses
carry record ids (UUIDs) only.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lape.access.capacity import CONFIDENTIAL_FROM_GUARDIANS, may_keep_from_guardians
from lape.access.categories import Category
from lape.access.decisions import Basis
from lape.access.emergency import EMERGENCY_ROLES
from lape.accounts.acting import Actor, actor_required
from lape.directory.models import Service
from lape.form_errors import apply_errors
from lape.referrals.views import actor_of, render_work

from . import coordination, entries, family_part, team
from .break_glass import emergency_heading, entry_in_emergency
from .consent_needs import member_reach as member_reach_of
from .forms import (
    ActionForm,
    AddMemberForm,
    CloseForm,
    EmergencyForm,
    FamilyEntryForm,
    GoalForm,
    LinkPlansForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    SelfAssessmentForm,
    StartPlanForm,
    category_choices,
)
from .models import Entry, EntryKind, PlanStatus
from .presenting import Wording
from .reading import (
    EntryView,
    PlanView,
    entry_for,
    offers_for,
    plan_for,
    plan_frame,
    plans_of,
    writing_choices,
)
from .self_assessment import record_self_assessment
from .steps import StepRefused
from .views_family import faces_context
from .wellbeing_table import wellbeing_table

SECTION = "plans"


def _refused(form: forms.Form, error: ValidationError) -> int:
    """Put an action's errors next to the form's fields; the status: 409 for a step refused, else 400."""
    apply_errors(form, error)
    return 409 if isinstance(error, StepRefused) else 400


def _plan_url(plan_id: Any, anchor: str = "") -> str:
    url = reverse("plans:plan", kwargs={"plan_id": plan_id})
    return f"{url}#{anchor}" if anchor else url


@never_cache
@require_GET
@actor_required
def my_plans(request: HttpRequest) -> HttpResponse:
    """The plans the actor coordinates or is on the team of, and the coordinations offered to them."""
    actor = actor_of(request)
    plans = plans_of(actor)
    context = {"plans": plans, "offers": offers_for(actor), "actor": actor}
    return render_work(request, "plans/my_plans.html", context, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def plan_start(request: HttpRequest) -> HttpResponse:
    """Start a shared plan for the child of a contact request or referral the actor handles."""
    actor = actor_of(request)
    if request.method == "POST":
        form = StartPlanForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                plan = team.start_plan(
                    actor, form.cleaned_data["child"], next_review_on=form.cleaned_data["next_review_on"]
                )
            except ValidationError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The shared plan was started. You are its coordinator."))
                return HttpResponseRedirect(_plan_url(plan.pk))
        return render_work(request, "plans/start.html", {"form": form}, section=SECTION, status=status)
    form = StartPlanForm(initial={"child": request.GET.get("child", "")})
    return render_work(request, "plans/start.html", {"form": form}, section=SECTION)


def _services() -> list[Service]:
    return list(
        Service.objects.filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


# The plan page's forms, each posting to its own address (plans:<name>).
STEPS = (
    "member_add",
    "offer_new",
    "goal_new",
    "action_new",
    "note_new",
    "meeting_new",
    "close",
    "family_link",
    "family_entry_new",
    "family_leave",
)


def _rows(view: PlanView, may_break_glass: bool) -> list[dict[str, Any]]:
    """Each entry's heading in words (its kind), and a shown entry's lines or a withheld one's sentence."""
    wording = Wording()
    goals = {entry.id for entry in view.entries if entry.shown and entry.kind == EntryKind.GOAL}
    # One address reversed for all: the entries' addresses differ only in the id.
    placeholder = uuid.UUID(int=0)
    emergency = reverse("plans:entry_emergency", kwargs={"entry_id": placeholder}) if may_break_glass else ""
    own_page = reverse("plans:entry", kwargs={"entry_id": placeholder})
    rows = []
    for entry in view.entries:
        row: dict[str, Any] = {"view": entry, "kind_label": wording.kinds[entry.kind]}
        if entry.entry is not None:
            row["lines"] = wording.lines(entry.entry, goals)
            row["entry_url"] = own_page.replace(str(placeholder), str(entry.id))
            row["entry_link"] = _("This %(kind)s on its own page") % {"kind": row["kind_label"]}
        else:
            row["withheld"] = _(
                "A %(kind)s by %(organization)s, %(category)s, %(date)s: you have no basis to read it."
            ) % {
                "kind": row["kind_label"],
                "organization": entry.organization,
                "category": wording.categories[entry.category],
                "date": date_format(timezone.localtime(entry.created_at), "SHORT_DATE_FORMAT"),
            }
            row["emergency_url"] = emergency.replace(str(placeholder), str(entry.id))
        rows.append(row)
    return rows


def _row(entry: EntryView | family_part.FamilyEntryView) -> dict[str, Any]:
    """An entry's heading in words (its kind and category), with the entry."""
    return {
        "view": entry,
        "kind_label": EntryKind(entry.kind).label,
        "category_label": Category(entry.category).label,
    }


def _heading_words(heading: EntryView) -> dict[str, Any]:
    return {
        "heading_kind": EntryKind(heading.kind).label,
        "heading_category": Category(heading.category).label,
    }


def _render_plan(
    request: HttpRequest,
    actor: Actor,
    plan_id: str,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    step_refused: str = "",
) -> HttpResponse:
    """The plan page, with one form bound (re-shown with its errors) when a step was refused."""
    view: PlanView = plan_for(actor, plan_id)
    goals = _shown_goals(view)
    others = [m for m in view.team if m.membership_id != view.plan.coordinator_id]
    is_coordinator = view.plan.coordinator_id == actor.membership_id
    is_open = view.plan.status == PlanStatus.OPEN
    family = family_part.family_part_for(actor, view.plan)
    may_link = is_open and is_coordinator and family is None
    candidates = family_part.sibling_plans_to_link(actor, view.plan) if may_link else []
    today = timezone.localdate()
    keeps = any(may_keep_from_guardians(view.plan.child, c, today) for c in CONFIDENTIAL_FROM_GUARDIANS)
    page_forms: dict[str, forms.Form] = {
        "family_link_form": LinkPlansForm(candidates=candidates),
        "family_entry_form": FamilyEntryForm(role=actor.role),
        "family_leave_form": forms.Form(),
        "member_form": AddMemberForm(),
        "offer_form": MemberForm(members=others),
        "goal_form": GoalForm(role=actor.role, keeps_confidential=keeps),
        "action_form": ActionForm(
            role=actor.role,
            members=view.team,
            goals=goals,
            services=_services(),
            keeps_confidential=keeps,
        ),
        "note_form": NoteForm(role=actor.role, goals=goals, keeps_confidential=keeps),
        "meeting_form": MeetingForm(role=actor.role),
        "close_form": CloseForm(),
    }
    page_forms |= bound or {}
    context = {
        "view": view,
        "plan": view.plan,
        "is_coordinator": is_coordinator,
        "is_open": is_open,
        "family": family,
        "family_rows": [_row(entry) for entry in family.entries] if family else [],
        "family_candidates": candidates,
        "writes_entries": bool(category_choices(actor.role)),
        "may_break_glass": actor.role in EMERGENCY_ROLES,
        "open_in_emergency": _("Open in an emergency"),
        "own_place": next((m for m in view.team if m.membership_id == actor.membership_id), None),
        "others": others,
        "rows": _rows(view, actor.role in EMERGENCY_ROLES),
        "table": wellbeing_table(view.assessments_shown),
        "assessments_withheld": [a for a in view.assessments if a.assessment is None],
        "self_assessment_url": reverse("plans:self_assessment_new", kwargs={"plan_id": view.plan.pk}),
        "step_refused": step_refused,
        **{f"{name}_url": reverse(f"plans:{name}", kwargs={"plan_id": view.plan.pk}) for name in STEPS},
        **page_forms,
    }
    return render_work(request, "plans/plan.html", context, section=SECTION, status=status)


@never_cache
@require_GET
@actor_required
def plan_page(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The plan: child, coordinator, team, entries in time order (withheld ones as headings), and the forms."""
    return _render_plan(request, actor_of(request), plan_id)


def _plan_step(
    request: HttpRequest, plan_id: str, name: str, form: forms.Form, step: Any, done: str, anchor: str
) -> HttpResponse:
    """Run one step of the plan page's forms: on success back to the plan (or where the step says,
    when it returns an address); refused: the page, the form re-shown."""
    actor = actor_of(request)
    status = 400
    step_refused = ""
    if form.is_valid():
        try:
            then = step(actor, form.cleaned_data)
        except ValidationError as error:
            status = _refused(form, error)
            if isinstance(error, StepRefused):  # also when the form is not on this actor's page
                step_refused = " ".join(error.messages)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(then or _plan_url(plan_id, anchor))
    return _render_plan(request, actor, plan_id, {name: form}, status=status, step_refused=step_refused)


@never_cache
@require_POST
@actor_required
def member_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The coordinator adds a professional to the team, then sees what consent the new member needs."""

    def step(actor: Actor, data: dict[str, Any]) -> str:
        member = team.add_member(
            actor,
            plan_id,
            data["membership"],
            task=data["task"],
            started=data["started"],
            ended=data["ended"],
        )
        return reverse("plans:member_reach", kwargs={"plan_id": plan_id, "member_id": member.pk})

    form = AddMemberForm(request.POST)
    return _plan_step(
        request, plan_id, "member_form", form, step, _("The professional was added to the team."), "team"
    )


@never_cache
@require_GET
@actor_required
def member_reach(request: HttpRequest, plan_id: str, member_id: str) -> HttpResponse:
    """What a member's organisation may read of the plan's other registers, and the consents it needs."""
    actor = actor_of(request)
    reach = member_reach_of(actor, plan_id, member_id)
    organization = reach.member.membership.organization
    back = request.path
    rows = [
        {
            "reach": category,
            "consent_url": reverse("access:consent_new", kwargs={"person_id": reach.plan.child_id})
            + "?"
            + urlencode({"organization": organization.pk, "category": category.category, "next": back}),
        }
        for category in reach.categories
    ]
    context = {"plan": reach.plan, "member": reach.member, "organization": organization, "rows": rows}
    return render_work(request, "plans/member_reach.html", context, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def member_remove(request: HttpRequest, plan_id: str, member_id: str) -> HttpResponse:
    """Remove a member (the coordinator), or leave the team (the member): a confirmation first."""
    actor = actor_of(request)
    view = plan_for(actor, plan_id)
    member = next((m for m in view.team if str(m.pk) == member_id), None)
    if member is None:
        raise Http404(_("This professional is not on the team."))
    form = forms.Form(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            team.remove_member(actor, plan_id, member.pk)
        except ValidationError as error:
            status = _refused(form, error)
        else:
            if member.membership_id == actor.membership_id:
                messages.success(request, _("You left the plan's team."))
                return HttpResponseRedirect(reverse("plans:my_plans"))
            messages.success(request, _("The professional was removed from the team."))
            return HttpResponseRedirect(_plan_url(plan_id, "team"))
    context = {"plan": view.plan, "member": member, "leaving": member.membership_id == actor.membership_id}
    context["form"] = form
    return render_work(request, "plans/remove.html", context, section=SECTION, status=status)


@never_cache
@require_POST
@actor_required
def offer_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The coordinator offers the coordination to a team member."""
    actor = actor_of(request)
    view = plan_for(actor, plan_id)
    others = [m for m in view.team if m.membership_id != view.plan.coordinator_id]
    form = MemberForm(request.POST, members=others)

    def step(actor: Actor, data: dict[str, Any]) -> None:
        coordination.offer_coordination(actor, plan_id, data["member"])

    return _plan_step(request, plan_id, "offer_form", form, step, _("The coordination was offered."), "team")


ANSWERS: dict[str, Any] = {
    "accept": coordination.accept_coordination,
    "decline": coordination.decline_coordination,
    "cancel": coordination.cancel_coordination_offer,
}


@never_cache
@require_POST
@actor_required
def offer_answer(request: HttpRequest, offer_id: str, answer: str) -> HttpResponse:
    """Accept or decline an offer made to you, or cancel your own; refused: 409 with the reason."""
    actor = actor_of(request)
    if answer not in ANSWERS:
        raise Http404
    try:
        offer = ANSWERS[answer](actor, offer_id)
    except StepRefused as error:
        context = {"message": " ".join(error.messages)}
        return render_work(request, "plans/refused.html", context, section=SECTION, status=409)
    done = {
        "accept": _("You are now the plan's coordinator."),
        "decline": _("You declined the coordination."),
        "cancel": _("The offer was cancelled."),
    }
    messages.success(request, done[answer])
    return HttpResponseRedirect(_plan_url(offer.plan_id))


def _entry_step(request: HttpRequest, plan_id: str, name: str, form: forms.Form, step: Any) -> HttpResponse:
    return _plan_step(request, plan_id, name, form, step, _("The entry was saved."), "entries")


def _shown_goals(view: PlanView) -> list[Entry]:
    """The plan's goals the actor may read: those an action or a note can be tied to."""
    return [e.entry for e in view.entries if e.entry is not None and e.kind == EntryKind.GOAL]


@never_cache
@require_POST
@actor_required
def goal_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Add a goal in one's own register."""
    actor = actor_of(request)

    def step(actor: Actor, data: dict[str, Any]) -> None:
        entries.add_goal(
            actor,
            plan_id,
            category=data["category"],
            domain=data["domain"],
            words=data["words"],
            child_words=data["child_words"],
            confidential=data.get("confidential", False),
        )

    return _entry_step(request, plan_id, "goal_form", GoalForm(request.POST, role=actor.role), step)


@never_cache
@require_POST
@actor_required
def action_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Add an action: what, who, by when, for which goal, service and method."""
    actor = actor_of(request)
    members, goals = writing_choices(actor, plan_id)
    form = ActionForm(request.POST, role=actor.role, members=members, goals=goals, services=_services())

    def step(actor: Actor, data: dict[str, Any]) -> None:
        entries.add_action(
            actor,
            plan_id,
            category=data["category"],
            what=data["what"],
            responsible_id=data["responsible_id"],
            due_on=data["due_on"],
            goal_id=data["goal_id"] or None,
            service_id=data["service_id"] or None,
            method=data["method"],
            confidential=data.get("confidential", False),
        )

    return _entry_step(request, plan_id, "action_form", form, step)


@never_cache
@require_POST
@actor_required
def note_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Add a progress note."""
    actor = actor_of(request)
    form = NoteForm(request.POST, role=actor.role, goals=writing_choices(actor, plan_id)[1])

    def step(actor: Actor, data: dict[str, Any]) -> None:
        entries.add_note(
            actor,
            plan_id,
            category=data["category"],
            text=data["text"],
            goal_id=data["goal_id"] or None,
            confidential=data.get("confidential", False),
        )

    return _entry_step(request, plan_id, "note_form", form, step)


@never_cache
@require_POST
@actor_required
def meeting_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The coordinator records a meeting or review (and the next review)."""
    actor = actor_of(request)

    def step(actor: Actor, data: dict[str, Any]) -> None:
        entries.record_meeting(
            actor,
            plan_id,
            category=data["category"],
            held_on=data["held_on"],
            participants=data["participants"],
            decisions=data["decisions"],
            next_review_on=data["next_review_on"],
        )

    return _entry_step(request, plan_id, "meeting_form", MeetingForm(request.POST, role=actor.role), step)


@never_cache
@require_POST
@actor_required
def plan_close(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The coordinator closes the plan with a summary."""

    def step(actor: Actor, data: dict[str, Any]) -> None:
        team.close_plan(actor, plan_id, summary=data["summary"])

    return _plan_step(
        request, plan_id, "close_form", CloseForm(request.POST), step, _("The plan was closed."), ""
    )


@never_cache
@require_GET
@actor_required
def entry_page(request: HttpRequest, entry_id: str) -> HttpResponse:
    """One entry by its address (`entry_for`): an attempt, so a refusal is logged and is the same 404 as a missing one."""
    actor = actor_of(request)
    entry = entry_for(actor, entry_id)
    lines = Wording().lines(entry, readable_goals=None)  # its goal is another entry, not read here
    context = {"plan": entry.plan, "lines": lines, "kind_label": lines.kind}
    return render_work(request, "plans/entry.html", context, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def entry_emergency(request: HttpRequest, entry_id: str) -> HttpResponse:
    """Break-the-glass: the reason asked, then the withheld entry shown once, flagged, the read logged."""
    actor = actor_of(request)
    plan, heading = emergency_heading(actor, entry_id)
    entry = None
    if heading.basis != Basis.NONE:  # the actor may read it on a usual basis: no emergency needed
        return HttpResponseRedirect(_plan_url(plan.pk, f"entry-{heading.id}"))
    form = EmergencyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            entry = entry_in_emergency(actor, entry_id, form.cleaned_data["reason"])
            status = 200
    # The goal an emergency read's entry is tied to is another entry: not opened with it.
    lines = Wording().lines(entry, readable_goals=None) if entry else None
    context = {"plan": plan, "heading": heading, "form": form, "lines": lines, **_heading_words(heading)}
    return render_work(request, "plans/emergency.html", context, section=SECTION, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def self_assessment_new(request: HttpRequest, plan_id: str) -> HttpResponse:
    """A team member records a younger child's wellbeing self-assessment, done together with the child."""
    actor = actor_of(request)
    plan = plan_frame(actor, plan_id)  # the page shows the frame, none of the entries
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record_self_assessment(actor, plan_id, form.cleaned_data)
            except ValidationError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The self-assessment was saved in the plan."))
                return HttpResponseRedirect(_plan_url(plan_id, "wellbeing"))
    context = {
        "plan": plan,
        "is_open": plan.status == PlanStatus.OPEN,
        "form": form,
        "domains": faces_context(form),
        "action": reverse("plans:self_assessment_new", kwargs={"plan_id": plan.pk}),
    }
    return render_work(request, "plans/self_assessment.html", context, section=SECTION, status=status)
