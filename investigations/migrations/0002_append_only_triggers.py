"""The history tables of the Investigation module, its status changes, shares and revocations of
shares are append-only in the database too (reta.guards, complaints 0014). MySQL/MariaDB only:
BEFORE UPDATE and BEFORE DELETE triggers that always refuse. The test runner empties these tables
with TRUNCATE (reta.testing_db)."""

from django.db import migrations

REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'"
TABLES = (
    "investigations_historicalcasefile",
    "investigations_historicalcasecomplaint",
    "investigations_historicalcaseassignment",
    "investigations_casestatuschange",
    "investigations_caseshare",
    "investigations_casesharerevocation",
)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            for event in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW {REFUSE}"
                )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            for event in ("UPDATE", "DELETE"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [("investigations", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
