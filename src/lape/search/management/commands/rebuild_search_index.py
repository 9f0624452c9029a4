"""`lape rebuild-search-index`: analyse every service again, e.g. after Voikko was installed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from lape.directory.planner import refresh_statistics
from lape.search.analysis import finnish_analyser_name
from lape.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index of the directory's services."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_index()
        refresh_statistics()
        self.stdout.write(
            ngettext(
                "Indexed %(count)d service (Finnish analyser: %(analyser)s).",
                "Indexed %(count)d services (Finnish analyser: %(analyser)s).",
                count,
            )
            % {"count": count, "analyser": finnish_analyser_name()}
        )
