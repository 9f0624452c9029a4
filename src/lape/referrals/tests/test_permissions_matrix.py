"""The permission matrix of the referrals app: every role × every action × own organisation / other
organisation with consent / with consent but a disclosure ban / consent withdrawn / no relation,
generated, each cell allow or deny.

The family worker of the county referred Aino, carrying what the family work knows (social services).
The professional under test handles that referral (or, for "no relation", works where it went but
does not handle it). The expected answers are written here from the rules in DESIGN.md and
docs/access.md, not read from the code: a role sees only its own register's categories of its own
organisation; another organisation's information only with a consent in force; nothing without a
relation; a family's disclosure ban on the county's records wins over its consent; managers,
publishers and administrators see no client data.
"""

from __future__ import annotations

from typing import Any

import pytest

from lape.access.ban_actions import set_ban
from lape.access.consent_actions import withdraw_consent
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import Consent
from lape.accounts.acting import Actor
from lape.accounts.models import Role
from lape.referrals.flow import transition_referral
from lape.referrals.models import Referral, ReferralItem
from lape.referrals.referring import referral_for
from lape.referrals.requests import request_for

from .conftest import World, consent_to, family_asks, make_actor, membership_of

NO_CLIENT_DATA = {"manager", "publisher", "administrator"}
CLIENT_DATA = {role.value for role in Role} - NO_CLIENT_DATA
SOCIAL_SERVICES_REGISTER = {
    "social_worker",
    "child_protection_worker",
    "family_worker",
    "school_social_worker",
}
NGO_REGISTER = {"ngo_worker", "parish_worker"}
SITUATIONS = (
    "own_organisation",
    "other_with_consent",
    "consent_but_banned",
    "consent_withdrawn",
    "no_relation",
)
ACTIONS = ("read_referral", "read_carried_information", "take_the_next_step", "read_contact_request")


def expected(role: str, situation: str, action: str) -> bool:
    """The rule, cell by cell."""
    if role in NO_CLIENT_DATA or situation == "no_relation":
        return False
    if action == "read_contact_request":  # every client-data role handles contact requests
        return True
    if situation == "own_organisation":  # one register: the county's social services
        return role in SOCIAL_SERVICES_REGISTER
    in_ngo_register = role in NGO_REGISTER  # the NGO's own copy of the referral (ngo_support)
    # The county's information at the NGO: consent only, and never under the family's ban on the
    # county's records (the NGO's own copy of the referral and its request are not the county's).
    if action == "read_carried_information":
        return in_ngo_register and situation == "other_with_consent"
    return in_ngo_register


def _referral(world: World, handler: Actor | None, to_ngo: bool) -> Referral:
    service = world.family_friend if to_ngo else world.family_work
    referral = Referral.objects.create(
        status="accepted",
        person=world.child,
        sender_membership=membership_of(world.family_worker),
        sender_organization=world.county,
        sender_category="social_services",
        receiver_service=service,
        receiver_organization=service.organization,
        receiver_membership=membership_of(handler) if handler else membership_of(world.ngo_worker),
        category="ngo_support" if to_ngo else "social_services",
        reason="A family friend, please.",
        requested_at=world.child.created_at,
        accepted_at=world.child.created_at,
    )
    ReferralItem.objects.create(
        referral=referral, category="social_services", text="The parents are exhausted.", basis="consent"
    )
    return referral


def _allowed(attempt: Any) -> bool:
    try:
        attempt()
    except NotFoundOrForbidden:
        return False
    return True


def _cells(world: World, role: str, situation: str) -> dict[str, bool]:
    to_ngo = situation != "own_organisation"
    organization = world.ngo if to_ngo else world.county
    actor = make_actor(f"{role}-{situation}", organization, role)
    handles = situation != "no_relation"
    referral = _referral(world, actor if handles else None, to_ngo)
    if to_ngo:
        consent_to(world, world.ngo, "contact", "social_services")
        if situation == "consent_withdrawn":  # every consent of the family, this one and earlier ones
            for consent in Consent.objects.filter(person=world.child, withdrawn_at__isnull=True):
                withdraw_consent(world.family_worker, consent.pk)
        if situation == "consent_but_banned":  # Maija forbids disclosing the county's records
            set_ban(
                world.family_worker,
                person=world.child,
                set_by=world.mother,
                scope="organization",
                organization=world.county,
            )
    request = family_asks(world).request
    if handles:  # as if assigned (own organisation) or forwarded (to the NGO) to the professional
        request.holder_organization = organization
        request.assigned_membership = membership_of(actor)
        request.save()

    def read_items() -> None:
        view = referral_for(actor, referral.pk)
        if not view.items:
            raise NotFoundOrForbidden()

    return {
        "read_referral": _allowed(lambda: referral_for(actor, referral.pk)),
        "read_carried_information": _allowed(read_items),
        "take_the_next_step": _allowed(lambda: transition_referral(actor, referral.pk, "in-progress")),
        "read_contact_request": _allowed(lambda: request_for(actor, request.pk)),
    }


@pytest.mark.parametrize("role", sorted(role.value for role in Role))
def test_the_matrix_for(world: World, role: str) -> None:
    actual, wanted = {}, {}
    for situation in SITUATIONS:
        cells = _cells(world, role, situation)
        for action in ACTIONS:
            actual[situation, action] = cells[action]
            wanted[situation, action] = expected(role, situation, action)
    assert actual == wanted


def test_the_matrix_has_every_cell_and_both_answers() -> None:
    cells = [expected(role.value, s, a) for role in Role for s in SITUATIONS for a in ACTIONS]
    assert len(cells) == 16 * 5 * 4
    assert 0 < sum(cells) < len(cells) / 2  # deny by default: most cells refuse
