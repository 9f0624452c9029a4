"""PostgreSQL backend: a generated, weighted tsvector over search_service_document with a GIN index.

`to_tsvector('simple', …)` only lower-cases and splits the already analysed terms (no stemming, no
stop words), so PostgreSQL indexes the same terms as SQLite. Ranked by ts_rank_cd with the weights
A (name), B (alternate name, description, eligibility), C (organisation, taxonomy terms).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from lape.search.backends import TABLE, Document

# ts_rank_cd weights in the order {D, C, B, A}.
WEIGHTS = "{0.05, 0.1, 0.3, 1.0}"


class PostgreSQLBackend:
    """The service index in PostgreSQL full-text search."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def create_sql(self) -> list[str]:
        """The table with its generated tsvector and the GIN index."""
        return [
            f"""CREATE TABLE {TABLE} (
                id bigserial PRIMARY KEY,
                service_id uuid NOT NULL,
                lang varchar(2) NOT NULL,
                name text NOT NULL,
                body text NOT NULL,
                context text NOT NULL,
                document tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('simple', name), 'A')
                    || setweight(to_tsvector('simple', body), 'B')
                    || setweight(to_tsvector('simple', context), 'C')
                ) STORED,
                UNIQUE (service_id, lang))""",
            f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)",
        ]

    def drop_sql(self) -> list[str]:
        """Undo create_sql."""
        return [f"DROP TABLE IF EXISTS {TABLE}"]

    def replace(self, service_ids: list[uuid.UUID], documents: list[Document]) -> None:
        """Remove the services' rows and write their new documents."""
        with self.connection.cursor() as cursor:
            if service_ids:
                cursor.execute(f"DELETE FROM {TABLE} WHERE service_id = ANY(%s)", [service_ids])  # noqa: S608
            if documents:
                cursor.executemany(
                    f"INSERT INTO {TABLE} (service_id, lang, name, body, context) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                    [(d.service_id, d.lang, d.name, d.body, d.context) for d in documents],
                )

    def clear(self) -> None:
        """Empty the index."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def match_sql(
        self,
        groups: list[tuple[str, ...]],
        lang: str,
        require_all: bool,
        weights: list[float] | None = None,
    ) -> tuple[str, list[Any]]:
        """The services matching the term groups in `lang`, scored by ts_rank_cd.

        ts_rank_cd knows nothing of how rare a word is, so with `weights` (one a group, e.g. its
        inverse document frequency) each matched group adds its weight: a service matching the rare
        word of "stödfamilj för mitt barn" outranks one matching only the common "barn".
        """
        joiner = " & " if require_all else " | "
        alternatives = ["(" + " | ".join(f"'{term}'" for term in group) + ")" for group in groups]
        score = f"ts_rank_cd('{WEIGHTS}', document, q)"
        params: list[Any] = []
        if weights and len(weights) == len(groups):
            # Normalisation 32 maps the rank to rank/(rank+1), below 1: the words' rarity decides first.
            score = f"0.5 * ts_rank_cd('{WEIGHTS}', document, q, 32)"
            parts = [
                f"CASE WHEN document @@ to_tsquery('simple', %s) THEN {float(w)!r} ELSE 0 END"
                for w in weights
            ]
            score = " + ".join([score, *parts])
            params += alternatives
        sql = (
            f"SELECT service_id, {score} AS score "  # noqa: S608
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE lang = %s AND document @@ q"
        )
        return sql, [*params, joiner.join(alternatives), lang]

    def search(
        self, groups: list[tuple[str, ...]], lang: str, limit: int, require_all: bool
    ) -> list[tuple[uuid.UUID, float]]:
        """Services matching the term groups in `lang`, best first, scored by ts_rank_cd."""
        match, params = self.match_sql(groups, lang, require_all)
        with self.connection.cursor() as cursor:
            cursor.execute(f"{match} ORDER BY score DESC, service_id LIMIT %s", [*params, limit])
            return [(service_id, float(rank)) for service_id, rank in cursor.fetchall()]

    def vocabulary(self, lang: str) -> dict[str, int]:
        """Every indexed term of `lang` with its document count (ts_stat reads each row once)."""
        inner = f"SELECT document FROM {TABLE} WHERE lang = " + "'" + lang.replace("'", "") + "'"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [inner])
            return dict(cursor.fetchall())

    def to_uuid(self, value: object) -> uuid.UUID:
        """A service id as the database gives it (psycopg gives UUIDs)."""
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
