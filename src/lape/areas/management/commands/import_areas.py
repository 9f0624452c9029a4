"""`lape import-areas [DIR] [--year 2023|2026]`: regions, wellbeing-services counties and municipalities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lape.areas.importers import YEARS, import_areas
from lape.areas.sources import AreaDataError


class Command(BaseCommand):
    help = "Import regions, wellbeing-services counties and municipalities (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help="Folder with the area files (default: the shared data folder's areas/).",
        )
        parser.add_argument(
            "--year",
            type=int,
            choices=YEARS,
            default=2023,
            help="Which Statistics Finland municipality key table to use (default 2023).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"] or Path(settings.SHARED_DATA_DIR) / "areas"
        if not directory.is_dir():
            raise CommandError(
                _("%(dir)s is not a folder. Give the folder that holds the area files.") % {"dir": directory}
            )
        try:
            summary = import_areas(directory, year=options["year"])
        except AreaDataError as error:
            raise CommandError(
                _("Nothing was imported. %(error)s Fix the file and run the import again.") % {"error": error}
            ) from error
        for line in summary.lines():
            self.stdout.write(line)
