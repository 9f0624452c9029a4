"""The family's own pages: home, the access log of their data, their consents (signed-in family members).

A guardian sees themselves and the children in their custody today (`wards_of`); a young person of
12 or more sees only themselves. Every page is a read of client data, decided by
`lape.access.family` and logged with the family member as the actor; another family's person, a
child whose custody has ended and a person who does not exist all give the same 404. Addresses
carry person and consent ids (UUIDs) only. A consent is withdrawn here through the professionals'
own action, `withdraw_consent`, with the family member as the actor (`family_withdrawal_decision`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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
from lape.people.models import Person
from lape.people.registry import wards_of

from . import guard
from .categories import Category
from .consent_actions import CONSENT_RECORD, consent_target, withdraw_consent
from .consents import consents_in_force
from .decisions import Action, Basis, Outcome, Refusal
from .family import (
    ACCESS_LOG_RECORD,
    CONSENTS_RECORD,
    PERSON_RECORD,
    family_links,
    family_read,
    family_withdrawal_decision,
    log_family_read,
)
from .log import entries_about
from .models import AccessLogEntry, Consent
from .record_types import label_of
from .retention import RETENTION_ACTOR, RETENTION_LAW
from .statutes import STATUTES
from .views_consent import consent_rows, consents_shown

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


def _names(entries: list[AccessLogEntry], member: FamilyMember) -> dict[str, str]:
    """Who each row's actor is: a professional's name, or a family member's ("you" for the reader)."""
    user_ids = {e.user_id for e in entries if e.user_id is not None}
    names = {
        f"user:{user.pk}": user.get_full_name() or user.get_username()
        for user in User.objects.filter(pk__in=user_ids)
    }
    family_ids = {pid for e in entries if (pid := family_person_id_of(e.username)) is not None}
    for person in Person.objects.filter(pk__in=family_ids):
        names[f"person:{person.pk}"] = _("you") if person.pk == member.person_id else str(person)
    return names


def _who(entry: AccessLogEntry, names: dict[str, str]) -> str:
    if entry.user_id is not None:
        return names.get(f"user:{entry.user_id}", entry.username)
    family_id = family_person_id_of(entry.username)
    if family_id is not None:
        return names.get(f"person:{family_id}", _("a family member"))
    if entry.username == RETENTION_ACTOR.username:
        return _("the platform: the retention period had ended")
    return _("someone who was not signed in")


def _role(role: str) -> str:
    if role == "family_member":
        return _("family member")
    return str(Role(role).label) if role in Role.values else role


def log_rows(entries: list[AccessLogEntry], member: FamilyMember) -> list[LogRow]:
    """The rows in plain words: who (name, role, organisation), what, how, allowed or not and why."""
    names = _names(entries, member)
    organizations = {
        o.pk: o.text("name") for o in Organization.objects.filter(pk__in={e.organization_id for e in entries})
    }
    rows = []
    for entry in entries:
        categories = [str(Category(c).label) for c in entry.category.split(",") if c and c in Category.values]
        rows.append(
            LogRow(
                entry=entry,
                who=_who(entry, names),
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
    me, children = _people_of(member)
    for child in children:  # their names are client data: each shown name is a logged read
        log_family_read(member, child, PERSON_RECORD)
    links = family_links(member, [me, *children])
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
    person = family_read(member, person_id, ACCESS_LOG_RECORD)
    page = Paginator(entries_about(person.pk), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "is_me": person.pk == member.person_id,
        "page": page,
        "rows": log_rows(list(page.object_list), member),
    }
    return render(request, "access/family_access_log.html", context)


@never_cache
@require_GET
@family_member_required
def family_consents(request: HttpRequest, person_id: str) -> HttpResponse:
    """The person's consents: in force or starting later, and ended or withdrawn."""
    member = _member(request)
    person = family_read(member, person_id, CONSENTS_RECORD)
    shown: list[Consent] = list(consents_shown().filter(person=person))
    in_force: set[uuid.UUID] = set(consents_in_force(person.pk).values_list("pk", flat=True))
    rows = consent_rows(shown, in_force)
    current = [r for r in rows if r.state in ("in_force", "upcoming")]
    context = {
        "person": person,
        "is_me": person.pk == member.person_id,
        "current": current,
        "past": [r for r in rows if r.state in ("ended", "withdrawn")],
        # Offered only where the member may withdraw it; the action decides again on the POST.
        "withdrawable": {
            r.consent.pk for r in current if family_withdrawal_decision(member, r.consent).allowed
        },
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
