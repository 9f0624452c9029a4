"""SQLite FTS5 backend: external-content FTS5 tables (one per language) over search_service_document.

The `unicode61` tokenizer with `remove_diacritics 0` keeps å, ä and ö apart from a, o (the analyser has
already folded other accents), and splits on the same characters as the analyser. Triggers keep the
FTS5 table in step with the document table, so a write is searchable in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from lape.search.backends import TABLE, Document

LANGUAGES = ("fi", "sv", "en")
# bm25 column weights: name, body (alternate name, description, eligibility), context (organisation, taxonomy).
WEIGHTS = "10.0, 3.0, 1.0"


def _fts(lang: str) -> str:
    """The FTS5 table of one language: each search reads only its own language's index."""
    if lang not in LANGUAGES:
        raise ValueError(f"Search indexes Finnish, Swedish and English (fi, sv, en), not {lang!r}.")
    return f"search_service_fts_{lang}"


class SQLiteBackend:
    """The service index in SQLite FTS5."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def create_sql(self) -> list[str]:
        """The document table, one FTS5 index per language and the triggers that keep them in step."""
        statements = [
            f"""CREATE TABLE {TABLE} (
                id INTEGER PRIMARY KEY,
                service_id char(32) NOT NULL,
                lang varchar(2) NOT NULL,
                name TEXT NOT NULL,
                body TEXT NOT NULL,
                context TEXT NOT NULL,
                UNIQUE (service_id, lang))"""
        ]
        for lang in LANGUAGES:
            fts = _fts(lang)
            statements += [
                f"""CREATE VIRTUAL TABLE {fts} USING fts5(
                    name, body, context, content='{TABLE}', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 0')""",
                # ORDER BY rank lets FTS5 sort inside the index, before any join.
                f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({WEIGHTS})')",  # noqa: S608
            ]
        inserts = "".join(
            f"INSERT INTO {_fts(lang)}(rowid, name, body, context) "
            f"SELECT new.id, new.name, new.body, new.context WHERE new.lang = '{lang}';\n"
            for lang in LANGUAGES
        )
        deletes = "".join(
            f"INSERT INTO {_fts(lang)}({_fts(lang)}, rowid, name, body, context) "
            f"SELECT 'delete', old.id, old.name, old.body, old.context WHERE old.lang = '{lang}';\n"
            for lang in LANGUAGES
        )
        statements += [
            f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN\n{inserts}END",
            f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN\n{deletes}END",
            f"CREATE TRIGGER {TABLE}_au AFTER UPDATE ON {TABLE} BEGIN\n{deletes}{inserts}END",
        ]
        return statements

    def drop_sql(self) -> list[str]:
        """Undo create_sql."""
        return [f"DROP TABLE IF EXISTS {_fts(lang)}" for lang in LANGUAGES] + [
            f"DROP TABLE IF EXISTS {TABLE}"
        ]

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
            for lang in LANGUAGES:
                cursor.execute(f"INSERT INTO {_fts(lang)}({_fts(lang)}) VALUES ('delete-all')")  # noqa: S608

    def match_sql(
        self,
        groups: list[tuple[str, ...]],
        lang: str,
        require_all: bool,
        weights: list[float] | None = None,
    ) -> tuple[str, list[Any]]:
        """The services matching the term groups in `lang`; the score is -bm25 (higher is better).

        bm25 weighs rare words itself, so `weights` are not needed here.
        """
        joiner = " AND " if require_all else " OR "
        match = joiner.join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)
        fts = _fts(lang)
        sql = (
            f"SELECT d.service_id AS service_id, -f.rank AS score FROM {fts} f "  # noqa: S608
            f"JOIN {TABLE} d ON d.id = f.rowid WHERE {fts} MATCH %s"
        )
        return sql, [match]

    def search(
        self, groups: list[tuple[str, ...]], lang: str, limit: int, require_all: bool
    ) -> list[tuple[uuid.UUID, float]]:
        """Services matching the term groups in `lang`, best first; the score is -bm25 (higher is better)."""
        joiner = " AND " if require_all else " OR "
        match = joiner.join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)
        fts = _fts(lang)
        sql = (
            f"SELECT d.service_id, f.rank FROM "  # noqa: S608
            f"(SELECT rowid, rank FROM {fts} WHERE {fts} MATCH %s ORDER BY rank LIMIT %s) f "
            f"JOIN {TABLE} d ON d.id = f.rowid ORDER BY f.rank, d.service_id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, limit])
            return [(uuid.UUID(service_id), -rank) for service_id, rank in cursor.fetchall()]

    def vocabulary(self, lang: str) -> dict[str, int]:
        """Every indexed term of `lang` with its document count, read from FTS5's own term index."""
        fts = _fts(lang)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_vocab USING fts5vocab(main, {fts}, 'row')"
            )
            cursor.execute(f"SELECT term, doc FROM temp.{fts}_vocab")  # noqa: S608
            return dict(cursor.fetchall())

    def to_uuid(self, value: object) -> uuid.UUID:
        """A service id as the database gives it (32 hexadecimal digits in SQLite)."""
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
