"""The search-quality evaluation set (benchmarks/search_quality/queries.toml) is well formed.

Only the data is checked here; the quality figures are the benchmark's to print, not a test's to assert.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lape.directory.demo import demo_content

QUERIES_FILE = Path(__file__).resolve().parents[4] / "benchmarks" / "search_quality" / "queries.toml"
LANGUAGES = ("fi", "sv", "en")
KINDS = {"name", "inflected", "compound", "colloquial", "misspelled", "need"}
MIN_PER_LANGUAGE = 30


@pytest.fixture(scope="module")
def queries() -> list[dict[str, Any]]:
    with QUERIES_FILE.open("rb") as handle:
        data: list[dict[str, Any]] = tomllib.load(handle)["query"]
    return data


def test_it_marks_only_services_that_exist_in_the_demo_data(queries: list[dict[str, Any]]) -> None:
    demo_keys = {service["key"] for service in demo_content()["services"]}

    unknown = {(q["text"], key) for q in queries for key in q["relevant"] if key not in demo_keys}

    assert unknown == set()


def test_it_has_at_least_thirty_queries_in_each_language(queries: list[dict[str, Any]]) -> None:
    per_language = Counter(q["lang"] for q in queries)

    assert set(per_language) == set(LANGUAGES)
    assert all(per_language[lang] >= MIN_PER_LANGUAGE for lang in LANGUAGES), per_language


def test_it_has_no_duplicate_queries(queries: list[dict[str, Any]]) -> None:
    seen = Counter((q["lang"], " ".join(q["text"].casefold().split())) for q in queries)

    assert [query for query, count in seen.items() if count > 1] == []


def test_it_gives_every_query_a_kind_a_reason_and_distinct_relevant_services(
    queries: list[dict[str, Any]],
) -> None:
    for query in queries:
        assert set(query) == {"text", "lang", "kind", "relevant", "why"}, query
        assert query["text"].strip() and query["why"].strip(), query
        assert query["kind"] in KINDS, query
        assert query["relevant"], query
        assert len(set(query["relevant"])) == len(query["relevant"]), query
