"""The service index: search_service_document and its full-text index (FTS5 or GIN), per database."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from lape.search.backends import backend_for


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in backend_for(schema_editor.connection).create_sql():
        schema_editor.execute(sql)


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in backend_for(schema_editor.connection).drop_sql():
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("directory", "0003_labels_for_links"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
