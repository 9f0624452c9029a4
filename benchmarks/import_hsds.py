"""How fast `lape import-hsds` imports national-scale data, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/import_hsds.py [--count 50000] [--runs 3] [--baseline 1000]
                                               [--backends sqlite,postgresql] [--pg URL]

The data comes from `lape demo --scale national` (seeded, so every run imports the same records),
spread over the real 309 municipalities when ../shared/data/areas exists, else over the demo areas.
Each measurement imports an NDJSON file with the `import_hsds` command into a fresh database
(SQLite: a new file under var/bench/; PostgreSQL: the database `lape_bench`, dropped and created
again), after migrations, areas and taxonomies, which are not timed. Each backend runs in its own
process; in that process every run first imports the first `--baseline` services (the baseline)
and then all `--count`, so the ratio count/baseline shows how the rate holds up at scale. The
summary also gives PostgreSQL against SQLite. This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
SHARED_AREAS = ROOT.parent / "shared" / "data" / "areas"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/"
PG_DATABASE = "lape_bench"


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LAPE_ALLOW_INSECURE_KEY", "1")
    env["LAPE_DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = "lape.settings"
    return env


def _lape(args: list[str], database_url: str) -> None:
    subprocess.run([sys.executable, "-m", "lape.cli", *args], check=True, env=_env(database_url), cwd=ROOT)


def generate(count: int, seed: int, areas: str) -> Path:
    """The national NDJSON file for `count` and `seed` (made once, then reused)."""
    path = BENCH_DIR / f"national-{areas}-{count}-seed{seed}.ndjson"
    if path.exists():
        return path
    db = BENCH_DIR / "generate.sqlite3"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    _lape(["migrate", "--no-input", "-v", "0"], url)
    if areas == "real":
        _lape(["import-areas", str(SHARED_AREAS)], url)
    print(f"generating {count:,} services (seed {seed}, {areas} areas) …", flush=True)
    _lape(
        ["demo", "--scale", "national", "--count", str(count), "--seed", str(seed), "--out", str(path)], url
    )
    db.unlink(missing_ok=True)
    return path


def head(path: Path, lines: int) -> Path:
    """The first `lines` records of `path` as their own file."""
    out = path.with_name(path.stem + f"-first{lines}.ndjson")
    if not out.exists():
        with path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
            for number, line in enumerate(src):
                if number >= lines:
                    break
                dst.write(line)
    return out


# ---- the worker: one backend, in its own process ------------------------------------------------


def _fresh_database(backend: str, pg_admin: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    if backend == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(pg_admin + "postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    call_command("migrate", "--no-input", verbosity=0)


def _prepare(areas: str) -> None:
    from lape.areas.demo import load_demo_areas
    from lape.areas.importers import import_areas
    from lape.directory.taxonomies import load_demo_taxonomies

    if areas == "real":
        import_areas(SHARED_AREAS, year=2023)
    else:
        load_demo_areas()
    load_demo_taxonomies()


def _timed_import(path: Path, expected: int) -> float:
    from django.core.management import call_command

    from lape.directory.models import Service

    started = time.perf_counter()
    call_command("import_hsds", str(path), stdout=io.StringIO())
    seconds = time.perf_counter() - started
    found = Service.objects.count()
    if found != expected:
        raise SystemExit(f"expected {expected} services after the import, found {found}")
    return seconds


def worker(args: argparse.Namespace) -> None:
    """Measure one backend: per run, a baseline import and a full import, each into a fresh database."""
    import django

    django.setup()
    full, baseline = Path(args.file), Path(args.baseline_file)
    results: list[dict[str, float]] = []
    for run in range(args.runs):
        measured: dict[str, float] = {}
        for label, path, n in (("baseline", baseline, args.baseline), ("full", full, args.count)):
            _fresh_database(args.worker, args.pg)
            _prepare(args.areas)
            seconds = _timed_import(path, n)
            measured[label] = n / seconds
            print(
                f"  {args.worker} run {run + 1}: {n:>7,} services in {seconds:7.1f} s = {n / seconds:7.0f}/s",
                flush=True,
            )
        results.append(measured)
    print("RESULT " + json.dumps(results), flush=True)


# ---- the driver ----------------------------------------------------------------------------------


def _run_backend(
    backend: str, args: argparse.Namespace, full: Path, baseline: Path
) -> list[dict[str, float]]:
    url = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}" if backend == "sqlite" else args.pg + PG_DATABASE
    cmd = [
        sys.executable, __file__, "--worker", backend, "--file", str(full), "--baseline-file", str(baseline),
        "--count", str(args.count), "--baseline", str(args.baseline), "--runs", str(args.runs),
        "--areas", args.areas, "--pg", args.pg,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=_env(url), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    results: list[dict[str, float]] = []
    for line in proc.stdout:
        if line.startswith("RESULT "):
            results = json.loads(line.removeprefix("RESULT "))
        else:
            print(line, end="", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"the {backend} worker failed")
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    return results


def main() -> None:
    """Parse the options, make the data, run each backend and print the medians."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=50_000, help="services in the measured import")
    parser.add_argument("--baseline", type=int, default=1_000, help="services in the baseline import")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL ending in '/'")
    parser.add_argument(
        "--areas", choices=["real", "demo"], default="real" if SHARED_AREAS.is_dir() else "demo"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    full = generate(args.count, args.seed, args.areas)
    baseline = head(full, min(args.baseline, args.count))
    args.baseline = min(args.baseline, args.count)
    summary: dict[str, dict[str, float]] = {}
    for backend in args.backends.split(","):
        print(
            f"{backend}: {args.runs} runs of {args.baseline:,} (baseline) and {args.count:,} services",
            flush=True,
        )
        results = _run_backend(backend, args, full, baseline)
        summary[backend] = {
            "baseline": statistics.median(r["baseline"] for r in results),
            "full": statistics.median(r["full"] for r in results),
            "ratio": statistics.median(r["full"] / r["baseline"] for r in results),
        }
    print()
    print(f"import-hsds, {args.areas} areas, medians of {args.runs} runs (services per second)")
    print(f"{'backend':<12}{f'{args.baseline:,} (baseline)':>20}{f'{args.count:,}':>14}{'vs baseline':>14}")
    for backend, s in summary.items():
        print(f"{backend:<12}{s['baseline']:>20.0f}{s['full']:>14.0f}{s['ratio']:>13.2f}x")
    if "sqlite" in summary and "postgresql" in summary:
        ratio = summary["postgresql"]["full"] / summary["sqlite"]["full"]
        print(f"PostgreSQL against SQLite at {args.count:,} services: {ratio:.2f}x")


if __name__ == "__main__":
    main()
