"""One table of counters per unit, year and series (administration.numbering), replacing
complaints.ComplaintCounter and complaints.DocumentCounter: their rows are copied here (series
"complaint" and "document"), then complaints/0008 drops the old tables. Reversible: going back
copies the rows to the old tables (recreated by reversing complaints/0008 first)."""

import django.db.models.deletion
from django.db import migrations, models

# (old model in the complaints app, series in UnitCounter)
OLD_COUNTERS = (("ComplaintCounter", "complaint"), ("DocumentCounter", "document"))


def copy_counters(apps, schema_editor):  # noqa: ANN001, ANN201
    UnitCounter = apps.get_model("administration", "UnitCounter")
    for model_name, series in OLD_COUNTERS:
        old = apps.get_model("complaints", model_name)
        UnitCounter.objects.bulk_create(
            [
                UnitCounter(unit_id=unit_id, year=year, series=series, last_number=last_number)
                for unit_id, year, last_number in old.objects.order_by("pk").values_list(
                    "unit_id", "year", "last_number"
                )
            ],
            batch_size=500,
        )


def copy_counters_back(apps, schema_editor):  # noqa: ANN001, ANN201
    UnitCounter = apps.get_model("administration", "UnitCounter")
    for model_name, series in OLD_COUNTERS:
        old = apps.get_model("complaints", model_name)
        old.objects.bulk_create(
            [
                old(unit_id=unit_id, year=year, last_number=last_number)
                for unit_id, year, last_number in UnitCounter.objects.filter(series=series)
                .order_by("pk")
                .values_list("unit_id", "year", "last_number")
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0003_history_request_id"),
        ("complaints", "0004_preliminary_investigation"),  # DocumentCounter
    ]

    operations = [
        migrations.CreateModel(
            name="UnitCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "series",
                    models.CharField(
                        choices=[
                            ("complaint", "complaint"),
                            ("document", "generated document"),
                            ("case_file", "case file"),
                        ],
                        max_length=16,
                        verbose_name="series",
                    ),
                ),
                ("last_number", models.PositiveIntegerField(default=0, verbose_name="last number")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="counters",
                        to="administration.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "counter of numbers",
                "verbose_name_plural": "counters of numbers",
                "constraints": [
                    models.UniqueConstraint(fields=("unit", "year", "series"), name="unit_counter_unit_year_series")
                ],
            },
        ),
        migrations.RunPython(copy_counters, copy_counters_back),
    ]
