"""CatalogueEntry.valid_from is dropped (and from its history): nothing read it. Whether a form
offers an entry is its `active` flag alone; the day an entry was added is in its history
(history_date) and the audit trail."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0012_catalogue_stat_codes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="catalogueentry",
            name="valid_from",
        ),
        migrations.RemoveField(
            model_name="historicalcatalogueentry",
            name="valid_from",
        ),
    ]
