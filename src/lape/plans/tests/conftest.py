"""The plans tests' people: the referrals tests' world (lape.referrals.tests.conftest), and Aino's plan.

Aino (10) came to the Kuopio family centre through her mother's contact request; the county's
family worker, assigned to it, identified her and starts her plan (the request is the relation
that lets her). The team: the family worker (coordinator, county, social services), the county's
public health nurse, the city's school social worker and the NGO's worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lape.access.models import AccessLogEntry
from lape.people.identity_codes import compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.referrals.tests.conftest import (  # noqa: F401  (fixtures: pytest finds them here)
    World,
    consent_to,
    family_asks,
    fast_password_hashing,
    identified_request,
    locmem_mail,
    make_actor,
    membership_of,
    world,
    years_ago,
)

from ..models import Plan, TeamMember
from ..team import add_member, start_plan


@dataclass
class Team:
    plan: Plan
    nurse: TeamMember
    school_social_worker: TeamMember
    ngo_worker: TeamMember


@pytest.fixture
def team(world: World) -> Team:  # noqa: F811  (the imported fixture)
    identified_request(world)
    plan = start_plan(world.family_worker, world.child.pk)
    return Team(
        plan=plan,
        nurse=add_member(world.family_worker, plan.pk, membership_of(world.nurse).pk),
        school_social_worker=add_member(
            world.family_worker, plan.pk, membership_of(world.school_social_worker).pk, task="Pupil welfare"
        ),
        ngo_worker=add_member(world.family_worker, plan.pk, membership_of(world.ngo_worker).pk),
    )


@dataclass
class Sibling:
    child: Person
    plan: Plan
    nurse: TeamMember


def sibling_with_plan(
    world: World,  # noqa: F811  (the imported fixture's name)
    *,
    years: int = 7,
    number: int = 966,
    given_names: str = "Otto",
    code: str = "",
) -> Sibling:
    """Aino's sibling (the mother's child too, and of every other guardian of Aino's), identified on
    a contact request the family worker handles, with a plan she coordinates and the nurse on its team."""
    from lape.referrals.handling import assign_request, identify_person

    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    identify_person(
        world.family_worker,
        request.pk,
        identity_code=code or compose_identity_code(years_ago(years), number),
        given_names=given_names,
        family_name="Testinen",
    )
    request.refresh_from_db()
    child = request.person
    assert child is not None
    for relation in GuardianRelation.objects.filter(child=world.child, ended__isnull=True):
        GuardianRelation.objects.get_or_create(
            guardian_id=relation.guardian_id, child=child, ended=None, defaults={"started": child.birth_date}
        )
    plan = start_plan(world.family_worker, child.pk)
    return Sibling(
        child=child, plan=plan, nurse=add_member(world.family_worker, plan.pk, membership_of(world.nurse).pk)
    )


def errors_of(attempt: Any) -> dict[str, list[str]]:
    """The field errors of an attempt that must raise a ValidationError."""
    with pytest.raises(ValidationError) as raised:
        attempt()
    return raised.value.message_dict


def last_row() -> AccessLogEntry:
    """The newest access-log row."""
    return AccessLogEntry.objects.order_by("-id")[0]


def rows(username: str) -> list[tuple[str, str, str, str]]:
    """(record type, action, outcome, refusal) of one user's log rows, oldest first."""
    return list(
        AccessLogEntry.objects.filter(username=username)
        .order_by("id")
        .values_list("record_type", "action", "outcome", "refusal")
    )
