"""The access decision: one function decides every access to client data. Deny by default.

In order (docs/access.md):
1. Only a known action on a known category; only a role that sees client data
   (lape.accounts.roles.SEES_CLIENT_DATA); only with a verified second factor.
2. A statutory basis that needs no relation (a child-protection notification) allows at once.
3. Otherwise the actor must be on the person's team or referral (a registered relation provider).
4. Then one of: the record is in the actor's own organisation's register in a category the role
   handles (own register: read, write, export); a consent in force shares the category with the
   actor's organisation (consent: read only); a statutory basis that needs the relation.
5. When all of that refuses and the actor declares an emergency with a reason, an emergency role
   may read (break-the-glass, lape.access.emergency).
A disclosure ban in force that covers the record (lape.access.bans) refuses (`ban`) what consent or
break-the-glass would disclose outside the record's owner organisation; a statute still allows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

from lape.accounts.roles import SEES_CLIENT_DATA

from .bans import covering_ban_ids, covering_consents_and_bans
from .categories import Category
from .consents import covering_consent_ids
from .decisions import Action, Basis, Decision, Refusal, Target, refused
from .emergency import may_break_glass
from .registers import handles_in_own_register
from .relations import has_relation
from .statutes import Statute, statutes_for

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

# Every decision checks these; Django's Choices.values builds its list (and labels) on each access.
_ACTIONS = frozenset(Action.values)
_CATEGORIES = frozenset(Category.values)


def _statute_allows(statute: Statute, actor: Actor, target: Target, at: dt.datetime, reason: str) -> bool:
    """Whether a statute's own condition (a consent or a stated reason) is met."""
    if not statute.needs_consent_or_reason:
        return True
    if reason.strip():
        return True
    return target.person_id is not None and bool(
        covering_consent_ids(target.person_id, actor.organization_id, target.category, at)
    )


def _discloses(actor: Actor, target: Target) -> bool:
    """Whether reading the record would disclose it: to anyone outside the owner organisation.

    The owner organisation's own register is not a disclosure, so no ban reaches inside it.
    """
    return target.owner_organization_id != actor.organization_id


def _banned(actor: Actor, target: Target, at: dt.datetime) -> bool:
    """Whether a ban in force forbids disclosing the record to the actor (asked before break-the-glass)."""
    return (
        target.person_id is not None
        and _discloses(actor, target)
        and bool(covering_ban_ids(target.person_id, target, at))
    )


def _on_a_basis(actor: Actor, action: str, target: Target, at: dt.datetime, reason: str) -> Decision:
    """Steps 2–4: a statute, the relation, then own register, consent or a statute."""
    statutes = statutes_for(actor.role, action, target.category, target.record_type)
    for statute in statutes:
        if not statute.needs_relation and _statute_allows(statute, actor, target, at, reason):
            return Decision(allowed=True, basis=Basis.STATUTE, law=statute.law)
    if not has_relation(actor, target.person_id):
        return refused(Refusal.NO_RELATION)
    if target.owner_organization_id == actor.organization_id and handles_in_own_register(
        actor.role, target.category
    ):
        return Decision(allowed=True, basis=Basis.OWN_REGISTER)
    banned = False
    if action == Action.READ and target.person_id is not None:
        if _discloses(actor, target):  # the covering bans come with the consents: one round trip
            covering, bans = covering_consents_and_bans(target.person_id, actor.organization_id, target, at)
        else:
            covering, bans = (
                covering_consent_ids(target.person_id, actor.organization_id, target.category, at),
                [],
            )
        if covering:
            if not bans:
                return Decision(allowed=True, basis=Basis.CONSENT, consent_id=covering[0])
            banned = True  # the ban wins over the consent; only a statute below still allows
    for statute in statutes:
        if statute.needs_relation and _statute_allows(statute, actor, target, at, reason):
            return Decision(allowed=True, basis=Basis.STATUTE, law=statute.law)
    return refused(Refusal.BAN if banned else Refusal.NO_BASIS)


def decide_on_relation(actor: Actor, person_id: uuid.UUID) -> Decision:
    """May the actor handle the person's own details, which are in no register's category?

    A person's consents and guardians: a role that sees client data, the second factor, and the
    relation to the person (their team or referral). The basis is own register: the record is the
    actor's organisation's, made in its work with the person.
    """
    if actor.role not in SEES_CLIENT_DATA:
        return refused(Refusal.ROLE)
    if not actor.verified:
        return refused(Refusal.UNVERIFIED)
    if has_relation(actor, person_id):
        return Decision(allowed=True, basis=Basis.OWN_REGISTER)
    return refused(Refusal.NO_RELATION)


def decide(
    actor: Actor,
    action: Action | str,
    target: Target,
    *,
    at: dt.datetime | None = None,
    reason: str = "",
    emergency: bool = False,
) -> Decision:
    """May `actor` do `action` to `target`? Deny by default; the Decision names the basis.

    `reason` is what the actor states (an urgent contact request, an emergency); `emergency` asks
    for break-the-glass when nothing else allows. This decides only: lape.access.guard logs.
    """
    if action not in _ACTIONS or target.category not in _CATEGORIES:
        return refused(Refusal.INVALID)
    if actor.role not in SEES_CLIENT_DATA:
        return refused(Refusal.ROLE)
    if not actor.verified:
        return refused(Refusal.UNVERIFIED)
    at = at or timezone.now()
    decision = _on_a_basis(actor, str(action), target, at, reason)
    if decision.allowed or not emergency:
        return decision
    if may_break_glass(actor.role, str(action), reason):
        if _banned(actor, target, at):
            return refused(Refusal.BAN)
        return Decision(allowed=True, basis=Basis.EMERGENCY)
    return refused(Refusal.EMERGENCY)
