"""The family centre's triage pages: the shared queue, a request and its steps, the response target.

A request's page is read through `requests.request_for` (access decides and logs; missing and
forbidden are the same 404). Each step posts to its own address and calls one action of
`handling`; on an error the request's page is shown again with the step's form and its errors.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lape.accounts.acting import Actor, actor_required
from lape.accounts.models import Membership, Unit
from lape.directory.models import FamilyCentre, Service

from .coordination import centres_coordinated_by, coordinates_request, response_days_of
from .forms_triage import (
    AssignForm,
    CloseForm,
    ForwardForm,
    IdentifyForm,
    QueueFilterForm,
    ReplyForm,
    ResponseTargetForm,
)
from .handling import (
    NotCoordinator,
    assign_request,
    assignable_professionals,
    close_request,
    forward_request,
    identify_person,
    reply_to_request,
    set_response_target,
)
from .models import ContactRequest, RequestStatus, TriageSetting
from .requests import request_for
from .triage import is_overdue, my_requests, queue_for, waited_working_days
from .views import actor_of, apply_errors, render_work


def _coordinated_centre(actor: Actor, centre_id: str) -> FamilyCentre:
    """A family centre whose queue the actor shares; 404 otherwise (the same for one that does not exist)."""
    try:
        return centres_coordinated_by(actor).get(pk=uuid.UUID(centre_id))
    except (ValueError, FamilyCentre.DoesNotExist):
        raise Http404 from None


@never_cache
@require_GET
@actor_required
def queue(request: HttpRequest, centre_id: str) -> HttpResponse:
    """The centre's shared queue: new first, how long each has waited, overdue ones standing out; filters."""
    actor = actor_of(request)
    centre = _coordinated_centre(actor, centre_id)
    form = QueueFilterForm(request.GET or None)
    status, overdue = "", False
    if form.is_bound and form.is_valid():
        status, overdue = form.cleaned_data["status"], form.cleaned_data["overdue"]
    rows = queue_for(actor, centre.pk, status=status, overdue_only=overdue)
    context = {
        "centre": centre,
        "rows": rows,
        "form": form,
        "response_days": response_days_of(centre.pk),
        "overdue_count": sum(1 for row in rows if row.overdue),
    }
    status_code = 400 if form.is_bound and form.errors else 200
    return render_work(request, "referrals/queue.html", context, section="work", status=status_code)


@never_cache
@require_GET
@actor_required
def mine(request: HttpRequest) -> HttpResponse:
    """The requests assigned to the actor (in the membership they act in)."""
    actor = actor_of(request)
    include_closed = request.GET.get("closed") == "1"
    rows = my_requests(actor, include_closed=include_closed)
    context = {"rows": rows, "include_closed": include_closed}
    return render_work(request, "referrals/my_requests.html", context, section="requests")


def _holder_services(contact_request: ContactRequest) -> QuerySet[Service]:
    return Service.objects.filter(
        organization_id=contact_request.holder_organization_id, status=Service.Status.ACTIVE
    ).select_related("organization")


def _holder_professionals(contact_request: ContactRequest) -> QuerySet[Membership]:
    return assignable_professionals([contact_request.holder_organization_id]).order_by(
        "unit__name", "user__username", "role"
    )


def _network_services(contact_request: ContactRequest) -> QuerySet[Service]:
    """Services of other organisations in a family centre's network: where a request may be forwarded."""
    return (
        Service.objects.filter(family_centres__isnull=False, status=Service.Status.ACTIVE)
        .exclude(organization_id=contact_request.holder_organization_id)
        .select_related("organization")
        .distinct()
        .order_by("organization__name", "name")
    )


def _network_professionals(contact_request: ContactRequest) -> QuerySet[Membership]:
    organizations = _network_services(contact_request).values("organization_id")
    return (
        assignable_professionals(organizations)
        .select_related("organization")
        .order_by("organization__name", "unit__name", "user__username")
    )


def _forms(contact_request: ContactRequest, data: Any = None, step: str = "") -> dict[str, forms.Form]:
    """The step forms of the request's page; the one named `step` bound to the posted data."""

    def bound(name: str) -> Any:
        return data if step == name else None

    return {
        "assign": AssignForm(
            bound("assign"),
            services=_holder_services(contact_request),
            professionals=_holder_professionals(contact_request),
            initial={
                "service": contact_request.assigned_service_id,
                "professional": contact_request.assigned_membership_id,
            },
        ),
        "reply": ReplyForm(bound("reply")),
        "forward": ForwardForm(
            bound("forward"),
            centres=FamilyCentre.objects.exclude(pk=contact_request.family_centre_id),
            services=_network_services(contact_request),
            professionals=_network_professionals(contact_request),
        ),
        "close": CloseForm(bound("close")),
        "identify": IdentifyForm(bound("identify")),
    }


def _request_page(
    request: HttpRequest,
    contact_request: ContactRequest,
    step_forms: dict[str, forms.Form],
    status: int = 200,
    step: str = "",
) -> HttpResponse:
    actor = actor_of(request)
    coordinator = coordinates_request(actor, contact_request)
    assigned = contact_request.assigned_membership_id == actor.membership_id
    is_open = contact_request.status != RequestStatus.CLOSED
    shown = {
        "assign": coordinator and is_open,
        "reply": (coordinator or assigned) and is_open,
        "forward": (coordinator or assigned) and is_open,
        "close": (coordinator or assigned) and is_open,
        "identify": (coordinator or assigned) and is_open and contact_request.person_id is None,
    }
    now = timezone.now()
    context = {
        # A step whose form the page does not show (not theirs, or no longer): its errors at the top.
        "refused_form": step_forms[step] if step and not shown[step] else None,
        "contact_request": contact_request,
        "events": list(contact_request.events.select_related("service", "family_centre")),
        "forms": step_forms,
        "may_assign": shown["assign"],
        "may_handle": shown["reply"],
        "may_refer": assigned and contact_request.person_id is not None,
        "is_coordinator": coordinator,
        "overdue": is_overdue(contact_request, now),
        "waited_working_days": waited_working_days(contact_request, now),
    }
    section = "work" if coordinator else "requests"
    return render_work(request, "referrals/request.html", context, section=section, status=status)


@never_cache
@require_GET
@actor_required
def request_page(request: HttpRequest, request_id: str) -> HttpResponse:
    """A contact request: what the family wrote, how to contact them, its steps; the forms of the next steps."""
    contact_request = request_for(actor_of(request), request_id)
    return _request_page(request, contact_request, _forms(contact_request))


def _step(request: HttpRequest, request_id: str, step: str) -> HttpResponse:
    """Run one step of the request's page: parse its form, call its action, show the page again on errors."""
    actor = actor_of(request)
    contact_request = request_for(actor, request_id)
    step_forms = _forms(contact_request, request.POST, step)
    form = step_forms[step]
    if not form.is_valid():
        return _request_page(request, contact_request, step_forms, status=400, step=step)
    data = form.cleaned_data
    try:
        done = _run(actor, contact_request, step, data)
    except ValidationError as error:
        status = apply_errors(form, error)
        contact_request = request_for(actor, request_id)
        return _request_page(request, contact_request, step_forms, status=status, step=step)
    messages.success(request, done)
    if step == "forward":
        # A forwarded request has left the actor's hands (and perhaps their organisation's register).
        return HttpResponseRedirect(reverse("referrals:work"))
    return HttpResponseRedirect(reverse("referrals:request", kwargs={"request_id": contact_request.pk}))


def _run(actor: Actor, contact_request: ContactRequest, step: str, data: dict[str, Any]) -> str:
    """Call the step's action; the message that says it was done."""
    if step == "assign":
        assign_request(actor, contact_request.pk, service=data["service"], professional=data["professional"])
        return _("The request was assigned.")
    if step == "reply":
        reply_to_request(actor, contact_request.pk, message=data["message"])
        return _("The answer was recorded.")
    if step == "forward":
        forward_request(
            actor,
            contact_request.pk,
            family_centre=data["family_centre"],
            service=data["service"],
            professional=data["professional"],
            note=data["note"],
        )
        return _("The request was forwarded.")
    if step == "close":
        close_request(actor, contact_request.pk, outcome=data["outcome"], note=data["note"])
        return _("The request was closed.")
    identify_person(
        actor,
        contact_request.pk,
        identity_code=data["identity_code"],
        given_names=data["given_names"],
        family_name=data["family_name"],
    )
    return _("The person of the request is now known.")


def _step_view(step: str) -> Any:
    @never_cache
    @require_POST
    @actor_required
    def view(request: HttpRequest, request_id: str) -> HttpResponse:
        return _step(request, request_id, step)

    view.__name__ = f"request_{step}"
    view.__doc__ = f"The {step} step of a contact request (a POST from its page)."
    return view


request_assign = _step_view("assign")
request_reply = _step_view("reply")
request_forward = _step_view("forward")
request_close = _step_view("close")
request_identify = _step_view("identify")


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def centre_settings(request: HttpRequest, centre_id: str) -> HttpResponse:
    """The centre's response target in working days (and the unit whose coordinators share its queue)."""
    actor = actor_of(request)
    centre = _coordinated_centre(actor, centre_id)
    setting = TriageSetting.objects.filter(family_centre=centre).first()
    units = Unit.objects.filter(organization_id=centre.coordinator_id)
    initial = {
        "response_days": response_days_of(centre.pk),
        "coordinating_unit": setting.coordinating_unit_id if setting else None,
    }
    form = ResponseTargetForm(
        request.POST if request.method == "POST" else None, units=units, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit = form.cleaned_data["coordinating_unit"]
            try:
                set_response_target(
                    actor,
                    centre,
                    response_days=form.cleaned_data["response_days"],
                    coordinating_unit=unit,
                    clear_unit=unit is None,
                )
            except NotCoordinator:
                raise Http404 from None
            except ValidationError as error:
                status = apply_errors(form, error)
            else:
                messages.success(request, _("The response target was saved."))
                return HttpResponseRedirect(
                    reverse("referrals:centre_settings", kwargs={"centre_id": centre.pk})
                )
        else:
            status = 400
    context = {"centre": centre, "form": form}
    return render_work(request, "referrals/centre_settings.html", context, section="work", status=status)
