"""What a team member's organisation may read of the plan's other registers: "adding a member asks
for the consent it needs" (issue 5).

For each information category of the plan's entries that the member does not read on their own
register (another organisation's entries, or their own organisation's in a category their role
does not handle), the family's consents in force that share it with the member's organisation
(`lape.access.consents.consents_covering`); a category without one is what a consent would open.
Only consents are weighed here: a disclosure ban may still keep one entry, and a statute may open
one without consent; the read of each entry is decided by access as always.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from lape.access import log
from lape.access.categories import Category
from lape.access.consent_actions import consent_target, may_record_consent
from lape.access.consents import consents_covering
from lape.access.decisions import Action
from lape.access.guard import NotFoundOrForbidden, raise_if_refused
from lape.access.models import Consent
from lape.access.registers import handles_in_own_register
from lape.directory.models import Organization

from .models import Entry, Plan
from .reading import team_in_force
from .steps import frame_decision, load_plan
from .targets import plan_target

if TYPE_CHECKING:
    from lape.accounts.acting import Actor

    from .models import TeamMember


@dataclass
class CategoryReach:
    """One category of the plan's other registers, whose entries it is, and the consents that open it."""

    category: str
    organizations: list[Organization] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The category in words."""
        return str(Category(self.category).label)

    @property
    def readable(self) -> bool:
        """Whether a consent in force shares this category with the member's organisation."""
        return bool(self.consents)


@dataclass(frozen=True)
class MemberReach:
    """What one team member's organisation may read of the plan's other registers."""

    plan: Plan
    member: TeamMember
    categories: list[CategoryReach]


def other_registers(member: TeamMember, entries: list[Entry]) -> list[CategoryReach]:
    """The categories of these entries outside the member's own register, each with whose entries they are."""
    membership = member.membership
    found: dict[str, CategoryReach] = {}
    for entry in entries:
        own = entry.owner_organization_id == membership.organization_id
        if own and handles_in_own_register(membership.role, entry.category):
            continue
        reach = found.setdefault(entry.category, CategoryReach(entry.category))
        if entry.owner_organization not in reach.organizations:
            reach.organizations.append(entry.owner_organization)
    return [found[c] for c in Category.values if c in found]


def member_reach(actor: Actor, plan_id: uuid.UUID | str, member_id: uuid.UUID | str) -> MemberReach:
    """For the team: what a member's organisation may read under the family's consents in force.

    A read of the plan's frame (which entries exist and whose they are) and of the child's consents,
    both logged; a missing or forbidden plan, and a member not on the team now, are NotFoundOrForbidden.
    """
    plan = load_plan(actor, Action.READ, plan_id)
    decision = frame_decision(actor, Action.READ, plan)
    member = next((m for m in team_in_force(plan) if str(m.pk) == str(member_id)), None)
    if member is None:
        raise NotFoundOrForbidden
    consents_decision = may_record_consent(actor, plan.child_id, ())
    consents = consent_target(None, plan.child_id, actor, ())
    raise_if_refused(actor, Action.READ, consents, consents_decision)
    entries = list(Entry.objects.filter(plan=plan).select_related("owner_organization"))
    categories = other_registers(member, entries)
    for reach in categories:
        reach.consents = consents_covering(plan.child_id, member.membership.organization_id, reach.category)
    with transaction.atomic():  # the frame's row and the consents' row commit together
        log.append(actor, Action.READ, plan_target(plan, actor), decision)
        log.append(actor, Action.READ, consents, consents_decision)
    return MemberReach(plan=plan, member=member, categories=categories)
