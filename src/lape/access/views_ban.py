"""The disclosure-ban pages of professionals: a person's bans, recording one, lifting one.

The family asks a professional, who records the ban (the family's own view comes with issue 5).
The pages follow the consent pages (views_consent): shown only when access lets the actor see the
person's consents and bans – a role that sees client data, the second factor and a relation to the
person – each page shown a logged read, a stranger the same 404 as a missing person, logged as
refused. Setting and lifting are access's own actions (`set_ban`, `lift_ban`), which check, write
and log in one transaction. Addresses carry UUIDs only, never an identity code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lape.accounts.acting import Actor, actor_required
from lape.form_errors import apply_errors
from lape.people.models import Person

from . import guard
from .ban_actions import BAN_RECORD, ban_target, covered, lift_ban, set_ban
from .bans import bans_in_force
from .capacity import must_be_heard
from .categories import Category
from .decisions import Action, Decision
from .forms_ban import BanForm, LiftBanForm
from .models import BanScope, DisclosureBan
from .record_types import is_bannable, label_of
from .views_consent import about, accepted_givers, actor_of, givers_of, may_see


@dataclass(frozen=True)
class BanRow:
    """One ban as the pages show it: its state now, what it covers and its categories in words."""

    ban: DisclosureBan
    state: str  # in_force, upcoming or lifted
    covers: str
    categories: list[str]
    set_by_self: bool


def _read(
    actor: Actor, person_id: Any, decision: Decision, ban_id: Any = None, categories: Iterable[str] = ()
) -> None:
    """Log the read (or the refusal, which raises NotFoundOrForbidden: the same 404 as a missing record)."""
    guard.enforce(actor, Action.READ, ban_target(ban_id, person_id, actor, categories), decision)


def _person_for(actor: Actor, person_id: str) -> tuple[Person, Decision]:
    """The person, if the actor may see their bans; otherwise NotFoundOrForbidden, logged as refused."""
    person = guard.find(actor, Action.READ, Person.objects.all(), person_id, BAN_RECORD)
    decision = may_see(actor, person.pk)
    guard.raise_if_refused(actor, Action.READ, ban_target(None, person.pk, actor, ()), decision)
    return person, decision


def _bans_shown() -> QuerySet[DisclosureBan]:
    """Bans with what their rows show: the people, the organisation or service, who recorded and lifted."""
    return DisclosureBan.objects.select_related(
        "person",
        "set_by",
        "lifted_by",
        "organization",
        "service__organization",
        "recorded_by",
        "lift_recorded_by",
    )


def _covers(ban: DisclosureBan) -> str:
    if ban.scope == BanScope.ORGANIZATION:
        return _("The records of %(organization)s") % {"organization": ban.organization}
    if ban.scope == BanScope.SERVICE and ban.service is not None:
        return _("The records of the service %(service)s (%(organization)s)") % {
            "service": ban.service,
            "organization": ban.service.organization,
        }
    kind = label_of(ban.record_type)
    return _("One record: %(kind)s %(id)s") % {"kind": kind, "id": ban.record_id}


def _rows(bans: list[DisclosureBan], in_force: set[Any]) -> list[BanRow]:
    now = timezone.now()
    rows = []
    for ban in bans:
        if ban.pk in in_force:
            state = "in_force"
        elif ban.lifted_at is not None and ban.lifted_at <= now:
            state = "lifted"
        else:
            state = "upcoming"
        rows.append(
            BanRow(
                ban=ban,
                state=state,
                covers=_covers(ban),
                categories=[str(Category(c).label) for c in ban.categories if c in Category.values],
                set_by_self=ban.set_by_id == ban.person_id,
            )
        )
    return rows


def _list_url(person_id: Any) -> str:
    return reverse("access:bans", kwargs={"person_id": person_id})


@never_cache
@require_GET
@actor_required
def bans(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's disclosure bans: those in force or starting later, and those lifted."""
    actor = actor_of(request)
    person, decision = _person_for(actor, person_id)
    shown = list(_bans_shown().filter(person=person))
    in_force = set(bans_in_force(person.pk).values_list("pk", flat=True))
    _read(actor, person.pk, decision, categories={c for ban in shown for c in covered(ban.categories)})
    rows = _rows(shown, in_force)
    context = {
        "person": person,
        "about": about(person),
        "current": [r for r in rows if r.state in ("in_force", "upcoming")],
        "past": [r for r in rows if r.state == "lifted"],
    }
    return render(request, "access/bans.html", context)


def _initial(request: HttpRequest) -> dict[str, Any]:
    """What a link may choose in advance: one record (a record's page asking to ban it); others ignored."""
    initial: dict[str, Any] = {"valid_from": timezone.localdate()}
    record_type, record_id = request.GET.get("record_type", ""), request.GET.get("record_id", "")
    if is_bannable(record_type) and record_id.strip() and len(record_id) <= 100:
        initial |= {"scope": BanScope.RECORD, "record_type": record_type, "record_id": record_id.strip()}
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def ban_new(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a disclosure ban: who asks, what it covers, which information, from when."""
    actor = actor_of(request)
    person, decision = _person_for(actor, person_id)
    initial = _initial(request)
    if not person.is_child_on(timezone.localdate()):
        initial["set_by"] = person.pk  # an adult is the only one who decides for themselves
    form = BanForm(
        request.POST if request.method == "POST" else None,
        givers=givers_of(person),
        accepted_givers=accepted_givers(person),
        initial=initial,
    )
    _read(actor, person.pk, decision)  # the page shows the person and their guardians
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                set_ban(
                    actor,
                    person=person,
                    set_by=data["set_by"],
                    scope=data["scope"],
                    record_type=data["record_type"],
                    record_id=data["record_id"],
                    service=data["service"],
                    organization=data["organization"],
                    categories=data["categories"],
                    valid_from=data["valid_from"],
                    child_heard=data["child_heard"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The disclosure ban was recorded."))
                return HttpResponseRedirect(_list_url(person.pk))
    context = {
        "person": person,
        "about": about(person),
        "form": form,
        # Hearing the child is asked where the rules ask for it (12 or over), or when the action did.
        "asks_hearing": must_be_heard(person, timezone.localdate()) or bool(form["child_heard"].errors),
        "list_url": _list_url(person.pk),
    }
    return render(request, "access/ban_new.html", context, status=status)


def _ban_for(actor: Actor, ban_id: str) -> DisclosureBan:
    """The ban, if the actor may see the person's bans (a logged read); 404 alike otherwise."""
    ban = guard.find(actor, Action.READ, _bans_shown(), ban_id, BAN_RECORD)
    _read(actor, ban.person_id, may_see(actor, ban.person_id), ban.pk, covered(ban.categories))
    return ban


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def ban_lift(request: HttpRequest, ban_id: str) -> HttpResponse:
    """Lift a ban: the ban, who asks for it to be lifted, then a POST that lifts it at once."""
    actor = actor_of(request)
    ban = _ban_for(actor, ban_id)
    person = ban.person
    form = LiftBanForm(
        request.POST if request.method == "POST" else None,
        givers=givers_of(person),
        accepted_givers=accepted_givers(person),
        initial={"lifted_by": person.pk} if not person.is_child_on(timezone.localdate()) else {},
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                lift_ban(
                    actor,
                    ban.pk,
                    lifted_by=form.cleaned_data["lifted_by"],
                    child_heard=form.cleaned_data["child_heard"],
                )
            except ValidationError as error:
                status = 409 if getattr(error, "code", "") == "lifted" else 400
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The disclosure ban was lifted. From this moment it refuses nothing.")
                )
                return HttpResponseRedirect(_list_url(person.pk))
    in_force = set(bans_in_force(person.pk).filter(pk=ban.pk).values_list("pk", flat=True))
    row = _rows([ban], in_force)[0]
    context = {
        "person": person,
        "row": row,
        "form": form,
        "asks_hearing": must_be_heard(person, timezone.localdate()) or bool(form["child_heard"].errors),
        "list_url": _list_url(person.pk),
    }
    return render(request, "access/ban_lift.html", context, status=status)
