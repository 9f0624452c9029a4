"""Concern signals: professionals who worry about the same child find each other, and learn nothing more.

A professional registers a signal (the child, their membership, how to reach them; no content).
When a professional of another organisation signals about the same child while the first signal is
in force, both are told of each other: organisation, professional and contact. Modelled on the
Dutch reference index (Verwijsindex risicojongeren); docs/plans.md, "Concern signals".

Access (deny by default, lape.access): only a role that sees client data, with a verified second
factor, may signal. No relation to the child is needed – finding out whether anyone else is
involved is the point – so a signal is the signalling organisation's own record (basis own
register, category `contact`), and a match reveals only the other side's contact. Every
registration, withdrawal and match writes access-log rows about the child in its transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lape.access import guard
from lape.access.categories import Category
from lape.access.decisions import Action, Basis, Decision, Refusal, Target, refused
from lape.access.log import append
from lape.accounts.acting import Actor
from lape.accounts.models import Membership
from lape.accounts.roles import SEES_CLIENT_DATA
from lape.people.registry import find_or_register

from .models import ConcernMatch, ConcernSignal

if TYPE_CHECKING:
    from lape.people.models import Person

SIGNAL_RECORD = "concern_signal"
MATCH_RECORD = "concern_match"
CONTACT_MAX = 200
DEFAULT_SIGNAL_DAYS = 730


def signal_days() -> int:
    """How many days a signal stays in force (`LAPE_CONCERN_SIGNAL_DAYS`)."""
    return int(getattr(settings, "LAPE_CONCERN_SIGNAL_DAYS", DEFAULT_SIGNAL_DAYS))


def may_signal(actor: Actor) -> Decision:
    """May the actor register or withdraw a signal: a role that sees client data, the second factor."""
    if actor.role not in SEES_CLIENT_DATA:
        return refused(Refusal.ROLE)
    if not actor.verified:
        return refused(Refusal.UNVERIFIED)
    return Decision(allowed=True, basis=Basis.OWN_REGISTER)


def signal_target(
    signal_id: uuid.UUID | str, person_id: uuid.UUID | None, organization_id: uuid.UUID | None
) -> Target:
    """A signal as access sees it: the signalling organisation's record about the child."""
    return Target(
        record_type=SIGNAL_RECORD,
        record_id=str(signal_id),
        person_id=person_id,
        owner_organization_id=organization_id,
        category=Category.CONTACT,
    )


def match_target(match: ConcernMatch, other: ConcernSignal) -> Target:
    """A match as one side sees it: the other organisation's signal about the child."""
    return Target(
        record_type=MATCH_RECORD,
        record_id=str(match.pk),
        person_id=other.child_id,
        owner_organization_id=other.organization_id,
        category=Category.CONTACT,
    )


def in_force(at: dt.datetime | None = None) -> Q:
    """The condition of a signal in force at `at` (now): not withdrawn, not expired."""
    return Q(withdrawn_at__isnull=True, expires_at__gt=at or timezone.now())


def matching_signals(
    child_id: uuid.UUID, organization_id: uuid.UUID, at: dt.datetime | None = None
) -> QuerySet[ConcernSignal]:
    """The signals in force about this child by other organisations (one indexed query: child, expiry).

    A signal whose professional has left (membership ended) matches no more: nobody answers at
    its contact, and the new signaller should not be sent there.
    """
    at = at or timezone.now()
    return ConcernSignal.objects.filter(in_force(at), _reachable(at), child_id=child_id).exclude(
        organization_id=organization_id
    )


def _reachable(at: dt.datetime) -> Q:
    """The signaller still works in the membership that signalled (it has not ended before today)."""
    today = timezone.localdate(at)
    return Q(membership__ended__isnull=True) | Q(membership__ended__gte=today)


def _contact(value: str) -> str:
    contact = " ".join((value or "").split())
    if not contact:
        raise ValidationError(
            {"contact": _("Give a phone number or an e-mail address where you can be reached.")}
        )
    if len(contact) > CONTACT_MAX:
        raise ValidationError(
            {"contact": _("The contact can have at most %(max)d characters.") % {"max": CONTACT_MAX}}
        )
    return contact


def _told(membership: Membership) -> Actor:
    """The earlier signaller, as the log names the side that is told of a match."""
    return Actor.for_membership(membership)


@transaction.atomic
def _record(actor: Actor, person: Person, contact: str, decision: Decision) -> ConcernSignal:
    now = timezone.now()
    # Lock the child's row: two signals about one child at once must see each other (one match, not none).
    type(person).objects.select_for_update().filter(pk=person.pk).first()
    # A colleague who has left does not hold the organisation's place: a new signal may follow theirs.
    own = ConcernSignal.objects.filter(
        in_force(now), _reachable(now), child=person, organization_id=actor.organization_id
    ).first()
    if own is not None:
        raise ValidationError(
            {
                "identity_code": _(
                    "Your organisation already has a signal in force about this child, until %(date)s. "
                    "Ask its signaller, or wait until it ends."
                )
                % {"date": date_format(timezone.localtime(own.expires_at).date())}
            }
        )
    signal = ConcernSignal.objects.create(
        id=uuid.uuid4(),
        child=person,
        membership_id=actor.membership_id,
        organization_id=actor.organization_id,
        contact=contact,
        created_at=now,
        expires_at=now + dt.timedelta(days=signal_days()),
    )
    append(actor, Action.WRITE, signal_target(signal.pk, person.pk, actor.organization_id), decision)
    others = matching_signals(person.pk, actor.organization_id, now).select_related("membership__user")
    for other in others:
        match = ConcernMatch.objects.create(earlier=other, later=signal, created_at=now)
        # Each side is given the other's organisation, professional and contact: one row each.
        append(actor, Action.READ, match_target(match, other), decision)
        append(_told(other.membership), Action.READ, match_target(match, signal), decision)
    return signal


def register_signal(
    actor: Actor,
    *,
    identity_code: str,
    contact: str,
    given_names: str = "",
    family_name: str = "",
) -> ConcernSignal:
    """Signal a concern about the child with this identity code; told of any other organisation's signal.

    Refused (a role without client data, no second factor): logged, NotFoundOrForbidden. Bad input
    (an invalid code, an unknown child without names, no contact, a signal of the same organisation
    in force): a ValidationError keyed by field, nothing written.
    """
    decision = may_signal(actor)
    guard.raise_if_refused(actor, Action.WRITE, signal_target("", None, actor.organization_id), decision)
    contact = _contact(contact)
    person = find_or_register(identity_code, given_names=given_names, family_name=family_name)
    return _record(actor, person, contact, decision)


def withdraw_signal(actor: Actor, signal_id: object) -> ConcernSignal:
    """Withdraw one of the actor's own signals in force; another's or a missing one: NotFoundOrForbidden."""
    decision = may_signal(actor)
    guard.raise_if_refused(actor, Action.WRITE, signal_target("", None, actor.organization_id), decision)
    signal = guard.find(actor, Action.WRITE, own_signals(actor), signal_id, SIGNAL_RECORD)
    if signal.withdrawn_at is not None:
        raise ValidationError(_("This signal has been withdrawn already."), code="withdrawn")
    target = signal_target(signal.pk, signal.child_id, signal.organization_id)
    with guard.writing(actor, Action.WRITE, target, decision=decision):
        signal.withdrawn_at = timezone.now()
        signal.save(update_fields=["withdrawn_at"])
    return signal


def own_signals(actor: Actor) -> QuerySet[ConcernSignal]:
    """The actor's own signals (this membership), newest first."""
    return ConcernSignal.objects.filter(membership_id=actor.membership_id).select_related(
        "child", "organization"
    )


@dataclass(frozen=True)
class MatchSeen:
    """The other side of a match, as one signaller sees it."""

    match: ConcernMatch
    other: ConcernSignal


def matches_of(signal: ConcernSignal) -> list[MatchSeen]:
    """The matches of one signal, each with the other side's signal (organisation, professional, contact)."""
    related = (
        "earlier__organization",
        "earlier__membership__user",
        "later__organization",
        "later__membership__user",
    )
    matches = ConcernMatch.objects.filter(Q(earlier=signal) | Q(later=signal)).select_related(*related)
    return [MatchSeen(match=m, other=m.later if m.earlier_id == signal.pk else m.earlier) for m in matches]


def log_match_read(actor: Actor, seen: MatchSeen) -> None:
    """Log that the signaller's page showed them the other side of a match."""
    guard.enforce(actor, Action.READ, match_target(seen.match, seen.other), may_signal(actor))


def signals_about(person_id: uuid.UUID) -> QuerySet[ConcernSignal]:
    """Every signal about a person, newest first: what the family's page shows (through the guard)."""
    return ConcernSignal.objects.filter(child_id=person_id).select_related("organization")
