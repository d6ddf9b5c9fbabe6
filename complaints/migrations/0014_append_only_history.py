"""History and audit rows are append-only in the database (SECURITY.md 11-12). MySQL/MariaDB only.

Every simple-history table (every model named `Historical…`, whatever its app), the audit trail and
the diligence register get a BEFORE UPDATE and a BEFORE DELETE trigger that always refuse. REPLACE
and INSERT … ON DUPLICATE KEY UPDATE fire them too (a REPLACE deletes the old row, an upsert updates
it). The audit table and the register already had their BEFORE UPDATE trigger (audit 0002,
complaints 0004); this adds the DELETE one. The list is taken from the models at migration time; a
history table added later needs a migration of its own, and tests/complaints/test_freeze_database.py
fails until it has both triggers.

The test runner empties these tables with TRUNCATE (reta.testing_db), which fires no trigger.
"""

from django.db import migrations

REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'"
# Tables whose BEFORE UPDATE trigger exists already (audit 0002, complaints 0004).
HAVE_UPDATE_TRIGGER = {"audit_auditevent", "complaints_diligence", "complaints_diligenceanswer"}
HAVE_UPDATE_TRIGGER |= {"complaints_generateddocument"}
REGISTER_MODELS = ("audit.AuditEvent", "diligences.Diligence", "diligences.DiligenceAnswer")
REGISTER_MODELS += ("diligences.GeneratedDocument",)


def append_only_tables(apps) -> list[str]:  # noqa: ANN001
    tables = {model._meta.db_table for model in apps.get_models() if model.__name__.startswith("Historical")}
    tables |= {apps.get_model(label)._meta.db_table for label in REGISTER_MODELS}
    return sorted(tables)


def trigger_names(table: str) -> dict[str, str]:
    return {"UPDATE": f"{table}_no_update", "DELETE": f"{table}_no_delete"}


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in append_only_tables(apps):
            for event, name in trigger_names(table).items():
                if event == "UPDATE" and table in HAVE_UPDATE_TRIGGER:
                    continue
                cursor.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW {REFUSE}")


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in append_only_tables(apps):
            for event, name in trigger_names(table).items():
                if event == "UPDATE" and table in HAVE_UPDATE_TRIGGER:
                    continue
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0013_amendment_lease"),
        ("administration", "0005_paper_forms_moved"),
        ("audit", "0003_event_choices"),
        ("diligences", "0002_history_request_id"),
        ("paperforms", "0002_history_request_id"),
        ("people", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
