"""The service index gets a facets column (the filters' terms) and holds only active services: rebuilt."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from lape.search.backends import backend_for


def recreate_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    backend = backend_for(schema_editor.connection)
    for sql in [*backend.drop_sql(), *backend.create_sql()]:
        schema_editor.execute(sql)
    # The index is derived data: write it again from the directory as it is now.
    from lape.search.index import rebuild_index

    rebuild_index()


class Migration(migrations.Migration):
    # rebuild_index reads the directory as the models are now: after its latest migration.
    dependencies = [("search", "0002_service_index"), ("directory", "0003_labels_for_links"), ("areas", "0002_labels_for_links")]

    operations = [migrations.RunPython(recreate_index, migrations.RunPython.noop)]
