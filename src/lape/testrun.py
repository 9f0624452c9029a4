"""`make test`: the whole suite on SQLite, then on PostgreSQL.

PostgreSQL runs when LAPE_TEST_POSTGRES_URL is set or a server answers at 127.0.0.1:5432; with
CI=true a missing PostgreSQL (or Chromium, see conftest.py) fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/lape"


def _postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _run(label: str, database_url: str, extra: list[str]) -> int:
    print(f"\n=== test suite on {label} ===", flush=True)
    env = dict(os.environ, LAPE_DATABASE_URL=database_url, LAPE_TEST_DATABASE=label)
    return subprocess.call([sys.executable, "-m", "pytest", *extra], env=env)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    ci = os.environ.get("CI", "").lower() == "true"
    os.makedirs("var", exist_ok=True)
    results: dict[str, int] = {}
    results["sqlite"] = _run("sqlite", "sqlite:///" + os.path.abspath("var/test.sqlite3"), extra)
    pg_url = os.environ.get("LAPE_TEST_POSTGRES_URL")
    if not pg_url and _postgres_answers():
        pg_url = DEFAULT_PG_URL
    if pg_url:
        results["postgresql"] = _run("postgresql", pg_url, extra)
    elif ci:
        print("PostgreSQL is required with CI=true but nothing answers at 127.0.0.1:5432.", file=sys.stderr)
        results["postgresql"] = 1
    else:
        print("\nPostgreSQL tests not run: set LAPE_TEST_POSTGRES_URL or start PostgreSQL on 5432.")
    print("\n=== summary: " + ", ".join(f"{k}: {'ok' if v == 0 else 'FAILED'}" for k, v in results.items()))
    return 0 if all(v == 0 for v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
