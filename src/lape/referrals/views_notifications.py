"""The professional's in-app notifications: what is waiting, with a link; never the client's details."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lape.accounts.acting import actor_required

from .notifications import mark_all_read, mark_read, notifications_for, status_label
from .views import actor_of, render_work

PAGE_SIZE = 100


@never_cache
@require_GET
@actor_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    actor = actor_of(request)
    shown = [
        {"notification": n, "text": status_label(n)} for n in notifications_for(actor.user_id)[:PAGE_SIZE]
    ]
    return render_work(request, "referrals/notifications.html", {"shown": shown}, section="notifications")


@never_cache
@require_POST
@actor_required
def notification_open(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Mark the notification read and go to its page; someone else's notification: back to the list."""
    actor = actor_of(request)
    key = _uuid_or_none(notification_id)
    notification = notifications_for(actor.user_id).filter(pk=key).first() if key else None
    if notification is None:
        return HttpResponseRedirect(reverse("referrals:notifications"))
    mark_read(actor.user_id, notification.pk)
    link = notification.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(link)
    return HttpResponseRedirect(reverse("referrals:notifications"))


@never_cache
@require_POST
@actor_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all of the user's notifications read."""
    mark_all_read(actor_of(request).user_id)
    messages.success(request, _("All notifications are marked as read."))
    return HttpResponseRedirect(reverse("referrals:notifications"))


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
