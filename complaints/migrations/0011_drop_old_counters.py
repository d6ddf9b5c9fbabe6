"""The complaint and document counters now live in administration.UnitCounter (one table per
unit, year and series: administration.numbering); administration/0004 copied their rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_identities_of_registered_people"),
        ("administration", "0004_unit_counter"),  # the rows are copied before the tables go
    ]

    operations = [
        migrations.DeleteModel(name="ComplaintCounter"),
        migrations.DeleteModel(name="DocumentCounter"),
    ]
