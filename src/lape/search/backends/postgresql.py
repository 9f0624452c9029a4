"""PostgreSQL backend: a generated, weighted tsvector over search_service_document with a GIN index.

`to_tsvector('simple', …)` only lower-cases and splits the already analysed terms (no stemming, no
stop words), so PostgreSQL indexes the same terms as SQLite. Ranked by ts_rank_cd with the weights
A (name) 1.0, B (alternate name, description, eligibility) 0.3, C (organisation, taxonomy terms) 0.1
and D (facets) 0: facets only filter.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from lape.search.backends import FACET_PREFIX, TABLE, Document, Expr, Restriction, Row

LANGUAGES = ("fi", "sv", "en")
# ts_rank_cd weights in the order {D, C, B, A}.
WEIGHTS = "{0.0, 0.1, 0.3, 1.0}"


def render(expr: Expr) -> str:
    """An expression as a tsquery ("name" parts as plain AND: see `_split` for where they match)."""
    if isinstance(expr, str):
        return f"'{expr}'"
    operator, parts = expr
    joiner = " | " if operator == "or" else " & "
    return "(" + joiner.join(render(part) for part in parts) + ")"


def _split(expr: Expr) -> tuple[Expr | None, Expr | None]:
    """A top-level AND's "name" parts (matched in `name_vector`) apart from the rest (in `document`).

    The name's own GIN index finds "the words in the name" at once; `document @@ 'word':A` would have
    to read every row that has the word anywhere to check its weight.
    """
    if isinstance(expr, tuple) and expr[0] == "and":
        names = [
            inner for part in expr[1] if isinstance(part, tuple) and part[0] == "name" for inner in part[1]
        ]
        rest = [part for part in expr[1] if not (isinstance(part, tuple) and part[0] == "name")]
        if names:
            return (("and", rest) if rest else None), ("and", names)
    if isinstance(expr, tuple) and expr[0] == "name":
        return None, ("and", list(expr[1]))
    return expr, None


class PostgreSQLBackend:
    """The service index in PostgreSQL full-text search."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def create_sql(self) -> list[str]:
        """The table, partitioned by language, with its generated tsvector and a GIN index a language.

        A search reads one language; with a partition each, it touches only that language's pages
        (rows of one service's three languages would otherwise share pages: three times the reading).
        """
        statements = [
            f"""CREATE TABLE {TABLE} (
                id bigserial,
                service_id uuid NOT NULL,
                lang varchar(2) NOT NULL,
                name text NOT NULL,
                body text NOT NULL,
                context text NOT NULL,
                facets text NOT NULL DEFAULT '',
                document tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('simple', name), 'A')
                    || setweight(to_tsvector('simple', body), 'B')
                    || setweight(to_tsvector('simple', context), 'C')
                    || setweight(to_tsvector('simple', facets), 'D')
                ) STORED,
                name_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED,
                PRIMARY KEY (lang, id),
                UNIQUE (service_id, lang)) PARTITION BY LIST (lang)""",
        ]
        for lang in LANGUAGES:
            statements += [
                f"CREATE TABLE {TABLE}_{lang} PARTITION OF {TABLE} FOR VALUES IN ('{lang}')",
                f"CREATE INDEX {TABLE}_{lang}_document ON {TABLE}_{lang} USING gin (document)",
                f"CREATE INDEX {TABLE}_{lang}_name ON {TABLE}_{lang} USING gin (name_vector)",
            ]
        return statements

    def drop_sql(self) -> list[str]:
        """Undo create_sql."""
        return [f"DROP TABLE IF EXISTS {TABLE} CASCADE"]

    def replace(self, service_ids: list[uuid.UUID], documents: list[Document]) -> None:
        """Remove the services' rows and write their new documents."""
        with self.connection.cursor() as cursor:
            if service_ids:
                cursor.execute(f"DELETE FROM {TABLE} WHERE service_id = ANY(%s)", [service_ids])  # noqa: S608
            if documents:
                cursor.executemany(
                    f"INSERT INTO {TABLE} (service_id, lang, name, body, context, facets) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(d.service_id, d.lang, d.name, d.body, d.context, d.facets) for d in documents],
                )

    def clear(self) -> None:
        """Empty the index."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def _where(self, expr: Expr, lang: str, restrict: Restriction | None) -> tuple[str, list[Any]]:
        """The WHERE clause of a match (the name's parts against `name_vector`, the rest `document`)."""
        in_document, in_name = _split(expr)
        sql = "lang = %s"
        params: list[Any] = [lang]
        if in_document is not None:
            sql += " AND document @@ to_tsquery('simple', %s)"
            params.append(render(in_document))
        if in_name is not None:
            sql += " AND name_vector @@ to_tsquery('simple', %s)"
            params.append(render(in_name))
        if restrict is not None:
            sql += " AND service_id = ANY(%s)"
            params.append(list(restrict))
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
        """The best matches by ts_rank_cd, plus each matched boost's weight (word rarity)."""
        score = f"ts_rank_cd('{WEIGHTS}', document, q)"
        params: list[Any] = []
        if boosts:
            # Normalisation 32 maps the rank to rank/(rank+1), below 1, so that rarity decides first.
            score = f"0.5 * ts_rank_cd('{WEIGHTS}', document, q, 32)"
            for boost, weight in boosts:
                score += (
                    f" + CASE WHEN document @@ to_tsquery('simple', %s) THEN {float(weight)!r} ELSE 0 END"
                )
                params.append(render(boost))
        where, where_params = self._where(expr, lang, restrict)
        cut = " LIMIT %s" if window is not None else ""
        sql = (
            f"SELECT service_id, score, name, body, context, facets FROM ("  # noqa: S608
            f"SELECT service_id, name, body, context, facets, {score} AS score "
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE {where}{cut}) m "
            "ORDER BY score DESC, service_id LIMIT %s"
        )
        params += [render(expr), *where_params, *([window] if window is not None else []), limit]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Row(service_id, float(score), name, body, context, facets)
                for service_id, score, name, body, context, facets in cursor.fetchall()
            ]

    def count(self, expr: Expr, lang: str, cap: int, *, restrict: Restriction | None = None) -> int:
        """How many match, up to `cap`."""
        where, params = self._where(expr, lang, restrict)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} LIMIT %s) m"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, cap])
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def vocabulary(self, lang: str) -> dict[str, int]:
        """Every indexed term of `lang` with its document count (ts_stat reads each row once)."""
        inner = f"SELECT document FROM {TABLE} WHERE lang = " + "'" + lang.replace("'", "") + "'"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [inner])
            return {word: count for word, count in cursor.fetchall() if not word.startswith(FACET_PREFIX)}
