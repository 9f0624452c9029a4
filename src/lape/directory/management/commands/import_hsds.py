"""`lape import-hsds PATH`: import HSDS 3.1 services (JSON, paginated list, NDJSON or a CSV datapackage)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lape.directory.hsds.importer import HsdsImportError, import_path


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
        for warning in result.warnings:
            self.stderr.write(_("Left out: %(warning)s") % {"warning": warning})
        for kind in result.created:
            created, updated = result.created[kind], result.updated.get(kind, 0)
            removed = result.removed.get(kind, 0)
            if created or updated or removed:
                self.stdout.write(
                    _("%(kind)s: %(created)d created, %(updated)d updated, %(removed)d removed")
                    % {"kind": kind, "created": created, "updated": updated, "removed": removed}
                )
        self.stdout.write(
            _("Imported %(count)d services in %(seconds).1f s.")
            % {"count": result.services, "seconds": time.monotonic() - started}
        )
