"""How fast the HSDS API searches national-scale data, on SQLite and on PostgreSQL, under load.

    .venv/bin/python benchmarks/search_speed.py [--reuse] [--quick] [--count 50000]
        [--backends sqlite,postgresql] [--workers 2] [--clients 1,8] [--duration 20] [--warmup 5]
        [--profile 5]

For each database: prepares `--count` services with `lape demo --scale national` (spread over the
real 309 municipalities when ../shared/data/areas exists) in a fresh database, makes sure the search
index covers them, starts the real server (`lape serve`, gunicorn) on a free loopback port, and runs
the load client (benchmarks/http_load.py: client processes with http.client) at each concurrency:
first on the API root `/api/hsds/` (the cheapest JSON endpoint: the ceiling), then on the query mix
of benchmarks/search_queries.py through `/api/hsds/services?search=…`. Prints p50 and p95 latency and
requests per second, the ratio of search to the ceiling at the same concurrency, the slowest queries,
and whether the issue's targets are met (at 50,000 services: p95 <= 50 ms for one client; with 8
clients >= 40 % of the ceiling's requests per second). With --profile N, runs the N slowest queries
once more inside one Django process and shows where their time goes (SQL against Python, the
slowest statement's plan). This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import LoadResult, Request, median, percentile, run_load
from search_queries import FILTER_PARAMS, MIX, SearchQuery

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
SHARED_AREAS = ROOT.parent / "shared" / "data" / "areas"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/"
HOST = "127.0.0.1"
TRIVIAL_PATH = "/api/hsds/"
SERVICES_PATH = "/api/hsds/services"
LANG_PARAMS = ("lang", "search_lang", "query_lang")
TARGET_P95_MS = 50.0
TARGET_RATIO = 0.40
TARGET_COUNT = 50_000
# --source: run lape from this tree's src/ instead of the working tree's (set by main()).
SOURCE: Path | None = None
# --api-cache: LAPE_API_CACHE_SECONDS for the server (None: the server's default), set by main().
API_CACHE: str | None = None


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LAPE_ALLOW_INSECURE_KEY", "1")
    env["LAPE_DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = "lape.settings"
    if API_CACHE is not None:
        env["LAPE_API_CACHE_SECONDS"] = API_CACHE
    if SOURCE is not None:
        env["PYTHONPATH"] = str(SOURCE / "src")
        env["LAPE_HOME"] = str(SOURCE)
        env.setdefault("LAPE_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
    return env


def _lape(args: list[str], database_url: str) -> None:
    subprocess.run([sys.executable, "-m", "lape.cli", *args], check=True, env=_env(database_url), cwd=ROOT)


# ---- the data: one prepared database per backend and size, reused with --reuse ---------------------


def _sqlite_path(args: argparse.Namespace) -> Path:
    return BENCH_DIR / f"search-{args.areas}-{args.count}-seed{args.seed}.sqlite3"


def _pg_name(args: argparse.Namespace) -> str:
    return f"lape_bench_search_{args.count}"


def database_url(backend: str, args: argparse.Namespace) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_sqlite_path(args)}"
    return args.pg + _pg_name(args)


def _stamp(args: argparse.Namespace) -> str:
    """What a prepared database holds: the generator's count, seed and areas."""
    return json.dumps({"count": args.count, "seed": args.seed, "areas": args.areas}, sort_keys=True)


def _read_stamp(backend: str, args: argparse.Namespace) -> str | None:
    if backend == "sqlite":
        stamp = _sqlite_path(args).with_suffix(".json")
        return stamp.read_text(encoding="utf-8") if stamp.exists() and _sqlite_path(args).exists() else None
    import psycopg

    with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_pg_name(args)],
        ).fetchone()
    return row[0] if row else None


def _write_stamp(backend: str, args: argparse.Namespace) -> None:
    if backend == "sqlite":
        _sqlite_path(args).with_suffix(".json").write_text(_stamp(args), encoding="utf-8")
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(_pg_name(args)), sql.Literal(_stamp(args))
            )
        )


def _fresh_database(backend: str, args: argparse.Namespace) -> None:
    if backend == "sqlite":
        path = _sqlite_path(args)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = sql.Identifier(_pg_name(args))
    with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare(backend: str, args: argparse.Namespace) -> str:
    """A database with the national data and a complete search index; its URL."""
    url = database_url(backend, args)
    if args.reuse and _read_stamp(backend, args) == _stamp(args):
        print(f"{backend}: reusing the prepared database ({url})", flush=True)
        _lape(["migrate", "--no-input", "-v", "0"], url)
    else:
        print(f"{backend}: preparing {args.count:,} services in a fresh database ({url}) …", flush=True)
        _fresh_database(backend, args)
        _lape(["migrate", "--no-input", "-v", "0"], url)
        if args.areas == "real":
            _lape(["import-areas", str(SHARED_AREAS)], url)
        started = time.monotonic()
        _lape(["demo", "--scale", "national", "--count", str(args.count), "--seed", str(args.seed)], url)
        print(f"{backend}: generated and imported in {time.monotonic() - started:.0f} s", flush=True)
    found = _worker(["--worker", "index"], url)
    print(
        f"{backend}: {found['services']:,} services, {found['indexed']:,} in the search index"
        f"{' (rebuilt)' if found['rebuilt'] else ''}, {found['concepts']:,} vocabulary concepts",
        flush=True,
    )
    if found["services"] != args.count:
        raise SystemExit(f"{backend}: expected {args.count:,} services, found {found['services']:,}")
    _write_stamp(backend, args)
    return url


def _worker(extra: list[str], url: str) -> Any:
    """Run this script as a Django worker on `url` and return what it printed after RESULT."""
    env = _env(url)
    env["LAPE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    proc = subprocess.run(
        [sys.executable, __file__, *extra], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
        else:
            print(line, flush=True)
    return result


def worker_index() -> None:
    """In a Django process: load the search vocabulary if missing, index every service, count."""
    from django.db import connection

    from lape.directory.models import Service
    from lape.search.index import rebuild_index
    from lape.search.models import Concept
    from lape.search.ontology import default_tero_path, load_vocabulary

    if not Concept.objects.exists():
        # As `lape demo` does for the Pohjois-Savo demo (the national scale does not send demo_loaded).
        tero = default_tero_path()
        load_vocabulary(tero if tero.is_file() else None)

    def indexed() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(DISTINCT service_id) FROM search_service_document")
            return int(cursor.fetchone()[0])

    services = Service.objects.count()
    rebuilt = False
    if indexed() < services:
        rebuild_index()
        rebuilt = True
    found = {
        "services": services,
        "indexed": indexed(),
        "rebuilt": rebuilt,
        "concepts": Concept.objects.count(),
    }
    print("RESULT " + json.dumps(found), flush=True)


# ---- the server ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(url: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`lape serve` on a free loopback port; returns once the API answers."""
    port = _free_port()
    cmd = [sys.executable, "-m", "lape.cli", "serve", "--host", HOST, "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with log.open("wb") as errors:
        # the access log goes to stdout: discarded, so it costs the same on every endpoint
        server = subprocess.Popen(cmd, env=_env(url), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped; see {log}")
        try:
            if _get(port, TRIVIAL_PATH, timeout=2)[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not answer in 90 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def api_parameters(port: int) -> set[str]:
    """The query parameters the OpenAPI document gives for GET /api/hsds/services."""
    status, body = _get(port, "/api/openapi.json")
    if status != 200:
        raise SystemExit(f"/api/openapi.json answered {status}")
    operation = json.loads(body)["paths"][SERVICES_PATH]["get"]
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}


# ---- measuring ---------------------------------------------------------------------------------------


def _first_pass(port: int, paths: list[str]) -> list[tuple[int, int | None]]:
    """Every search once, in turn: its status and total_items (the number of matches)."""
    seen: list[tuple[int, int | None]] = []
    for path in paths:
        try:
            status, body = _get(port, path)
        except OSError:  # a timeout or a worker killed by gunicorn's timeout: an error, as in the load
            seen.append((0, None))
            continue
        total = json.loads(body).get("total_items") if status == 200 else None
        seen.append((status, total))
    return seen


def _row(label: str, result: LoadResult, ratio: str = "") -> str:
    latencies = result.latencies_ms()
    return (
        f"{result.clients:>7}  {label:<8}{result.requests:>9,}{result.errors:>7,}{result.rps:>9.1f}"
        f"{median(latencies):>9.1f}{percentile(latencies, 0.95):>9.1f}{result.cpu_ms:>8.1f}  {ratio}"
    )


def _cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _server_pids(server: int, database: str | None) -> list[int]:
    """gunicorn's workers and, on PostgreSQL, the backends serving this database (Linux /proc)."""
    pids = []
    for children in Path(f"/proc/{server}/task").glob("*/children"):
        pids += [int(pid) for pid in children.read_text().split()]
    if database:
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if f" {database} " in cmdline.read_text():
                    pids.append(int(cmdline.parent.name))
            except OSError:
                continue
    return pids


def _measured_load(
    server: int, database: str | None, port: int, load: list[Request], args: argparse.Namespace, clients: int
) -> LoadResult:
    """run_load, with the server's CPU time over it (gunicorn workers, PostgreSQL backends)."""
    before = _cpu_ticks(_server_pids(server, database))
    result = run_load(HOST, port, load, clients, args.duration, args.warmup)
    after = _cpu_ticks(_server_pids(server, database))
    ticks = sum(count - before.get(pid, 0) for pid, count in after.items())
    result.server_cpu = ticks / os.sysconf("SC_CLK_TCK")
    return result


def _load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def measure_backend(backend: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Start the server on `url`, run the loads, print the figures; returns the medians of the runs."""
    log = BENCH_DIR / f"search-server-{backend}.log"
    server, port = start_server(url, args.workers, log)
    runs: list[dict[int, dict[str, LoadResult]]] = []
    database = _pg_name(args) if backend == "postgresql" else None
    try:
        supported = api_parameters(port)
        lang_param = next((name for name in LANG_PARAMS if name in supported), None)
        missing = [name for name in FILTER_PARAMS if name not in supported]
        print(
            f"{backend}: server on {HOST}:{port}, {args.workers} gunicorn workers; the search language is "
            + (f"sent as `{lang_param}` and " if lang_param else "not a parameter of the API; sent only as ")
            + f"Accept-Language; {_load_average()}",
            flush=True,
        )
        if missing:
            print(
                f"{backend}: the API does not document {', '.join(missing)} yet: those filters are left out",
                flush=True,
            )
        queries = MIX
        paths = [q.path(supported, args.per_page, lang_param) for q in queries]
        requests = [Request(path, q.lang) for q, path in zip(queries, paths, strict=True)]
        first = _first_pass(port, paths)
        trivial = [Request(TRIVIAL_PATH)]
        print(
            f"{'run':>3}{'clients':>8}  {'endpoint':<8}{'requests':>9}{'errors':>7}{'req/s':>9}"
            f"{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>8}",
            flush=True,
        )
        for run in range(args.runs):
            results: dict[int, dict[str, LoadResult]] = {}
            for clients in args.clients:
                # the ceiling and the search one after the other, so both see the same machine
                results[clients] = {}
                for kind, load in (("trivial", trivial), ("search", requests)):
                    result = _measured_load(server.pid, database, port, load, args, clients)
                    results[clients][kind] = result
                    ratio = ""
                    if kind == "search" and results[clients]["trivial"].rps:
                        ratio = f"search/trivial {result.rps / results[clients]['trivial'].rps:.2f}"
                    print(f"{run + 1:>3} " + _row(kind, result, ratio), flush=True)
            runs.append(results)
    finally:
        stop_server(server)
    closes = any(
        r.server_closes for results in runs for by_kind in results.values() for r in by_kind.values()
    )
    print(
        f"\n{backend}, {args.count:,} services, {args.workers} gunicorn workers, {args.runs} run(s) of "
        f"{args.duration:g} s measured after {args.warmup:g} s warm-up, per_page={args.per_page}; the server "
        + ("closes the connection after each response" if closes else "keeps connections open")
        + f"; {_load_average()}"
    )
    summary: dict[str, Any] = {"backend": backend, "by_clients": {}}
    for clients in args.clients:
        trivial_runs = [results[clients]["trivial"] for results in runs]
        search_runs = [results[clients]["search"] for results in runs]
        summary["by_clients"][clients] = {
            "trivial_rps": median([r.rps for r in trivial_runs]),
            "search_rps": median([r.rps for r in search_runs]),
            "ratio": median([s.rps / t.rps for s, t in zip(search_runs, trivial_runs, strict=True) if t.rps]),
            "p50": median([median(r.latencies_ms()) for r in search_runs]),
            "p95": median([percentile(r.latencies_ms(), 0.95) for r in search_runs]),
            "trivial_p50": median([median(r.latencies_ms()) for r in trivial_runs]),
            "trivial_p95": median([percentile(r.latencies_ms(), 0.95) for r in trivial_runs]),
            "cpu_ms": median([r.cpu_ms for r in search_runs]),
            "trivial_cpu_ms": median([r.cpu_ms for r in trivial_runs]),
            "errors": sum(r.errors for r in trivial_runs + search_runs),
            "requests": sum(r.requests for r in trivial_runs + search_runs),
        }
    one = LoadResult(
        min(args.clients),
        args.duration * len(runs),
        [sample for results in runs for sample in results[min(args.clients)]["search"].samples],
        closes,
    )
    _print_by_kind(queries, one)
    summary["slowest"] = _print_slowest(queries, first, one, args.slowest)
    return summary


def _print_by_kind(queries: list[SearchQuery], result: LoadResult) -> None:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for index, latency, _status in result.samples:
        by_kind[queries[index].kind].append(latency * 1000)
    print(f"\nsearch by kind of query, {result.clients} client(s):")
    print(f"  {'kind':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, values in by_kind.items():
        print(f"  {kind:<10}{len(values):>9,}{median(values):>9.1f}{percentile(values, 0.95):>9.1f}")


def _print_slowest(
    queries: list[SearchQuery], first: list[tuple[int, int | None]], result: LoadResult, count: int
) -> list[int]:
    rows = []
    for index, query in enumerate(queries):
        values = result.latencies_ms(index)
        if values:
            rows.append((median(values), percentile(values, 0.95), index, query))
    rows.sort(reverse=True)
    errors = [
        (queries[i].label, status) for i, (status, _total) in enumerate(first) if not 200 <= status < 300
    ]
    print(f"\nslowest queries, {result.clients} client(s) (matches: total_items of the first request):")
    print(f"  {'p50 ms':>8}{'p95 ms':>8}{'matches':>9}  query")
    for p50, p95, index, query in rows[:count]:
        total = first[index][1]
        print(f"  {p50:>8.1f}{p95:>8.1f}{'' if total is None else f'{total:,}':>9}  {query.label}")
    for label, status in errors:
        print(f"  error: {label} " + (f"answered {status}" if status else "got no answer in 30 s"))
    return [index for *_rest, index, _query in rows[:count]]


# ---- profiling the slowest queries in one Django process -----------------------------------------


def worker_profile(indexes: list[int], per_page: int, lang_param: str | None, supported: list[str]) -> None:
    """Run each query in-process: total, SQL and Python time; the slowest one's profile and SQL plan."""
    import cProfile
    import pstats
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    slowest_sql: tuple[float, str, str] = (0.0, "", "")
    profiled = ""
    worst = 0.0
    print(f"  {'total ms':>9}{'SQL ms':>8}{'queries':>8}  query")
    for index in indexes:
        query = MIX[index]
        path = query.path(set(supported), per_page, lang_param)
        client.get(path, HTTP_ACCEPT_LANGUAGE=query.lang)  # warm
        totals, sql_times = [], []
        with CaptureQueriesContext(connection) as captured:
            for _ in range(5):
                start_at = len(captured.captured_queries)
                began = time.perf_counter()
                client.get(path, HTTP_ACCEPT_LANGUAGE=query.lang)
                totals.append((time.perf_counter() - began) * 1000)
                ran = captured.captured_queries[start_at:]
                sql_times.append(sum(float(q["time"]) for q in ran) * 1000)
                statements = len(ran)
                for q in ran:
                    if float(q["time"]) * 1000 > slowest_sql[0]:
                        slowest_sql = (float(q["time"]) * 1000, q["sql"], query.label)
        total = statistics.median(totals)
        print(f"  {total:>9.1f}{statistics.median(sql_times):>8.1f}{statements:>8}  {query.label}")
        if total > worst:
            worst, profiled = total, path
    if profiled:
        print(f"\n  where the time goes in the slowest ({profiled}), cProfile, by own time:")
        profile = cProfile.Profile()
        profile.enable()
        client.get(profiled)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime")
        for (filename, line, name), (_cc, calls, own, cumulative, _callers) in sorted(
            stats.stats.items(),  # type: ignore[attr-defined]
            key=lambda item: item[1][2],
            reverse=True,
        )[:12]:
            where = f"{Path(filename).name}:{line}({name})"
            print(f"    {own * 1000:>8.1f} ms own {cumulative * 1000:>8.1f} ms cum {calls:>7} calls  {where}")
    if slowest_sql[1]:
        seconds, text, label = slowest_sql
        shown = text if len(text) <= 900 else text[:150] + " … " + text[text.find(" FROM ") :][:750]
        print(f"\n  the slowest statement ({seconds:.1f} ms, from {label}):\n    {shown}")
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(explain + text)
                print("  its plan:")
                for row in cursor.fetchall():
                    print("    " + " | ".join(str(cell) for cell in row))
        except Exception as error:
            print(f"  (no plan: {error})")
    print("RESULT null", flush=True)


def profile(url: str, indexes: list[int], args: argparse.Namespace, backend: str) -> None:
    server, port = start_server(url, 1, BENCH_DIR / f"search-server-{backend}.log")
    try:
        supported = api_parameters(port)
    finally:
        stop_server(server)
    lang_param = next((name for name in LANG_PARAMS if name in supported), None)
    print(f"\n{backend}: the {len(indexes)} slowest queries in one Django process (median of 5):")
    extra = ["--worker", "profile", "--indexes", ",".join(map(str, indexes))]
    extra += ["--per-page", str(args.per_page), "--supported", ",".join(sorted(supported))]
    if lang_param:
        extra += ["--lang-param", lang_param]
    _worker(extra, url)


# ---- the driver ------------------------------------------------------------------------------------


def _print_targets(summaries: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nsummary, medians of {args.runs} run(s) (the search mix; ceiling: the API root on the same "
        "server at the same concurrency; ratio: the median of the runs' search/ceiling)"
    )
    print(
        f"{'backend':<12}{'clients':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'ceiling':>9}{'ratio':>7}"
        f"{'CPU ms':>8}{'ceiling CPU ms':>16}"
    )
    for s in summaries:
        for clients, c in s["by_clients"].items():
            print(
                f"{s['backend']:<12}{clients:>8}{c['p50']:>9.1f}{c['p95']:>9.1f}{c['search_rps']:>9.1f}"
                f"{c['trivial_rps']:>9.1f}{c['ratio']:>7.2f}{c['cpu_ms']:>8.1f}{c['trivial_cpu_ms']:>16.1f}"
            )
    print(
        "CPU ms: the server's CPU time a request (gunicorn workers, and PostgreSQL's backends for this "
        "database), less sensitive than req/s to other work on the machine"
    )
    note = "" if args.count >= TARGET_COUNT else f" (the targets are for {TARGET_COUNT:,} services)"
    print(f"\ntargets{note}:")
    for s in summaries:
        by = s["by_clients"]
        if 1 in by:
            met = by[1]["p95"] <= TARGET_P95_MS
            print(
                f"  {s['backend']}: p95 with 1 client {by[1]['p95']:.1f} ms <= {TARGET_P95_MS:g} ms: "
                + ("met" if met else "NOT met")
            )
        if 8 in by:
            met = by[8]["ratio"] >= TARGET_RATIO
            print(
                f"  {s['backend']}: with 8 clients {by[8]['ratio']:.0%} of the ceiling's req/s >= "
                f"{TARGET_RATIO:.0%}: " + ("met" if met else "NOT met")
            )
        errors = sum(c["errors"] for c in by.values())
        requests = sum(c["requests"] for c in by.values())
        print(f"  {s['backend']}: {errors:,} of {requests:,} measured requests failed (not 2xx)")


def main() -> None:
    """Parse the options, prepare each database, measure it and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--count", type=int, default=None, help="services (default 50,000; 2,000 with --quick)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL ending in '/'")
    parser.add_argument(
        "--areas", choices=["real", "demo"], default="real" if SHARED_AREAS.is_dir() else "demo"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse a prepared database with the same data")
    parser.add_argument("--quick", action="store_true", help="2,000 services, 3 s runs: a smoke test")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the CPU count)")
    parser.add_argument(
        "--api-cache",
        default=None,
        help="LAPE_API_CACHE_SECONDS for the server: 0 measures every search computed (default: the server's)",
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per backend (default 3; 1 with --quick)")
    parser.add_argument("--clients", default="1,8", help="concurrencies, comma-separated")
    parser.add_argument("--duration", type=float, default=None, help="measured seconds per load (default 10)")
    parser.add_argument("--warmup", type=float, default=None, help="unmeasured seconds first (default 5)")
    parser.add_argument("--per-page", type=int, default=20, help="results a page, as the family's page shows")
    parser.add_argument("--slowest", type=int, default=8, help="slowest queries to list")
    parser.add_argument("--profile", type=int, default=0, help="profile the N slowest queries in-process")
    parser.add_argument(
        "--source",
        type=Path,
        help="run lape from this source tree (e.g. `git archive HEAD` unpacked) instead of the working tree",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--indexes", help=argparse.SUPPRESS)
    parser.add_argument("--supported", help=argparse.SUPPRESS)
    parser.add_argument("--lang-param", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        import django

        django.setup()
        if args.worker == "index":
            worker_index()
        else:
            worker_profile(
                [int(i) for i in args.indexes.split(",")],
                args.per_page,
                args.lang_param,
                args.supported.split(","),
            )
        return
    global SOURCE, API_CACHE
    SOURCE = args.source.resolve() if args.source else None
    API_CACHE = args.api_cache
    args.count = args.count or (2_000 if args.quick else 50_000)
    args.runs = args.runs or (1 if args.quick else 3)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 5.0)
    args.workers = args.workers or os.cpu_count() or 1
    args.clients = [int(c) for c in args.clients.split(",")]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if SOURCE is None:
        git = shutil.which("git") or "git"
        commit = subprocess.run(
            [git, "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
        commit += " + uncommitted changes of the working tree, if any"
    else:
        commit = f"{SOURCE}"
    print(
        f"search speed: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{args.workers} gunicorn workers, load client: http_load.py (one process per client, "
        f"http.client), {len(MIX)} queries; API page cache: "
        + (f"LAPE_API_CACHE_SECONDS={API_CACHE}" if API_CACHE is not None else "the server's default")
        + f"; code at {commit}",
        flush=True,
    )
    summaries = []
    for backend in args.backends.split(","):
        url = prepare(backend, args)
        summary = measure_backend(backend, url, args)
        summaries.append(summary)
        if args.profile:
            profile(url, summary["slowest"][: args.profile], args, backend)
        print(flush=True)
    _print_targets(summaries, args)


if __name__ == "__main__":
    main()
