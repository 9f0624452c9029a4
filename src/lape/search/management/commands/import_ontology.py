"""`lape import-ontology [PATH]`: TERO, the PTV terms of the directory and our need vocabulary as concepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.search.needs import NeedVocabularyError
from lape.search.ontology import OntologyDataError, default_tero_path, load_vocabulary


class Command(BaseCommand):
    help = "Import TERO, the Finnish health and welfare ontology, with the PTV terms and the need vocabulary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="The TERO JSON file (default: the shared data folder's ptv/tero_ontology.json).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or default_tero_path()
        try:
            loaded = load_vocabulary(path)
        except (OntologyDataError, NeedVocabularyError) as error:
            raise CommandError(
                _("Nothing was imported. %(error)s Fix the file and run the import again.") % {"error": error}
            ) from error
        tero, ptv, needs = loaded["tero"], loaded["ptv"], loaded["needs"]
        concepts = tero.created + tero.updated
        self.stdout.write(
            # Translators: the three parts are counts with their nouns, e.g. "2,470 TERO concepts".
            _("Imported %(tero)s (%(labels)s, %(links)s), %(ptv)s and %(needs)s.")
            % {
                "tero": ngettext("%(count)d TERO concept", "%(count)d TERO concepts", concepts)
                % {"count": concepts},
                "labels": ngettext("%(count)d label", "%(count)d labels", tero.labels)
                % {"count": tero.labels},
                "links": ngettext("%(count)d broader link", "%(count)d broader links", tero.links)
                % {"count": tero.links},
                "ptv": ngettext("%(count)d PTV term", "%(count)d PTV terms", ptv.created + ptv.updated)
                % {"count": ptv.created + ptv.updated},
                "needs": ngettext("%(count)d need", "%(count)d needs", needs.created + needs.updated)
                % {"count": needs.created + needs.updated},
            }
        )
        if tero.removed:
            self.stdout.write(
                ngettext(
                    "Removed %(count)d TERO concept that is no longer in the file.",
                    "Removed %(count)d TERO concepts that are no longer in the file.",
                    tero.removed,
                )
                % {"count": tero.removed}
            )
