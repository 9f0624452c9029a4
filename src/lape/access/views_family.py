"""The family's own pages: home, the access log of their data, their consents (signed-in family members).

A guardian sees themselves and the children in their custody today (`wards_of`); a young person of
12 or more sees only themselves. Every page is a read of client data, decided by
`lape.access.family` and logged with the family member as the actor; another family's person, a
child whose custody has ended and a person who does not exist all give the same 404. Addresses
carry person and consent ids (UUIDs) only. A consent is given and withdrawn here through the
professionals' own actions, `grant_consent` and `withdraw_consent`, with the family member as the
actor (`family_decision`, `family_withdrawal_decision`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lape.accounts.family import FamilyMember, family_member_required, family_person_id_of
from lape.accounts.models import Role
from lape.directory.models import Organization
from lape.form_errors import apply_errors
from lape.people.models import Person
from lape.people.registry import wards_of

from . import guard
from .capacity import AGE_OWN_CONSENT, SELF_CONSENT_CATEGORIES, decides_alone, must_be_heard
from .categories import Category
from .consent_actions import CONSENT_RECORD, consent_target, grant_consent, withdraw_consent
from .consents import consents_in_force
from .decisions import Action, Basis, Outcome, Refusal
from .family import (
    ACCESS_LOG_RECORD,
    CONSENTS_RECORD,
    PERSON_RECORD,
    FamilyLink,
    consent_organization_ids,
    family_links,
    family_read,
    family_withdrawal_decision,
    kept_record_ids,
    log_family_read,
)
from .forms_consent import FamilyConsentForm
from .log import entries_about
from .models import AccessLogEntry, Consent
from .record_types import label_of
from .retention import RETENTION_ACTOR, RETENTION_LAW
from .statutes import STATUTES
from .views_consent import ConsentRow, consent_rows, consents_shown

LOG_PAGE_SIZE = 50
LAW_TITLES: dict[str, Any] = {statute.law: statute.title for statute in STATUTES} | {
    "2016/679 15 art.": gettext_lazy(
        "General Data Protection Regulation (EU) 2016/679, article 15: the right of access"
    ),
    "2016/679 24 art.": gettext_lazy(
        "General Data Protection Regulation (EU) 2016/679, article 24: the controller's review of the processing"
    ),
    RETENTION_LAW: gettext_lazy(
        "General Data Protection Regulation (EU) 2016/679, article 5: kept no longer than necessary"
    ),
}


@dataclass(frozen=True)
class LogRow:
    """One access-log row in the family's words."""

    entry: AccessLogEntry
    who: str
    role: str
    organization: str
    what: str
    categories: list[str]
    action: str
    allowed: bool
    basis: str
    law: str
    refusal: str
    emergency: bool


def _member(request: HttpRequest) -> FamilyMember:
    member: FamilyMember = request.family_member  # type: ignore[attr-defined]
    return member


def _names(entries: list[AccessLogEntry]) -> dict[int, str]:
    """The professionals' names of the rows, by user id."""
    user_ids = {e.user_id for e in entries if e.user_id is not None}
    return {
        user.pk: user.get_full_name() or user.get_username() for user in User.objects.filter(pk__in=user_ids)
    }


def _who(entry: AccessLogEntry, names: dict[int, str], member: FamilyMember, subject: Person) -> str:
    """Who a row's actor is: a professional by name; a family member by who they are to the page.

    The reader is "you", the person whose log it is by their name (the page has read them); any
    other family member who can read this person's data is one of their guardians, named so and not
    by name: naming them would read another person's data, for nothing the reader needs.
    """
    if entry.user_id is not None:
        return names.get(entry.user_id, entry.username)
    family_id = family_person_id_of(entry.username)
    if family_id is None:
        if entry.username == RETENTION_ACTOR.username:
            return _("the platform: the retention period had ended")
        return _("someone who was not signed in")
    if family_id == member.person_id:
        return _("you")
    if family_id == subject.pk:
        return str(subject)
    return _("a guardian")


def _role(role: str) -> str:
    if role == "family_member":
        return _("family member")
    return str(Role(role).label) if role in Role.values else role


def log_rows(entries: list[AccessLogEntry], member: FamilyMember, subject: Person) -> list[LogRow]:
    """The rows about `subject` in plain words: who (name, role, organisation), what, how, allowed or not and why."""
    names = _names(entries)
    organizations = {
        o.pk: o.text("name") for o in Organization.objects.filter(pk__in={e.organization_id for e in entries})
    }
    rows = []
    for entry in entries:
        categories = [str(Category(c).label) for c in entry.category.split(",") if c and c in Category.values]
        rows.append(
            LogRow(
                entry=entry,
                who=_who(entry, names, member, subject),
                role=_role(entry.role),
                organization=organizations.get(entry.organization_id, "") if entry.organization_id else "",
                what=label_of(entry.record_type),
                categories=categories,
                action=str(Action(entry.action).label) if entry.action in Action.values else entry.action,
                allowed=entry.outcome == Outcome.ALLOWED,
                basis=str(Basis(entry.basis).label) if entry.basis in Basis.values else entry.basis,
                law=str(LAW_TITLES.get(entry.law, entry.law)),
                refusal=str(Refusal(entry.refusal).label)
                if entry.refusal in Refusal.values
                else entry.refusal,
                emergency=entry.basis == Basis.EMERGENCY,
            )
        )
    return rows


def family_log_entries(member: FamilyMember, person: Person) -> QuerySet[AccessLogEntry]:
    """The rows about the person the member may see, newest first: all but a young person's own
    confidential records' rows when the member is their guardian (the page and the export)."""
    entries = entries_about(person.pk)
    kept = kept_record_ids(member, person)
    return entries.exclude(record_id__in=sorted(kept)) if kept else entries


def family_log_page(
    member: FamilyMember, person_id: object, page_number: int | str | None
) -> tuple[Person, Page[AccessLogEntry], list[LogRow]]:
    """One page (LOG_PAGE_SIZE rows, newest first) of the access log about the person, in plain words.

    Decided and logged as the family's read; another family's person and a missing one: 404 alike.
    The family's page and the API both call this. A page number past the end gives the last page.
    """
    person = family_read(member, person_id, ACCESS_LOG_RECORD)
    page = Paginator(family_log_entries(member, person), LOG_PAGE_SIZE).get_page(page_number)
    return person, page, log_rows(list(page.object_list), member, person)


def family_consent_rows(
    member: FamilyMember, person_id: object
) -> tuple[Person, list[ConsentRow], set[uuid.UUID]]:
    """The person's consents (a logged read of the family's), and those the member may withdraw now.

    The withdrawal action decides again when asked. The family's page and the API both call this.
    """
    person = family_read(member, person_id, CONSENTS_RECORD)
    shown: list[Consent] = list(consents_shown().filter(person=person))
    in_force: set[uuid.UUID] = set(consents_in_force(person.pk).values_list("pk", flat=True))
    rows = consent_rows(shown, in_force)
    withdrawable = {
        r.consent.pk
        for r in rows
        if r.state in ("in_force", "upcoming") and family_withdrawal_decision(member, r.consent).allowed
    }
    return person, rows, withdrawable


def family_people(member: FamilyMember) -> tuple[Person, list[Person], list[FamilyLink]]:
    """The member, the children in their custody today (each name a logged read), and every app's links."""
    me, children = _people_of(member)
    for child in children:  # their names are client data: each shown name is a logged read
        log_family_read(member, child, PERSON_RECORD)
    return me, children, family_links(member, [me, *children])


def _people_of(member: FamilyMember) -> tuple[Person, list[Person]]:
    """The member and the children in their custody today (none for a minor)."""
    me = Person.objects.get(pk=member.person_id)
    children = list(wards_of(me, on=timezone.localdate()).order_by("birth_date", "id"))
    return me, children


@never_cache
@require_GET
@family_member_required
def family_home(request: HttpRequest) -> HttpResponse:
    """Who is signed in and whose data they may see: themselves and their children."""
    member = _member(request)
    me, children, links = family_people(member)
    context = {
        "me": me,
        "my_links": [link for link in links if link.person_id == me.pk],
        "children": [(child, [link for link in links if link.person_id == child.pk]) for child in children],
    }
    return render(request, "access/family_home.html", context)


@never_cache
@require_GET
@family_member_required
def family_access_log(request: HttpRequest, person_id: str) -> HttpResponse:
    """Who has seen or changed this person's data, when and on which basis; newest first, paged."""
    member = _member(request)
    person, page, rows = family_log_page(member, person_id, request.GET.get("page"))
    context = {"person": person, "is_me": person.pk == member.person_id, "page": page, "rows": rows}
    return render(request, "access/family_access_log.html", context)


@never_cache
@require_GET
@family_member_required
def family_consents(request: HttpRequest, person_id: str) -> HttpResponse:
    """The person's consents: in force or starting later, and ended or withdrawn."""
    member = _member(request)
    person, rows, withdrawable = family_consent_rows(member, person_id)
    context = {
        "person": person,
        "is_me": person.pk == member.person_id,
        "current": [r for r in rows if r.state in ("in_force", "upcoming")],
        "past": [r for r in rows if r.state in ("ended", "withdrawn")],
        "withdrawable": withdrawable,
    }
    return render(request, "access/family_consents.html", context)


def _consents_url(person_id: uuid.UUID) -> str:
    return reverse("access:family_consents", kwargs={"person_id": person_id})


@never_cache
@require_http_methods(["GET", "POST"])
@family_member_required
def family_consent_withdraw(request: HttpRequest, consent_id: str) -> HttpResponse:
    """Withdraw a consent: a confirmation page, then a POST that withdraws it at once.

    The page is a read of the consent decided by the withdrawal rule: a consent the member may not
    withdraw (another family's, a child's after custody ended, a young person's own) and a missing
    one give the same 404, logged as refused.
    """
    member = _member(request)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        # The action decides and logs the write itself; a refusal is the same 404 as a missing consent.
        try:
            withdrawn = withdraw_consent(member, consent_id)
        except ValidationError as error:
            errors, status = error.messages, 409
        else:
            messages.success(
                request, _("The consent was withdrawn. From this moment nothing is shared on it.")
            )
            return HttpResponseRedirect(_consents_url(withdrawn.person_id))
    consent = guard.find(member, Action.READ, consents_shown(), consent_id, CONSENT_RECORD)
    target = consent_target(consent.pk, consent.person_id, member, consent.categories)
    guard.enforce(member, Action.READ, target, family_withdrawal_decision(member, consent))
    in_force = set(consents_in_force(consent.person_id).filter(pk=consent.pk).values_list("pk", flat=True))
    context = {
        "person": consent.person,
        "row": consent_rows([consent], in_force)[0],
        "errors": errors,
        "list_url": _consents_url(consent.person_id),
    }
    return render(request, "access/family_consent_withdraw.html", context, status=status)


def _may_give(member: FamilyMember, person: Person) -> str:
    """Why the member may give no consent about the person here ("" when they may): a child under 15."""
    today = timezone.localdate()
    if member.person_id == person.pk and person.is_child_on(today) and person.age_on(today) < AGE_OWN_CONSENT:
        return _("Until you are 15, your guardian gives the consents about your information.")
    return ""


def _what_decides(member: FamilyMember, person: Person) -> str:
    """The capacity rules (lape.access.capacity) that apply to this giver, in plain words."""
    today = timezone.localdate()
    if member.person_id == person.pk:
        if person.is_child_on(today) and person.age_on(today) >= AGE_OWN_CONSENT:  # younger: _may_give
            return _(
                "You may consent yourself in your own health care, social services, child protection, "
                "pupil welfare, NGO support and contact matters; your guardian consents for anything else."
            )
        return ""
    if decides_alone(person, SELF_CONSENT_CATEGORIES, today):
        return _(
            "%(name)s is 15 or over and decides alone on sharing their own health care information: "
            "only they can give that consent."
        ) % {"name": person}
    if must_be_heard(person, today):
        return _("%(name)s is 12 or over: hear them before you consent for them.") % {"name": person}
    return ""


@never_cache
@require_http_methods(["GET", "POST"])
@family_member_required
def family_consent_new(request: HttpRequest, person_id: str) -> HttpResponse:
    """Give a consent: the organisations working with the child, the information, what for, when.

    The member gives it themselves, for themselves or a child in their custody today; the page is a
    logged read of the person's consents, and recording is `grant_consent` with the member as the
    actor (its log row names them). Another family's person and a missing one: the same 404, logged.
    """
    member = _member(request)
    person = family_read(member, person_id, CONSENTS_RECORD)
    today = timezone.localdate()
    organizations = Organization.objects.filter(pk__in=consent_organization_ids(person)).order_by("name")
    form = FamilyConsentForm(
        request.POST if request.method == "POST" else None,
        organizations=organizations,
        initial={"valid_from": today},
    )
    refusal = _may_give(member, person)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():  # a child under 15 who posts anyway hears the action's own sentence
            data = form.cleaned_data
            try:
                grant_consent(
                    member,
                    person=person,
                    given_by=Person.objects.get(pk=member.person_id),
                    organizations=list(data["organizations"]),
                    categories=data["categories"],
                    purpose=data["purpose"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    child_heard=data["child_heard"],
                )
            except ValidationError as error:
                apply_errors(form, _giver_errors_on_categories(error))
            else:
                messages.success(request, _("Your consent was recorded."))
                return HttpResponseRedirect(_consents_url(person.pk))
    context = {
        "person": person,
        "is_me": person.pk == member.person_id,
        "form": form,
        "refusal": refusal,
        "rules": _what_decides(member, person),
        "asks_hearing": person.pk != member.person_id and must_be_heard(person, today),
        "list_url": _consents_url(person.pk),
    }
    return render(request, "access/family_consent_new.html", context, status=status)


def _giver_errors_on_categories(error: ValidationError) -> ValidationError:
    """The giver's capacity errors (keyed `given_by`) said next to the categories: the giver is the
    member, and which information they chose is what makes the consent theirs to give or not."""
    if not hasattr(error, "error_dict") or "given_by" not in error.error_dict:
        return error
    errors = dict(error.error_dict)
    errors["categories"] = errors.get("categories", []) + errors.pop("given_by")
    return ValidationError(errors)
