"""What a signed-in family member may read: their own data, and their children's while they are guardians.

The family's pages ask here, as professionals' pages ask `rules.decide`. Every read (allowed or
refused) is logged like a professional's, with the family member as the actor
(docs/decisions/006-family-reads-in-the-access-log.md): so a guardian reading their child's access
log is itself in that log. A guardianship that has ended gives nothing, not even what was seen
before: missing and forbidden look the same (404).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from lape.people.models import GuardianRelation, Person

from . import guard
from .capacity import decides_alone, may_consent_for_self
from .decisions import Action, Basis, Decision, Refusal, Target, refused
from .joint import JointDecision

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember

    from .models import Consent

# The right of access to one's own data (GDPR, regulation (EU) 2016/679, article 15), which a
# guardian uses for a minor child as the child's legal representative.
FAMILY_ACCESS_LAW = "2016/679 15 art."
# What a family page reads: the access log about a person, their consents, their name (home page).
ACCESS_LOG_RECORD = "access_log"
CONSENTS_RECORD = "consent"
PERSON_RECORD = "person"


def family_decision(member: FamilyMember, person_id: uuid.UUID, on: dt.date | None = None) -> Decision:
    """May the family member read this person's data: themselves, or a child in their custody today."""
    on = on or timezone.localdate()
    if member.person_id == person_id:
        return Decision(allowed=True, basis=Basis.STATUTE, law=FAMILY_ACCESS_LAW)
    if GuardianRelation.objects.active(on).filter(guardian_id=member.person_id, child_id=person_id).exists():
        return Decision(allowed=True, basis=Basis.STATUTE, law=FAMILY_ACCESS_LAW)
    return refused(Refusal.NO_RELATION)


# From this age a young person reads, in their own right of access, what concerns their whole family
# (a family-level entry of siblings' plans is about each of them); docs/access.md.
FAMILY_LEVEL_OWN_AGE = 12


def family_joint_decision(
    member: FamilyMember, targets: tuple[Target, ...], on: dt.date | None = None
) -> JointDecision:
    """May the family member read a record about several persons (siblings), each person's row decided?

    - A guardian in custody today of every person (or the person themselves for the rest): allowed
      for each, on the right of access.
    - A young person of 12 or more who is one of the persons: allowed for each, the record being
      about them too (what concerns the whole family); the siblings' own records stay theirs.
    Otherwise each person as `family_decision` answers, and the record is refused if any refuses.
    """
    on = on or timezone.localdate()
    each = tuple((target, family_decision(member, target.person_id, on)) for target in targets)  # type: ignore[arg-type]
    joint = JointDecision(each)
    if joint.allowed or not each:
        return joint
    persons = {target.person_id for target in targets}
    if member.person_id in persons:
        me = Person.objects.filter(pk=member.person_id).only("birth_date").first()
        if me is not None and me.age_on(on) >= FAMILY_LEVEL_OWN_AGE:
            allowed = Decision(allowed=True, basis=Basis.STATUTE, law=FAMILY_ACCESS_LAW)
            return JointDecision(tuple((target, allowed) for target in targets))
    return joint


def family_target(record_type: str, person_id: uuid.UUID) -> Target:
    """A person's data of one kind, as a family page reads it (no organisation's register)."""
    return Target(
        record_type=record_type,
        record_id=str(person_id),
        person_id=person_id,
        owner_organization_id=None,
        category="",
    )


def family_read(member: FamilyMember, person_id: object, record_type: str) -> Person:
    """The person whose data of `record_type` the member reads; logged; otherwise NotFoundOrForbidden."""
    person = guard.find(member, Action.READ, Person.objects.all(), person_id, record_type)
    guard.enforce(
        member, Action.READ, family_target(record_type, person.pk), family_decision(member, person.pk)
    )
    return person


def log_family_read(member: FamilyMember, person: Person, record_type: str) -> None:
    """Log a read the member may make (a child's name on the home page); refused: NotFoundOrForbidden."""
    guard.enforce(
        member, Action.READ, family_target(record_type, person.pk), family_decision(member, person.pk)
    )


def family_withdrawal_decision(member: FamilyMember, consent: Consent, on: dt.date | None = None) -> Decision:
    """May the family member withdraw this consent (lape.access.capacity's rules, as on the day it is asked).

    - The person themselves: a consent they gave, or one they may decide alone (an adult; a young
      person of 15 or more in their own matters, SELF_CONSENT_CATEGORIES). A child under 15 may not
      withdraw what their guardian gave: they could not have given it either.
    - A guardian in custody today, while the person is a child: a consent a guardian gave (they or
      the other guardian: a guardian represents the child, Child Custody and Right of Access Act
      361/1983). Not one a young person of 15 or more gave themselves: that is theirs; nor one of
      a category the young person now decides alone (their health care, capacity.decides_alone).
    Otherwise refused: `no_relation` for someone else's consent (the same 404 as a missing one),
    `workflow` for a consent the member may read but not withdraw.
    """
    on = on or timezone.localdate()
    person = consent.person
    allowed = Decision(allowed=True, basis=Basis.STATUTE, law=FAMILY_ACCESS_LAW)
    given_by_person = consent.given_by_id == consent.person_id
    if member.person_id == consent.person_id:
        if given_by_person or may_consent_for_self(person, consent.categories, on):
            return allowed
        return refused(Refusal.WORKFLOW)
    if not family_decision(member, person.pk, on).allowed or not person.is_child_on(on):
        return refused(Refusal.NO_RELATION)
    if given_by_person or decides_alone(person, consent.categories, on):
        return refused(Refusal.WORKFLOW)
    return allowed


# Apps that know which organisations work with a person (plans: the child's plan team) tell the
# family's consent page here, in AppConfig.ready, so that access never imports them.
ConsentOrganizations = Callable[["Person"], "list[uuid.UUID]"]
_CONSENT_ORGANIZATIONS: list[ConsentOrganizations] = []


def register_consent_organizations(source: ConsentOrganizations) -> None:
    """Add a source of the organisations a family may give a consent to (once per app)."""
    if source not in _CONSENT_ORGANIZATIONS:
        _CONSENT_ORGANIZATIONS.append(source)


def consent_organization_ids(person: Person) -> set[uuid.UUID]:
    """The organisations working with the person (every registered source's), to which the family may consent."""
    return {organization_id for source in _CONSENT_ORGANIZATIONS for organization_id in source(person)}


@dataclass(frozen=True)
class FamilyLink:
    """A link another app adds to the family's home page, under one person (a child's plan)."""

    person_id: uuid.UUID
    url: str
    text: str


# Apps that hold more of a family's data (plans) add their links here in AppConfig.ready, so that
# access never imports them. Each is given the member and the people shown (already decided).
FamilyLinks = Callable[["FamilyMember", "list[Person]"], "list[FamilyLink]"]
_FAMILY_LINKS: list[FamilyLinks] = []


def register_family_links(links: FamilyLinks) -> None:
    """Add a source of links for the family's home page (once per app)."""
    if links not in _FAMILY_LINKS:
        _FAMILY_LINKS.append(links)


def family_links(member: FamilyMember, people: list[Person]) -> list[FamilyLink]:
    """Every registered app's links for these people; each app logs the reads its links show."""
    return [link for source in _FAMILY_LINKS for link in source(member, people)]


# Apps whose records the law keeps from some family members (plans: a young person's confidential
# entries, kept from their guardians) say which, so that the family's access log leaves out their
# rows: a row about such a record would tell the guardian what the young person has forbidden.
KeptRecords = Callable[["FamilyMember", "Person"], "set[str]"]
_KEPT_RECORDS: list[KeptRecords] = []


def register_kept_records(source: KeptRecords) -> None:
    """Add a source of record ids kept from a family member (once per app)."""
    if source not in _KEPT_RECORDS:
        _KEPT_RECORDS.append(source)


def kept_record_ids(member: FamilyMember, person: Person) -> set[str]:
    """The ids of the person's records whose access-log rows the law keeps from this member."""
    return {record_id for source in _KEPT_RECORDS for record_id in source(member, person)}
