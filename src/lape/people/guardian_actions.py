"""Recording and ending a child's guardians as a professional: checked, written and logged by access.

`lape.people.registry` holds the rules of the relation (an adult guardian, a child ward, not twice);
these actions put them behind the one door. The guardian relation is the child's client data, in
no register's category (every service needs to know who the guardians are, whichever register it
keeps): the actor needs what handling the child's consents needs – a role that sees client data,
the second factor and a relation to the child (`lape.access.rules.decide_on_relation`). Each change
writes its access-log row in the same transaction; a refusal is logged and raises
NotFoundOrForbidden, bad input a translated ValidationError keyed by the page's fields, and then
nothing is changed (a guardian registered on the way is rolled back too).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lape.access import guard, log
from lape.access.decisions import Action, Decision, Target
from lape.access.rules import decide_on_relation

from .identity_codes import InvalidIdentityCode
from .models import GuardianRelation, Person
from .registry import add_guardian, end_guardianship, find_by_identity_code, find_or_register

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

GUARDIAN_RELATION = "guardian_relation"
ALREADY_ENDED = _("The last day of this guardianship is recorded already: there is nothing to end.")
PERSON_RECORD = "person"

# The registry's refusals (ValidationError codes) and the page's field each belongs next to.
_FIELD_OF_CODE = {
    "self": "identity_code",
    "guardian_minor": "identity_code",
    "duplicate": "identity_code",
    "child_adult": "started",
    "before_birth": "started",
    "ended_before_start": "ended",
}


def guardians_target(actor: Actor, child_id: uuid.UUID, relation_id: uuid.UUID | None = None) -> Target:
    """A child's guardian relation (or all of them, with no id) as access's target, in the actor's register."""
    return Target(
        record_type=GUARDIAN_RELATION,
        record_id=str(relation_id) if relation_id else "",
        person_id=child_id,
        owner_organization_id=actor.organization_id,
        category="",
    )


def may_handle_guardians(actor: Actor, child_id: uuid.UUID) -> Decision:
    """Whether the actor may see and change the child's guardians (not yet logged)."""
    return decide_on_relation(actor, child_id)


def _on_fields(error: ValidationError) -> ValidationError:
    """The registry's error keyed by the page's field it concerns (a keyed error is kept as it is)."""
    if hasattr(error, "error_dict"):
        return error
    field = _FIELD_OF_CODE.get(str(error.code or ""))
    return ValidationError({field: error}) if field else error


def record_guardian(
    actor: Actor,
    child: Person,
    *,
    identity_code: str,
    given_names: str = "",
    family_name: str = "",
    started: dt.date | None = None,
) -> GuardianRelation:
    """Record the person with this identity code (registered with the names when new) as the child's guardian.

    Logged as a write of the child's guardian relation; registering a new person also logs a write
    of that person. Refused: logged, NotFoundOrForbidden. Bad input: ValidationError, nothing changed.
    """
    decision = may_handle_guardians(actor, child.pk)
    guard.raise_if_refused(actor, Action.WRITE, guardians_target(actor, child.pk), decision)
    try:
        known = find_by_identity_code(identity_code)
    except InvalidIdentityCode as error:
        raise ValidationError({"identity_code": error.messages}, code="invalid") from error
    relation_id = uuid.uuid4()  # the log row names it, and is written first (guard.writing)
    try:
        with guard.writing(
            actor, Action.WRITE, guardians_target(actor, child.pk, relation_id), decision=decision
        ):
            guardian = known or find_or_register(
                identity_code, given_names=given_names, family_name=family_name, language=child.language
            )
            if known is None:  # a new client: their own row says who registered them
                log.append(actor, Action.WRITE, _person_target(actor, guardian), decision)
            return add_guardian(guardian, child, started=started, relation_id=relation_id)
    except ValidationError as error:
        raise _on_fields(error) from error


def _person_target(actor: Actor, person: Person) -> Target:
    return Target(
        record_type=PERSON_RECORD,
        record_id=str(person.pk),
        person_id=person.pk,
        owner_organization_id=actor.organization_id,
        category="",
    )


def end_guardian(actor: Actor, relation_id: object, *, ended: dt.date | None = None) -> GuardianRelation:
    """End a guardianship on `ended` (its last day; default today). Logged as a write of the child's relation."""
    relation = guard.find(
        actor,
        Action.WRITE,
        GuardianRelation.objects.select_related("guardian", "child"),
        relation_id,
        GUARDIAN_RELATION,
    )
    decision = may_handle_guardians(actor, relation.child_id)
    try:
        with guard.writing(
            actor, Action.WRITE, guardians_target(actor, relation.child_id, relation.pk), decision=decision
        ):
            # The registry ends the pair's open relation: never a newer one in place of this one.
            if relation.ended is not None:
                raise ValidationError(ALREADY_ENDED, code="ended")
            return end_guardianship(relation.guardian, relation.child, ended=ended)
    except ValidationError as error:
        raise _on_fields(error) from error
