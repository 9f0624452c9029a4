"""`lape import-hsds PATH`: import HSDS 3.1 services (JSON, paginated list, NDJSON or a CSV datapackage)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.directory.hsds.importer import HsdsImportError, import_path
from lape.directory.hsds.kinds import KINDS
from lape.directory.planner import refresh_statistics

BULK = 1000  # services: an import this big refreshes the planner statistics


class Command(BaseCommand):
    help = "Import Open Referral HSDS 3.1 services; nothing is imported if any record has a problem."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a JSON or NDJSON file, or a CSV datapackage folder")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        started = time.monotonic()
        try:
            result = import_path(path)
        except HsdsImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from None
        if result.services >= BULK:
            refresh_statistics()  # thousands of new rows: the planner should know of them
        for warning in result.warnings:
            self.stderr.write(_("Left out: %(warning)s") % {"warning": warning})
        for kind in result.created:
            created, updated = result.created[kind], result.updated.get(kind, 0)
            removed = result.removed.get(kind, 0)
            if created or updated or removed:
                self.stdout.write(
                    _("%(kinds)s: new %(created)d, updated %(updated)d, removed %(removed)d.")
                    % {
                        "kinds": capfirst(KINDS[kind].label_plural),
                        "created": created,
                        "updated": updated,
                        "removed": removed,
                    }
                )
        self.stdout.write(
            ngettext(
                "Imported %(count)d service in %(seconds)s s.",
                "Imported %(count)d services in %(seconds)s s.",
                result.services,
            )
            % {"count": result.services, "seconds": number_format(time.monotonic() - started, 1)}
        )
