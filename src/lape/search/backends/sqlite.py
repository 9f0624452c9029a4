"""SQLite FTS5 backend: an external-content FTS5 table over search_service_document, ranked by bm25.

The `unicode61` tokenizer with `remove_diacritics 0` keeps å, ä and ö apart from a, o (the analyser has
already folded other accents), and splits on the same characters as the analyser. Triggers keep the
FTS5 table in step with the document table, so a write is searchable in the same transaction.
"""

from __future__ import annotations

import uuid

from django.db.backends.base.base import BaseDatabaseWrapper

from lape.search.backends import TABLE, Document

FTS = "search_service_fts"
# bm25 column weights: name, body (alternate name, description, eligibility), context (organisation, taxonomy).
WEIGHTS = (10.0, 3.0, 1.0)


class SQLiteBackend:
    """The service index in SQLite FTS5."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def create_sql(self) -> list[str]:
        """The tables, the FTS5 index and the triggers that keep them in step."""
        return [
            f"""CREATE TABLE {TABLE} (
                id INTEGER PRIMARY KEY,
                service_id char(32) NOT NULL,
                lang varchar(2) NOT NULL,
                name TEXT NOT NULL,
                body TEXT NOT NULL,
                context TEXT NOT NULL,
                UNIQUE (service_id, lang))""",
            f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
                name, body, context, content='{TABLE}', content_rowid='id',
                tokenize='unicode61 remove_diacritics 0')""",
            f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
                INSERT INTO {FTS}(rowid, name, body, context) VALUES (new.id, new.name, new.body, new.context);
            END""",  # noqa: S608 - constant names
            f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
                INSERT INTO {FTS}({FTS}, rowid, name, body, context)
                VALUES ('delete', old.id, old.name, old.body, old.context);
            END""",  # noqa: S608 - constant names
            f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE ON {TABLE} BEGIN
                INSERT INTO {FTS}({FTS}, rowid, name, body, context)
                VALUES ('delete', old.id, old.name, old.body, old.context);
                INSERT INTO {FTS}(rowid, name, body, context) VALUES (new.id, new.name, new.body, new.context);
            END""",  # noqa: S608 - constant names
        ]

    def drop_sql(self) -> list[str]:
        """Undo create_sql."""
        return [f"DROP TABLE IF EXISTS {FTS}", f"DROP TABLE IF EXISTS {TABLE}"]

    def replace(self, service_ids: list[uuid.UUID], documents: list[Document]) -> None:
        """Remove the services' rows and write their new documents."""
        with self.connection.cursor() as cursor:
            if service_ids:
                placeholders = ", ".join(["%s"] * len(service_ids))
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE service_id IN ({placeholders})",  # noqa: S608
                    [service_id.hex for service_id in service_ids],
                )
            if documents:
                cursor.executemany(
                    f"INSERT INTO {TABLE} (service_id, lang, name, body, context) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                    [(d.service_id.hex, d.lang, d.name, d.body, d.context) for d in documents],
                )

    def clear(self) -> None:
        """Empty the index."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608

    def search(
        self, groups: list[tuple[str, ...]], lang: str, limit: int, require_all: bool
    ) -> list[tuple[uuid.UUID, float]]:
        """Services matching the term groups in `lang`, best first; the score is -bm25 (higher is better)."""
        joiner = " AND " if require_all else " OR "
        match = joiner.join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        sql = (
            f"SELECT d.service_id, bm25({FTS}, {weights}) AS rank "  # noqa: S608
            f"FROM {FTS} JOIN {TABLE} d ON d.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND d.lang = %s ORDER BY rank, d.service_id LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, lang, limit])
            return [(uuid.UUID(service_id), -rank) for service_id, rank in cursor.fetchall()]
