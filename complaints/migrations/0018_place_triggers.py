"""The places of the route are frozen with their complaint in the database too (MySQL/MariaDB only),
as the victim and suspect rows are (migration 0013): without an amendment lease of the same
connection, INSERT into a frozen complaint, UPDATE of a row of a frozen complaint or moving a row
into one, and DELETE of a row of a frozen complaint are refused. Their history table is
append-only (migration 0014's triggers: UPDATE and DELETE always refused).
"""

import importlib

from django.db import migrations

LEASE = importlib.import_module("complaints.migrations.0013_amendment_lease")
HISTORY = importlib.import_module("complaints.migrations.0014_append_only_history")

TABLE = "complaints_complaintplace"
HISTORY_TABLE = "complaints_historicalcomplaintplace"

TRIGGERS = {
    f"{TABLE}_frozen_insert": LEASE._trigger(
        f"{TABLE}_frozen_insert", "BEFORE INSERT", TABLE, LEASE.frozen_complaint("NEW.complaint_id")
    ),
    f"{TABLE}_frozen_update": LEASE._trigger(
        f"{TABLE}_frozen_update",
        "BEFORE UPDATE",
        TABLE,
        f"{LEASE.frozen_complaint('OLD.complaint_id')} OR {LEASE.frozen_complaint('NEW.complaint_id')}",
    ),
    f"{TABLE}_frozen_delete": LEASE._trigger(
        f"{TABLE}_frozen_delete", "BEFORE DELETE", TABLE, LEASE.frozen_complaint("OLD.complaint_id")
    ),
}
for _event, _name in HISTORY.trigger_names(HISTORY_TABLE).items():
    TRIGGERS[_name] = f"CREATE TRIGGER {_name} BEFORE {_event} ON {HISTORY_TABLE} FOR EACH ROW {HISTORY.REFUSE}"


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in TRIGGERS.values():
            cursor.execute(sql)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0017_complaint_places")]
    operations = [migrations.RunPython(forwards, backwards)]
