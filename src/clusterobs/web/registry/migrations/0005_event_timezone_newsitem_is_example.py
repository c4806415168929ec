"""Events get the time zone their times are given and shown in: the events already there were entered as UTC (the
site's zone), so they keep "UTC" and show the same instants as before; new events default to Europe/Brussels.
News items can be fictitious examples, as the other records (``clusterobs registry load-examples``)."""

from django.db import migrations, models

import clusterobs.web.registry.validators


def _field(default: str) -> models.CharField:
    return models.CharField(default=default, help_text="The start and end are local times in this zone.",
                            max_length=64, validators=[clusterobs.web.registry.validators.validate_timezone],
                            verbose_name="time zone")


class Migration(migrations.Migration):
    dependencies = (("registry", "0004_organisation_category_names"),)
    operations = (
        migrations.AddField(model_name="event", name="timezone", field=_field("UTC")),  # the rows already there
        migrations.AlterField(model_name="event", name="timezone", field=_field("Europe/Brussels")),
        migrations.AddField(model_name="newsitem", name="is_example",
                            field=models.BooleanField(default=False, editable=False)),
    )
