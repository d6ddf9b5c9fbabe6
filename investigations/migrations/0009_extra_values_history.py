"""The history of the case files' research variable values is append-only in the database too
(MySQL/MariaDB only; UPDATE and DELETE refused), like every history table (complaints 0014; the
values themselves are edited by the case file's investigators, every version kept there)."""

from django.db import migrations

HISTORY_TABLE = "investigations_historicalcasefileextravalue"
REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'"


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for event in ("UPDATE", "DELETE"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {HISTORY_TABLE}_no_{event.lower()}")
            cursor.execute(
                f"CREATE TRIGGER {HISTORY_TABLE}_no_{event.lower()} BEFORE {event} ON {HISTORY_TABLE} "
                f"FOR EACH ROW {REFUSE}"
            )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for event in ("UPDATE", "DELETE"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {HISTORY_TABLE}_no_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [("investigations", "0008_extra_fields"), ("complaints", "0014_append_only_history")]
    operations = [migrations.RunPython(forwards, backwards)]
