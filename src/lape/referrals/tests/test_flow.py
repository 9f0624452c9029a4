"""The referral's state machine, exhaustively: every status × every target status × sender / receiver / stranger.

The expected answers are written out here from the issue (HL7 FHIR Task as the Gravity Project draws
it), not read from the code's table: the sender sets draft → requested, entered-in-error and cancels;
the receiver accepts or rejects, works (in progress ⇄ on hold), completes or fails, and cancels.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.referrals.flow import allowed_transitions, transition_referral
from lape.referrals.models import Notification, Referral, ReferralStatus, ReferralTransition
from lape.referrals.steps import StepRefused

from .conftest import World, identified_request, membership_of

S = ReferralStatus
ALL = list(S.values)
OPEN = ["draft", "requested", "accepted", "in-progress", "on-hold"]

# (from, to, side) that must be allowed; every other cell must be refused.
ALLOWED: set[tuple[str, str, str]] = {
    ("draft", "requested", "sender"),
    ("requested", "accepted", "receiver"),
    ("requested", "rejected", "receiver"),
    ("accepted", "in-progress", "receiver"),
    ("in-progress", "on-hold", "receiver"),
    ("on-hold", "in-progress", "receiver"),
    ("in-progress", "completed", "receiver"),
    ("in-progress", "failed", "receiver"),
    ("on-hold", "failed", "receiver"),
    ("draft", "cancelled", "sender"),
    *{(status, "cancelled", side) for status in OPEN[1:] for side in ("sender", "receiver")},
    *{(status, "entered-in-error", "sender") for status in ALL if status != "entered-in-error"},
}


def _family_workers_referral(world: World) -> Any:
    """The family worker has the child's request; she refers the child to the county's family counselling."""
    return identified_request(world)


def _referral_in(world: World, request: Any, status: str) -> Referral:
    """A referral to the counselling (health, the nurse receives it) in `status`, as if it had got there."""
    handled = status not in ("draft", "requested")
    return Referral.objects.create(
        status=status,
        person=request.person,
        contact_request=request,
        sender_membership=membership_of(world.family_worker),
        sender_organization=world.county,
        sender_category="social_services",
        receiver_service=world.counselling,
        receiver_organization=world.county,
        receiver_membership=membership_of(world.nurse) if handled else None,
        category="health",
        reason="Please assess the family's need for counselling.",
        outcome="Counselling started." if status == "completed" else "",
        requested_at=None if status == "draft" else request.received_at,
    )


def _snapshot(referral: Referral) -> tuple[Any, ...]:
    referral.refresh_from_db()
    return (referral.status, referral.version, referral.receiver_membership_id, referral.transitions.count())


@pytest.mark.parametrize("from_status", ALL)
def test_every_transition_from(world: World, from_status: str) -> None:
    request = _family_workers_referral(world)
    actors = {"sender": world.family_worker, "receiver": world.nurse, "stranger": world.stranger}
    checked = 0
    for to_status in ALL:
        for side, actor in actors.items():
            # One referral at a time: another one of the child's would put the nurse on it anyway.
            Referral.objects.all().delete()
            referral = _referral_in(world, request, from_status)
            before = _snapshot(referral)
            rows_before = AccessLogEntry.objects.count()
            expected = (from_status, to_status, side) in ALLOWED
            cell = f"{from_status} → {to_status} by the {side}"
            if expected:
                moved = transition_referral(actor, referral.pk, to_status, reason="Because.", outcome="Done.")
                assert moved.status == to_status, cell
                stamp = ReferralTransition.objects.filter(referral=referral).get()
                assert (stamp.from_status, stamp.to_status, stamp.side, stamp.username) == (
                    from_status,
                    to_status,
                    side,
                    actor.username,
                ), cell
                assert stamp.organization_id == actor.organization_id and stamp.role == actor.role, cell
                last = AccessLogEntry.objects.order_by("-id").first()
                assert last is not None and (last.outcome, last.username) == ("allowed", actor.username), cell
            else:
                refusal: type[Exception] = (
                    NotFoundOrForbidden
                    if side == "stranger" or (side == "receiver" and from_status == "draft")
                    else StepRefused
                )
                with pytest.raises(refusal):
                    transition_referral(actor, referral.pk, to_status, reason="Because.", outcome="Done.")
                assert _snapshot(referral) == before, cell
                rows = list(
                    AccessLogEntry.objects.order_by("id")[rows_before:].values_list("outcome", "refusal")
                )
                assert len(rows) == 1 and rows[0][0] == "refused", cell
                assert rows[0][1] == ("workflow" if refusal is StepRefused else "no_relation"), cell
            checked += 1
    assert checked == len(ALL) * 3


def test_the_buttons_offer_exactly_the_allowed_steps(world: World) -> None:
    request = _family_workers_referral(world)
    for status in ALL:
        Referral.objects.all().delete()
        referral = _referral_in(world, request, status)
        for side, actor in (("sender", world.family_worker), ("receiver", world.nurse)):
            expected = sorted(to for (frm, to, who) in ALLOWED if frm == status and who == side)
            if side == "receiver" and status == "draft":
                expected = []
            assert sorted(allowed_transitions(actor, referral)) == expected, (status, side)


@pytest.mark.parametrize("to_status", ["rejected", "failed", "cancelled", "entered-in-error"])
def test_an_ending_without_a_reason_is_refused(world: World, to_status: str) -> None:
    request = _family_workers_referral(world)
    from_status = {"rejected": "requested", "failed": "in-progress"}.get(to_status, "in-progress")
    referral = _referral_in(world, request, from_status)
    actor = world.family_worker if to_status == "entered-in-error" else world.nurse
    with pytest.raises(ValidationError) as raised:
        transition_referral(actor, referral.pk, to_status, reason="  ")
    assert "reason" in raised.value.message_dict
    assert _snapshot(referral)[0] == from_status


def test_completion_needs_the_outcome_and_the_sender_is_told(world: World) -> None:
    request = _family_workers_referral(world)
    referral = _referral_in(world, request, "in-progress")
    with pytest.raises(ValidationError) as raised:
        transition_referral(world.nurse, referral.pk, "completed")
    assert "outcome" in raised.value.message_dict
    done = transition_referral(
        world.nurse, referral.pk, "completed", outcome="Six counselling sessions agreed."
    )
    assert done.outcome == "Six counselling sessions agreed." and done.ended_at is not None
    notice = Notification.objects.get(recipient__username="family-worker", kind="referral_status")
    assert notice.status == "completed"


def test_accepting_makes_the_acceptor_the_receiver_and_the_others_drop_out(world: World) -> None:
    from .conftest import make_actor

    colleague = make_actor("doctor", world.county, "doctor_psychologist")
    request = _family_workers_referral(world)
    referral = _referral_in(world, request, "requested")
    assert allowed_transitions(colleague, referral) == ["accepted", "rejected", "cancelled"]
    transition_referral(world.nurse, referral.pk, "accepted")
    referral.refresh_from_db()
    assert referral.receiver_membership == membership_of(world.nurse) and referral.accepted_at is not None
    with pytest.raises(NotFoundOrForbidden):
        transition_referral(colleague, referral.pk, "in-progress")


def test_an_unknown_status_or_referral_is_refused(world: World) -> None:
    request = _family_workers_referral(world)
    referral = _referral_in(world, request, "requested")
    with pytest.raises(ValidationError):
        transition_referral(world.nurse, referral.pk, "done-and-dusted")
    with pytest.raises(NotFoundOrForbidden):
        transition_referral(world.nurse, "not-an-id", "accepted")
    assert _snapshot(referral)[0] == "requested"
