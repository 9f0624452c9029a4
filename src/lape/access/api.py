"""The access API (django-ninja router, mounted at /api/access/): consents, and the family's own data.

Handlers are thin: they call what the pages call (views_consent.person_consents, grant_consent,
withdraw_consent; views_family.family_people, family_log_page, family_consent_rows), so the same
decisions run and every read and refusal is logged. Professionals: their session with the second
factor, CSRF token on writes (`acting`). A family member: their signed-in session
(`signed_in_family`), who reads only their own data and their children's while in custody.
Answers: 404 alike for missing and forbidden, 400 with each field's problem, 409 for a consent
withdrawn already, 422 for what the schema refuses.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lape.accounts.api_auth import acting, acting_actor, family_member_of, signed_in_family
from lape.api_errors import AUTH_ERRORS, answers, answers_withdrawal
from lape.directory.models import Organization
from lape.people.models import Person

from . import guard
from .categories import Category
from .consent_actions import (
    CONSENT_RECORD,
    consent_target,
    grant_consent,
    may_record_consent,
    withdraw_consent,
)
from .consents import consents_in_force
from .decisions import Action
from .models import Consent
from .views_consent import ConsentRow, accepted_givers, consent_rows, person_consents
from .views_family import LOG_PAGE_SIZE, LogRow, family_consent_rows, family_log_page, family_people

router = Router(tags=["access"])


class OrganizationOut(Schema):
    id: uuid.UUID
    name: str


class ConsentOut(Schema):
    """A consent: whose, given by whom, shared with which organisations, which information, what for, when."""

    id: uuid.UUID
    person_id: uuid.UUID
    given_by_id: uuid.UUID
    given_by_name: str
    given_by_self: bool
    state: str = Field(description="in_force, upcoming, ended or withdrawn")
    categories: list[str] = Field(description="Information category codes.")
    category_labels: list[str] = Field(description="The categories in words, in the asker's language.")
    organizations: list[OrganizationOut]
    purpose: str
    valid_from: dt.date
    valid_until: dt.date | None
    child_heard: bool
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None


class FamilyConsentOut(ConsentOut):
    """A consent as the family sees it, and whether the signed-in member may withdraw it now."""

    withdrawable: bool


class ConsentIn(Schema):
    """Record a consent (lape.access.capacity decides who may give it)."""

    given_by_id: uuid.UUID = Field(description="The person themselves or their guardian.")
    organization_ids: list[uuid.UUID] = Field(
        max_length=200, description="Whom the information may be shared with."
    )
    categories: list[str] = Field(
        max_length=len(Category.values), description=f"Information categories: {', '.join(Category.values)}."
    )
    purpose: str = Field(max_length=4000, description="What the information is shared for.")
    valid_from: dt.date | None = Field(None, description="Default today.")
    valid_until: dt.date | None = None
    child_heard: bool = Field(False, description="The child was heard (asked from 12 years on).")


class LinkOut(Schema):
    url: str
    text: str


class PersonOut(Schema):
    """A person the family member may see, with the other apps' links for them (a child's plan)."""

    id: uuid.UUID
    name: str
    is_me: bool
    links: list[LinkOut]


class LogRowOut(Schema):
    """One access-log row in plain words: who, in which role and organisation, what, how, on which basis."""

    at: dt.datetime
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


class LogPageOut(Schema):
    """A page of the access log about a person, newest first."""

    person_id: uuid.UUID
    page: int
    pages: int
    per_page: int
    count: int
    rows: list[LogRowOut]


def _consent(row: ConsentRow) -> dict[str, Any]:
    consent = row.consent
    return {
        "id": consent.pk,
        "person_id": consent.person_id,
        "given_by_id": consent.given_by_id,
        "given_by_name": str(consent.given_by),
        "given_by_self": row.given_by_self,
        "state": row.state,
        "categories": list(consent.categories),
        "category_labels": row.categories,
        "organizations": [{"id": o.pk, "name": str(o)} for o in row.organizations],
        "purpose": consent.purpose,
        "valid_from": consent.valid_from,
        "valid_until": consent.valid_until,
        "child_heard": consent.child_heard,
        "recorded_at": consent.recorded_at,
        "withdrawn_at": consent.withdrawn_at,
    }


def _one(consent: Consent) -> dict[str, Any]:
    """A consent the action has just written, shaped as the lists shape it."""
    in_force = set(consents_in_force(consent.person_id).filter(pk=consent.pk).values_list("pk", flat=True))
    return _consent(consent_rows([consent], in_force)[0])


def _log_row(row: LogRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in LogRowOut.model_fields if name != "at"} | {
        "at": row.entry.at
    }


# --- professionals


@router.get("/people/{person_id}/consents", response={200: list[ConsentOut], **AUTH_ERRORS}, auth=acting)
@answers
def list_consents(request: HttpRequest, person_id: str) -> Any:
    """A person's consents, newest first, when you may see them (their team or referral); a logged read."""
    _person, rows = person_consents(acting_actor(request), person_id)
    return Status(200, [_consent(row) for row in rows])


@router.post("/people/{person_id}/consents", response={201: ConsentOut, **AUTH_ERRORS}, auth=acting)
@answers
def record_consent(request: HttpRequest, person_id: str, body: ConsentIn) -> Any:
    """Record a consent given by the person or their guardian; the action decides who may and logs it."""
    actor = acting_actor(request)
    person = guard.find(actor, Action.WRITE, Person.objects.all(), person_id, CONSENT_RECORD)
    # Decided before the ids are looked at, so a stranger learns nothing from a 400 (the action decides again).
    categories = sorted(set(body.categories))
    target = consent_target(None, person.pk, actor, categories)
    guard.raise_if_refused(actor, Action.WRITE, target, may_record_consent(actor, person.pk, categories))
    given_by = accepted_givers(person).filter(pk=body.given_by_id).first()
    organizations = list(Organization.objects.filter(pk__in=set(body.organization_ids)))
    errors: dict[str, Any] = {}
    if given_by is None:
        errors["given_by_id"] = _("Choose the person themselves or one of their guardians.")
    if len(organizations) != len(set(body.organization_ids)):
        errors["organization_ids"] = _("No such item. Check the id.")
    if errors or given_by is None:
        raise ValidationError(errors)
    consent = grant_consent(
        actor,
        person=person,
        given_by=given_by,
        organizations=organizations,
        categories=body.categories,
        purpose=body.purpose,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        child_heard=body.child_heard,
    )
    return Status(201, _one(consent))


@router.post("/consents/{consent_id}/withdraw", response={200: ConsentOut, **AUTH_ERRORS}, auth=acting)
@answers_withdrawal
def withdraw(request: HttpRequest, consent_id: str) -> Any:
    """Withdraw a consent now: from this instant nothing is shared on it. Withdrawn already: 409."""
    return Status(200, _one(withdraw_consent(acting_actor(request), consent_id)))


# --- the family (a signed-in family member)


@router.get("/family/people", response={200: list[PersonOut], **AUTH_ERRORS}, auth=signed_in_family)
@answers
def family_people_list(request: HttpRequest) -> Any:
    """You and the children in your custody today (each child's name a logged read), with links (a plan)."""
    me, children, links = family_people(family_member_of(request))
    return Status(
        200,
        [
            {
                "id": person.pk,
                "name": str(person),
                "is_me": person.pk == me.pk,
                "links": [
                    {"url": link.url, "text": link.text} for link in links if link.person_id == person.pk
                ],
            }
            for person in [me, *children]
        ],
    )


@router.get(
    "/family/people/{person_id}/access-log", response={200: LogPageOut, **AUTH_ERRORS}, auth=signed_in_family
)
@answers
def family_access_log(
    request: HttpRequest,
    person_id: str,
    page: int = Query(1, ge=1, le=1_000_000, description="From 1; past the end: the last page."),
) -> Any:
    """Who has seen or changed this person's data, when and on which basis: newest first, 50 a page."""
    person, shown, rows = family_log_page(family_member_of(request), person_id, page)
    return Status(
        200,
        {
            "person_id": person.pk,
            "page": shown.number,
            "pages": shown.paginator.num_pages,
            "per_page": LOG_PAGE_SIZE,
            "count": shown.paginator.count,
            "rows": [_log_row(row) for row in rows],
        },
    )


@router.get(
    "/family/people/{person_id}/consents",
    response={200: list[FamilyConsentOut], **AUTH_ERRORS},
    auth=signed_in_family,
)
@answers
def family_consents(request: HttpRequest, person_id: str) -> Any:
    """The person's consents, and which of them you may withdraw now."""
    _person, rows, withdrawable = family_consent_rows(family_member_of(request), person_id)
    return Status(200, [_consent(row) | {"withdrawable": row.consent.pk in withdrawable} for row in rows])


@router.post(
    "/family/consents/{consent_id}/withdraw", response={200: ConsentOut, **AUTH_ERRORS}, auth=signed_in_family
)
@answers_withdrawal
def family_withdraw(request: HttpRequest, consent_id: str) -> Any:
    """Withdraw a consent you gave, or one a guardian gave for your child; another's: 404. Withdrawn already: 409."""
    return Status(200, _one(withdraw_consent(family_member_of(request), consent_id)))
