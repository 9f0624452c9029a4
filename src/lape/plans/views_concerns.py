"""The concern-signal pages: a professional's signals and their matches; the family's view of signals.

`/work/concerns/` lists the professional's own signals (this membership) with the other side of each
match (organisation, professional, contact), registers one and withdraws one. Every match shown is
a logged read about the child; a manager's visit is a logged refusal and a 404. The family's page
(`/family/people/<id>/concern-signals/`) shows that signals exist, by which organisation and since
when, decided by `lape.access.family` and logged as the family's read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lape.access import guard
from lape.access.decisions import Action
from lape.access.family import family_read
from lape.accounts.acting import Actor, actor_required
from lape.accounts.family import FamilyMember, family_member_required

from .concerns import (
    CONTACT_MAX,
    SIGNAL_RECORD,
    log_match_read,
    matches_of,
    may_signal,
    own_signals,
    register_signal,
    signal_days,
    signal_target,
    signals_about,
    withdraw_signal,
)


class SignalForm(forms.Form):
    """Register a signal: the child's identity code, their names if not yet registered, your contact."""

    identity_code = forms.CharField(
        label=gettext_lazy("The child's identity code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    given_names = forms.CharField(
        label=gettext_lazy("Given names"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Needed only when nobody with this identity code is registered yet."),
    )
    family_name = forms.CharField(label=gettext_lazy("Family name"), required=False, max_length=200)
    contact = forms.CharField(
        label=gettext_lazy("How to reach you"),
        max_length=CONTACT_MAX,
        help_text=gettext_lazy("A phone number or an e-mail address. The signal holds nothing else."),
    )


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def concerns(request: HttpRequest) -> HttpResponse:
    """My signals with their matches, and a form to register one."""
    actor = _actor(request)
    # A role that may not signal sees no page at all: logged, and the same 404 as anything missing.
    guard.raise_if_refused(
        actor, Action.READ, signal_target("", None, actor.organization_id), may_signal(actor)
    )
    form = SignalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signal = register_signal(actor, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                found = len(matches_of(signal))
                if found:
                    messages.success(
                        request,
                        _(
                            "The signal was registered. Another organisation has signalled about the same child: see below how to reach them."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The signal was registered. Nobody else has signalled about this child for now; you will see it here if someone does."
                        ),
                    )
                return HttpResponseRedirect(reverse("concerns:concerns"))
        status = 400
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for signal in own_signals(actor):
        seen = matches_of(signal)
        for item in seen:
            log_match_read(actor, item)
        rows.append({"signal": signal, "in_force": signal.in_force(now), "matches": seen})
    context = {"form": form, "rows": rows, "days": signal_days()}
    return render(request, "plans/concerns.html", context, status=status)


@never_cache
@require_POST
@actor_required
def concern_withdraw(request: HttpRequest, signal_id: str) -> HttpResponse:
    """Withdraw one of my signals (a POST from the list); another's or a missing one: 404."""
    try:
        withdraw_signal(_actor(request), signal_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The signal was withdrawn: it is no longer matched."))
    return HttpResponseRedirect(reverse("concerns:concerns"))


@never_cache
@require_http_methods(["GET"])
@family_member_required
def family_concern_signals(request: HttpRequest, person_id: str) -> HttpResponse:
    """The signals about this person: that they exist, by which organisation, since and until when."""
    member: FamilyMember = request.family_member  # type: ignore[attr-defined]
    person = family_read(member, person_id, SIGNAL_RECORD)
    now = timezone.now()
    rows = [{"signal": s, "in_force": s.in_force(now)} for s in signals_about(person.pk)]
    context = {"person": person, "is_me": person.pk == member.person_id, "rows": rows}
    return render(request, "plans/family_concern_signals.html", context)
