"""`lape demo-idp [--port 8001]`: run the local OpenID Connect provider with the demo families (demo only).

It writes the demo persons' logins (lape.accounts.demo_family) for the provider, then becomes the
provider's process (`python -m lape_demo_idp`). `make demo` starts it beside the platform. It
refuses to run unless the configuration is the demo's (LAPE_ALLOW_INSECURE_KEY=1 or DEBUG): a
production installation never starts it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lape.accounts.demo_family import demo_family_logins


class Command(BaseCommand):
    help = "Run the demo's local OpenID Connect provider with the demo families' synthetic persons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--lape-url", default="http://127.0.0.1:8000", help="where LAPE answers")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or os.environ.get("LAPE_ALLOW_INSECURE_KEY") == "1"):
            raise CommandError(_("The demo identification provider runs only in the demo configuration."))
        logins = demo_family_logins()
        if not logins:
            raise CommandError(_("The demo families are not loaded. Run `lape demo` first."))
        folder = settings.VAR_DIR / "demo-idp"
        folder.mkdir(parents=True, exist_ok=True)
        persons = folder / "persons.json"
        # Synthetic codes only, but still kept from other users of the machine.
        descriptor = os.open(persons, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump([asdict(login) for login in logins], out, ensure_ascii=False)
        base = options["lape_url"].rstrip("/")
        # The same address by either loopback name, as the browser may use either.
        callbacks = {
            f"{url}/family/sign-in/callback/" for url in (base, base.replace("127.0.0.1", "localhost"))
        }
        command = [
            sys.executable,
            "-m",
            "lape_demo_idp",
            "--port",
            str(options["port"]),
            "--dir",
            str(folder),
            "--persons",
            str(persons),
            *(part for callback in sorted(callbacks) for part in ("--redirect-uri", callback)),
        ]
        sys.stdout.flush()
        os.execv(sys.executable, command)  # noqa: S606 - becomes the provider, so signals reach it
