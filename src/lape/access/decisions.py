"""What is asked of the access decision and what it answers: actions, targets, bases and refusals.

No database here, so that every app can import these names early (lape.access re-exports them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an actor wants to do with a record of client data."""

    READ = "read", _("read")
    WRITE = "write", _("write")
    EXPORT = "export", _("export")


class Basis(models.TextChoices):
    """On what ground an access was allowed (none for a refusal)."""

    OWN_REGISTER = "own_register", _("own organisation's register")
    CONSENT = "consent", _("consent")
    STATUTE = "statute", _("statutory basis")
    EMERGENCY = "emergency", _("emergency")
    NONE = "none", _("none")


class Outcome(models.TextChoices):
    """Whether an attempt was allowed or refused."""

    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")


class Refusal(models.TextChoices):
    """Why an attempt was refused: one code a rule, stored in the log and shown to the family."""

    ROLE = "role", _("this role never sees client data")
    UNVERIFIED = "unverified", _("the second factor of the login was not verified")
    INVALID = "invalid", _("the request named an unknown action or information category")
    NO_RELATION = "no_relation", _("not on the person's team or referral")
    NO_BASIS = "no_basis", _("no own register, consent or statutory basis covers this")
    EMERGENCY = "emergency", _("an emergency access needs a stated reason and a role that may use it")
    BAN = "ban", _("the family has forbidden disclosing this information outside the register that holds it")
    NOT_FOUND = "not_found", _("no such record")
    # A record about several persons (lape.access.joint): this person's own decision allowed it,
    # another person's refused it, so it was not shown.
    ANOTHER_PERSON = (
        "another_person",
        _("the record is also about another person, whose information may not be shown"),
    )
    # Set by the apps that own a workflow (referrals): the actor may see the record, but this step
    # is out of order or not theirs to take (e.g. a sender accepting their own referral).
    WORKFLOW = "workflow", _("not allowed at this step of the record's workflow, or not by this party")


@dataclass(frozen=True)
class Target:
    """The record an actor wants to act on: what it is, whose data, whose register, which category.

    `person_id` is None for a record about no registered person (an anonymous contact request);
    `owner_organization_id` is the organisation whose register holds the record; `service_id` the
    service of the directory whose records it is, where the app knows one (a disclosure ban may
    cover one service's records: a target without a service is never covered by such a ban).
    """

    record_type: str
    record_id: str
    person_id: uuid.UUID | None
    owner_organization_id: uuid.UUID | None
    category: str
    service_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Decision:
    """The answer: allowed or not, on which basis; `reason` is the Refusal code when refused.

    `law` names the statute (e.g. "417/2007 25 §") when the basis is a statute; `consent_id` the
    consent when the basis is consent.
    """

    allowed: bool
    basis: Basis
    reason: str = ""
    law: str = ""
    consent_id: uuid.UUID | None = None

    @property
    def explanation(self) -> str:
        """The refusal in the user's language ("" when allowed)."""
        return str(Refusal(self.reason).label) if self.reason else ""


def refused(reason: Refusal) -> Decision:
    """A refusal for the given reason."""
    return Decision(allowed=False, basis=Basis.NONE, reason=reason)
