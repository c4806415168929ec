"""SQLite only: the FTS5 index of organisation profiles and its triggers (PostgreSQL searches with tsvector)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from clusterobs.web.registry import fts_sqlite

    fts_sqlite.install(schema_editor.connection, fts_sqlite.COLUMNS_0002)


def backwards(apps, schema_editor):
    from clusterobs.web.registry import fts_sqlite

    fts_sqlite.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = (("registry", "0001_initial"),)
    operations = (migrations.RunPython(forwards, backwards),)
