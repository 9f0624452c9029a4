"""The consent pages of professionals: a person's consents, recording one, withdrawing one.

Everything on them is client data (the person, their guardians, their consents). A page is shown
only when access lets the actor see the person's consents – a role that sees client data, the
second factor, and a relation to the person (their contact request, referral or team, from the
registered relation providers) – and every page shown is a logged read. A stranger gets the same
404 as for a person who does not exist, logged as refused. Recording and withdrawing are access's
own actions (`grant_consent`, `withdraw_consent`), which check, write and log in one transaction.
Addresses carry UUIDs only, never an identity code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lape.accounts.acting import Actor, actor_required
from lape.directory.models import Organization
from lape.form_errors import apply_errors
from lape.people.models import Person
from lape.people.registry import guardians_of

from . import guard
from .capacity import AGE_OWN_CONSENT, must_be_heard
from .categories import Category
from .consent_actions import (
    CONSENT_RECORD,
    consent_target,
    grant_consent,
    may_record_consent,
    withdraw_consent,
)
from .consents import consents_in_force
from .decisions import Action, Decision
from .forms_consent import ConsentForm, initial_choices
from .models import Consent


@dataclass(frozen=True)
class ConsentRow:
    """One consent as the pages show it: its state now, its categories in words, its organisations."""

    consent: Consent
    state: str  # in_force, upcoming, ended or withdrawn
    categories: list[str]
    organizations: list[Organization]
    given_by_self: bool


def actor_of(request: HttpRequest) -> Actor:
    """The actor that actor_required put on the request."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def may_see(actor: Actor, person_id: Any) -> Decision:
    """Reading a person's consents (or bans) needs what recording one needs, always with the relation."""
    # No categories: the contact-only exception of recording (Social Welfare Act 35 §) opens no reads.
    return may_record_consent(actor, person_id, ())


def _read(
    actor: Actor, person_id: Any, decision: Decision, consent_id: Any = None, categories: Iterable[str] = ()
) -> None:
    """Log the read (or the refusal, which raises NotFoundOrForbidden: the same 404 as a missing record)."""
    guard.enforce(actor, Action.READ, consent_target(consent_id, person_id, actor, categories), decision)


def _person_for(actor: Actor, person_id: object) -> tuple[Person, Decision]:
    """The person, if the actor may see their consents; otherwise NotFoundOrForbidden, logged as refused."""
    person = guard.find(actor, Action.READ, Person.objects.all(), person_id, CONSENT_RECORD)
    decision = may_see(actor, person.pk)
    guard.raise_if_refused(actor, Action.READ, consent_target(None, person.pk, actor, ()), decision)
    return person, decision


def consent_rows(consents: list[Consent], in_force: set[Any]) -> list[ConsentRow]:
    """The consents as the pages show them (the professionals' and the family's alike)."""
    now = timezone.now()
    today = timezone.localdate(now)
    rows = []
    for consent in consents:
        if consent.pk in in_force:
            state = "in_force"
        elif consent.withdrawn_at is not None and consent.withdrawn_at <= now:
            state = "withdrawn"
        elif consent.valid_from > today:
            state = "upcoming"
        else:
            state = "ended"
        rows.append(
            ConsentRow(
                consent=consent,
                state=state,
                categories=[str(Category(c).label) for c in consent.categories if c in Category.values],
                organizations=list(consent.organizations.all()),
                given_by_self=consent.given_by_id == consent.person_id,
            )
        )
    return rows


def consents_shown() -> QuerySet[Consent]:
    """Consents with what their rows show: the people, who recorded and withdrew, the organisations."""
    return Consent.objects.select_related(
        "person", "given_by", "recorded_by", "withdrawal_recorded_by"
    ).prefetch_related("organizations")


def about(person: Person) -> str:
    """The person's age and who consents for them, in plain words (lape.access.capacity's rules)."""
    today = timezone.localdate()
    age = person.age_on(today)
    who = ngettext("%(name)s (%(age)d year)", "%(name)s (%(age)d years)", age) % {
        "name": person,
        "age": age,
    }
    if not person.is_child_on(today):
        return _("%(who)s: an adult, who consents only for themselves.") % {"who": who}
    if age >= AGE_OWN_CONSENT:
        return _(
            "%(who)s: may consent themselves in their own health care, social services, child "
            "protection, pupil welfare, NGO support and contact matters; for anything else a guardian "
            "consents, after hearing them."
        ) % {"who": who}
    if must_be_heard(person, today):
        return _("%(who)s: a guardian consents, after hearing the child.") % {"who": who}
    return _("%(who)s: a guardian consents.") % {"who": who}


def local_path(request: HttpRequest, value: str) -> str:
    """`value` if it is a path on this site (where to go back to), else ""."""
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _list_url(person_id: Any, back: str = "") -> str:
    url = reverse("access:consents", kwargs={"person_id": person_id})
    return f"{url}?{_query(back)}" if back else url


def _query(back: str) -> str:
    return urlencode({"next": back})


def person_consents(actor: Actor, person_id: object) -> tuple[Person, list[ConsentRow]]:
    """A person's consents, newest first, if the actor may see them (a logged read); 404 alike otherwise.

    The professionals' page and the API both call this.
    """
    person, decision = _person_for(actor, person_id)
    shown = list(consents_shown().filter(person=person))
    in_force = set(consents_in_force(person.pk).values_list("pk", flat=True))
    _read(actor, person.pk, decision, categories=sorted({c for consent in shown for c in consent.categories}))
    return person, consent_rows(shown, in_force)


@never_cache
@require_GET
@actor_required
def consents(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's consents: those in force or starting later, and those ended or withdrawn."""
    actor = actor_of(request)
    person, rows = person_consents(actor, person_id)
    back = local_path(request, request.GET.get("next", ""))
    context = {
        "person": person,
        "about": about(person),
        "current": [r for r in rows if r.state in ("in_force", "upcoming")],
        "past": [r for r in rows if r.state in ("ended", "withdrawn")],
        "back": back,
        "next_query": _query(back) if back else "",
    }
    return render(request, "access/consents.html", context)


def givers_of(person: Person) -> list[tuple[Person, str]]:
    """Who may give a consent now, as the radios say it: the current guardians, and the person when able."""
    today = timezone.localdate()
    if not person.is_child_on(today):
        return [(person, _("%(name)s, themselves") % {"name": person})]
    givers = [(g, _("%(name)s, guardian") % {"name": g}) for g in guardians_of(person, on=today)]
    if person.age_on(today) >= AGE_OWN_CONSENT:
        givers.append((person, _("%(name)s, the young person themselves (own matters)") % {"name": person}))
    return givers


def accepted_givers(person: Person) -> QuerySet[Person]:
    """Whom a form accepts as the giver: the person and anyone ever their guardian (the action says why not)."""
    return Person.objects.filter(Q(pk=person.pk) | Q(wards__child=person)).distinct()


def _network() -> QuerySet[Organization]:
    """The organisations of the family centres' networks: coordinators and those with a service in one."""
    return (
        Organization.objects.filter(
            Q(services__family_centres__isnull=False) | Q(coordinated_family_centres__isnull=False)
        )
        .distinct()
        .order_by("name")
    )


def _consent_form(request: HttpRequest, person: Person) -> ConsentForm:
    network = _network()
    others = Organization.objects.exclude(pk__in=network.values("pk")).order_by("name")
    initial: dict[str, Any] = {"valid_from": timezone.localdate(), "next": request.GET.get("next", "")}
    if not person.is_child_on(timezone.localdate()):
        initial["given_by"] = person.pk  # an adult is the only one who consents for themselves
    initial |= initial_choices(
        Organization.objects.all(),
        network,
        request.GET.getlist("organization"),
        request.GET.getlist("category"),
    )
    return ConsentForm(
        request.POST if request.method == "POST" else None,
        givers=givers_of(person),
        accepted_givers=accepted_givers(person),
        network=network,
        organizations=others,
        initial=initial,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def consent_new(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a consent: who gave it, to which organisations, which information, what for, when."""
    actor = actor_of(request)
    person, decision = _person_for(actor, person_id)
    form = _consent_form(request, person)
    _read(actor, person.pk, decision)  # the page shows the person and their guardians
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant_consent(
                    actor,
                    person=person,
                    given_by=data["given_by"],
                    organizations=form.chosen_organizations(),
                    categories=data["categories"],
                    purpose=data["purpose"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    child_heard=data["child_heard"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The consent was recorded."))
                back = local_path(request, data["next"])
                return HttpResponseRedirect(back or _list_url(person.pk))
    back = local_path(request, str(form["next"].value() or ""))
    context = {
        "person": person,
        "about": about(person),
        "form": form,
        # Hearing the child is asked where the rules ask for it (12 or over), or when the action did.
        "asks_hearing": must_be_heard(person, timezone.localdate()) or bool(form["child_heard"].errors),
        "back": back,
        "list_url": _list_url(person.pk, back),
    }
    return render(request, "access/consent_new.html", context, status=status)


def _consent_for(actor: Actor, consent_id: str) -> Consent:
    """The consent, if the actor may see the person's consents (a logged read); 404 alike otherwise."""
    consent = guard.find(actor, Action.READ, consents_shown(), consent_id, CONSENT_RECORD)
    _read(actor, consent.person_id, may_see(actor, consent.person_id), consent.pk, consent.categories)
    return consent


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def consent_withdraw(request: HttpRequest, consent_id: str) -> HttpResponse:
    """Withdraw a consent: a confirmation page, then a POST that withdraws it at once."""
    actor = actor_of(request)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        # The action decides and logs the write itself; a refusal is the same 404 as a missing consent.
        try:
            withdrawn = withdraw_consent(actor, consent_id)
        except ValidationError as error:
            errors, status = error.messages, 409
        else:
            messages.success(
                request, _("The consent was withdrawn. From this moment nothing is shared on it.")
            )
            return HttpResponseRedirect(_list_url(withdrawn.person_id))
    consent = _consent_for(actor, consent_id)
    in_force = set(consents_in_force(consent.person_id).filter(pk=consent.pk).values_list("pk", flat=True))
    context = {
        "person": consent.person,
        "row": consent_rows([consent], in_force)[0],
        "errors": errors,
        "list_url": _list_url(consent.person_id),
    }
    return render(request, "access/consent_withdraw.html", context, status=status)
