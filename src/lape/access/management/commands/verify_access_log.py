"""`lape verify-access-log`: prove that no access-log row was changed, removed or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lape.access.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exit status 1 and the first broken row when it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows read at a time (default 5000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError(_("The batch size must be at least 1."))
        report = verify_chain(batch_size=batch_size)
        if not report.ok:
            raise CommandError(
                _("The access log's chain is broken after %(count)s intact rows. %(problem)s")
                % {"count": report.checked, "problem": report.problem}
            )
        self.stdout.write(
            _("The access log's chain is intact: %(count)s rows, last hash %(hash)s.")
            % {"count": report.checked, "hash": report.last_hash}
        )
