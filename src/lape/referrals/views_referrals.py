"""The referral pages: sent and received, making a referral or a child-protection notification, one referral.

A referral is made from what the professional already has a right to: a contact request assigned
to them, or a referral they handle (the person comes from there, read through access). It takes
two steps without JavaScript: first the receiving service and its kind, then what it carries,
where the page shows for each category of the professional's own information whether a consent
or the law lets it go to that organisation; only those may be filled in. A child-protection
notification (Child Welfare Act 417/2007, 25 §) needs no relation: the notifier names the child.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lape.access.categories import Category
from lape.access.decisions import Basis
from lape.access.registers import handles_in_own_register
from lape.accounts.acting import Actor, actor_required
from lape.directory.models import Service
from lape.people.models import Person
from lape.people.registry import PersonAlreadyRegistered, find_by_identity_code, register_person

from .deadlines import ChildProtectionClocks
from .flow import transition_referral
from .forms_referrals import NotificationForm, ReferralContentForm, ReferralTargetForm, TransitionForm
from .models import ContactRequest, ReferralKind
from .referring import (
    SHAREABLE,
    Carriage,
    carriage,
    create_referral,
    may_refer,
    referral_for,
    referrals_received,
    referrals_sent,
)
from .requests import request_for
from .views import actor_of, apply_errors, render_work


def _services() -> QuerySet[Service]:
    return (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def own_categories(actor: Actor) -> list[str]:
    """The categories of information the actor's role keeps in its own register (what it could send)."""
    return [c for c in SHAREABLE if handles_in_own_register(actor.role, c)]


@never_cache
@require_GET
@actor_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals the actor sent, and those they handle or that wait for their service."""
    actor = actor_of(request)
    context = {"sent": referrals_sent(actor), "received": referrals_received(actor)}
    return render_work(request, "referrals/referrals.html", context, section="referrals")


class _Source:
    """Where a referral starts: a contact request or a referral the actor may read (its person, its link)."""

    def __init__(self, request: HttpRequest, actor: Actor) -> None:
        source = request.POST if request.method == "POST" else request.GET
        self.request_id = source.get("request", "")
        self.referral_id = source.get("referral", "")
        self.contact_request: ContactRequest | None = None
        self.person: Person | None = None
        if self.request_id:
            self.contact_request = request_for(actor, self.request_id)
            self.person = self.contact_request.person
        elif self.referral_id:
            self.person = referral_for(actor, self.referral_id).referral.person

    @property
    def query(self) -> dict[str, str]:
        """The hidden fields that keep the source through the steps."""
        if self.contact_request is not None:
            return {"request": str(self.contact_request.pk)}
        return {"referral": self.referral_id} if self.person is not None else {}


def _shown(item: Carriage) -> dict[str, Any]:
    """A category's carriage as the page says it: may it go, and on what basis."""
    basis = str(Basis(item.basis).label)
    if item.law:
        basis = f"{basis}, {item.law}"
    return {
        "category": item.category,
        "category_label": Category(item.category).label,
        "allowed": item.allowed,
        "banned": item.banned,
        "basis_label": basis,
    }


def _carriages(actor: Actor, person: Person, service: Service, category: str) -> list[Carriage]:
    return [
        carriage(actor, person.pk, service.organization_id, c, ReferralKind.REFERRAL, category)
        for c in own_categories(actor)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def referral_new(request: HttpRequest) -> HttpResponse:
    """Make a referral from a request or referral (two steps), or else a child-protection notification."""
    actor = actor_of(request)
    source = _Source(request, actor)
    if source.person is None:
        return _notification(request, actor)
    data = request.POST if request.method == "POST" else None
    step = request.POST.get("step", "") if data is not None else ""
    target_form = ReferralTargetForm(data, services=_services())
    context: dict[str, Any] = {"source": source, "person": source.person, "hidden": source.query}
    if step in ("content", "send") and target_form.is_valid():
        service = target_form.cleaned_data["receiver_service"]
        category = target_form.cleaned_data["category"]
        carriages = _carriages(actor, source.person, service, category)
        carried = [c.category for c in carriages if c.allowed]
        form = ReferralContentForm(data if step == "send" else None, carried=carried)
        context |= {
            "form": form,
            "carriages": [_shown(c) for c in carriages],
            "category": category,
            "category_label": Category(category).label,
            "may_refer": may_refer(actor, source.person.pk, service.organization_id, category),
            "service": service,
        }
        if step == "send":
            status = 400
            if form.is_valid():
                try:
                    referral = create_referral(
                        actor,
                        person=source.person,
                        receiver_service=service,
                        reason=form.cleaned_data["reason"],
                        category=category,
                        items=form.items(),
                        contact_request=source.contact_request,
                        send=request.POST.get("send") != "draft",
                    )
                except ValidationError as error:
                    status = apply_errors(form, error)
                else:
                    messages.success(request, _("The referral was saved."))
                    return HttpResponseRedirect(
                        reverse("referrals:referral", kwargs={"referral_id": referral.pk})
                    )
            return render_work(
                request, "referrals/referral_content.html", context, section="referrals", status=status
            )
        return render_work(request, "referrals/referral_content.html", context, section="referrals")
    context["form"] = target_form
    status = 400 if data is not None else 200
    return render_work(request, "referrals/referral_target.html", context, section="referrals", status=status)


def person_by_code(code: str, given_names: str, family_name: str) -> Person:
    """The person with this (valid) identity code, or a new registration with the names given."""
    person = find_by_identity_code(code)
    if person is not None:
        return person
    try:
        return register_person(given_names=given_names, family_name=family_name, identity_code=code)
    except PersonAlreadyRegistered:  # registered by someone else a moment ago
        found = find_by_identity_code(code)
        if found is None:  # pragma: no cover - registered and gone in the same instant
            raise ValidationError({"identity_code": _("Try again.")}, code="race") from None
        return found


def _notification(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A child-protection notification: anyone who sees client data may make one (25 §), no relation needed."""
    data = request.POST if request.method == "POST" else None
    form = NotificationForm(data, services=_services(), own_categories=own_categories(actor))
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                child = form.cleaned_data
                person = person_by_code(child["identity_code"], child["given_names"], child["family_name"])
                referral = create_referral(
                    actor,
                    person=person,
                    receiver_service=form.cleaned_data["receiver_service"],
                    reason=form.cleaned_data["reason"],
                    category=Category.CHILD_PROTECTION,
                    items=form.items(),
                    kind=ReferralKind.CHILD_PROTECTION_NOTIFICATION,
                )
            except ValidationError as error:
                status = apply_errors(form, error)
            else:
                messages.success(request, _("The child-protection notification was sent."))
                return HttpResponseRedirect(
                    reverse("referrals:referral", kwargs={"referral_id": referral.pk})
                )
    return render_work(
        request, "referrals/notification.html", {"form": form}, section="referrals", status=status
    )


def _clocks(clocks: ChildProtectionClocks | None) -> list[dict[str, Any]]:
    """The statutory clocks of a notification as the page lists them."""
    if clocks is None:
        return []
    shown = []
    for key, label, clock in (
        ("decision", _("Decision whether to start an assessment (7 working days)"), clocks.decision),
        ("assessment", _("Assessment completed (3 months)"), clocks.assessment),
    ):
        shown.append(
            {
                "key": key,
                "label": label,
                "due_on": clock.due_on,
                "met_on": clock.met_on,
                "overdue": clock.overdue,
                "days_left": clock.days_left,
                "late_by": -clock.days_left,
            }
        )
    return shown


def _referral_page(
    request: HttpRequest, referral_id: str, posted: TransitionForm | None = None, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    view = referral_for(actor, referral_id)
    transition_forms = []
    refused = posted
    for to_status in view.allowed_transitions:
        if posted is not None and posted.initial.get("to_status") == to_status:
            transition_forms.append(posted)
            refused = None
        else:
            transition_forms.append(TransitionForm(to_status=to_status))
    context = {
        "view": view,
        "referral": view.referral,
        "items": [{"label": Category(i.category).label, "text": i.text} for i in view.items],
        "withheld": [
            {"label": Category(w.category).label, "explanation": w.explanation} for w in view.withheld
        ],
        "clocks": _clocks(view.clocks),
        "transition_forms": transition_forms,
        # A step that is not (or no longer) among the actor's: its errors at the top of the page.
        "refused_form": refused,
    }
    return render_work(request, "referrals/referral.html", context, section="referrals", status=status)


@never_cache
@require_GET
@actor_required
def referral_page(request: HttpRequest, referral_id: str) -> HttpResponse:
    """A referral as the actor may see it: parties, what is asked, what it carries, its steps, the next steps."""
    return _referral_page(request, referral_id)


@never_cache
@require_POST
@actor_required
def referral_transition(request: HttpRequest, referral_id: str) -> HttpResponse:
    """One status step of a referral (a button of its page)."""
    actor = actor_of(request)
    to_status = request.POST.get("to", "")
    form = TransitionForm(request.POST, to_status=to_status)
    if not form.is_valid() or form.cleaned_data["to_status"] != to_status:
        return _referral_page(request, referral_id, form, status=400)
    try:
        transition_referral(
            actor,
            referral_id,
            to_status,
            reason=form.cleaned_data.get("reason", ""),
            outcome=form.cleaned_data.get("outcome", ""),
        )
    except ValidationError as error:
        status = apply_errors(form, error)
        return _referral_page(request, referral_id, form, status=status)
    messages.success(request, _("The referral's status was changed."))
    return HttpResponseRedirect(reverse("referrals:referral", kwargs={"referral_id": referral_id}))
