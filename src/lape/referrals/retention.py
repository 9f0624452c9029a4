"""What of the referrals app has passed its retention period (lape.access.retention, `lape purge`).

- **A contact request** goes, with its events, `contact` years after it was closed (a request
  still open is never purged). A referral that came of it keeps its own period and forgets the
  request (the database sets its link to none).
- **A referral** (or a child-protection notification) goes, with the information it carried and
  its transitions, its category's years after it ended (completed, rejected, failed, cancelled).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lape.access.categories import Category
from lape.access.decisions import Target
from lape.access.retention import Expired, ended_before

from .models import ContactRequest, Referral
from .targets import REFERRAL_ITEM_RECORD, receiver_copy_target, request_target


def expired_requests(now: dt.datetime) -> Expired:
    """The contact requests closed more than the `contact` period ago."""
    requests = list(ContactRequest.objects.filter(closed_at__lt=ended_before(Category.CONTACT, now)))
    ids = [r.pk for r in requests]
    return Expired(
        "contact_requests",
        _("closed contact requests past their retention period"),
        [request_target(r) for r in requests],
        lambda: ContactRequest.objects.filter(pk__in=ids).delete(),
    )


def expired_referrals(now: dt.datetime) -> Expired:
    """The referrals that ended more than their category's period ago, with their items."""
    referrals = []
    for category in Category.values:
        cut = ended_before(category, now)
        referrals += list(
            Referral.objects.filter(category=category, ended_at__lt=cut).prefetch_related("items")
        )
    targets = []
    for referral in referrals:
        targets.append(receiver_copy_target(referral))
        targets += [
            Target(
                record_type=REFERRAL_ITEM_RECORD,
                record_id=str(item.pk),
                person_id=referral.person_id,
                owner_organization_id=referral.sender_organization_id,
                category=item.category,
            )
            for item in referral.items.all()
        ]
    ids = [r.pk for r in referrals]
    return Expired(
        "referrals",
        _("ended referrals past their retention period"),
        targets,
        lambda: Referral.objects.filter(pk__in=ids).delete(),
    )


def expired_records(now: dt.datetime) -> list[Expired]:
    """The referrals app's records past their retention (registered with lape.access.retention)."""
    return [expired_requests(now), expired_referrals(now)]
