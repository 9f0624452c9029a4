"""The statutory bases: where a law, not a register or a consent, lets a professional act.

Kept as data, one row a basis, each naming its law (the Finlex number and section, the same in
every language) so that the log records which law was used. A basis applies to the actions,
categories and record types it lists, for the roles it lists (None: every role that sees client
data); some need no relation to the person (a notifier need not be on the child's team), and
some need a consent or a stated reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .categories import Category
from .decisions import Action

# Record types the statutes name; the apps that own these records (referrals) use these names.
CHILD_PROTECTION_NOTIFICATION = "child_protection_notification"
CONTACT_REQUEST = "contact_request"


@dataclass(frozen=True)
class Statute:
    """One statutory basis."""

    law: str
    title: Promise
    summary: Promise
    actions: frozenset[str]
    categories: frozenset[str]
    record_types: frozenset[str]
    roles: frozenset[str] | None = None
    needs_relation: bool = True
    needs_consent_or_reason: bool = False

    def covers(self, role: str, action: str, category: str, record_type: str) -> bool:
        """Whether this basis speaks to this role, action, category and record type."""
        return (
            action in self.actions
            and category in self.categories
            and record_type in self.record_types
            and (self.roles is None or role in self.roles)
        )


STATUTES: tuple[Statute, ...] = (
    Statute(
        law="417/2007 25 §",
        title=_("Child Welfare Act (417/2007), section 25: the duty to notify"),
        summary=_(
            "Professionals who learn in their work of a child who may need child protection must notify "
            "the social services at once, notwithstanding secrecy. They need not be on the child's team, "
            "and they may only write the notification, not read the child's records."
        ),
        actions=frozenset({Action.WRITE}),
        categories=frozenset({Category.CHILD_PROTECTION}),
        record_types=frozenset({CHILD_PROTECTION_NOTIFICATION}),
        needs_relation=False,
    ),
    Statute(
        law="1301/2014 35 §",
        title=_("Social Welfare Act (1301/2014), section 35: contacting social services for a family"),
        summary=_(
            "A professional who meets a family in need of social services contacts the social services "
            "on its behalf with its consent, or without consent when the need is urgent, stating why. "
            "They may only write the contact request."
        ),
        actions=frozenset({Action.WRITE}),
        categories=frozenset({Category.CONTACT}),
        record_types=frozenset({CONTACT_REQUEST}),
        needs_relation=False,
        needs_consent_or_reason=True,
    ),
)


def statutes_for(role: str, action: str, category: str, record_type: str) -> list[Statute]:
    """The statutory bases that speak to this role, action, category and record type."""
    return [statute for statute in STATUTES if statute.covers(role, action, category, record_type)]
