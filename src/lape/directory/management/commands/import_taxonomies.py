"""`lape import-taxonomies [DIR]`: the PTV service classes, target groups and life events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lape.directory.taxonomies import TaxonomyDataError, import_ptv_taxonomies


class Command(BaseCommand):
    help = "Import the PTV service classes, target groups and life events as HSDS taxonomies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help="Folder with ServiceClasses.json, TargetGroups.json and LifeEvents.json "
            "(default: the shared data folder's ptv/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"] or Path(settings.SHARED_DATA_DIR) / "ptv"
        if not directory.is_dir():
            raise CommandError(
                _("%(dir)s is not a folder. Give the folder that holds the PTV files.") % {"dir": directory}
            )
        try:
            counts = import_ptv_taxonomies(directory)
        except TaxonomyDataError as error:
            raise CommandError(
                _("Nothing was imported. %(error)s Fix the file and run the import again.") % {"error": error}
            ) from error
        self.stdout.write(
            _("Imported %(classes)d service classes, %(groups)d target groups and %(events)d life events.")
            % {
                "classes": counts["service_classes"],
                "groups": counts["target_groups"],
                "events": counts["life_events"],
            }
        )
