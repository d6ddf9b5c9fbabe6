"""Generated documents keep their PDF in the private storage instead of the database (issue 14.2:
no state on the app server; `reta.private_media`, a local folder or an S3-compatible bucket).

1. A new column `pdf_file` (the name of the file in the storage); the binary column may be NULL.
2. Each existing row's bytes are written to the storage under `documentos_generados/<year>/<number>.pdf`
   and the name recorded in the row, in id order, a few rows at a time. On MySQL/MariaDB the
   append-only BEFORE UPDATE trigger of the register (complaints/0004) is dropped for the time of
   that step and created again exactly as it was, whatever happens (a plain cursor: trigger DDL
   commits anyway). SQLite has no trigger on this table. A row that has its file already is
   skipped, so a step interrupted half-way can be run again; a file written for a row whose
   UPDATE then failed is removed; a file of that name with the same bytes (the migration undone
   and done again) is used as it is.
3. The binary column is dropped and `pdf_file` becomes `pdf`.

The history table never had the PDF (history_records(excluded_fields=["pdf", ...])): unchanged.
Backwards, the bytes are read back from the storage into a binary column (the files stay). The
binary column is nullable while the bytes move, so that adding it back (backwards) writes no
default into the rows, which the trigger would refuse.
"""

import hashlib
import re

from django.db import migrations, models

import diligences.models
import reta.private_media

TABLE = "complaints_generateddocument"
TRIGGER_NAME = f"{TABLE}_append_only"
# Exactly as complaints/0004_preliminary_investigation creates it.
TRIGGER = (
    f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE ON {TABLE} FOR EACH ROW "
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only register: change refused'"
)
BATCH = 50


def _file_name(year: int, number: str) -> str:
    """As diligences.models.generated_document_path names it (frozen here)."""
    clean = re.sub(r"[^A-Za-z0-9_-]+", "_", number).strip("_") or "documento"
    return f"documentos_generados/{year}/{clean}.pdf".lower()


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


def bytes_to_files(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    from django.core.files.base import ContentFile

    storage = reta.private_media.private_storage()

    def step(cursor) -> None:  # noqa: ANN001
        last = 0
        while True:
            cursor.execute(
                f"SELECT id, year, number, pdf FROM {TABLE} WHERE id > %s AND pdf_file = '' ORDER BY id LIMIT {BATCH}",  # noqa: S608
                [last],
            )
            rows = cursor.fetchall()
            for pk, year, number, data in rows:
                data, name = bytes(data or b""), _file_name(year, number)
                if _same_file(storage, name, data):  # left by a migration undone and done again
                    cursor.execute(f"UPDATE {TABLE} SET pdf_file = %s WHERE id = %s", [name, pk])  # noqa: S608
                    last = pk
                    continue
                name = storage.save(name, ContentFile(data))
                try:
                    cursor.execute(f"UPDATE {TABLE} SET pdf_file = %s WHERE id = %s", [name, pk])  # noqa: S608
                except Exception:
                    storage.delete(name)
                    raise
                last = pk
            if len(rows) < BATCH:
                break

    _without_update_trigger(schema_editor, step)


def files_to_bytes(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    storage = reta.private_media.private_storage()

    def step(cursor) -> None:  # noqa: ANN001
        cursor.execute(f"SELECT id, pdf_file FROM {TABLE} ORDER BY id")  # noqa: S608
        for pk, name in cursor.fetchall():
            with storage.open(name, "rb") as stored:
                data = stored.read()
            cursor.execute(f"UPDATE {TABLE} SET pdf = %s WHERE id = %s", [data, pk])  # noqa: S608

    _without_update_trigger(schema_editor, step)


class Migration(migrations.Migration):
    dependencies = [
        ("diligences", "0004_catalogue_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="generateddocument",
            name="pdf_file",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="generateddocument",
            name="pdf",
            field=models.BinaryField(editable=False, null=True, verbose_name="PDF"),
        ),
        migrations.RunPython(bytes_to_files, files_to_bytes),
        migrations.RemoveField(model_name="generateddocument", name="pdf"),
        migrations.RenameField(model_name="generateddocument", old_name="pdf_file", new_name="pdf"),
        migrations.AlterField(
            model_name="generateddocument",
            name="pdf",
            field=models.FileField(
                editable=False,
                max_length=200,
                storage=reta.private_media.private_storage,
                upload_to=diligences.models.generated_document_path,
                verbose_name="PDF",
            ),
        ),
    ]
