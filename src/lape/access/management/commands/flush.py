"""`flush` as Django's, with the access log's triggers lifted while every table is emptied.

A flush resets the whole database (Django's test runner flushes after each transactional test);
the log's triggers refuse any DELETE (and TRUNCATE), so they are suspended for exactly that reset
and restored after it. Django's own staticfiles app overrides `runserver` the same way.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from lape.access.appendonly import lifted


class Command(flush.Command):
    help = (
        flush.Command.help
        + " The access log is emptied too (its append-only triggers are lifted for the reset)."
    )

    def handle(self, **options: Any) -> None:
        with lifted(connections[options["database"]]):
            super().handle(**options)
