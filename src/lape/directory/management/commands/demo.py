"""`lape demo`: the Pohjois-Savo demo, or `--scale national` generated services for all of Finland."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.areas.demo import load_demo_areas
from lape.areas.models import Municipality
from lape.directory.demo import demo_content, load_demo
from lape.directory.hsds.importer import HsdsImportError, import_records
from lape.directory.national import DEFAULT_COUNT, generate_national
from lape.directory.planner import refresh_statistics
from lape.directory.signals import demo_loaded
from lape.directory.taxonomies import load_demo_taxonomies

BATCH = 1000


def _imported(count: int, started: float) -> str:
    """'Imported N services in S s.', the seconds written the way the active language writes numbers."""
    return ngettext(
        "Imported %(count)d service in %(seconds)s s.",
        "Imported %(count)d services in %(seconds)s s.",
        count,
    ) % {"count": count, "seconds": number_format(time.monotonic() - started, 1)}


class Command(BaseCommand):
    help = "Load the demo data (Pohjois-Savo), or generate national-scale data with --scale national."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["pohjois-savo", "national"], default="pohjois-savo")
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="services to generate")
        parser.add_argument("--seed", type=int, default=1, help="seed of the national generator")
        parser.add_argument("--out", type=Path, help="write the generated services as NDJSON instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] == "national":
            self.national(options["count"], options["seed"], options["out"])
            return
        started = time.monotonic()
        summary = load_demo()
        demo_loaded.send(sender=self.__class__)
        self.stdout.write(_imported(summary.services, started))
        self.stdout.write(
            ngettext(
                "%(count)d family centre and the demo users are ready. Log in with:",
                "%(count)d family centres and the demo users are ready. Log in with:",
                summary.family_centres,
            )
            % {"count": summary.family_centres}
        )
        names = demo_content()["organizations"]
        for login in summary.logins:
            role = str(login.role)
            if login.organization:
                role = f"{role}: {names[login.organization]['name']['fi']}"
            self.stdout.write(f"  {login.username:<16} {login.password:<18} {role}")

    def national(self, count: int, seed: int, out: Path | None) -> None:
        if count < 1:
            raise CommandError(_("The count must be a positive number."))
        if not Municipality.objects.exists():
            load_demo_areas()
        load_demo_taxonomies()
        started = time.monotonic()
        records = generate_national(count, seed=seed)
        if out is not None:
            with out.open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.stdout.write(
                ngettext(
                    "Wrote %(count)d service to %(path)s.", "Wrote %(count)d services to %(path)s.", count
                )
                % {"count": count, "path": out}
            )
            return
        batch: list[dict[str, Any]] = []
        done = 0
        try:
            for record in records:
                batch.append(record)
                if len(batch) >= BATCH:
                    done += import_records(batch).services
                    batch = []
            if batch:
                done += import_records(batch).services
        except HsdsImportError as exc:
            for problem in exc.problems[:20]:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from None
        refresh_statistics()
        self.stdout.write(_imported(done, started))
