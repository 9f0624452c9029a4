"""The database moves the chain head to each new access-log row itself (and creates it if missing).

So that an append is one INSERT (on PostgreSQL one statement and one round trip, see
lape.access.log), and the head can never disagree with the log it names.
"""

from django.db import migrations

GENESIS = "0" * 64

SQLITE = [
    f"""
    CREATE TRIGGER access_log_head_follows AFTER INSERT ON access_accesslogentry
    BEGIN
      INSERT OR IGNORE INTO access_accessloghead (id, last_entry_id, last_hash) VALUES (1, 0, '{GENESIS}');
      UPDATE access_accessloghead SET last_entry_id = NEW.id, last_hash = NEW.hash WHERE id = 1;
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS access_log_head_follows"]

POSTGRESQL = [
    f"""
    CREATE FUNCTION access_log_head_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO access_accessloghead (id, last_entry_id, last_hash) VALUES (1, 0, '{GENESIS}')
        ON CONFLICT (id) DO NOTHING;
      UPDATE access_accessloghead SET last_entry_id = NEW.id, last_hash = NEW.hash WHERE id = 1;
      RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER access_log_head_follows AFTER INSERT ON access_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_head_follows()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS access_log_head_follows ON access_accesslogentry",
    "DROP FUNCTION IF EXISTS access_log_head_follows()",
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
        return f"The access log's head follows each new row ({self.vendor})"


class Migration(migrations.Migration):
    dependencies = [("access", "0003_consent")]

    operations = [
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
