"""SQLite FTS5 backend: external-content FTS5 tables (one per language) over search_service_document.

The `unicode61` tokenizer with `remove_diacritics 0` keeps å, ä and ö apart from a, o (the analyser has
already folded other accents), and splits on the same characters as the analyser. Triggers keep the
FTS5 table in step with the document table, so a write is searchable in the same transaction.
bm25 weighs the columns name 10, body 3, context 1 and facets 0 (facets only filter).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from lape.search.backends import FACET_PREFIX, TABLE, Document, Expr, Restriction, Row

LANGUAGES = ("fi", "sv", "en")
COLUMNS = ("name", "body", "context", "facets")
WEIGHTS = "10.0, 3.0, 1.0, 0.0"


def _fts(lang: str) -> str:
    """The FTS5 table of one language: each search reads only its own language's index."""
    if lang not in LANGUAGES:
        raise ValueError(f"Search indexes Finnish, Swedish and English (fi, sv, en), not {lang!r}.")
    return f"search_service_fts_{lang}"


def render(expr: Expr) -> str:
    """An expression in FTS5's query syntax."""
    if isinstance(expr, str):
        return f'"{expr}"'
    operator, parts = expr
    if operator == "name":
        return "name : " + render(("and", parts))
    joiner = " AND " if operator == "and" else " OR "
    return "(" + joiner.join(render(part) for part in parts) + ")"


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
                facets TEXT NOT NULL DEFAULT '',
                UNIQUE (service_id, lang))"""
        ]
        columns = ", ".join(COLUMNS)
        new = ", ".join(f"new.{c}" for c in COLUMNS)
        old = ", ".join(f"old.{c}" for c in COLUMNS)
        for lang in LANGUAGES:
            fts = _fts(lang)
            statements += [
                f"""CREATE VIRTUAL TABLE {fts} USING fts5(
                    {columns}, content='{TABLE}', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 0')""",
                f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({WEIGHTS})')",  # noqa: S608
            ]
        inserts = "".join(
            f"INSERT INTO {_fts(lang)}(rowid, {columns}) SELECT new.id, {new} WHERE new.lang = '{lang}';\n"
            for lang in LANGUAGES
        )
        deletes = "".join(
            f"INSERT INTO {_fts(lang)}({_fts(lang)}, rowid, {columns}) "
            f"SELECT 'delete', old.id, {old} WHERE old.lang = '{lang}';\n"
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
                    f"INSERT INTO {TABLE} (service_id, lang, name, body, context, facets) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(d.service_id.hex, d.lang, d.name, d.body, d.context, d.facets) for d in documents],
                )

    def clear(self) -> None:
        """Empty the index."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            for lang in LANGUAGES:
                cursor.execute(f"INSERT INTO {_fts(lang)}({_fts(lang)}) VALUES ('delete-all')")  # noqa: S608

    def _matching(self, expr: Expr, lang: str, restrict: Restriction | None) -> tuple[str, list[Any]]:
        fts = _fts(lang)
        sql = f"SELECT rowid, rank FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
        params: list[Any] = [render(expr)]
        if restrict is not None:
            # "+rowid": not a constraint FTS5 would take, which would run the MATCH once per listed row.
            # The ids go as one JSON array: there may be more than SQLite's limit of parameters.
            sql += f" AND +rowid IN (SELECT id FROM {TABLE} WHERE service_id IN (SELECT value FROM json_each(%s)))"  # noqa: S608
            params.append(json.dumps([service_id.hex for service_id in restrict]))
        return sql, params

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
        """The best matches by bm25 (score -bm25, higher is better); `boosts` are not needed here."""
        matching, params = self._matching(expr, lang, restrict)
        if window is not None:
            # rank is computed for each of the first `window` matches only, then sorted.
            inner = f"SELECT rowid, rank FROM ({matching} LIMIT %s) ORDER BY rank LIMIT %s"  # noqa: S608
            params += [window, limit]
        else:
            inner = f"{matching} ORDER BY rank LIMIT %s"
            params += [limit]
        sql = (
            f"SELECT d.service_id, f.rank, d.name, d.body, d.context, d.facets "  # noqa: S608
            f"FROM ({inner}) f JOIN {TABLE} d ON d.id = f.rowid ORDER BY f.rank, d.service_id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Row(uuid.UUID(service_id), -rank, name, body, context, facets)
                for service_id, rank, name, body, context, facets in cursor.fetchall()
            ]

    def count(self, expr: Expr, lang: str, cap: int, *, restrict: Restriction | None = None) -> int:
        """How many match, up to `cap`."""
        matching, params = self._matching(expr, lang, restrict)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({matching} LIMIT %s)", [*params, cap])  # noqa: S608
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def vocabulary(self, lang: str) -> dict[str, int]:
        """Every indexed term of `lang` with its document count, read from FTS5's own term index."""
        fts = _fts(lang)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_vocab USING fts5vocab(main, {fts}, 'row')"
            )
            cursor.execute(f"SELECT term, doc FROM temp.{fts}_vocab")  # noqa: S608
            return {term: count for term, count in cursor.fetchall() if not term.startswith(FACET_PREFIX)}
