"""PostgreSQL backend: a generated, weighted tsvector over search_service_document with a GIN index.

`to_tsvector('simple', …)` only lower-cases and splits the already analysed terms (no stemming, no
stop words), so PostgreSQL indexes the same terms as SQLite. Ranked by ts_rank_cd with the weights
A (name), B (alternate name, description, eligibility), C (organisation, taxonomy terms).
"""

from __future__ import annotations

import uuid

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

    def search(
        self, groups: list[tuple[str, ...]], lang: str, limit: int, require_all: bool
    ) -> list[tuple[uuid.UUID, float]]:
        """Services matching the term groups in `lang`, best first, scored by ts_rank_cd."""
        joiner = " & " if require_all else " | "
        query = joiner.join("(" + " | ".join(f"'{term}'" for term in group) + ")" for group in groups)
        sql = (
            f"SELECT service_id, ts_rank_cd('{WEIGHTS}', document, q) AS rank "  # noqa: S608
            f"FROM {TABLE}, to_tsquery('simple', %s) q "
            "WHERE lang = %s AND document @@ q ORDER BY rank DESC, service_id LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [query, lang, limit])
            return [(service_id, float(rank)) for service_id, rank in cursor.fetchall()]
