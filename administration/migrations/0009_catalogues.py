"""Editable catalogues (administration.catalogues), seeded with the codes the code lists had: the
same codes, so every stored record stays valid."""

import datetime

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import audit.context
from administration.catalogue_seed import SEED


def seed(apps, schema_editor):
    entry = apps.get_model("administration", "CatalogueEntry")
    for catalogue, code, label_es, label_en, order in SEED:
        entry.objects.get_or_create(
            catalogue=catalogue,
            code=code,
            defaults={
                "label_es": label_es,
                "label_en": label_en,
                "order": order,
                "valid_from": datetime.date(2011, 1, 1),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0007_rotation_handover"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "catalogue",
                    models.CharField(
                        choices=[
                            ("place_kind", "Kinds of place (complaints)"),
                            ("case_place_kind", "Kinds of place (case files)"),
                            ("diligence_type", "Kinds of diligencia"),
                            ("recruitment_method", "Recruitment methods"),
                            ("transport", "Means of transport"),
                            ("victim_outcome", "Results for victims"),
                        ],
                        max_length=32,
                        verbose_name="catalogue",
                    ),
                ),
                ("code", models.CharField(max_length=32, verbose_name="code")),
                ("label_es", models.CharField(max_length=120, verbose_name="label in Spanish")),
                ("label_en", models.CharField(max_length=120, verbose_name="label in English")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                ("active", models.BooleanField(default=True, verbose_name="offered in new forms")),
                ("valid_from", models.DateField(default=django.utils.timezone.localdate, verbose_name="valid from")),
            ],
            options={
                "verbose_name": "catalogue entry",
                "verbose_name_plural": "catalogue entries",
                "ordering": ["catalogue", "order", "code"],
                "base_manager_name": "objects",
                "constraints": [
                    models.UniqueConstraint(fields=("catalogue", "code"), name="catalogue_entry_unique_code")
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCatalogueEntry",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        default=audit.context.current_request_id,
                        editable=False,
                        max_length=32,
                        verbose_name="request id",
                    ),
                ),
                (
                    "catalogue",
                    models.CharField(
                        choices=[
                            ("place_kind", "Kinds of place (complaints)"),
                            ("case_place_kind", "Kinds of place (case files)"),
                            ("diligence_type", "Kinds of diligencia"),
                            ("recruitment_method", "Recruitment methods"),
                            ("transport", "Means of transport"),
                            ("victim_outcome", "Results for victims"),
                        ],
                        max_length=32,
                        verbose_name="catalogue",
                    ),
                ),
                ("code", models.CharField(max_length=32, verbose_name="code")),
                ("label_es", models.CharField(max_length=120, verbose_name="label in Spanish")),
                ("label_en", models.CharField(max_length=120, verbose_name="label in English")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                ("active", models.BooleanField(default=True, verbose_name="offered in new forms")),
                ("valid_from", models.DateField(default=django.utils.timezone.localdate, verbose_name="valid from")),
                ("history_change_reason", models.TextField(null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical catalogue entry",
                "verbose_name_plural": "historical catalogue entries",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
