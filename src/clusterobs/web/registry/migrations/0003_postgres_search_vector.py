"""The stored search vector of organisation profiles: the column on every database; on PostgreSQL only, the trigger
that fills it (existing rows included) and its GIN index (SQLite searches with the FTS5 index of 0002)."""

import django.contrib.postgres.search
from django.db import migrations

from clusterobs.web.registry import fts_postgres


class Migration(migrations.Migration):
    dependencies = (("registry", "0002_sqlite_fts"),)
    operations = (
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fts_postgres.migrate_forwards, fts_postgres.migrate_backwards),
    )
