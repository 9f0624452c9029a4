"""`python -m lape_demo_idp --port 8001 --persons FILE --redirect-uri URI`: set up and serve the provider.

Demo and tests only (see the package docstring). It migrates its own SQLite database, loads the
persons and LAPE's client, and serves with Django's threaded development server on the loopback
address until stopped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Parse the options, prepare the database and serve."""
    parser = argparse.ArgumentParser(prog="python -m lape_demo_idp", description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--dir", type=Path, help="where its database and signing key live")
    parser.add_argument("--persons", type=Path, required=True, help="JSON list of synthetic persons")
    parser.add_argument("--client-id", default="lape-demo")
    parser.add_argument("--client-secret", default="lape-demo-family-client")
    parser.add_argument("--redirect-uri", action="append", required=True, help="LAPE's callback (repeatable)")
    args = parser.parse_args(argv)
    os.environ["LAPE_DEMO_IDP"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lape_demo_idp.settings"
    os.environ.setdefault("LAPE_DEMO_IDP_ISSUER", f"http://127.0.0.1:{args.port}/o")
    if args.dir:
        os.environ["LAPE_DEMO_IDP_DIR"] = str(args.dir)
    import django
    from django.core.management import call_command

    django.setup()
    from .setup import load_persons, register_client

    call_command("migrate", verbosity=0, interactive=False)
    count = load_persons(args.persons)
    register_client(args.client_id, args.client_secret, " ".join(args.redirect_uri))
    print(
        f"Demo OpenID Connect provider: {count} synthetic persons, issuer {os.environ['LAPE_DEMO_IDP_ISSUER']}"
    )
    sys.stdout.flush()
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
