"""The values of research variables are frozen with their complaint in the database too
(MySQL/MariaDB only), as the places of the route are (migration 0018): without an amendment lease
of the same connection, INSERT into a frozen complaint, UPDATE of a row of a frozen complaint or
moving a row into one, and DELETE of a row of a frozen complaint are refused. The history tables
of these values, of the catalogues and of the research variables' definitions are append-only
(UPDATE and DELETE always refused), like every history table (migration 0014). Complaints 0014 may
have given the administration tables their triggers already when it ran after them: dropped and
made again here.
"""

import importlib

from django.db import migrations

LEASE = importlib.import_module("complaints.migrations.0013_amendment_lease")
HISTORY = importlib.import_module("complaints.migrations.0014_append_only_history")

TABLE = "complaints_complaintextravalue"
HISTORY_TABLES = (
    "complaints_historicalcomplaintextravalue",
    "administration_historicalcatalogueentry",
    "administration_historicalextrafield",
)

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
for _table in HISTORY_TABLES:
    for _event, _name in HISTORY.trigger_names(_table).items():
        TRIGGERS[_name] = f"CREATE TRIGGER {_name} BEFORE {_event} ON {_table} FOR EACH ROW {HISTORY.REFUSE}"


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, sql in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(sql)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0021_extra_fields"),
        ("administration", "0011_merge_0008_unit_tree_over_time_0010_extra_fields"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
