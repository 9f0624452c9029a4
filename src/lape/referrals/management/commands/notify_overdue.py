"""`lape notify-overdue`: tell coordinators (and the assigned professional) of requests newly overdue.

Run it from cron or a systemd timer, e.g. every working day at 8:00 and 12:00; each request is
notified once, however often it runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lape.referrals.notifications import notify_overdue


class Command(BaseCommand):
    help = "Notify the coordinators of contact requests that have become overdue (each request once)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = notify_overdue()
        self.stdout.write(_("Overdue contact requests notified: %(count)s.") % {"count": count})
