"""On MySQL/MariaDB the database itself refuses to change an audit row (SECURITY.md 12)."""

from django.db import migrations

TRIGGER = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are append-only'
"""


def create_trigger(apps, schema_editor):  # noqa: ANN001, ANN201
    # A plain cursor: MySQL cannot roll DDL back, and the schema editor refuses DDL inside the
    # migration's transaction; CREATE TRIGGER commits implicitly anyway.
    if schema_editor.connection.vendor == "mysql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "mysql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
