"""Referrals carry only what consent or law lets them carry, and each side sees only its part.

The family worker of the county handles Aino's request and refers her to the NGO's family-friend
service (another organisation); the teacher of the city notifies child protection (25 §).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lape.access.ban_actions import set_ban
from lape.access.consent_actions import withdraw_consent
from lape.access.guard import NotFoundOrForbidden
from lape.access.models import AccessLogEntry
from lape.referrals.flow import transition_referral
from lape.referrals.models import Notification, Referral, ReferralItem
from lape.referrals.referring import create_referral, referral_for, referrals_received, referrals_sent

from .conftest import World, consent_to, identified_request, log_rows

SOCIAL = "What the family work has seen: the parents are exhausted."


def _refer_to_ngo(world: World, **overrides: object) -> Referral:
    fields: dict[str, object] = {
        "person": world.child,
        "receiver_service": world.family_friend,
        "category": "ngo_support",
        "reason": "A family friend for the evenings, please.",
        "items": {"social_services": SOCIAL},
    }
    return create_referral(world.family_worker, **(fields | overrides))  # type: ignore[arg-type]


def test_without_the_familys_consent_a_referral_to_another_organisation_is_refused_and_logged(
    world: World,
) -> None:
    identified_request(world)
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _refer_to_ngo(world, items={})
    assert "receiver_service" in raised.value.message_dict
    assert not Referral.objects.exists()
    assert log_rows()[before:] == [("family-worker", "export", "refused", "no_basis")]


def test_information_without_a_consent_of_its_own_is_refused_and_logged(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact")
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _refer_to_ngo(world)
    assert "social services" in raised.value.message_dict["items"][0]
    assert not Referral.objects.exists() and not ReferralItem.objects.exists()
    assert log_rows()[before:] == [("family-worker", "export", "refused", "no_basis")]


def test_with_consent_the_referral_carries_the_information_and_logs_the_export(world: World) -> None:
    request = identified_request(world)
    consent = consent_to(world, world.ngo, "contact", "social_services")
    referral = _refer_to_ngo(world, contact_request=request)
    assert (referral.status, referral.sender_category, referral.receiver_organization) == (
        "requested",
        "social_services",
        world.ngo,
    )
    item = referral.items.get()
    assert (item.category, item.basis, item.consent_id) == ("social_services", "consent", consent.pk)
    export = AccessLogEntry.objects.get(action="export")
    assert (export.outcome, export.basis, export.consent_id, export.record_id) == (
        "allowed",
        "consent",
        consent.pk,
        str(item.pk),
    )
    assert list(referral.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "requested"),
    ]
    assert Notification.objects.filter(recipient__username="ngo-worker", kind="referral_received").exists()


def test_the_receiver_sees_the_information_until_the_consent_is_withdrawn(world: World) -> None:
    identified_request(world)
    consent = consent_to(world, world.ngo, "contact", "social_services")
    referral = _refer_to_ngo(world)
    view = referral_for(world.ngo_worker, referral.pk)
    assert [item.text for item in view.items] == [SOCIAL] and view.withheld == []
    assert view.side == "receiver" and view.allowed_transitions == ["accepted", "rejected", "cancelled"]
    withdraw_consent(world.family_worker, consent.pk)
    before = AccessLogEntry.objects.count()
    view = referral_for(world.ngo_worker, referral.pk)
    assert view.items == []
    assert [w.category for w in view.withheld] == ["social_services"]
    assert view.withheld[0].explanation
    assert log_rows()[before:] == [
        ("ngo-worker", "read", "allowed", ""),
        ("ngo-worker", "read", "refused", "no_basis"),
    ]


def test_a_disclosure_ban_keeps_the_information_from_going_even_with_consent(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    set_ban(
        world.family_worker,
        person=world.child,
        set_by=world.mother,
        scope="organization",
        organization=world.county,
        categories=["social_services"],
    )
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _refer_to_ngo(world)
    assert raised.value.message_dict["items"] == [
        "The family has forbidden disclosing this information: social services. Leave it out."
    ]
    assert not Referral.objects.exists() and not ReferralItem.objects.exists()
    assert log_rows()[before:] == [("family-worker", "export", "refused", "ban")]
    # The referral itself may still go, without that information (the NGO's own register).
    assert _refer_to_ngo(world, items={}).items.count() == 0


def test_a_ban_set_after_sending_hides_the_information_from_the_receiver_at_once(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    referral = _refer_to_ngo(world)
    assert [item.text for item in referral_for(world.ngo_worker, referral.pk).items] == [SOCIAL]
    set_ban(
        world.family_worker,
        person=world.child,
        set_by=world.mother,
        scope="organization",
        organization=world.county,
    )
    before = AccessLogEntry.objects.count()
    view = referral_for(world.ngo_worker, referral.pk)
    assert view.items == [] and [w.category for w in view.withheld] == ["social_services"]
    assert log_rows()[before:] == [
        ("ngo-worker", "read", "allowed", ""),
        ("ngo-worker", "read", "refused", "ban"),
    ]
    # The sender still reads what the county's own register holds.
    assert [item.text for item in referral_for(world.family_worker, referral.pk).items] == [SOCIAL]


def test_the_sender_always_sees_the_status_and_the_outcome(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    referral = _refer_to_ngo(world)
    transition_referral(world.ngo_worker, referral.pk, "accepted")
    transition_referral(world.ngo_worker, referral.pk, "in-progress")
    transition_referral(world.ngo_worker, referral.pk, "completed", outcome="A family friend visits weekly.")
    view = referral_for(world.family_worker, referral.pk)
    assert (view.referral.status, view.referral.outcome) == ("completed", "A family friend visits weekly.")
    assert [item.text for item in view.items] == [SOCIAL]
    assert [t.to_status for t in view.transitions] == [
        "draft",
        "requested",
        "accepted",
        "in-progress",
        "completed",
    ]
    assert [t.organization_id for t in view.transitions][-1] == world.ngo.pk


def test_another_organisations_referral_by_id_is_not_found_and_logged(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services")
    referral = _refer_to_ngo(world)
    before = AccessLogEntry.objects.count()
    with pytest.raises(NotFoundOrForbidden) as forbidden:
        referral_for(world.stranger, referral.pk)
    with pytest.raises(NotFoundOrForbidden) as missing:
        referral_for(world.stranger, "7b0e3a52-3f9e-4a0c-9d43-1f5a2c1e0b99")
    assert type(forbidden.value) is type(missing.value) and forbidden.value.args == missing.value.args
    assert log_rows()[before:] == [
        ("stranger", "read", "refused", "no_relation"),
        ("stranger", "read", "refused", "not_found"),
    ]
    refused = AccessLogEntry.objects.filter(username="stranger").first()
    assert refused is not None and refused.record_id == str(referral.pk)


def test_a_professional_not_on_the_childs_request_cannot_refer_the_child(world: World) -> None:
    consent_to(world, world.ngo, "contact", by=world.teacher)
    with pytest.raises(NotFoundOrForbidden):
        create_referral(
            world.nurse,
            person=world.child,
            receiver_service=world.family_friend,
            category="ngo_support",
            reason="Please help.",
        )
    assert not Referral.objects.exists()
    assert log_rows()[-1] == ("nurse", "write", "refused", "no_relation")


def test_a_teacher_notifies_child_protection_without_being_on_the_childs_team(world: World) -> None:
    notification = create_referral(
        world.teacher,
        kind="child_protection_notification",
        person=world.child,
        receiver_service=world.child_protection,
        reason="Aino has bruises and is afraid to go home.",
        items={"pupil_welfare": "Absent 12 days this term; told the school nurse about fights at home."},
    )
    assert (notification.category, notification.receiver_organization) == ("child_protection", world.county)
    write = AccessLogEntry.objects.filter(action="write").get()
    assert (write.username, write.basis, write.law) == ("teacher", "statute", "417/2007 25 §")
    item = notification.items.get()
    assert (item.basis, item.law) == ("statute", "417/2007 25 §")
    view = referral_for(world.cp_worker, notification.pk)
    assert [i.category for i in view.items] == ["pupil_welfare"] and view.withheld == []
    assert view.clocks is not None and view.clocks.decision.due_on > view.clocks.received_on
    # The nurse of the same county is not the child-protection register: not hers to read.
    with pytest.raises(NotFoundOrForbidden):
        referral_for(world.nurse, notification.pk)


def test_the_notifier_reads_back_what_they_sent(world: World) -> None:
    notification = create_referral(
        world.teacher,
        kind="child_protection_notification",
        person=world.child,
        receiver_service=world.child_protection,
        reason="Worried about Aino.",
        items={"pupil_welfare": "Absent often."},
    )
    view = referral_for(world.teacher, notification.pk)
    assert view.side == "sender" and [i.text for i in view.items] == ["Absent often."]
    assert view.allowed_transitions == ["cancelled", "entered-in-error"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"category": "contact"}, "category"),
        ({"category": "astrology"}, "category"),
        ({"kind": "gossip"}, "kind"),
        ({"items": {"health": "Not hers to send."}}, "items"),
        ({"items": {"secret_files": "x"}}, "items"),
        ({"items": {"social_services": "x" * 4001}}, "items"),
    ],
)
def test_bad_input_is_refused_and_nothing_made(
    world: World, overrides: dict[str, object], field: str
) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact", "social_services", "health")
    with pytest.raises(ValidationError) as raised:
        _refer_to_ngo(world, **overrides)
    assert field in raised.value.message_dict
    assert not Referral.objects.exists()


def test_an_inactive_service_cannot_be_referred_to(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact")
    world.family_friend.status = "inactive"
    world.family_friend.save()
    with pytest.raises(ValidationError) as raised:
        _refer_to_ngo(world, items={})
    assert "receiver_service" in raised.value.message_dict


def test_a_referral_inside_one_register_needs_no_consent(world: World) -> None:
    identified_request(world)
    referral = create_referral(
        world.family_worker,
        person=world.child,
        receiver_service=world.counselling,
        category="health",
        reason="Counselling for the parents.",
        items={"social_services": SOCIAL},
    )
    assert referral.items.get().basis == "own_register"
    # The nurse may take it in, but the family work's social-services notes are not her register's.
    view = referral_for(world.nurse, referral.pk)
    assert view.items == [] and [w.category for w in view.withheld] == ["social_services"]


def test_a_draft_is_the_senders_alone_until_sent(world: World) -> None:
    identified_request(world)
    consent_to(world, world.ngo, "contact")
    draft = _refer_to_ngo(world, items={}, send=False)
    assert draft.status == "draft" and draft.requested_at is None
    assert referrals_received(world.ngo_worker) == []
    with pytest.raises(NotFoundOrForbidden):
        referral_for(world.ngo_worker, draft.pk)
    transition_referral(world.family_worker, draft.pk, "requested")
    assert [r.pk for r in referrals_received(world.ngo_worker)] == [draft.pk]
    assert [r.pk for r in referrals_sent(world.family_worker)] == [draft.pk]
