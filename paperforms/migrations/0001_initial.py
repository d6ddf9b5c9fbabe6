"""The paper forms move from `administration` to their own app, by state only: the tables keep
their names (`administration_paperformbatch`, `administration_paperformserial` and the historical
tables; see paperforms/models.py), so nothing is copied and the database is not touched.
administration/0005 removes the models from the state of `administration`. The content types are
renamed too, so that anything pointing at them (permissions) follows the models."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("paperformbatch", "historicalpaperformbatch", "paperformserial", "historicalpaperformserial")


def move_content_types(apps, schema_editor, old="administration", new="paperforms"):  # noqa: ANN001, ANN201
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):  # noqa: ANN001, ANN201
    move_content_types(apps, schema_editor, old="paperforms", new="administration")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("administration", "0002_paper_forms"),  # created the tables
        ("complaints", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPaperFormBatch',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('first_serial', models.CharField(max_length=20, verbose_name='first serial')),
                        ('last_serial', models.CharField(max_length=20, verbose_name='last serial')),
                        ('count', models.PositiveIntegerField(verbose_name='number of forms')),
                        ('issued_by_name', models.CharField(blank=True, max_length=150, verbose_name='issued by (name)')),
                        ('issued_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='issued')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issued_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='issued to')),
                    ],
                    options={
                        'verbose_name': 'historical batch of paper forms',
                        'verbose_name_plural': 'historical batches of paper forms',
                        'db_table': 'administration_historicalpaperformbatch',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PaperFormBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('first_serial', models.CharField(max_length=20, verbose_name='first serial')),
                        ('last_serial', models.CharField(max_length=20, verbose_name='last serial')),
                        ('count', models.PositiveIntegerField(verbose_name='number of forms')),
                        ('issued_by_name', models.CharField(blank=True, max_length=150, verbose_name='issued by (name)')),
                        ('issued_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='issued')),
                        ('form_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='paper_form_batches', to='administration.unit', verbose_name='issued to')),
                    ],
                    options={
                        'verbose_name': 'batch of paper forms',
                        'verbose_name_plural': 'batches of paper forms',
                        'db_table': 'administration_paperformbatch',
                        'ordering': ['-issued_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPaperFormSerial',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('serial', models.CharField(db_index=True, max_length=20, verbose_name='serial number')),
                        ('number', models.PositiveIntegerField(db_index=True, editable=False, verbose_name='sequence number')),
                        ('entered_at', models.DateTimeField(blank=True, null=True, verbose_name='entered')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('entered_complaint', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='complaints.complaint', verbose_name='entered as complaint')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='issued to')),
                        ('batch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='paperforms.paperformbatch', verbose_name='batch')),
                    ],
                    options={
                        'verbose_name': 'historical paper form serial',
                        'verbose_name_plural': 'historical paper form serials',
                        'db_table': 'administration_historicalpaperformserial',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PaperFormSerial',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('serial', models.CharField(max_length=20, unique=True, verbose_name='serial number')),
                        ('number', models.PositiveIntegerField(editable=False, unique=True, verbose_name='sequence number')),
                        ('entered_at', models.DateTimeField(blank=True, null=True, verbose_name='entered')),
                        ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='serials', to='paperforms.paperformbatch', verbose_name='batch')),
                        ('entered_complaint', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='paper_forms', to='complaints.complaint', verbose_name='entered as complaint')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='paper_form_serials', to='administration.unit', verbose_name='issued to')),
                    ],
                    options={
                        'verbose_name': 'paper form serial',
                        'verbose_name_plural': 'paper form serials',
                        'db_table': 'administration_paperformserial',
                        'ordering': ['number'],
                        'indexes': [models.Index(fields=['unit', 'entered_at'], name='administrat_unit_id_50b6f5_idx')],
                        'constraints': [models.UniqueConstraint(fields=('entered_complaint',), name='paper_form_one_per_complaint')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
