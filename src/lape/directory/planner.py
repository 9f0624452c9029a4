"""Planner statistics: after a bulk write, tell the database what its tables now hold.

A query planner without statistics guesses, and guesses badly at scale: after the 50,000 services of
`lape demo --scale national` PostgreSQL read the places of a service set row by row (76 ms where an
index gives 1 ms) until autovacuum got round to analysing. Bulk writers call `refresh_statistics()`.
"""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> None:
    """ANALYZE the database (PostgreSQL: every table; SQLite: the statistics its planner reads)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
