# The statistics read model of 0003, made compact for a million complaints (issue 5): one-byte
# codes and bitmasks instead of strings and an element table, so every statistic is one scan of
# one narrow table. The rows are derived data: the old tables are dropped and the new ones created
# empty; a database that already holds complaints is refilled with `manage.py statistics --rebuild`
# (the warning below says so).

import django.db.models.deletion
from django.db import migrations, models

import complaints.migrations._historical


def facts():
    return [
        ("year", models.PositiveSmallIntegerField(verbose_name="year of registration")),
        ("month", complaints.migrations._historical.StatCodeField(verbose_name="month of registration")),
        ("department", complaints.migrations._historical.StatCodeField(verbose_name="department of the facts")),
        ("origin", complaints.migrations._historical.StatCodeField(verbose_name="origin")),
        ("outcome", complaints.migrations._historical.StatCodeField(verbose_name="outcome")),
        ("place_kind", complaints.migrations._historical.StatCodeField(verbose_name="kind of place")),
        ("categories", complaints.migrations._historical.StatCodeField(verbose_name="purpose categories")),
        ("conducts", complaints.migrations._historical.StatCodeField(verbose_name="conducts")),
        ("means", models.PositiveSmallIntegerField(verbose_name="means")),
        ("victim_sexes", complaints.migrations._historical.StatCodeField(verbose_name="sexes of the victims")),
        ("victim_ages", complaints.migrations._historical.StatCodeField(verbose_name="age bands of the victims")),
        ("victim_nationalities", models.PositiveSmallIntegerField(verbose_name="nationalities of the victims")),
        (
            "registering_unit",
            models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="administration.unit",
            ),
        ),
    ]


def record(related_name):
    return (
        "record",
        models.ForeignKey(
            db_column="complaint_id",
            on_delete=django.db.models.deletion.CASCADE,
            related_name=related_name,
            to="complaints.statcomplaint",
        ),
    )


def warn_when_complaints_exist(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    if Complaint.objects.using(schema_editor.connection.alias).filter(status="submitted").exists():
        print(
            "\n  The statistics read model was rebuilt empty: run `python manage.py statistics --rebuild`"
            " to fill it from the registered complaints."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0001_initial"),
        ("complaints", "0004_preliminary_investigation"),
    ]

    operations = [
        migrations.DeleteModel(name="StatElement"),
        migrations.DeleteModel(name="StatPerson"),
        migrations.DeleteModel(name="StatComplaint"),
        migrations.CreateModel(
            name="StatComplaint",
            fields=[
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stat",
                        serialize=False,
                        to="complaints.complaint",
                    ),
                ),
                *facts(),
            ],
            options={
                "verbose_name": "statistics row of a complaint",
                "verbose_name_plural": "statistics rows of complaints",
                "indexes": [
                    models.Index(
                        fields=["year", "registering_unit", "outcome", "department"], name="stat_complaint_year_unit"
                    ),
                    models.Index(
                        fields=["year", "categories", "registering_unit"], name="stat_complaint_year_categories"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="StatVictim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *facts(),
                record("victims"),
                ("sex", complaints.migrations._historical.StatCodeField(verbose_name="sex")),
                ("age_band", complaints.migrations._historical.StatCodeField(verbose_name="age band")),
                ("minor", models.BooleanField(null=True, verbose_name="minor")),
                ("nationality", complaints.migrations._historical.StatCodeField(verbose_name="nationality")),
            ],
            options={
                "verbose_name": "statistics row of a victim",
                "verbose_name_plural": "statistics rows of victims",
                "indexes": [
                    models.Index(
                        fields=["year", "sex", "minor", "age_band", "registering_unit"], name="stat_victim_year_sex"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="StatSuspect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                *facts(),
                record("suspects"),
                ("sex", complaints.migrations._historical.StatCodeField(verbose_name="sex")),
                ("identified", models.BooleanField(verbose_name="identified")),
            ],
            options={
                "verbose_name": "statistics row of an alleged trafficker",
                "verbose_name_plural": "statistics rows of alleged traffickers",
                "indexes": [
                    models.Index(
                        fields=["year", "sex", "identified", "registering_unit"], name="stat_suspect_year_sex"
                    ),
                ],
            },
        ),
        migrations.RunPython(warn_when_complaints_exist, migrations.RunPython.noop),
    ]
