"""Making a referral, and reading one: what it may carry to the receiver, and what each side sees.

A referral goes to a service (`receiver_service`), usually of another organisation. It carries
information in categories (`items`); each category goes only on a basis that lets the sender's
register share it with the receiving organisation, checked when it is sent and again whenever the
receiver reads it (a consent withdrawn meanwhile hides that information at once):

- a child-protection notification: the Child Welfare Act (417/2007, 25 §) – the notifier tells
  what they know, notwithstanding secrecy;
- the same organisation and the same register (education, or social and health);
- otherwise a consent in force of the person to share that category with the receiving organisation.

Referring across organisations or registers at all needs the family's consent to the receiving
organisation (for the receiving register's category or for contact), except a notification. Making a
referral needs the sender to be on the person's contact request or referral (deny by default:
issue 5's plan team will be another such relation); a notification needs no relation (25 §).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access import decide, guard, log
from lape.access.bans import covering_ban_ids
from lape.access.categories import Category, register_of
from lape.access.consents import consents_covering
from lape.access.decisions import Action, Basis, Decision, Target, refused
from lape.access.decisions import Refusal as AccessRefusal
from lape.access.registers import ROLE_CATEGORIES, handles_in_own_register
from lape.access.statutes import CHILD_PROTECTION_NOTIFICATION
from lape.accounts.models import Unit
from lape.directory.models import Service
from lape.people.models import Person

from .deadlines import ChildProtectionClocks, child_protection_clocks
from .flow import allowed_transitions
from .models import ContactRequest, Referral, ReferralItem, ReferralKind, ReferralStatus, ReferralTransition
from .notifications import notify_referral_received
from .relations import waiting_for
from .steps import write_logged
from .targets import REFERRAL_ITEM_RECORD, item_target, referral_record_type, referral_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

NOTIFY_LAW = "417/2007 25 §"
MAX_TEXT = 4000
SHAREABLE = tuple(c for c in Category.values if c != Category.CONTACT)


@dataclass(frozen=True)
class Carriage:
    """On what basis one category may go to the receiver (allowed False: on none)."""

    category: str
    allowed: bool
    basis: str = Basis.NONE
    law: str = ""
    consent_id: uuid.UUID | None = None
    banned: bool = False  # a consent covers it, but the family's disclosure ban forbids sending it


def sender_category_for(role: str) -> str:
    """The category the sender's copy of a referral is filed under: the role's own register (contact if none)."""
    own = sorted(ROLE_CATEGORIES.get(role, frozenset()) - {Category.CONTACT})
    return own[0] if own else Category.CONTACT


def carriage(
    actor: Actor,
    person_id: uuid.UUID,
    receiver_organization_id: uuid.UUID,
    category: str,
    kind: str,
    receiving: str,
    at: dt.datetime | None = None,
) -> Carriage:
    """Whether (and on what basis) the sender may send `category` of the person's information to the receiver."""
    if kind == ReferralKind.CHILD_PROTECTION_NOTIFICATION:
        return Carriage(category, True, Basis.STATUTE, law=NOTIFY_LAW)
    if receiver_organization_id == actor.organization_id and register_of(category) == register_of(receiving):
        return Carriage(category, True, Basis.OWN_REGISTER)
    covering = consents_covering(person_id, receiver_organization_id, category, at)
    if covering:
        # The sender's own record of this category: a ban on it (or on the sender's organisation)
        # wins over the consent, as it does when the receiver reads it (lape.access.rules).
        sent = Target(REFERRAL_ITEM_RECORD, "", person_id, actor.organization_id, category)
        if receiver_organization_id != actor.organization_id and covering_ban_ids(person_id, sent, at):
            return Carriage(category, False, banned=True)
        return Carriage(category, True, Basis.CONSENT, consent_id=covering[0].pk)
    return Carriage(category, False)


def may_refer(actor: Actor, person_id: uuid.UUID, receiver_organization_id: uuid.UUID, category: str) -> bool:
    """Whether the family's consent (or one register) lets the actor refer the person to that organisation at all."""
    same_register = register_of(sender_category_for(actor.role)) == register_of(category)
    if receiver_organization_id == actor.organization_id and same_register:
        return True
    return bool(
        consents_covering(person_id, receiver_organization_id, category)
        or consents_covering(person_id, receiver_organization_id, Category.CONTACT)
    )


def _clean(
    kind: str,
    category: str,
    reason: str,
    items: Mapping[str, str],
    actor: Actor,
    receiver_service: Service,
    receiver_unit: Unit | None,
) -> tuple[str, str, dict[str, str]]:
    errors: dict[str, object] = {}
    if kind not in ReferralKind.values:
        errors["kind"] = _("Choose a referral or a child-protection notification.")
    if kind == ReferralKind.CHILD_PROTECTION_NOTIFICATION:
        category = Category.CHILD_PROTECTION
    elif category not in SHAREABLE:
        errors["category"] = _("Choose the kind of service the referral is for.")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        errors["reason"] = _("Say what you ask of the receiving service (at most 4,000 characters).")
    if receiver_service.status != Service.Status.ACTIVE:
        errors["receiver_service"] = _("This service is not active: choose another.")
    if receiver_unit is not None and receiver_unit.organization_id != receiver_service.organization_id:
        errors["receiver_unit"] = _("Choose a unit of the organisation that provides the service.")
    cleaned = {c: (t or "").strip() for c, t in items.items() if (t or "").strip()}
    unknown = [c for c in cleaned if c not in SHAREABLE]
    not_own = [c for c in cleaned if c in SHAREABLE and not handles_in_own_register(actor.role, c)]
    if unknown:
        errors["items"] = _("Unknown information category: %(names)s.") % {"names": ", ".join(unknown)}
    elif not_own:
        errors["items"] = _("You can send only information of your own register, not: %(names)s.") % {
            "names": ", ".join(str(Category(c).label) for c in not_own)
        }
    elif any(len(t) > MAX_TEXT for t in cleaned.values()):
        errors["items"] = _("Keep each piece of information under 4,000 characters.")
    if errors:
        raise ValidationError(errors)
    return category, reason, cleaned


def _refuse_items(actor: Actor, person_id: uuid.UUID, refused_items: list[Carriage]) -> None:
    """Log each category that may not be sent as a refused export, then say which and what to do."""
    for item in refused_items:
        target = Target(REFERRAL_ITEM_RECORD, "", person_id, actor.organization_id, item.category)
        log.append(
            actor,
            Action.EXPORT,
            target,
            refused(AccessRefusal.BAN if item.banned else AccessRefusal.NO_BASIS),
        )
    errors = []
    unconsented = ", ".join(str(Category(item.category).label) for item in refused_items if not item.banned)
    banned = ", ".join(str(Category(item.category).label) for item in refused_items if item.banned)
    if unconsented:
        errors.append(
            _(
                "No consent in force lets you send this information to the receiving organisation: %(names)s. "
                "Record the family's consent first, or leave it out."
            )
            % {"names": unconsented}
        )
    if banned:
        errors.append(
            _("The family has forbidden disclosing this information: %(names)s. Leave it out.")
            % {"names": banned}
        )
    raise ValidationError({"items": errors}, code="no_consent")


def _creation_target(
    actor: Actor, kind: str, person_id: uuid.UUID, receiver_organization_id: uuid.UUID
) -> Target:
    if kind == ReferralKind.CHILD_PROTECTION_NOTIFICATION:
        # The notification is written into the receiving child-protection register (25 §).
        return Target(
            CHILD_PROTECTION_NOTIFICATION, "", person_id, receiver_organization_id, Category.CHILD_PROTECTION
        )
    return Target(
        referral_record_type(kind), "", person_id, actor.organization_id, sender_category_for(actor.role)
    )


def create_referral(
    actor: Actor,
    *,
    person: Person,
    receiver_service: Service,
    reason: str,
    category: str = "",
    items: Mapping[str, str] | None = None,
    kind: str = ReferralKind.REFERRAL,
    receiver_unit: Unit | None = None,
    contact_request: ContactRequest | None = None,
    send: bool = True,
) -> Referral:
    """Make a referral (sent at once unless `send` is False: a draft) carrying only what may go.

    Refusals: not on the person's request or referral (logged, NotFoundOrForbidden); no consent to
    refer or for a category (logged, ValidationError saying what is missing); bad input (ValidationError).
    """
    category, reason, cleaned = _clean(
        kind, category, reason, items or {}, actor, receiver_service, receiver_unit
    )
    receiver_org = receiver_service.organization_id
    creation = _creation_target(actor, kind, person.pk, receiver_org)
    decision = decide(actor, Action.WRITE, creation)
    if not decision.allowed:
        guard.enforce(actor, Action.WRITE, creation, decision)
    if kind == ReferralKind.REFERRAL and not may_refer(actor, person.pk, receiver_org, category):
        log.append(actor, Action.EXPORT, creation, refused(AccessRefusal.NO_BASIS))
        raise ValidationError(
            {
                "receiver_service": _(
                    "The family has not consented to a referral to this organisation. Record their consent "
                    "first (to contact or to this kind of service)."
                )
            },
            code="no_consent",
        )
    carriages = [carriage(actor, person.pk, receiver_org, c, kind, category) for c in sorted(cleaned)]
    if [c for c in carriages if not c.allowed]:
        _refuse_items(actor, person.pk, [c for c in carriages if not c.allowed])
    if contact_request is not None and contact_request.person_id not in (None, person.pk):
        raise ValidationError(
            {"contact_request": _("This request is about another person.")}, code="other_person"
        )
    now = timezone.now()
    status = ReferralStatus.REQUESTED if send else ReferralStatus.DRAFT
    with write_logged(actor, Action.WRITE, creation, decision):
        referral = Referral.objects.create(
            kind=kind,
            status=status,
            person=person,
            contact_request=contact_request,
            sender_membership_id=actor.membership_id,
            sender_organization_id=actor.organization_id,
            sender_category=sender_category_for(actor.role),
            receiver_service=receiver_service,
            receiver_organization_id=receiver_org,
            receiver_unit=receiver_unit,
            category=category,
            reason=reason,
            created_at=now,
            requested_at=now if send else None,
        )
        for item in carriages:
            saved = ReferralItem.objects.create(
                referral=referral,
                category=item.category,
                text=cleaned[item.category],
                basis=item.basis,
                law=item.law,
                consent_id=item.consent_id,
            )
            shared = Decision(allowed=True, basis=Basis(item.basis), law=item.law, consent_id=item.consent_id)
            export = Target(
                REFERRAL_ITEM_RECORD, str(saved.pk), person.pk, actor.organization_id, item.category
            )
            log.append(actor, Action.EXPORT, export, shared)
        for to_status in [ReferralStatus.DRAFT] + ([ReferralStatus.REQUESTED] if send else []):
            ReferralTransition.objects.create(
                referral=referral,
                from_status="" if to_status == ReferralStatus.DRAFT else ReferralStatus.DRAFT,
                to_status=to_status,
                # The draft exists an instant before it is sent: the stamps keep their order.
                at=now if to_status == ReferralStatus.DRAFT else now + dt.timedelta(microseconds=1),
                user_id=actor.user_id,
                username=actor.username,
                membership_id=actor.membership_id,
                role=actor.role,
                organization_id=actor.organization_id,
                side=ReferralTransition.Side.SENDER,
            )
        if send:
            notify_referral_received(referral)
    return referral


@dataclass(frozen=True)
class WithheldItem:
    """A category of information the reader may not see (now): which, and why."""

    category: str
    explanation: str


@dataclass
class ReferralView:
    """A referral as one actor may see it: the referral, the items they may read, the rest withheld."""

    referral: Referral
    side: str | None
    items: list[ReferralItem] = field(default_factory=list)
    withheld: list[WithheldItem] = field(default_factory=list)
    transitions: list[ReferralTransition] = field(default_factory=list)
    allowed_transitions: list[str] = field(default_factory=list)
    clocks: ChildProtectionClocks | None = None


def referral_for(actor: Actor, referral_id: object, now: dt.datetime | None = None) -> ReferralView:
    """The referral as the actor may see it; every read (and every withheld item) logged. 404 alike if not theirs."""
    from .flow import side_of

    queryset = Referral.objects.select_related(
        "person",
        "receiver_service",
        "receiver_organization",
        "sender_organization",
        "sender_membership__user",
        "receiver_membership__user",
        "receiver_unit",
    )
    referral = guard.fetch(actor, Action.READ, queryset, referral_id, lambda r: referral_target(r, actor))
    view = ReferralView(referral=referral, side=side_of(actor, referral))
    for item in referral.items.all():
        target = item_target(referral, item, actor)
        decision = decide(actor, Action.READ, target)
        log.append(actor, Action.READ, target, decision)
        if decision.allowed:
            view.items.append(item)
        else:
            view.withheld.append(WithheldItem(item.category, decision.explanation))
    view.transitions = list(referral.transitions.all())
    view.allowed_transitions = allowed_transitions(actor, referral)
    view.clocks = child_protection_clocks(referral, now)
    return view


def _readable(actor: Actor, referrals: list[Referral]) -> list[Referral]:
    return guard.readable(actor, referrals, lambda referral: referral_target(referral, actor))


def _listed(query: Q) -> list[Referral]:
    return list(
        Referral.objects.filter(query).select_related(
            "person", "receiver_service", "sender_organization", "receiver_organization"
        )
    )


def referrals_sent(actor: Actor) -> list[Referral]:
    """The referrals this actor (in this membership) sent, newest first; each row's read logged."""
    return _readable(actor, _listed(Q(sender_membership_id=actor.membership_id)))


def referrals_received(actor: Actor) -> list[Referral]:
    """The referrals this actor handles, or that wait for their service to answer; each row's read logged."""
    return _readable(actor, _listed(Q(receiver_membership_id=actor.membership_id) | waiting_for(actor)))
