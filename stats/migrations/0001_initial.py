# The statistics read model, moved out of complaints (RETA issue 8). Its tables were created by
# complaints 0003, 0005 and 0006; complaints 0008 removed the models from complaints' state without
# touching the database. Here stats takes them over in its state exactly as they were (same
# columns, same index names, on the old tables), then renames the tables complaints_stat* ->
# stats_stat* (RENAME TABLE: no row is copied; the index names are explicit and do not change).
# From an empty database the same steps run: complaints creates the tables, stats renames them.

import django.db.models.deletion
from django.db import migrations, models

import stats.models

PERSON_COUNTERS = (
    "suspects_identified_m",
    "suspects_identified_f",
    "suspects_identified_x",
    "suspects_unidentified_m",
    "suspects_unidentified_f",
    "suspects_unidentified_x",
    "victims_adult_m",
    "victims_adult_f",
    "victims_adult_x",
    "victims_minor_m",
    "victims_minor_f",
    "victims_minor_x",
    "victims_unknown",
)


def facts():
    return [
        ("year", models.PositiveSmallIntegerField(verbose_name="year of registration")),
        ("month", stats.models.StatCodeField(verbose_name="month of registration")),
        ("department", stats.models.StatCodeField(verbose_name="department of the facts")),
        ("origin", stats.models.StatCodeField(verbose_name="origin")),
        ("outcome", stats.models.StatCodeField(verbose_name="outcome")),
        ("place_kind", stats.models.StatCodeField(verbose_name="kind of place")),
        ("categories", stats.models.StatCodeField(verbose_name="purpose categories")),
        ("conducts", stats.models.StatCodeField(verbose_name="conducts")),
        ("means", models.PositiveSmallIntegerField(verbose_name="means")),
        ("victim_sexes", stats.models.StatCodeField(verbose_name="sexes of the victims")),
        ("victim_ages", stats.models.StatCodeField(verbose_name="age bands of the victims")),
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
            to="stats.statcomplaint",
        ),
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("administration", "0001_initial"),
        ("complaints", "0008_statistics_moved_to_stats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
                        *((name, stats.models.StatCodeField(default=0)) for name in PERSON_COUNTERS),
                    ],
                    options={
                        "verbose_name": "statistics row of a complaint",
                        "verbose_name_plural": "statistics rows of complaints",
                        "db_table": "complaints_statcomplaint",
                        "indexes": [
                            models.Index(
                                fields=["year", "registering_unit", "outcome", "department"],
                                name="stat_complaint_year_unit",
                            ),
                            models.Index(
                                fields=["year", "categories", "registering_unit"],
                                name="stat_complaint_year_categories",
                            ),
                            models.Index(fields=["year", *PERSON_COUNTERS], name="stat_complaint_year_persons"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StatVictim",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        *facts(),
                        record("victims"),
                        ("sex", stats.models.StatCodeField(verbose_name="sex")),
                        ("age_band", stats.models.StatCodeField(verbose_name="age band")),
                        ("minor", models.BooleanField(null=True, verbose_name="minor")),
                        ("nationality", stats.models.StatCodeField(verbose_name="nationality")),
                    ],
                    options={
                        "verbose_name": "statistics row of a victim",
                        "verbose_name_plural": "statistics rows of victims",
                        "db_table": "complaints_statvictim",
                        "indexes": [
                            models.Index(
                                fields=["year", "sex", "minor", "age_band", "registering_unit"],
                                name="stat_victim_year_sex",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StatSuspect",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        *facts(),
                        record("suspects"),
                        ("sex", stats.models.StatCodeField(verbose_name="sex")),
                        ("identified", models.BooleanField(verbose_name="identified")),
                    ],
                    options={
                        "verbose_name": "statistics row of an alleged trafficker",
                        "verbose_name_plural": "statistics rows of alleged traffickers",
                        "db_table": "complaints_statsuspect",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="StatComplaint", table=None),
        migrations.AlterModelTable(name="StatVictim", table=None),
        migrations.AlterModelTable(name="StatSuspect", table=None),
    ]
