"""Recording consents: grant and withdraw. Each write is checked, logged and done in one transaction.

Who may record: a professional in a role that sees client data, with a verified second factor, on
the person's team or referral; or a signed-in family member giving their own consent, for
themselves or a child in their custody today (`lape.access.family.family_decision`). A consent to the contact category only may also be recorded by a
professional who has just met the family (Social Welfare Act 1301/2014, 35 §: the consent to
contact social services on the family's behalf). Refusals are logged and raise NotFoundOrForbidden;
bad input raises a translated ValidationError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.accounts.family import FamilyMember
from lape.directory.models import Organization
from lape.people.models import Person

from .capacity import check_consent_giver
from .categories import Category
from .decisions import Action, Basis, Decision, Refusal, Target, refused
from .family import family_decision, family_withdrawal_decision
from .guard import find, raise_if_refused, writing
from .models import Consent
from .rules import decide_on_relation

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

CONSENT_RECORD = "consent"
CONTACT_CONSENT_LAW = "1301/2014 35 §"


def may_record_consent(actor: Actor, person_id: uuid.UUID, categories: Iterable[str]) -> Decision:
    """Whether the actor may record or withdraw a consent about this person for these categories."""
    decision = decide_on_relation(actor, person_id)
    if decision.reason == Refusal.NO_RELATION and set(categories) == {Category.CONTACT}:
        return Decision(allowed=True, basis=Basis.STATUTE, law=CONTACT_CONSENT_LAW)
    return decision


def consent_target(
    consent_id: uuid.UUID | None, person_id: uuid.UUID, actor: Actor | FamilyMember, categories: Iterable[str]
) -> Target:
    """A person's consent (or their consents, with no id) as access's target, in the actor's register."""
    return Target(
        record_type=CONSENT_RECORD,
        record_id=str(consent_id) if consent_id else "",
        person_id=person_id,
        owner_organization_id=actor.organization_id,
        category=",".join(categories),
    )


def _clean_categories(categories: Iterable[str]) -> list[str]:
    chosen = sorted(set(categories))
    if not chosen:
        raise ValidationError({"categories": _("Choose at least one information category.")}, code="required")
    unknown = [c for c in chosen if c not in Category.values]
    if unknown:
        raise ValidationError(
            {"categories": _("Unknown information category: %(names)s.") % {"names": ", ".join(unknown)}},
            code="invalid",
        )
    return chosen


def _check_input(
    organizations: list[Organization], purpose: str, valid_from: dt.date, valid_until: dt.date | None
) -> None:
    errors: dict[str, object] = {}
    if not organizations:
        errors["organizations"] = _("Choose at least one organisation the information may be shared with.")
    if not purpose.strip():
        errors["purpose"] = _("Say what the information is shared for.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The consent cannot end before it begins.")
    elif valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = _("The consent would already have ended: choose an end date from today on.")
    if errors:
        raise ValidationError(errors)


def grant_consent(
    actor: Actor | FamilyMember,
    *,
    person: Person,
    given_by: Person,
    organizations: Iterable[Organization],
    categories: Iterable[str],
    purpose: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    child_heard: bool = False,
) -> Consent:
    """Record a consent given by `given_by` to share `person`'s information; logged as a write.

    A family member records only a consent they give themselves (`given_by` is their own person):
    the log row names them, and `recorded_by` (a user) stays empty.
    """
    chosen = sorted(set(categories))
    if isinstance(actor, FamilyMember):
        decision = family_decision(actor, person.pk)
        if decision.allowed and given_by.pk != actor.person_id:
            decision = refused(Refusal.WORKFLOW)  # nobody gives a consent in another's name
    else:
        decision = may_record_consent(actor, person.pk, chosen)
    raise_if_refused(actor, Action.WRITE, consent_target(None, person.pk, actor, chosen), decision)
    chosen = _clean_categories(chosen)
    organizations = list(organizations)
    valid_from = valid_from or timezone.localdate()
    _check_input(organizations, purpose, valid_from, valid_until)
    check_consent_giver(person, given_by, chosen, valid_from, child_heard=child_heard)
    consent_id = uuid.uuid4()  # the log row names it, and is written first (guard.writing)
    with writing(
        actor, Action.WRITE, consent_target(consent_id, person.pk, actor, chosen), decision=decision
    ):
        consent = Consent.objects.create(
            id=consent_id,
            person=person,
            given_by=given_by,
            categories=chosen,
            purpose=purpose.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            child_heard=child_heard,
            recorded_by_id=actor.user_id,
        )
        consent.organizations.set(organizations)
    return consent


def withdraw_consent(actor: Actor | FamilyMember, consent_id: uuid.UUID | str) -> Consent:
    """Withdraw a consent now: from this instant no decision relies on it. Logged as a write.

    A professional is decided as for recording one (`may_record_consent`); a signed-in family
    member by the family's rule (`family_withdrawal_decision`: the person, or a guardian in custody
    today). A family member's withdrawal has no user to record: its log row names them.
    """
    consent = find(actor, Action.WRITE, Consent.objects.all(), consent_id, CONSENT_RECORD)
    target = consent_target(consent.pk, consent.person_id, actor, consent.categories)
    if isinstance(actor, FamilyMember):
        decision = family_withdrawal_decision(actor, consent)
    else:
        decision = may_record_consent(actor, consent.person_id, consent.categories)
    with writing(actor, Action.WRITE, target, decision=decision):
        # Only an unwithdrawn consent changes: two withdrawals at once leave the first one's time.
        changed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawal_recorded_by_id=actor.user_id
        )
        if not changed:  # rolls back the log row too: nothing was written
            raise ValidationError(_("This consent has already been withdrawn."), code="withdrawn")
    consent.refresh_from_db()
    return consent
