"""`lape import-taxonomies [DIR]`: the PTV service classes, target groups and life events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        classes, groups, events = counts["service_classes"], counts["target_groups"], counts["life_events"]
        self.stdout.write(
            # Translators: each of the three is a count with its noun, e.g. "230 service classes".
            _("Imported %(classes)s, %(groups)s and %(events)s.")
            % {
                "classes": ngettext("%(count)d service class", "%(count)d service classes", classes)
                % {"count": classes},
                "groups": ngettext("%(count)d target group", "%(count)d target groups", groups)
                % {"count": groups},
                "events": ngettext("%(count)d life event", "%(count)d life events", events)
                % {"count": events},
            }
        )
