"""Full-text backends for the service index, one per database, behind one small interface.

Both store the same pre-analysed term strings in `search_service_document` (one row per active service
and language), so SQLite and PostgreSQL match on exactly the same terms; they differ only in how they
index and rank them (FTS5 bm25, PostgreSQL ts_rank_cd over a GIN-indexed tsvector).

A row has four columns of terms: the name (weight A), the body (B: alternate name, description,
eligibility), the context (C: organisation, taxonomy terms) and the **facets**: terms that say where,
for whom and how the service is given (`zzfm297`: serves Kuopio; `zzfa12`: fits a 12-year-old; see
lape.search.facets). Facets rank nothing; they let the full-text index do the filtering, so a search
with filters is one index query, not a join per filter.

A query is an `Expr`: a term, or ("and" | "or", [Expr, ...]), or ("name", [Expr]) for the name column
only. Terms are plain folded words, safe to quote.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "search_service_document"
# Facet terms begin with this (no word of the three languages does), e.g. zzfm297.
FACET_PREFIX = "zzf"

Expr: TypeAlias = "str | tuple[str, Sequence[Expr]]"
Restriction = list[uuid.UUID]  # only these services (e.g. those within a distance)


@dataclass(frozen=True)
class Document:
    """One service's analysed terms in one language, by weight: name (A), body (B), context (C); facets."""

    service_id: uuid.UUID
    lang: str
    name: str
    body: str
    context: str
    facets: str = ""


@dataclass(frozen=True)
class Row:
    """A matching document: its service, the database's score (higher is better) and its terms."""

    service_id: uuid.UUID
    score: float
    name: str
    body: str
    context: str
    facets: str


class SearchBackend(Protocol):
    """What the index needs from a database: create the tables, write rows, match, rank and count."""

    def create_sql(self) -> list[str]: ...

    def drop_sql(self) -> list[str]: ...

    def replace(self, service_ids: list[uuid.UUID], documents: list[Document]) -> None: ...

    def clear(self) -> None: ...

    def ranked(
        self,
        expr: Expr,
        lang: str,
        limit: int,
        *,
        window: int | None = None,
        restrict: Restriction | None = None,
        boosts: list[tuple[Expr, float]] | None = None,
    ) -> list[Row]:
        """The best `limit` matches; with `window`, ranking only the first `window` matches the index gives.

        `boosts` add a weight for each sub-expression matched (PostgreSQL's ts_rank_cd knows no word
        rarity; SQLite's bm25 does and ignores them).
        """
        ...

    def count(self, expr: Expr, lang: str, cap: int, *, restrict: Restriction | None = None) -> int:
        """How many documents match, counting no further than `cap`."""
        ...

    def vocabulary(self, lang: str) -> dict[str, int]: ...


def backend_for(connection: BaseDatabaseWrapper) -> SearchBackend:
    """The backend of the connection's database (SQLite or PostgreSQL)."""
    if connection.vendor == "sqlite":
        from lape.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend(connection)
    if connection.vendor == "postgresql":
        from lape.search.backends.postgresql import PostgreSQLBackend

        return PostgreSQLBackend(connection)
    raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")


def terms_of(expr: Expr) -> list[str]:
    """Every term in an expression."""
    if isinstance(expr, str):
        return [expr]
    return [term for part in expr[1] for term in terms_of(part)]
