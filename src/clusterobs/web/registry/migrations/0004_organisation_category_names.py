"""Partner search finds a profile by its categories' names (English and French): the stored ``category_names``
column, filled for the profiles already there, and the search indexes re-made to read it (SQLite's FTS5 table gets
a fifth column; PostgreSQL's trigger and vector take it with weight B)."""

from django.db import migrations, models

from clusterobs.web.registry import category_names, fts_postgres, fts_sqlite


def fill(apps, schema_editor):
    Organisation = apps.get_model("registry", "Organisation")
    for org in Organisation.objects.prefetch_related("categories"):
        Organisation.objects.filter(pk=org.pk).update(category_names=category_names.text(org.categories.all()))


def index_forwards(apps, schema_editor):
    fts_sqlite.reinstall(schema_editor.connection)
    fts_postgres.install(schema_editor.connection)


def index_backwards(apps, schema_editor):
    fts_sqlite.reinstall(schema_editor.connection, fts_sqlite.COLUMNS_0002)
    fts_postgres.install(schema_editor.connection, fts_postgres.WEIGHTS_0003)


class Migration(migrations.Migration):
    dependencies = (("registry", "0003_postgres_search_vector"),)
    operations = (
        migrations.AddField(
            model_name="organisation",
            name="category_names",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="category names"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_forwards, index_backwards),
    )
