"""Plain SQL that every decision runs: on PostgreSQL as a prepared statement (the plan kept).

A decision's own queries (the covering consents and bans) are small, and planning them anew each
time costs about as much as running them; psycopg keeps the prepared plan per connection. On
Django's connection, so in Django's transaction if one is open, with its error classes and query log.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection


def fetch_all(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql` (placeholders `%s`) with `params`, as the database adapter gives them."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return rows
