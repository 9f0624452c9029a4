"""`lape purge`: remove the client data whose retention period has passed; the access log stays.

All or nothing: one transaction, one access-log row per record removed. `--dry-run` lists what
would go and changes nothing. Run it from cron, e.g. nightly (docs/plans.md, "Retention").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from lape.access.retention import purge


class Command(BaseCommand):
    help = "Remove client data past its retention period (LAPE_RETENTION_YEARS); keep the access log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        batches = purge(dry_run=dry_run)
        for batch in batches:
            self.stdout.write(f"{batch.description}: {len(batch.targets)}")
            for target in batch.targets:
                self.stdout.write(f"  {target.record_type} {target.record_id}")
        count = sum(len(batch.targets) for batch in batches)
        if dry_run:
            self.stdout.write(
                _("Would remove %(count)s records; nothing was changed (--dry-run).") % {"count": count}
            )
        else:
            self.stdout.write(
                _("Removed %(count)s records past their retention period; each removal is in the access log.")
                % {"count": count}
            )
