"""The database refuses to change or delete access-log rows, on SQLite and on PostgreSQL.

The chain head may only move forward to a row that exists with that hash, and may not be deleted.
lape.access.appendonly.lifted() suspends these for a whole-database flush. A later migration that
rebuilds the log tables on SQLite (which drops their triggers) must create these again.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: its rows cannot be changed'); END
    """,
    """
    CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: its rows cannot be deleted'); END
    """,
    """
    CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_accessloghead
    BEGIN SELECT RAISE(ABORT, 'the access log head cannot be deleted'); END
    """,
    """
    CREATE TRIGGER access_log_head_forward BEFORE UPDATE ON access_accessloghead
    WHEN NEW.id <> OLD.id
      OR NEW.last_entry_id <= OLD.last_entry_id
      OR NOT EXISTS (
        SELECT 1 FROM access_accesslogentry WHERE id = NEW.last_entry_id AND hash = NEW.last_hash
      )
    BEGIN SELECT RAISE(ABORT, 'the access log head only moves forward to the row just appended'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_log_head_forward",
    "DROP TRIGGER IF EXISTS access_log_head_no_delete",
    "DROP TRIGGER IF EXISTS access_log_no_delete",
    "DROP TRIGGER IF EXISTS access_log_no_update",
]

POSTGRESQL = [
    """
    CREATE FUNCTION access_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the access log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE FUNCTION access_log_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id <> OLD.id
         OR NEW.last_entry_id <= OLD.last_entry_id
         OR NOT EXISTS (
           SELECT 1 FROM access_accesslogentry WHERE id = NEW.last_entry_id AND hash = NEW.last_hash
         ) THEN
        RAISE EXCEPTION 'the access log head only moves forward to the row just appended'
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_refuse()
    """,
    """
    CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse()
    """,
    """
    CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_accessloghead
    FOR EACH ROW EXECUTE FUNCTION access_log_refuse()
    """,
    """
    CREATE TRIGGER access_log_head_no_truncate BEFORE TRUNCATE ON access_accessloghead
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse()
    """,
    """
    CREATE TRIGGER access_log_head_forward BEFORE UPDATE ON access_accessloghead
    FOR EACH ROW EXECUTE FUNCTION access_log_head_forward()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS access_log_head_forward ON access_accessloghead",
    "DROP TRIGGER IF EXISTS access_log_head_no_truncate ON access_accessloghead",
    "DROP TRIGGER IF EXISTS access_log_head_no_delete ON access_accessloghead",
    "DROP TRIGGER IF EXISTS access_log_no_truncate ON access_accesslogentry",
    "DROP TRIGGER IF EXISTS access_log_no_change ON access_accesslogentry",
    "DROP FUNCTION IF EXISTS access_log_head_forward()",
    "DROP FUNCTION IF EXISTS access_log_refuse()",
]


class RunSQLOn(migrations.RunSQL):
    """RunSQL for one database vendor only; a no-op on the other."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Append-only triggers of the access log ({self.vendor})"


class Migration(migrations.Migration):
    dependencies = [("access", "0001_access_log")]

    operations = [
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
