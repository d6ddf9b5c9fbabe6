"""The preliminary investigation register moves from `complaints` to its own app, by state only:
the tables keep their names (`complaints_diligence`, `complaints_diligenceanswer`,
`complaints_generateddocument` and the historical tables; see diligences/models.py), so nothing is
copied, the database is not touched and the MariaDB append-only triggers of complaints/0004 (made
and dropped by table name) stay as they are. complaints/0009 removes the models from the state of
`complaints`. The content types are renamed too, so that anything pointing at them follows."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = (
    "diligence",
    "diligenceanswer",
    "generateddocument",
    "historicaldiligence",
    "historicaldiligenceanswer",
    "historicalgenerateddocument",
)


def move_content_types(apps, schema_editor, old="complaints", new="diligences"):  # noqa: ANN001, ANN201
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):  # noqa: ANN001, ANN201
    move_content_types(apps, schema_editor, old="diligences", new="complaints")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("administration", "0001_initial"),
        ("complaints", "0004_preliminary_investigation"),  # created the tables and their triggers
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Diligence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_by_name', models.CharField(max_length=200, verbose_name='recorded by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='recorded')),
                        ('correction_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the correction')),
                        ('form_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('sequence', models.PositiveIntegerField(verbose_name='entry number')),
                        ('kind', models.CharField(choices=[('forensic_exam_request', 'Request for a forensic medical examination'), ('search_warrant_request', 'Request for a search warrant'), ('reniec_request', 'Request to RENIEC (identity)'), ('migraciones_request', 'Request to Migraciones (migratory movements)'), ('notification', 'Notification'), ('statement_record', 'Statement record'), ('inspection', 'Inspection of the place'), ('rescue', 'Rescue of the victim'), ('prosecutor_referral', 'Referral to the prosecutor'), ('shelter_referral', 'Referral to a shelter, CAR or MIMP'), ('other', 'Other action')], max_length=32, verbose_name='action')),
                        ('date', models.DateField(verbose_name='date')),
                        ('officer', models.CharField(max_length=200, verbose_name='officer in charge')),
                        ('addressee', models.CharField(blank=True, max_length=300, verbose_name='addressee')),
                        ('document_number', models.CharField(blank=True, max_length=100, verbose_name='document number')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='diligences', to='complaints.complaint', verbose_name='complaint')),
                        ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='diligences.diligence', verbose_name='corrects entry')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='administration.unit', verbose_name='recorded by unit')),
                    ],
                    options={
                        'verbose_name': 'preliminary action',
                        'verbose_name_plural': 'preliminary actions',
                        'db_table': 'complaints_diligence',
                        'ordering': ['complaint', 'sequence'],
                    },
                ),
                migrations.CreateModel(
                    name='DiligenceAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_by_name', models.CharField(max_length=200, verbose_name='recorded by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='recorded')),
                        ('correction_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the correction')),
                        ('form_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('received_on', models.DateField(verbose_name='date received')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('scan', models.FileField(blank=True, max_length=200, upload_to='diligencias/', verbose_name='scan')),
                        ('scan_type', models.CharField(blank=True, choices=[('pdf', 'PDF'), ('jpeg', 'JPEG'), ('png', 'PNG')], max_length=4, verbose_name='type of the scan')),
                        ('scan_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='size of the scan (bytes)')),
                        ('scan_sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the scan')),
                        ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='diligences.diligenceanswer', verbose_name='corrects answer')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('diligence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='diligences.diligence', verbose_name='preliminary action')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='administration.unit', verbose_name='recorded by unit')),
                    ],
                    options={
                        'verbose_name': 'answer received',
                        'verbose_name_plural': 'answers received',
                        'db_table': 'complaints_diligenceanswer',
                        'ordering': ['received_on', 'created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='GeneratedDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('forensic_exam', 'Request for a forensic medical examination'), ('search_warrant', 'Request for a search warrant'), ('reniec', "Request to RENIEC for a person's identity"), ('migraciones', 'Request to Migraciones for migratory movements'), ('notification', 'Notification (cédula de notificación)'), ('statement', 'Statement record (acta de manifestación)')], max_length=20, verbose_name='document')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('sequence', models.PositiveIntegerField(verbose_name='number in the year')),
                        ('number', models.CharField(max_length=100, unique=True, verbose_name='document number')),
                        ('issued_on', models.DateField(verbose_name='date')),
                        ('addressee', models.CharField(blank=True, max_length=300, verbose_name='addressee')),
                        ('fields', models.JSONField(blank=True, default=dict, verbose_name='data of the document')),
                        ('pdf', models.BinaryField(verbose_name='PDF')),
                        ('pdf_sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the PDF')),
                        ('pdf_size', models.PositiveIntegerField(editable=False, verbose_name='size of the PDF (bytes)')),
                        ('generated_by_name', models.CharField(max_length=200, verbose_name='generated by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='generated')),
                        ('form_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='complaints.complaint', verbose_name='complaint')),
                        ('generated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='generated by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='administration.unit', verbose_name='issuing unit')),
                    ],
                    options={
                        'verbose_name': 'generated document',
                        'verbose_name_plural': 'generated documents',
                        'db_table': 'complaints_generateddocument',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddField(
                    model_name='diligence',
                    name='document',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='diligences', to='diligences.generateddocument', verbose_name='generated document'),
                ),
                migrations.CreateModel(
                    name='HistoricalDiligence',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_by_name', models.CharField(max_length=200, verbose_name='recorded by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='recorded')),
                        ('correction_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the correction')),
                        ('sequence', models.PositiveIntegerField(verbose_name='entry number')),
                        ('kind', models.CharField(choices=[('forensic_exam_request', 'Request for a forensic medical examination'), ('search_warrant_request', 'Request for a search warrant'), ('reniec_request', 'Request to RENIEC (identity)'), ('migraciones_request', 'Request to Migraciones (migratory movements)'), ('notification', 'Notification'), ('statement_record', 'Statement record'), ('inspection', 'Inspection of the place'), ('rescue', 'Rescue of the victim'), ('prosecutor_referral', 'Referral to the prosecutor'), ('shelter_referral', 'Referral to a shelter, CAR or MIMP'), ('other', 'Other action')], max_length=32, verbose_name='action')),
                        ('date', models.DateField(verbose_name='date')),
                        ('officer', models.CharField(max_length=200, verbose_name='officer in charge')),
                        ('addressee', models.CharField(blank=True, max_length=300, verbose_name='addressee')),
                        ('document_number', models.CharField(blank=True, max_length=100, verbose_name='document number')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('complaint', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='complaints.complaint', verbose_name='complaint')),
                        ('corrects', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='diligences.diligence', verbose_name='corrects entry')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('document', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='diligences.generateddocument', verbose_name='generated document')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='recorded by unit')),
                    ],
                    options={
                        'verbose_name': 'historical preliminary action',
                        'verbose_name_plural': 'historical preliminary actions',
                        'db_table': 'complaints_historicaldiligence',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDiligenceAnswer',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_by_name', models.CharField(max_length=200, verbose_name='recorded by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='recorded')),
                        ('correction_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the correction')),
                        ('received_on', models.DateField(verbose_name='date received')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('scan', models.TextField(blank=True, max_length=200, verbose_name='scan')),
                        ('scan_type', models.CharField(blank=True, choices=[('pdf', 'PDF'), ('jpeg', 'JPEG'), ('png', 'PNG')], max_length=4, verbose_name='type of the scan')),
                        ('scan_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='size of the scan (bytes)')),
                        ('scan_sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the scan')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('corrects', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='diligences.diligenceanswer', verbose_name='corrects answer')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('diligence', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='diligences.diligence', verbose_name='preliminary action')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='recorded by unit')),
                    ],
                    options={
                        'verbose_name': 'historical answer received',
                        'verbose_name_plural': 'historical answers received',
                        'db_table': 'complaints_historicaldiligenceanswer',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalGeneratedDocument',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('forensic_exam', 'Request for a forensic medical examination'), ('search_warrant', 'Request for a search warrant'), ('reniec', "Request to RENIEC for a person's identity"), ('migraciones', 'Request to Migraciones for migratory movements'), ('notification', 'Notification (cédula de notificación)'), ('statement', 'Statement record (acta de manifestación)')], max_length=20, verbose_name='document')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('sequence', models.PositiveIntegerField(verbose_name='number in the year')),
                        ('number', models.CharField(db_index=True, max_length=100, verbose_name='document number')),
                        ('issued_on', models.DateField(verbose_name='date')),
                        ('addressee', models.CharField(blank=True, max_length=300, verbose_name='addressee')),
                        ('fields', models.JSONField(blank=True, default=dict, verbose_name='data of the document')),
                        ('pdf_sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the PDF')),
                        ('pdf_size', models.PositiveIntegerField(editable=False, verbose_name='size of the PDF (bytes)')),
                        ('generated_by_name', models.CharField(max_length=200, verbose_name='generated by (name)')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='generated')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('complaint', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='complaints.complaint', verbose_name='complaint')),
                        ('generated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='generated by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='administration.unit', verbose_name='issuing unit')),
                    ],
                    options={
                        'verbose_name': 'historical generated document',
                        'verbose_name_plural': 'historical generated documents',
                        'db_table': 'complaints_historicalgenerateddocument',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='diligenceanswer',
                    constraint=models.UniqueConstraint(fields=('corrects',), name='diligence_answer_corrected_once'),
                ),
                migrations.AddConstraint(
                    model_name='diligenceanswer',
                    constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('correction_reason', ''), _negated=True), _connector='OR'), name='diligence_answer_correction_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='generateddocument',
                    constraint=models.UniqueConstraint(fields=('unit', 'year', 'sequence'), name='generated_document_unit_year_seq'),
                ),
                migrations.AddConstraint(
                    model_name='diligence',
                    constraint=models.UniqueConstraint(fields=('complaint', 'sequence'), name='diligence_complaint_sequence'),
                ),
                migrations.AddConstraint(
                    model_name='diligence',
                    constraint=models.UniqueConstraint(fields=('corrects',), name='diligence_corrected_once'),
                ),
                migrations.AddConstraint(
                    model_name='diligence',
                    constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('correction_reason', ''), _negated=True), _connector='OR'), name='diligence_correction_has_reason'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
