"""How well the platform's search finds the right demo services for families' own words, against plain keywords.

    .venv/bin/python benchmarks/search_quality/run.py [--database sqlite|postgresql] [--pg URL]
                                                      [--queries PATH] [--json PATH]

Loads the demo directory (`lape demo`: 66 services in Pohjois-Savo) into a fresh database (SQLite: a
new file var/bench/search_quality.sqlite3; PostgreSQL: the database `lape_search_quality`, dropped and
created again, and dropped at the end), then runs every query of queries.toml through

- the platform's search: `lape.search.query.find_services(query, lang, limit=10)`, no filters, and
- a plain keyword baseline on the same services (see `keyword_search`),

and prints hit@5 and MRR@10 per language and overall, side by side with their ratio, the same per
kind of query, and the queries whose relevant services are not in the platform's top 5. This prints
figures; it is not a test and always exits 0 once it has run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import string
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
QUERIES_FILE = HERE / "queries.toml"
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_FILE = BENCH_DIR / "search_quality.sqlite3"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/"
PG_DATABASE = "lape_search_quality"
LANGUAGES = ("fi", "sv", "en")
KINDS = ("name", "inflected", "compound", "colloquial", "misspelled", "need")
TOP = 10  # results asked of each search; MRR is over these
HIT_AT = 5


@dataclass(frozen=True)
class Query:
    """One family query of the evaluation set, with the demo keys of its relevant services."""

    text: str
    lang: str
    kind: str
    relevant: tuple[str, ...]
    why: str


@dataclass
class Outcome:
    """What one search gave for one query: the ranked demo keys and where the first relevant one came."""

    query: Query
    ranked: list[str]
    rank: int | None  # 1-based rank of the first relevant service within the top TOP, if any
    seconds: float

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= HIT_AT

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank is not None else 0.0


@dataclass
class Scores:
    """hit@5 and MRR@10 over a group of outcomes."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def hit_at_5(self) -> float:
        return sum(o.hit for o in self.outcomes) / self.count if self.outcomes else 0.0

    @property
    def mrr_at_10(self) -> float:
        return sum(o.reciprocal_rank for o in self.outcomes) / self.count if self.outcomes else 0.0


def read_queries(path: Path) -> list[Query]:
    """The evaluation set from its TOML file."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [Query(q["text"], q["lang"], q["kind"], tuple(q["relevant"]), q["why"]) for q in data["query"]]


# ---- the database ---------------------------------------------------------------------------------


def _configure(database: str, pg: str) -> str:
    """Point Django at the benchmark's own database (before django.setup()); returns its URL."""
    url = f"sqlite:///{SQLITE_FILE}" if database == "sqlite" else pg + PG_DATABASE
    os.environ.setdefault("LAPE_ALLOW_INSECURE_KEY", "1")
    os.environ["LAPE_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lape.settings"
    return url


def _fresh_database(database: str, pg: str) -> None:
    """An empty database: a new SQLite file, or the PostgreSQL database dropped and created again."""
    if database == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(pg + "postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")


def _drop_database(database: str, pg: str) -> None:
    from django.db import connection

    connection.close()
    if database == "postgresql":
        import psycopg

        with psycopg.connect(pg + "postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def load_demo() -> None:
    """Migrations and `lape demo` (which also indexes the services and loads the search vocabulary)."""
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    call_command("demo", stdout=io.StringIO())


# ---- the two searches -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceText:
    """A service's name and description in one language (Finnish base fields where a translation is missing)."""

    key: str
    name: str
    text: str  # name + description, case-folded


def service_texts() -> dict[str, dict[str, ServiceText]]:
    """The active demo services' texts, by language and demo key."""
    from lape.directory.models import Service

    keys = _demo_keys()
    texts: dict[str, dict[str, ServiceText]] = {lang: {} for lang in LANGUAGES}
    for service in Service.objects.filter(status=Service.Status.ACTIVE):
        key = keys[str(service.pk)]
        for lang in LANGUAGES:
            name = service.text("name", lang, fallback=True)
            description = service.text("description", lang, fallback=True)
            texts[lang][key] = ServiceText(key, name, f"{name} {description}".casefold())
    return texts


def query_words(query: str) -> list[str]:
    """The baseline's words: the query split at white space, case-folded, punctuation stripped from the ends."""
    stripped = (word.strip(string.punctuation + "“”‘’«»…") for word in query.casefold().split())
    return [word for word in stripped if word]


def keyword_search(query: str, lang: str, texts: dict[str, dict[str, ServiceText]]) -> list[str]:
    """The plain keyword baseline, as a LIKE '%word%' per word would give it.

    A service matches when every query word is a substring of its name + description in the query's
    language (case-insensitive; Finnish base fields where the translation is missing). Matches are
    ranked by how many of the query's words occur in the name, most first, then by name.
    """
    words = query_words(query)
    if not words:
        return []
    found = [s for s in texts[lang].values() if all(word in s.text for word in words)]
    found.sort(key=lambda s: (-sum(word in s.name.casefold() for word in words), s.name.casefold()))
    return [s.key for s in found[:TOP]]


@cache
def _demo_keys() -> dict[str, str]:
    """Demo key by service id (as a string)."""
    from lape.directory.demo import demo_content, demo_id

    return {demo_id("service", s["key"]): s["key"] for s in demo_content()["services"]}


def platform_search(query: str, lang: str) -> list[str]:
    """The platform's search, `find_services` without filters: its top TOP as demo keys."""
    from lape.search.query import find_services

    return [_demo_keys()[str(hit.service_id)] for hit in find_services(query, lang, limit=TOP).hits]


def evaluate(queries: Sequence[Query], search: Callable[[str, str], list[str]]) -> list[Outcome]:
    """Run every query through `search` and note where its first relevant service came."""
    outcomes = []
    for query in queries:
        started = time.perf_counter()
        ranked = search(query.text, query.lang)[:TOP]
        seconds = time.perf_counter() - started
        relevant = set(query.relevant)
        rank = next((i for i, key in enumerate(ranked, start=1) if key in relevant), None)
        outcomes.append(Outcome(query, ranked, rank, seconds))
    return outcomes


# ---- the report -----------------------------------------------------------------------------------


def _ratio(platform: float, baseline: float) -> str:
    if baseline == 0:
        return "  (base 0)" if platform else "       —"
    return f"{platform / baseline:>8.2f}x"


def _table(title: str, groups: dict[str, tuple[Scores, Scores]]) -> None:
    print(title)
    print(
        f"{'':<12}{'queries':>8}  {'hit@5':>8}{'baseline':>10}{'ratio':>10}  "
        f"{'MRR@10':>8}{'baseline':>10}{'ratio':>10}"
    )
    for label, (ours, base) in groups.items():
        print(
            f"{label:<12}{ours.count:>8}  {ours.hit_at_5:>8.2f}{base.hit_at_5:>10.2f}"
            f"{_ratio(ours.hit_at_5, base.hit_at_5):>10}  {ours.mrr_at_10:>8.2f}{base.mrr_at_10:>10.2f}"
            f"{_ratio(ours.mrr_at_10, base.mrr_at_10):>10}"
        )
    print()


def _grouped(
    ours: list[Outcome], base: list[Outcome], label: Callable[[Query], str], order: Sequence[str]
) -> dict[str, tuple[Scores, Scores]]:
    groups: dict[str, tuple[Scores, Scores]] = defaultdict(lambda: (Scores(), Scores()))
    for mine, theirs in zip(ours, base, strict=True):
        groups[label(mine.query)][0].outcomes.append(mine)
        groups[label(mine.query)][1].outcomes.append(theirs)
    ordered = {name: groups[name] for name in order if name in groups}
    ordered["all"] = (Scores(list(ours)), Scores(list(base)))
    return ordered


def _expected(relevant: Sequence[str]) -> str:
    """The relevant keys, those of one demo service type shortened to 'type:<name> (n)' when all are there."""
    from lape.directory.demo import demo_content

    by_type: dict[str, list[str]] = defaultdict(list)
    for service in demo_content()["services"]:
        if "type" in service:
            by_type[service["type"]].append(service["key"])
    shown: list[str] = []
    left = list(relevant)
    for type_key, members in by_type.items():
        if len(members) > 1 and all(key in left for key in members):
            shown.append(f"type:{type_key} ({len(members)})")
            left = [key for key in left if key not in members]
    return ", ".join(shown + left)


def _misses(ours: list[Outcome], texts: dict[str, dict[str, ServiceText]]) -> None:
    missed = [o for o in ours if not o.hit]
    print(f"Platform misses (no relevant service in the top {HIT_AT}): {len(missed)} of {len(ours)}")
    for outcome in missed:
        q = outcome.query
        where = f"first relevant at {outcome.rank}" if outcome.rank else f"none relevant in the top {TOP}"
        names = [texts[q.lang][key].name for key in outcome.ranked[:3]] or ["(no results)"]
        print(f"- [{q.lang}, {q.kind}] {q.text!r}: {where}")
        print(f"    expected: {_expected(q.relevant)}")
        print(f"    got:      {' | '.join(names)}")
    print()


def _write_json(path: Path, ours: list[Outcome], base: list[Outcome], meta: dict[str, Any]) -> None:
    rows = [
        {
            "text": mine.query.text,
            "lang": mine.query.lang,
            "kind": mine.query.kind,
            "relevant": list(mine.query.relevant),
            "platform": {"ranked": mine.ranked, "rank": mine.rank, "ms": round(mine.seconds * 1000, 2)},
            "baseline": {"ranked": theirs.ranked, "rank": theirs.rank},
        }
        for mine, theirs in zip(ours, base, strict=True)
    ]
    path.write_text(json.dumps({**meta, "queries": rows}, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, load the demo into a fresh database, run both searches and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL ending in '/'")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE, help="the evaluation set (TOML)")
    parser.add_argument("--json", type=Path, help="also write every query's results to this file")
    args = parser.parse_args(argv)

    queries = read_queries(args.queries)
    _configure(args.database, args.pg)
    _fresh_database(args.database, args.pg)
    import django

    django.setup()
    from lape.search.analysis import finnish_analyser_name

    try:
        started = time.perf_counter()
        load_demo()
        loaded = time.perf_counter() - started
        texts = service_texts()
        ours = evaluate(queries, platform_search)
        base = evaluate(queries, lambda text, lang: keyword_search(text, lang, texts))
    finally:
        _drop_database(args.database, args.pg)

    analyser = finnish_analyser_name()
    services = len(texts["fi"])
    print(
        f"Search quality: {len(queries)} queries on the demo's {services} services, {args.database}, "
        f"Finnish analyser {analyser} (demo loaded in {loaded:.1f} s)"
    )
    print(f"platform: lape.search.query.find_services(query, lang, limit={TOP})")
    print(
        "baseline: every query word a case-insensitive substring of name + description, "
        "ranked by words in the name, then by name"
    )
    print()
    _table("By language", _grouped(ours, base, lambda q: q.lang, LANGUAGES))
    _table("By kind of query", _grouped(ours, base, lambda q: q.kind, KINDS))
    times = sorted(o.seconds for o in ours)
    print(
        f"platform time per query: median {times[len(times) // 2] * 1000:.1f} ms, "
        f"max {times[-1] * 1000:.1f} ms"
    )
    print()
    _misses(ours, texts)
    if args.json:
        meta = {"database": args.database, "analyser": analyser}
        _write_json(args.json, ours, base, meta)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
