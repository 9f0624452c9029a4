"""`lape export-hsds PATH [--format json|ndjson|csv]`: export the directory as HSDS 3.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.directory.hsds.export import export_csv, export_json, export_ndjson


class Command(BaseCommand):
    help = "Export every service as Open Referral HSDS 3.1 (JSON list, NDJSON or a CSV datapackage folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the file to write (a folder for --format csv)")
        parser.add_argument("--format", choices=["json", "ndjson", "csv"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        fmt = options["format"] or {".ndjson": "ndjson", ".jsonl": "ndjson"}.get(path.suffix.lower(), "json")
        if fmt == "csv":
            if path.exists() and not path.is_dir():
                raise CommandError(
                    _("%(path)s is a file; give a folder for the CSV export.") % {"path": path}
                )
            if not path.parent.is_dir():
                raise CommandError(
                    _("The folder %(folder)s does not exist; create it first.") % {"folder": path.parent}
                )
        elif path.is_dir():
            raise CommandError(_("%(path)s is a folder; give a file name to write.") % {"path": path})
        elif not path.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist; create it first.") % {"folder": path.parent}
            )
        writer = {"json": export_json, "ndjson": export_ndjson, "csv": export_csv}[fmt]
        try:
            count = writer(path)
        except OSError as exc:
            raise CommandError(
                _("Could not write %(path)s: %(reason)s.") % {"path": path, "reason": exc.strerror or exc}
            ) from None
        self.stdout.write(
            ngettext(
                "Exported %(count)d service to %(path)s.", "Exported %(count)d services to %(path)s.", count
            )
            % {"count": count, "path": path}
        )
