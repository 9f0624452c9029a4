"""Notifications: in the app (Notification rows) and by e-mail (Django's mail), never with client details.

An e-mail says only that something is waiting and where: no names, worries, ages, references or
services, since e-mail leaves the platform. The in-app notice says the same, plus a referral's new
status; the page behind the link is read through `access` as always. E-mails are sent after the
transaction that made the notice commits, so a rolled-back action sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ContactRequest, Notification, NotificationKind, Referral, ReferralStatus, RequestStatus

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# Set while the demo loads: its notices are in-app only (nobody needs the demo's e-mails).
_in_app_only: ContextVar[bool] = ContextVar("lape_referrals_in_app_only", default=False)


@contextmanager
def in_app_only() -> Iterator[None]:
    """Within this block, notify in the app only, without e-mail (the demo)."""
    token = _in_app_only.set(True)
    try:
        yield
    finally:
        _in_app_only.reset(token)


def _path(url_name: str, kwargs: dict[str, object], fallback: str) -> str:
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        # The pages may not be wired yet (or ever, in an API-only install): the documented path.
        return fallback


def request_link(request_id: uuid.UUID) -> str:
    """The path of a contact request's page for professionals."""
    return _path("referrals:request", {"request_id": request_id}, f"/work/requests/{request_id}/")


def referral_link(referral_id: uuid.UUID) -> str:
    """The path of a referral's page."""
    return _path("referrals:referral", {"referral_id": referral_id}, f"/work/referrals/{referral_id}/")


def absolute(link: str) -> str:
    """The link with the platform's address in front (LAPE_BASE_URL), for e-mail."""
    base = str(getattr(settings, "LAPE_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")
    return f"{base}{link}"


def _email_subject(kind: str) -> str:
    return _("LAPE: %(what)s") % {"what": NotificationKind(kind).label}


def _email_body(kind: str, link: str) -> str:
    return _(
        "%(what)s.\n\nLog in to LAPE to see it:\n%(link)s\n\n"
        "This message has no details on purpose: they are kept in the service.\n"
    ) % {"what": str(NotificationKind(kind).label).capitalize(), "link": absolute(link)}


def _send_emails(notification_ids: list[uuid.UUID]) -> None:
    sent: list[uuid.UUID] = []
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        address = notification.recipient.email
        if not address:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _email_subject(notification.kind)
            body = _email_body(notification.kind, notification.link)
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            # A mail server down must not undo the work: the in-app notice is there.
            logger.exception("Could not send notification %s by e-mail", notification.pk)
            continue
        sent.append(notification.pk)
    Notification.objects.filter(pk__in=sent).update(emailed=True)


def notify(user_ids: Iterable[int], kind: str, link: str, *, status: str = "") -> list[Notification]:
    """Notify each user in the app and by e-mail (after commit); one notice per user."""
    unique = sorted(set(user_ids))
    now = timezone.now()
    notifications = [
        Notification(recipient_id=user_id, kind=kind, link=link, status=status, created_at=now)
        for user_id in unique
    ]
    Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in notifications]
    if not _in_app_only.get():
        transaction.on_commit(lambda: _send_emails(ids))
    return notifications


def _coordinator_user_ids(request: ContactRequest) -> list[int]:
    from .coordination import coordinators_of

    return list(coordinators_of(request.family_centre).values_list("user_id", flat=True))


def notify_new_request(request: ContactRequest) -> None:
    """A new request in a family centre's queue: tell its coordinators."""
    notify(_coordinator_user_ids(request), NotificationKind.NEW_REQUEST, request_link(request.pk))


def notify_assigned(request: ContactRequest) -> None:
    """A request assigned to a professional: tell them."""
    if request.assigned_membership is not None:
        notify(
            [request.assigned_membership.user_id], NotificationKind.REQUEST_ASSIGNED, request_link(request.pk)
        )


def notify_forwarded(request: ContactRequest) -> None:
    """A request forwarded: tell the professional it went to, or the new family centre's coordinators."""
    if request.assigned_membership is not None:
        users = [request.assigned_membership.user_id]
    else:
        users = _coordinator_user_ids(request)
    notify(users, NotificationKind.REQUEST_FORWARDED, request_link(request.pk))


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.FORWARDED)


def overdue_requests(now: dt.datetime | None = None) -> QuerySet[ContactRequest]:
    """Requests still waiting for an answer after their due day (Finnish calendar)."""
    today = timezone.localdate(now or timezone.now())
    return ContactRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def notify_overdue(now: dt.datetime | None = None) -> int:
    """Tell the coordinators (and the assigned professional) of each newly overdue request, once. The count."""
    now = now or timezone.now()
    count = 0
    waiting = overdue_requests(now).filter(overdue_notified_at__isnull=True)
    for request in waiting.select_related("family_centre", "assigned_membership"):
        with transaction.atomic():
            # Once, even when two runs overlap: only the run that stamps the request notifies.
            if not ContactRequest.objects.filter(pk=request.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            ):
                continue
            users = _coordinator_user_ids(request)
            if request.assigned_membership is not None:
                users.append(request.assigned_membership.user_id)
            notify(users, NotificationKind.REQUEST_OVERDUE, request_link(request.pk))
            count += 1
    return count


def notify_referral_received(referral: Referral) -> None:
    """A referral sent: tell the receiving organisation's professionals who would take it in."""
    from lape.access.registers import ROLE_CATEGORIES
    from lape.accounts.models import Membership

    roles = [role for role, categories in ROLE_CATEGORIES.items() if referral.category in categories]
    members = Membership.objects.active().filter(
        organization_id=referral.receiver_organization_id, role__in=roles
    )
    if referral.receiver_unit_id is not None:
        members = members.filter(unit_id=referral.receiver_unit_id)
    notify(
        members.values_list("user_id", flat=True),
        NotificationKind.REFERRAL_RECEIVED,
        referral_link(referral.pk),
    )


def notify_referral_status(referral: Referral, user_ids: Iterable[int]) -> None:
    """A referral's status changed: tell the other side."""
    notify(user_ids, NotificationKind.REFERRAL_STATUS, referral_link(referral.pk), status=referral.status)


def notifications_for(user_id: int, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    notifications = Notification.objects.filter(recipient_id=user_id)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def unread_count(user_id: int) -> int:
    """How many notifications the user has not read."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def mark_read(user_id: int, notification_id: object) -> bool:
    """Mark the user's notification read; False when it is not theirs or does not exist."""
    try:
        key = uuid.UUID(str(notification_id))
    except ValueError:
        return False
    return bool(
        Notification.objects.filter(pk=key, recipient_id=user_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        or Notification.objects.filter(pk=key, recipient_id=user_id).exists()
    )


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read, in one statement; how many there were."""
    return notifications_for(user_id, unread_only=True).update(read_at=timezone.now())


def status_label(notification: Notification) -> str:
    """The notice as a sentence in the active language (kind, and a referral's new status)."""
    text = str(NotificationKind(notification.kind).label)
    if notification.status in ReferralStatus.values:
        text += ": " + str(ReferralStatus(notification.status).label)
    return text
