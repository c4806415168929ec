"""``ApiToken`` leaves the registry's state for the accounts app's (``accounts/migrations/0001_initial``): no SQL,
the table ``registry_apitoken`` and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = (
        ("accounts", "0001_initial"),
        ("registry", "0005_event_timezone_newsitem_is_example"),
    )

    operations = (
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    )
