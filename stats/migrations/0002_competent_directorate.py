# One meaning of "my complaints" (RETA issue 8): the statistics count the complaints the complaint
# list shows, those whose registering unit OR competent directorate (the directorate of the
# department of the facts) lies in the user's scope. Every row of the read model gets the
# complaint's competent directorate, filled here from the complaints (one UPDATE per table), and
# the covering indexes that serve scoped reads hold it (rebuilt after the fill).

import django.db.models.deletion
from django.db import migrations, models


def fill_competent_directorate(apps, schema_editor):
    connection = schema_editor.connection
    complaints = apps.get_model("complaints", "Complaint")._meta.db_table
    quote = connection.ops.quote_name
    for name in ("StatComplaint", "StatVictim", "StatSuspect"):
        table = quote(apps.get_model("stats", name)._meta.db_table)
        if connection.vendor == "mysql":
            sql = (
                f"UPDATE {table} s JOIN {quote(complaints)} c ON c.id = s.complaint_id "  # noqa: S608
                "SET s.competent_directorate_id = c.competent_directorate_id"
            )
        else:
            sql = (
                f"UPDATE {table} SET competent_directorate_id = (SELECT c.competent_directorate_id "  # noqa: S608
                f"FROM {quote(complaints)} c WHERE c.id = {table}.complaint_id)"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql)


def directorate():
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="administration.unit",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0001_initial"),
        ("complaints", "0008_statistics_moved_to_stats"),
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="statcomplaint", name="stat_complaint_year_unit"),
        migrations.RemoveIndex(model_name="statcomplaint", name="stat_complaint_year_categories"),
        migrations.RemoveIndex(model_name="statvictim", name="stat_victim_year_sex"),
        migrations.AddField(model_name="statcomplaint", name="competent_directorate", field=directorate()),
        migrations.AddField(model_name="statvictim", name="competent_directorate", field=directorate()),
        migrations.AddField(model_name="statsuspect", name="competent_directorate", field=directorate()),
        migrations.RunPython(fill_competent_directorate, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="statcomplaint",
            index=models.Index(
                fields=["year", "registering_unit", "outcome", "department", "competent_directorate"],
                name="stat_complaint_year_unit",
            ),
        ),
        migrations.AddIndex(
            model_name="statcomplaint",
            index=models.Index(
                fields=["year", "categories", "registering_unit", "competent_directorate"],
                name="stat_complaint_year_categories",
            ),
        ),
        migrations.AddIndex(
            model_name="statvictim",
            index=models.Index(
                fields=["year", "sex", "minor", "age_band", "registering_unit", "competent_directorate"],
                name="stat_victim_year_sex",
            ),
        ),
    ]
