"""Police report versions keep their PDF and JSON package in the private storage instead of the
database (issue 14: no state on the app server; `reta.private_media`, a local folder or an
S3-compatible bucket). As diligences/0005_generated_document_files.

1. New columns `pdf_file` and `package_file` (the names of the files in the storage); the binary
   column `pdf` and the text column `package` may be NULL.
2. Each existing row's PDF and package are written to the storage under
   `informes_policiales/<year>/<report number>-v<version>.pdf|.json` and the names recorded in
   the row, in id order, a few rows at a time. On MySQL/MariaDB the append-only BEFORE UPDATE
   trigger of the versions (0007_report) is dropped for the time of that step and created again
   exactly as it was, whatever happens (a plain cursor: trigger DDL commits anyway); the BEFORE
   DELETE trigger stays. SQLite has no trigger. A row that has its files already is skipped, so a
   step interrupted half-way can be run again; files written for a row whose UPDATE then failed
   are removed; a file of that name with the same bytes (the migration undone and done again) is
   used as it is.
3. The old columns are dropped and `pdf_file`/`package_file` become `pdf`/`package`.

The SHA-256 columns are unchanged. Backwards, the bytes are read back from the storage into the
binary and text columns (the files stay). Those columns are nullable while the bytes move, so that
adding them back (backwards) writes no default into the rows, which the trigger would refuse.
"""

import hashlib
import re

from django.db import migrations, models

import investigations.models.report
import reta.private_media

TABLE = "investigations_casereportversion"
REPORT_TABLE = "investigations_casereport"
TRIGGER_NAME = f"{TABLE}_no_update"
# Exactly as 0007_report creates it.
TRIGGER = (
    f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE ON {TABLE} FOR EACH ROW "  # noqa: S608
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'"
)
BATCH = 50


def _file_name(year: int, number: str, version: int, extension: str) -> str:
    """As investigations.models.report.report_version_path names it (frozen here)."""
    clean = re.sub(r"[^A-Za-z0-9_-]+", "_", number).strip("_") or "informe"
    return f"informes_policiales/{year}/{clean}-v{version}.{extension}".lower()


def _without_update_trigger(schema_editor, step) -> None:  # noqa: ANN001
    connection = schema_editor.connection
    mysql = connection.vendor == "mysql"
    with connection.cursor() as cursor:
        if mysql:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME}")
        try:
            step(cursor)
        finally:
            if mysql:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME}")
                cursor.execute(TRIGGER)


def _same_file(storage, name: str, data: bytes) -> bool:  # noqa: ANN001
    if not storage.exists(name):
        return False
    with storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(data).hexdigest()


def _store(storage, name: str, data: bytes) -> tuple[str, bool]:  # noqa: ANN001
    """The name the bytes are stored under, and whether this step wrote the file."""
    from django.core.files.base import ContentFile

    if _same_file(storage, name, data):  # left by a migration undone and done again
        return name, False
    return storage.save(name, ContentFile(data)), True


def bytes_to_files(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    storage = reta.private_media.private_storage()

    def step(cursor) -> None:  # noqa: ANN001
        last = 0
        while True:
            cursor.execute(
                f"SELECT v.id, r.year, r.number, v.version, v.pdf, v.package FROM {TABLE} v "  # noqa: S608
                f"JOIN {REPORT_TABLE} r ON r.id = v.report_id "
                f"WHERE v.id > %s AND v.pdf_file = '' ORDER BY v.id LIMIT {BATCH}",
                [last],
            )
            rows = cursor.fetchall()
            for pk, year, number, version, pdf, package in rows:
                if isinstance(package, str):
                    package = package.encode("utf-8")
                written = []
                try:
                    pdf_name, new = _store(storage, _file_name(year, number, version, "pdf"), bytes(pdf or b""))
                    if new:
                        written.append(pdf_name)
                    package_name, new = _store(
                        storage, _file_name(year, number, version, "json"), bytes(package or b"")
                    )
                    if new:
                        written.append(package_name)
                    cursor.execute(
                        f"UPDATE {TABLE} SET pdf_file = %s, package_file = %s WHERE id = %s",  # noqa: S608
                        [pdf_name, package_name, pk],
                    )
                except Exception:
                    for name in written:
                        storage.delete(name)
                    raise
                last = pk
            if len(rows) < BATCH:
                break

    _without_update_trigger(schema_editor, step)


def files_to_bytes(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    storage = reta.private_media.private_storage()

    def step(cursor) -> None:  # noqa: ANN001
        cursor.execute(f"SELECT id, pdf_file, package_file FROM {TABLE} ORDER BY id")  # noqa: S608
        for pk, pdf_name, package_name in cursor.fetchall():
            with storage.open(pdf_name, "rb") as stored:
                pdf = stored.read()
            with storage.open(package_name, "rb") as stored:
                package = stored.read().decode("utf-8")
            cursor.execute(f"UPDATE {TABLE} SET pdf = %s, package = %s WHERE id = %s", [pdf, package, pk])  # noqa: S608

    _without_update_trigger(schema_editor, step)


class Migration(migrations.Migration):
    dependencies = [
        ("investigations", "0011_victim_outcome_catalogue_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="casereportversion",
            name="pdf_file",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="casereportversion",
            name="package_file",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="casereportversion",
            name="pdf",
            field=models.BinaryField(editable=False, null=True, verbose_name="PDF"),
        ),
        migrations.AlterField(
            model_name="casereportversion",
            name="package",
            field=models.TextField(editable=False, null=True, verbose_name="JSON package"),
        ),
        migrations.RunPython(bytes_to_files, files_to_bytes),
        migrations.RemoveField(model_name="casereportversion", name="pdf"),
        migrations.RemoveField(model_name="casereportversion", name="package"),
        migrations.RenameField(model_name="casereportversion", old_name="pdf_file", new_name="pdf"),
        migrations.RenameField(model_name="casereportversion", old_name="package_file", new_name="package"),
        migrations.AlterField(
            model_name="casereportversion",
            name="pdf",
            field=models.FileField(
                editable=False,
                max_length=200,
                storage=reta.private_media.private_storage,
                upload_to=investigations.models.report.report_version_path,
                verbose_name="PDF",
            ),
        ),
        migrations.AlterField(
            model_name="casereportversion",
            name="package",
            field=models.FileField(
                editable=False,
                max_length=200,
                storage=reta.private_media.private_storage,
                upload_to=investigations.models.report.report_version_path,
                verbose_name="JSON package",
            ),
        ),
    ]
