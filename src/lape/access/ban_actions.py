"""Recording disclosure bans: set and lift. Each write is checked, logged and done in one transaction.

Who may record: a professional in a role that sees client data, with a verified second factor, on
the person's team or referral (the family asks a professional; the family's own view comes with
issue 5). Who may decide: the person or a guardian, by the capacity rules of consents
(lape.access.capacity.check_ban_giver). Refusals are logged and raise NotFoundOrForbidden; bad
input raises a translated ValidationError keyed by the argument's name and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.directory.models import Organization, Service
from lape.people.models import Person

from .capacity import check_ban_giver
from .categories import Category
from .consent_actions import may_record_consent
from .decisions import Action, Target
from .guard import find, raise_if_refused, writing
from .models import BanScope, DisclosureBan
from .record_types import is_bannable

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

BAN_RECORD = "disclosure_ban"

# The kinds of record a ban on one record may name, as the owning apps name their access targets
# (lape.referrals.targets; the plans app adds its entries here). A ban names any record type the
# action is given; this is what the page offers.
MAX_RECORD_ID = 100


def ban_target(
    ban_id: uuid.UUID | None, person_id: uuid.UUID, actor: Actor, categories: Iterable[str]
) -> Target:
    """A person's disclosure ban (or their bans, with no id) as access's target, in the actor's register.

    `categories` are those the log names: `covered(...)` of each ban, so that a ban of every
    category names them all and the family's log says what it covered.
    """
    return Target(
        record_type=BAN_RECORD,
        record_id=str(ban_id) if ban_id else "",
        person_id=person_id,
        owner_organization_id=actor.organization_id,
        category=",".join(sorted(set(categories))),
    )


def covered(categories: Iterable[str]) -> list[str]:
    """The categories a ban covers: those it lists, or every category when it lists none."""
    return sorted(categories) or list(Category.values)


def _clean_categories(categories: Iterable[str]) -> list[str]:
    chosen = sorted(set(categories))
    unknown = [c for c in chosen if c not in Category.values]
    if unknown:
        raise ValidationError(
            {"categories": _("Unknown information category: %(names)s.") % {"names": ", ".join(unknown)}},
            code="invalid",
        )
    return chosen


def _check_scope(
    scope: str, record_type: str, record_id: str, service: Service | None, organization: Organization | None
) -> None:
    errors: dict[str, object] = {}
    if scope not in BanScope.values:
        errors["scope"] = _("Choose what the ban covers: one record, one service's or one organisation's.")
    elif scope == BanScope.RECORD:
        if not is_bannable(record_type.strip()):
            errors["record_type"] = _("Choose the kind of record the ban covers.")
        if not record_id.strip() or len(record_id) > MAX_RECORD_ID:
            errors["record_id"] = _("Give the identifier of the record the ban covers.")
    elif scope == BanScope.SERVICE and service is None:
        errors["service"] = _("Choose the service whose records the ban covers.")
    elif scope == BanScope.ORGANIZATION and organization is None:
        errors["organization"] = _("Choose the organisation whose records the ban covers.")
    if errors:
        raise ValidationError(errors)


def set_ban(
    actor: Actor,
    *,
    person: Person,
    set_by: Person,
    scope: str,
    record_type: str = "",
    record_id: str = "",
    service: Service | None = None,
    organization: Organization | None = None,
    categories: Iterable[str] = (),
    valid_from: dt.date | None = None,
    child_heard: bool = False,
) -> DisclosureBan:
    """Record a ban, asked by `set_by`, on disclosing `person`'s information; logged as a write.

    Only the fields of the chosen scope are kept (a record's type and id, a service, or an
    organisation); no categories: every category.
    """
    chosen = sorted(set(categories))
    decision = may_record_consent(actor, person.pk, ())  # a ban opens nothing: never the contact exception
    raise_if_refused(actor, Action.WRITE, ban_target(None, person.pk, actor, covered(chosen)), decision)
    chosen = _clean_categories(chosen)
    _check_scope(scope, record_type, record_id, service, organization)
    today = timezone.localdate()
    valid_from = valid_from or today
    if valid_from < today:
        raise ValidationError(
            {"valid_from": _("A ban cannot begin in the past: choose a day from today on.")}, code="past"
        )
    check_ban_giver(person, set_by, chosen, today, child_heard=child_heard)
    ban_id = uuid.uuid4()  # the log row names it, and is written first (guard.writing)
    with writing(
        actor, Action.WRITE, ban_target(ban_id, person.pk, actor, covered(chosen)), decision=decision
    ):
        return DisclosureBan.objects.create(
            id=ban_id,
            person=person,
            set_by=set_by,
            scope=scope,
            record_type=record_type.strip() if scope == BanScope.RECORD else "",
            record_id=record_id.strip() if scope == BanScope.RECORD else "",
            service=service if scope == BanScope.SERVICE else None,
            organization=organization if scope == BanScope.ORGANIZATION else None,
            categories=chosen,
            valid_from=valid_from,
            child_heard=child_heard,
            recorded_by_id=actor.user_id,
        )


def lift_ban(
    actor: Actor, ban_id: uuid.UUID | str, *, lifted_by: Person, child_heard: bool = False
) -> DisclosureBan:
    """Lift a ban now, as `lifted_by` asks: from this instant no decision refuses on it. Logged as a write."""
    ban = find(actor, Action.WRITE, DisclosureBan.objects.all(), ban_id, BAN_RECORD)
    target = ban_target(ban.pk, ban.person_id, actor, covered(ban.categories))
    decision = may_record_consent(actor, ban.person_id, ())
    raise_if_refused(actor, Action.WRITE, target, decision)
    if ban.lifted_at is not None:
        raise ValidationError(_("This ban has already been lifted."), code="lifted")
    check_ban_giver(
        ban.person,
        lifted_by,
        ban.categories,
        timezone.localdate(),
        child_heard=child_heard,
        field="lifted_by",
    )
    with writing(actor, Action.WRITE, target, decision=decision):
        # Only a ban in place changes: two liftings at once leave the first one's time.
        changed = DisclosureBan.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=lifted_by, lift_recorded_by_id=actor.user_id
        )
        if not changed:  # rolls back the log row too: nothing was written
            raise ValidationError(_("This ban has already been lifted."), code="lifted")
    ban.refresh_from_db()
    return ban
