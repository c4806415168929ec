"""``ApiToken`` moves from the registry to the accounts, keeping its table (``registry_apitoken``) and rows: only
Django's state changes (the registry's 0006 takes the model out of its own state), no SQL. The model's content type,
with its permissions, moves too."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="apitoken").exists():
        ContentType.objects.using(db).filter(app_label=old, model="apitoken").update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "registry", "accounts")


def backwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "accounts", "registry")


class Migration(migrations.Migration):

    initial = True

    dependencies = (
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0005_event_timezone_newsitem_is_example"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    )

    operations = (
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("prefix", models.CharField(max_length=8)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "API token",
                        "verbose_name_plural": "API tokens",
                        "db_table": "registry_apitoken",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    )
