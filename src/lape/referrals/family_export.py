"""The referrals app's part of the family's export (lape.access.family_export).

What the family may see of its contact requests and referrals is what the family's status page
shows: where the request went and where it is, with its dates, and for a referral who passed the
family on to which service, and where it is. Not the professionals' working text (what a referral
asks, the information it carries, notes): that is the organisations' own register, which the
family asks of the organisation. Not child-protection notifications (whoever made one may be kept
from the family, Child Welfare Act 417/2007, 25 §; the child-protection service tells the family),
and not drafts, which were never sent. Each record exported is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lape.access.family_export import ExportSection, item

from .models import ContactRequest, Origin, Referral, ReferralKind, ReferralStatus, RequestStatus
from .targets import receiver_copy_target, request_target

if TYPE_CHECKING:
    from lape.accounts.family import FamilyMember
    from lape.people.models import Person


def _requests_section(person: Person) -> ExportSection:
    requests = ContactRequest.objects.filter(person=person).select_related(
        "family_centre", "assigned_service"
    )
    return ExportSection(
        key="contact_requests",
        title=_("Contact requests"),
        items=[
            item(
                ("received_at", _("Received"), r.received_at),
                ("family_centre", _("Family centre"), str(r.family_centre)),
                ("made_by", _("Made by"), str(Origin(r.origin).label)),
                ("service", _("Service"), r.assigned_service.text("name") if r.assigned_service else ""),
                ("status", _("Status"), str(RequestStatus(r.status).label)),
                ("answer_due", _("Answer due"), r.due_on),
                ("answered_at", _("Answered"), r.answered_at),
                ("closed_at", _("Closed"), r.closed_at),
            )
            for r in requests
        ],
        targets=[request_target(r) for r in requests],
    )


def _referrals_section(person: Person) -> ExportSection:
    referrals = (
        Referral.objects.filter(person=person, kind=ReferralKind.REFERRAL)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("sender_organization", "receiver_organization", "receiver_service")
    )
    return ExportSection(
        key="referrals",
        title=_("Referrals"),
        items=[
            item(
                ("from_organisation", _("From"), str(r.sender_organization)),
                ("to_organisation", _("To"), str(r.receiver_organization)),
                ("service", _("Service"), r.receiver_service.text("name") if r.receiver_service else ""),
                ("status", _("Status"), str(ReferralStatus(r.status).label)),
                ("sent_at", _("Sent"), r.requested_at),
                ("accepted_at", _("Accepted"), r.accepted_at),
                ("ended_at", _("Ended"), r.ended_at),
            )
            for r in referrals
        ],
        targets=[receiver_copy_target(r) for r in referrals],
    )


def family_export_sections(member: FamilyMember, person: Person, on: dt.date) -> list[ExportSection]:
    """The person's contact requests and referrals for the family's export (read only; access logs)."""
    return [_requests_section(person), _referrals_section(person)]
