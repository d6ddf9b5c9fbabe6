"""On MySQL/MariaDB the database itself refuses to change an audit row (SECURITY.md 12)."""

from django.db import migrations

TRIGGER = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are append-only'
"""


def create_trigger(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "mysql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "mysql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
