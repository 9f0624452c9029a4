"""How long matching a new concern signal takes among 1,000,000 signals (issue 5's target: at most 10 ms).

    .venv/bin/python benchmarks/concern_signals.py [--children 700000] [--signals 1000000]
        [--queries 1000] [--backends sqlite,postgresql] [--pg URL] [--pg-database lape_h_concern_bench]

For each database, in a fresh database (SQLite: var/bench/concerns.sqlite3; PostgreSQL: the database
`--pg-database`, created here and dropped at the end), migrated, in a process of its own:

1. Bulk-inserts `--children` children, each with a synthetic identity code (individual numbers
   900-999) and its keyed lookup hash, as `register_person` stores it, and `--signals` signals of
   50 organisations over them: every child one signal, the rest a second signal by another
   organisation; about 40 % of all signals expired, 5 % of the rest withdrawn.
2. Times `--queries` matches of a new signal for a random child, each timed in turn with a baseline:
   "baseline" a primary-key read of the child (`Person.objects.get(pk=…)`); "match" the query
   `register_signal` runs for a new signal (`matching_signals`: the child's signals in force by other
   organisations, on the index (child, expires_at)); "find + match" the same after finding the child
   by the keyed hash of the identity code (`find_by_identity_code`), as registering does. Prints
   median and p95 in milliseconds and the query plan of the match.

This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from harness import DEFAULT_PG, ROOT, percentile, run_worker

BENCH_DIR = ROOT / "var" / "bench"
TARGET_P95_MS = 10.0
ORGANISATIONS = 50
BATCH = 10_000
WARMUP = 100


# ---- inside the benchmark database's own process ------------------------------------------------


def _codes(children: int) -> list[tuple[Any, str]]:
    """`children` distinct synthetic identity codes (individual numbers 900-999) with their birth dates."""
    import datetime as dt

    from lape.people.identity_codes import compose_identity_code

    first = dt.date(2006, 1, 1)
    return [
        (
            first + dt.timedelta(days=i // 100),
            compose_identity_code(first + dt.timedelta(days=i // 100), 900 + i % 100),
        )
        for i in range(children)
    ]


def worker_load(children: int, signals: int) -> dict[str, Any]:
    """Bulk-insert the children and the signals; prints how long it took."""
    import django

    django.setup()
    import datetime as dt
    import uuid

    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from lape.accounts.models import Membership, Role
    from lape.directory.models import Organization
    from lape.people.models import Person
    from lape.people.sealing import lookup_hash
    from lape.plans.models import ConcernSignal

    started = time.perf_counter()
    rng = random.Random(5)
    organizations = [
        Organization.objects.create(name=f"Organisation {n}", kind="municipality")
        for n in range(ORGANISATIONS)
    ]
    memberships = []
    for n, organization in enumerate(organizations):
        user = User.objects.create_user(f"signaller-{n}", password=None)
        memberships.append(
            Membership.objects.create(
                user=user, organization=organization, role=Role.SOCIAL_WORKER, started=dt.date(2024, 1, 1)
            )
        )
    ids: list[str] = []
    codes = _codes(children)
    for start in range(0, children, BATCH):
        people = []
        for born, code in codes[start : start + BATCH]:
            person_id = uuid.uuid4()
            ids.append(str(person_id))
            people.append(
                Person(
                    id=person_id,
                    given_names="Lapsi",
                    family_name="Testinen",
                    birth_date=born,
                    identity_code_lookup=lookup_hash(code),
                    identity_code_masked=code[:7] + "****",
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=2000)
    loaded_children = time.perf_counter() - started
    now = timezone.now()
    counts = {"in_force": 0, "expired": 0, "withdrawn": 0}
    written = 0
    while written < signals:
        batch = []
        for i in range(written, min(signals, written + BATCH)):
            child = ids[i % children]
            # A child's second signal comes from another organisation than its first.
            index = (i % children + i // children) % ORGANISATIONS
            membership = memberships[index]
            created = now - dt.timedelta(days=rng.uniform(0, 1400))
            expires = created + dt.timedelta(days=730)
            withdrawn = None
            if expires <= now:
                counts["expired"] += 1
            elif rng.random() < 0.05:
                withdrawn = created + dt.timedelta(days=1)
                counts["withdrawn"] += 1
            else:
                counts["in_force"] += 1
            batch.append(
                ConcernSignal(
                    id=uuid.uuid4(),
                    child_id=child,
                    membership_id=membership.pk,
                    organization_id=membership.organization_id,
                    contact="+358 40 000 0000",
                    created_at=created,
                    expires_at=expires,
                    withdrawn_at=withdrawn,
                )
            )
        with transaction.atomic():
            ConcernSignal.objects.bulk_create(batch, batch_size=2000)
        written += len(batch)
    return {
        "children_seconds": loaded_children,
        "seconds": time.perf_counter() - started,
        "signals": ConcernSignal.objects.count(),
        "children": Person.objects.count(),
        **counts,
    }


def worker_match(queries: int, children: int) -> dict[str, Any]:
    """Time the baseline, the match, and find + match, in turn, for random children."""
    import django

    django.setup()
    from django.db import connection

    from lape.directory.models import Organization
    from lape.people.models import Person
    from lape.people.registry import find_by_identity_code
    from lape.plans.concerns import matching_signals

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(7)
    codes = [code for _born, code in _codes(children)]
    ids = {p.identity_code_lookup: p.pk for p in Person.objects.only("id", "identity_code_lookup").iterator()}
    from lape.people.sealing import lookup_hash

    new_org = Organization.objects.create(name="The new signaller", kind="ngo").pk
    samples: dict[str, list[float]] = {"baseline": [], "match": [], "find + match": []}
    found = 0
    for n in range(WARMUP + queries):
        code = rng.choice(codes)
        person_id = ids[lookup_hash(code)]
        t0 = time.perf_counter()
        Person.objects.get(pk=person_id)
        t1 = time.perf_counter()
        matched = list(matching_signals(person_id, new_org))
        t2 = time.perf_counter()
        person = find_by_identity_code(code)
        assert person is not None
        list(matching_signals(person.pk, new_org))
        t3 = time.perf_counter()
        if n >= WARMUP:
            samples["baseline"].append((t1 - t0) * 1000)
            samples["match"].append((t2 - t1) * 1000)
            samples["find + match"].append((t3 - t2) * 1000)
            found += len(matched)
    plan = matching_signals(person_id, new_org).explain()
    return {"samples": samples, "found": found, "plan": plan}


# ---- the driver -----------------------------------------------------------------------------------


def _fresh_database(backend: str, args: argparse.Namespace) -> str:
    if backend == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "concerns.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    _pg_admin(args, f'DROP DATABASE IF EXISTS "{args.pg_database}"', f'CREATE DATABASE "{args.pg_database}"')
    return args.pg + args.pg_database


def _pg_admin(args: argparse.Namespace, *statements: str) -> None:
    import psycopg

    with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement.encode())


def run_backend(backend: str, args: argparse.Namespace) -> None:
    """Load, then time the match, in a fresh database of `backend`."""
    url = _fresh_database(backend, args)
    try:
        run_worker([sys.executable, "-m", "lape.cli", "migrate", "--no-input", "-v", "0"], url)
        me = [sys.executable, str(Path(__file__).resolve())]
        sizes = ["--children", str(args.children), "--signals", str(args.signals)]
        loaded = json.loads(run_worker([*me, "--worker", "load", *sizes], url))
        print(
            f"\n{backend}: {loaded['signals']:,} signals ({loaded['in_force']:,} in force, {loaded['expired']:,} "
            f"expired, {loaded['withdrawn']:,} withdrawn) over {loaded['children']:,} children, "
            f"loaded in {loaded['seconds']:.0f} s",
            flush=True,
        )
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        timed = json.loads(
            run_worker([*me, "--worker", "match", "--queries", str(args.queries), *sizes], url)
        )
        print(f"  {args.queries:,} new signals (median / p95), load average {load}")
        for label, values in timed["samples"].items():
            p95 = percentile(values, 0.95)
            verdict = (
                "" if label == "baseline" else f"  ({'meets' if p95 <= TARGET_P95_MS else 'MISSES'} 10 ms)"
            )
            print(f"  {label:<13} {statistics.median(values):.3f} / {p95:.3f} ms{verdict}")
        print(f"  signals matched in all: {timed['found']:,}\n  plan: {timed['plan']}", flush=True)
    finally:
        if backend == "postgresql":
            _pg_admin(args, f'DROP DATABASE IF EXISTS "{args.pg_database}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=700_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--pg-database", default="lape_h_concern_bench")
    parser.add_argument("--worker", choices=["load", "match"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.worker == "load":
        print(json.dumps(worker_load(args.children, args.signals)))
        return 0
    if args.worker == "match":
        print(json.dumps(worker_match(args.queries, args.children)))
        return 0
    for backend in args.backends.split(","):
        run_backend(backend.strip(), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
