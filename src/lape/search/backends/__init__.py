"""Full-text backends for the service index, one per database, behind one small interface.

Both store the same pre-analysed term strings in `search_service_document` (one row per service and
language), so SQLite and PostgreSQL match on exactly the same terms; they differ only in how they
index and rank them (FTS5 bm25, PostgreSQL ts_rank_cd over a GIN-indexed tsvector).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "search_service_document"


@dataclass(frozen=True)
class Document:
    """One service's analysed terms in one language, by weight: name (A), body (B), context (C)."""

    service_id: uuid.UUID
    lang: str
    name: str
    body: str
    context: str


class SearchBackend(Protocol):
    """What the index needs from a database: create the tables, write rows, search them.

    `match_sql` is the SQL of the matching services, columns `service_id` and `score` (higher is
    better), for the query module to restrict, count and rank; `vocabulary` is each indexed term of a
    language with the number of services that have it (for typo correction and rarity).
    """

    def create_sql(self) -> list[str]: ...

    def drop_sql(self) -> list[str]: ...

    def replace(self, service_ids: list[uuid.UUID], documents: list[Document]) -> None: ...

    def clear(self) -> None: ...

    def search(
        self, groups: list[tuple[str, ...]], lang: str, limit: int, require_all: bool
    ) -> list[tuple[uuid.UUID, float]]: ...

    def match_sql(
        self,
        groups: list[tuple[str, ...]],
        lang: str,
        require_all: bool,
        weights: list[float] | None = None,
    ) -> tuple[str, list[Any]]: ...

    def vocabulary(self, lang: str) -> dict[str, int]: ...

    def to_uuid(self, value: object) -> uuid.UUID: ...


def backend_for(connection: BaseDatabaseWrapper) -> SearchBackend:
    """The backend of the connection's database (SQLite or PostgreSQL)."""
    if connection.vendor == "sqlite":
        from lape.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend(connection)
    if connection.vendor == "postgresql":
        from lape.search.backends.postgresql import PostgreSQLBackend

        return PostgreSQLBackend(connection)
    raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")
