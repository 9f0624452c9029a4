"""The data controller's review of break-the-glass reads (issue 5: "flagged, shown to the data
controller's reviewer and to the family").

Every emergency read (basis `emergency`, lape.access.emergency) is queued for review in the
transaction of its log row, under the organisation whose register was read. **The reviewer** is a
professional who holds the permission `plans.review_emergency_access` (given to the user or to a
group of theirs by an administrator: the controller names its data-protection reviewer; a
superuser's blanket permissions do not count), acting in a membership of that organisation, with a
verified second factor (the reasons speak of children). Deny by default: anyone else gets a 404,
logged as refused. The reviewer sees each read's time, who (name, role, organisation), what, whose
data and the reason written, and marks it reviewed with a note. Each review shown is a logged read
and each marking a logged write (basis: the controller's duty to monitor the processing, GDPR
2016/679 article 24), so the family's access log shows that the read was reviewed, and when.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lape.access import guard, log
from lape.access.categories import Category
from lape.access.decisions import Action, Basis, Decision, Refusal, Target, refused
from lape.access.models import AccessLogEntry
from lape.access.record_types import label_of
from lape.accounts.models import Membership, Role
from lape.people.models import Person

from .models import EmergencyReview
from .steps import StepRefused

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

REVIEW_RECORD = "emergency_review"
REVIEW_PERMISSION = "review_emergency_access"
# The controller implements measures to ensure and show that processing is lawful (GDPR, art. 24).
REVIEW_LAW = "2016/679 24 art."
MAX_NOTE = 2000
LIST_LIMIT = 200


def queue_for_review(sender: object, entry: AccessLogEntry, target: Target, **kwargs: Any) -> None:
    """Queue an emergency read for the review of the register's organisation (in the read's transaction)."""
    EmergencyReview.objects.create(
        log_entry_id=entry.pk,
        register_organization_id=target.owner_organization_id,
        person_id=target.person_id,
    )


def holds_review_permission(user_id: int) -> bool:
    """Whether the user was given the reviewer's permission (directly or through a group)."""
    return Permission.objects.filter(
        Q(user__id=user_id) | Q(group__user__id=user_id),
        codename=REVIEW_PERMISSION,
        content_type__app_label="plans",
    ).exists()


def reviewer_decision(actor: Actor) -> Decision:
    """May the actor review their organisation's emergency reads: the permission and a verified second factor."""
    if not actor.verified:
        return refused(Refusal.UNVERIFIED)
    if not holds_review_permission(actor.user_id):
        return refused(Refusal.ROLE)
    return Decision(allowed=True, basis=Basis.STATUTE, law=REVIEW_LAW)


def review_target(actor: Actor, review: EmergencyReview | None = None) -> Target:
    """A review as access sees it: the reviewer's organisation's record about the person."""
    return Target(
        record_type=REVIEW_RECORD,
        record_id=str(review.pk) if review else "",
        person_id=review.person_id if review else None,
        owner_organization_id=actor.organization_id,
        category="",
    )


def _with_entries(reviews: list[EmergencyReview]) -> list[tuple[EmergencyReview, AccessLogEntry]]:
    entries = AccessLogEntry.objects.in_bulk([r.log_entry_id for r in reviews])
    return [(r, entries[r.log_entry_id]) for r in reviews if r.log_entry_id in entries]


@dataclass(frozen=True)
class ReviewRow:
    """One emergency read as the reviewer sees it."""

    review: EmergencyReview
    entry: AccessLogEntry
    who: str
    role: str
    organization: str
    category: str
    what: str
    person: Person | None


def _rows(reviews: list[EmergencyReview]) -> list[ReviewRow]:
    pairs = _with_entries(reviews)
    memberships = {
        m.pk: m
        for m in Membership.objects.filter(pk__in={e.membership_id for _r, e in pairs}).select_related(
            "user", "organization"
        )
    }
    people = Person.objects.in_bulk({r.person_id for r in reviews if r.person_id})
    rows = []
    for review, entry in pairs:
        membership = memberships.get(entry.membership_id) if entry.membership_id else None
        user = membership.user if membership else None
        rows.append(
            ReviewRow(
                review=review,
                entry=entry,
                who=(user.get_full_name() or user.get_username()) if user else entry.username,
                role=str(Role(entry.role).label) if entry.role in Role.values else entry.role,
                organization=str(membership.organization) if membership else "",
                category=str(Category(entry.category).label) if entry.category in Category.values else "",
                what=label_of(entry.record_type),
                person=people.get(review.person_id) if review.person_id else None,
            )
        )
    return rows


def reviews_for(actor: Actor) -> list[ReviewRow]:
    """The emergency reads of the actor's organisation's register, waiting ones first; each shown logged.

    Refused (no permission, no second factor): logged, NotFoundOrForbidden.
    """
    decision = guard.raise_if_refused(actor, Action.READ, review_target(actor), reviewer_decision(actor))
    reviews = list(
        EmergencyReview.objects.filter(register_organization_id=actor.organization_id)
        .select_related("reviewed_by")
        .order_by(F("reviewed_at").desc(nulls_first=True), "-created_at")[:LIST_LIMIT]
    )
    with transaction.atomic():
        for review in reviews:
            log.append(actor, Action.READ, review_target(actor, review), decision)
    return _rows(reviews)


def review_for(actor: Actor, review_id: uuid.UUID | str) -> ReviewRow:
    """One emergency read of the actor's organisation's register (logged); another's or a missing one: 404."""
    decision = guard.raise_if_refused(actor, Action.READ, review_target(actor), reviewer_decision(actor))
    reviews = EmergencyReview.objects.filter(register_organization_id=actor.organization_id)
    review = guard.find(actor, Action.READ, reviews.select_related("reviewed_by"), review_id, REVIEW_RECORD)
    guard.enforce(actor, Action.READ, review_target(actor, review), decision)
    return _rows([review])[0]


def mark_reviewed(actor: Actor, review_id: uuid.UUID | str, note: str) -> EmergencyReview:
    """Mark an emergency read reviewed with the reviewer's note; logged as a write.

    No note or one too long: a ValidationError (nothing written or logged); reviewed already:
    StepRefused (its log row rolls back with it).
    """
    decision = guard.raise_if_refused(actor, Action.WRITE, review_target(actor), reviewer_decision(actor))
    reviews = EmergencyReview.objects.filter(register_organization_id=actor.organization_id)
    review = guard.find(actor, Action.WRITE, reviews, review_id, REVIEW_RECORD)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what the review found.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Write at most %(max)s characters.") % {"max": MAX_NOTE}})
    with guard.writing(actor, Action.WRITE, review_target(actor, review), decision=decision):
        changed = EmergencyReview.objects.filter(pk=review.pk, reviewed_at__isnull=True).update(
            reviewed_at=timezone.now(),
            reviewed_by_id=actor.user_id,
            reviewer_membership_id=actor.membership_id,
            note=note,
        )
        if not changed:
            raise StepRefused(_("This emergency read has been reviewed already."), code="reviewed")
    review.refresh_from_db()
    return review
