"""The database's own refusal to change the access log, and the one way to lift it: a full reset.

Migration 0002 installs triggers that refuse UPDATE and DELETE on the log (and TRUNCATE on
PostgreSQL), and DELETE of the chain head. `lifted()` suspends them for a whole-database reset
(`flush`, which Django's test runner also uses between transactional tests) and for tests that
tamper with the log on purpose; nothing else in the code uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

PROTECTED_TABLES = ("access_accesslogentry", "access_accessloghead")


def trigger_names(connection: BaseDatabaseWrapper) -> list[str]:
    """The names of the triggers that protect the log, as the database has them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s) ORDER BY name",
                PROTECTED_TABLES,
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                "WHERE relname IN (%s, %s) AND NOT tgisinternal ORDER BY tgname",
                PROTECTED_TABLES,
            )
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Suspend the log's triggers inside the block; they are back afterwards, even on error."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in PROTECTED_TABLES:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for table in PROTECTED_TABLES:
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ENABLE TRIGGER USER")
        return
    # SQLite cannot disable a trigger: keep its definition, drop it, and create it again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
            PROTECTED_TABLES,
        )
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in saved:
                cursor.execute(sql)
