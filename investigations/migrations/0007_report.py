"""The proof matrix's links and the police report (issue 11, items 5 and 7).

The merge node of the chain: depends on 0004_person_details, 0005_places_things and 0006_work.
On MySQL/MariaDB:
- the history tables of ProofLink and CaseReport and the versions of a report
  (CaseReportVersion) refuse UPDATE and DELETE always (append-only, as migration 0002);
- a TRANSMITTED police report refuses UPDATE and DELETE (the freeze of
  investigations.models.report, in the database too); a draft may still change.
The test runner empties the append-only tables with TRUNCATE (reta.testing_db).
"""

import audit.context
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'"
FROZEN = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'transmitted police report: change refused'"
APPEND_ONLY = (
    "investigations_historicalprooflink",
    "investigations_historicalcasereport",
    "investigations_casereportversion",
)
REPORT = "investigations_casereport"


def triggers_forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW {REFUSE}"
                )
        for event in ("UPDATE", "DELETE"):
            cursor.execute(
                f"CREATE TRIGGER {REPORT}_frozen_{event.lower()} BEFORE {event} ON {REPORT} FOR EACH ROW "
                f"BEGIN IF OLD.status = 'transmitted' THEN {FROZEN}; END IF; END"
            )


def triggers_backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event.lower()}")
        for event in ("UPDATE", "DELETE"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {REPORT}_frozen_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [
        ("investigations", "0004_person_details"),
        ("investigations", "0005_places_things"),
        ("investigations", "0006_work"),
        ("administration", "0006_case_report_series"),
        ("diligences", "0003_base_manager"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('sequence', models.PositiveIntegerField(verbose_name='number in the year')),
                ('number', models.CharField(max_length=100, unique=True, verbose_name='report number')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('transmitted', 'Transmitted to the prosecutor')], default='draft', max_length=16, verbose_name='status')),
                ('conclusions', models.TextField(blank=True, verbose_name='conclusions')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('prosecutor_office', models.CharField(blank=True, max_length=300, verbose_name="prosecutor's office")),
                ('transmitted_at', models.DateTimeField(blank=True, null=True, verbose_name='transmitted')),
                ('transmitted_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='version transmitted')),
                ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='investigations.casefile')),
                ('conclusions_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='conclusions written by')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('transmitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='transmitted by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='administration.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'police report',
                'verbose_name_plural': 'police reports',
                'ordering': ['created_at', 'pk'],
                'base_manager_name': 'objects',
            },
        ),
        migrations.CreateModel(
            name='CaseReportVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('pdf', models.BinaryField(verbose_name='PDF')),
                ('pdf_sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the PDF')),
                ('package', models.TextField(editable=False, verbose_name='JSON package')),
                ('package_sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the JSON package')),
                ('schema_version', models.CharField(max_length=20, verbose_name='schema version')),
                ('generated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='generated')),
                ('generated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='generated by')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='investigations.casereport')),
            ],
            options={
                'verbose_name': 'version of a police report',
                'verbose_name_plural': 'versions of police reports',
                'ordering': ['report', 'version'],
                'base_manager_name': 'objects',
            },
        ),
        migrations.CreateModel(
            name='HistoricalCaseReport',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('request_id', models.CharField(blank=True, db_index=True, default=audit.context.current_request_id, editable=False, max_length=32, verbose_name='request id')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('sequence', models.PositiveIntegerField(verbose_name='number in the year')),
                ('number', models.CharField(db_index=True, max_length=100, verbose_name='report number')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('transmitted', 'Transmitted to the prosecutor')], default='draft', max_length=16, verbose_name='status')),
                ('conclusions', models.TextField(blank=True, verbose_name='conclusions')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('prosecutor_office', models.CharField(blank=True, max_length=300, verbose_name="prosecutor's office")),
                ('transmitted_at', models.DateTimeField(blank=True, null=True, verbose_name='transmitted')),
                ('transmitted_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='version transmitted')),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case_file', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='investigations.casefile')),
                ('conclusions_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='conclusions written by')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('transmitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='transmitted by')),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'historical police report',
                'verbose_name_plural': 'historical police reports',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProofLink',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('request_id', models.CharField(blank=True, db_index=True, default=audit.context.current_request_id, editable=False, max_length=32, verbose_name='request id')),
                ('element_code', models.CharField(max_length=80, verbose_name='legal element')),
                ('note', models.TextField(blank=True, verbose_name='what it shows')),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='linked')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                ('withdrawal_reason', models.TextField(blank=True, verbose_name='reason for the withdrawal')),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('added_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='linked by')),
                ('case_file', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='investigations.casefile')),
                ('diligence', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='diligences.diligence', verbose_name='diligencia')),
                ('exhibit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='investigations.exhibit', verbose_name='exhibit')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('journal_entry', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='investigations.journalentry', verbose_name='statement')),
                ('withdrawn_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawn by')),
            ],
            options={
                'verbose_name': 'historical support of a legal element',
                'verbose_name_plural': 'historical supports of legal elements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ProofLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('element_code', models.CharField(max_length=80, verbose_name='legal element')),
                ('note', models.TextField(blank=True, verbose_name='what it shows')),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='linked')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                ('withdrawal_reason', models.TextField(blank=True, verbose_name='reason for the withdrawal')),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='linked by')),
                ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proof_links', to='investigations.casefile')),
                ('diligence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='diligences.diligence', verbose_name='diligencia')),
                ('exhibit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proof_links', to='investigations.exhibit', verbose_name='exhibit')),
                ('journal_entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proof_links', to='investigations.journalentry', verbose_name='statement')),
                ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawn by')),
            ],
            options={
                'verbose_name': 'support of a legal element',
                'verbose_name_plural': 'supports of legal elements',
                'ordering': ['added_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='casereport',
            constraint=models.UniqueConstraint(fields=('unit', 'year', 'sequence'), name='case_report_unit_year_seq'),
        ),
        migrations.AddConstraint(
            model_name='casereportversion',
            constraint=models.UniqueConstraint(fields=('report', 'version'), name='case_report_version_once'),
        ),
        migrations.AddConstraint(
            model_name='prooflink',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('diligence__isnull', True), ('exhibit__isnull', False), ('journal_entry__isnull', True)), models.Q(('diligence__isnull', True), ('exhibit__isnull', True), ('journal_entry__isnull', False)), models.Q(('diligence__isnull', False), ('exhibit__isnull', True), ('journal_entry__isnull', True)), _connector='OR'), name='proof_link_one_support'),
        ),
        migrations.RunPython(triggers_forwards, triggers_backwards),
    ]
