"""The `lape` command: one entry point for operating the platform.

Most subcommands are Django management commands (`lape import-hsds` runs `import_hsds`);
`lape serve` starts gunicorn, a production-grade WSGI server.
"""

from __future__ import annotations

import os
import shutil
import sys

import django

USAGE = """usage: lape COMMAND [ARGS]

commands:
  migrate                    create or update the database tables
  serve [--host H] [--port P] [--workers N]
                             serve the platform with gunicorn (default 127.0.0.1:8000)
  demo [--scale national]    load the demo data (Pohjois-Savo) or generate national-scale data
  import-areas [DIR]         import municipalities, counties and regions (default ../shared/data/areas)
  import-hsds PATH           import Open Referral HSDS data (JSON, NDJSON or a CSV datapackage folder)
  export-hsds PATH [--format json|ndjson|csv]
                             export the directory as HSDS
  import-taxonomies [DIR]    import the PTV service classes, target groups and life events
  rebuild-search-index       analyse every service again (after installing Voikko, say)
  import-ontology [PATH]     import the TERO ontology, PTV terms and need vocabulary
                             (default ../shared/data/ptv/tero_ontology.json)
  createuser USERNAME        create a user (publisher or administrator)
  rotate-identity-code-keys  re-seal every identity code with the newest key (docs/people.md)
  demo-code [USERNAME]       the demo professionals' logins and TOTP secrets, or one's current code
  demo-idp [--port 8001]     demo only: the local OpenID Connect provider of the demo families
  verify-access-log          prove the access log's hash chain (exit status 1 when broken)
  notify-overdue             notify the coordinators of newly overdue contact requests (run from cron)
  purge [--dry-run]          remove client data past its retention period; the access log stays (run from cron)
  manage ARGS                run any Django management command
"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lape.settings")


def serve(argv: list[str]) -> int:
    """Collect the static files, then run gunicorn on the WSGI application."""
    import argparse

    parser = argparse.ArgumentParser(prog="lape serve")
    parser.add_argument("--host", default=os.environ.get("LAPE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAPE_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LAPE_WORKERS", "2")))
    args = parser.parse_args(argv)
    # whitenoise serves the collected, compressed static files (the admin's CSS and JS)
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        print("lape serve: gunicorn is not installed in this environment.", file=sys.stderr)
        return 2
    cmd = [
        gunicorn,
        "lape.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    os.execv(gunicorn, cmd)  # noqa: S606 - replaces this process so signals reach gunicorn


def cli_language() -> str:
    """The operator's language: LAPE_LANGUAGE, else the system locale (LANG) if fi/sv/en, else English."""
    for value in (
        os.environ.get("LAPE_LANGUAGE", ""),
        os.environ.get("LC_ALL", ""),
        os.environ.get("LANG", ""),
    ):
        code = value[:2].lower()
        if code in {"fi", "sv", "en"}:
            return code
    return "en"


def main(argv: list[str] | None = None) -> int:
    """Dispatch `lape COMMAND` to gunicorn or a Django management command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    _setup()
    if command == "serve":
        return serve(rest)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"lape: the configuration is not usable: {exc}", file=sys.stderr)
        return 2
    translation.activate(cli_language())
    if command == "manage":
        execute_from_command_line(["lape", *rest])
        return 0
    known = {
        "migrate",
        "demo",
        "import-areas",
        "import-hsds",
        "export-hsds",
        "import-taxonomies",
        "import-ontology",
        "rebuild-search-index",
        "createuser",
        "rotate-identity-code-keys",
        "demo-code",
        "demo-idp",
        "verify-access-log",
        "notify-overdue",
        "purge",
        "check",
    }
    if command not in known:
        print(f"lape: unknown command '{command}'.\n\n{USAGE}", file=sys.stderr)
        return 2
    execute_from_command_line(["lape", command.replace("-", "_"), *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
