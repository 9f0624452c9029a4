"""The guardians page of professionals: a child's guardians, recording one, ending one.

Everything on it is the child's client data. A page is shown only when access lets the actor
handle the child's guardians – a role that sees client data, the second factor and a relation to
the child (their contact request, referral or team) – and every page shown is a logged read. A
stranger gets the same 404 as for a person who does not exist, logged as refused. Recording and
ending are `guardian_actions`, which check, write and log in one transaction. Addresses carry UUIDs
only, never an identity code.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lape.access import guard
from lape.access.decisions import Action, Decision
from lape.access.views_consent import local_path
from lape.accounts.acting import Actor, actor_required
from lape.form_errors import apply_errors

from .forms import EndGuardianshipForm, GuardianForm
from .guardian_actions import (
    ALREADY_ENDED,
    GUARDIAN_RELATION,
    end_guardian,
    guardians_target,
    may_handle_guardians,
    record_guardian,
)
from .models import GuardianRelation, Person


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _action(request: HttpRequest) -> Action:
    """A form sent is a write (and its refusal logged as one); a page shown, a read."""
    return Action.WRITE if request.method == "POST" else Action.READ


def _child_for(actor: Actor, person_id: str, action: Action) -> tuple[Person, Decision]:
    """The child, if the actor may handle their guardians; otherwise NotFoundOrForbidden, logged as refused."""
    child = guard.find(actor, action, Person.objects.all(), person_id, GUARDIAN_RELATION)
    decision = may_handle_guardians(actor, child.pk)
    guard.raise_if_refused(actor, action, guardians_target(actor, child.pk), decision)
    return child, decision


def _read(
    actor: Actor, child_id: uuid.UUID, decision: Decision, relation_id: uuid.UUID | None = None
) -> None:
    """Log the page's read of the child's guardians (a refusal raises: the same 404 as a missing record)."""
    guard.enforce(actor, Action.READ, guardians_target(actor, child_id, relation_id), decision)


def _page_url(child_id: uuid.UUID, back: str = "") -> str:
    url = reverse("people:guardians", kwargs={"person_id": child_id})
    return f"{url}?{urlencode({'next': back})}" if back else url


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def guardians(request: HttpRequest, person_id: str) -> HttpResponse:
    """A child's guardians (in force, and ended as history), and the form to record one."""
    actor = _actor(request)
    child, decision = _child_for(actor, person_id, _action(request))
    back = local_path(request, request.GET.get("next", ""))
    form = GuardianForm(
        request.POST if request.method == "POST" else None,
        initial={"started": timezone.localdate(), "next": back},
    )
    status = 200
    if form.is_bound:
        status = 400
        back = local_path(request, str(form["next"].value() or ""))
        if form.is_valid():
            data = form.cleaned_data
            try:
                relation = record_guardian(
                    actor,
                    child,
                    identity_code=data["identity_code"],
                    given_names=data["given_names"],
                    family_name=data["family_name"],
                    started=data["started"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(guardian)s was recorded as a guardian of %(child)s.")
                    % {"guardian": relation.guardian, "child": child},
                )
                return HttpResponseRedirect(_page_url(child.pk, back))
    _read(actor, child.pk, decision)
    today = timezone.localdate()
    relations = list(GuardianRelation.objects.filter(child=child).select_related("guardian"))
    context = {
        "child": child,
        "age": child.age_on(today),
        "is_child": child.is_child_on(today),
        "current": [r for r in relations if r.ended is None or r.ended >= today],
        "past": [r for r in relations if r.ended is not None and r.ended < today],
        "form": form,
        "back": back,
    }
    return render(request, "people/guardians.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def guardianship_end(request: HttpRequest, relation_id: str) -> HttpResponse:
    """End a guardianship: the relation and a last day to confirm; the POST ends it."""
    actor = _actor(request)
    form = EndGuardianshipForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            # The action finds, decides and logs the write; a refusal is the same 404 as a missing relation.
            try:
                last_day = form.cleaned_data["ended"] or timezone.localdate()
                ended = end_guardian(actor, relation_id, ended=last_day)
            except ValidationError as error:
                apply_errors(form, error)
                status = 409 if not form.has_error("ended") else 400
            else:
                messages.success(
                    request,
                    _("The guardianship of %(guardian)s ended on %(date)s.")
                    % {"guardian": ended.guardian, "date": date_format(last_day, "SHORT_DATE_FORMAT")},
                )
                return HttpResponseRedirect(_page_url(ended.child_id))
    relation = guard.find(
        actor,
        _action(request),
        GuardianRelation.objects.select_related("guardian", "child"),
        relation_id,
        GUARDIAN_RELATION,
    )
    _read(actor, relation.child_id, may_handle_guardians(actor, relation.child_id), relation.pk)
    if not form.is_bound:
        form = EndGuardianshipForm(initial={"ended": timezone.localdate()})
    context = {
        "relation": relation,
        "form": form,
        "page_url": _page_url(relation.child_id),
        "already_ended": ALREADY_ENDED,
    }
    return render(request, "people/guardianship_end.html", context, status=status)
