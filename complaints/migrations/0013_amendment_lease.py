# ruff: noqa: S608 - the SQL is built from this module's constants only, never from input
"""The freeze in the database, unforgeable lift and DELETE included (complaints.freeze, SECURITY.md 11).

MySQL/MariaDB only. Replaces the triggers of 0002, which a session could lift with
`SET @reta_amendment = 1`, by triggers that let a frozen row change only while the connection holds
an amendment *lease*: its `CONNECTION_ID()` in `reta_amendment_lease`. The lease is opened and
closed by two SQL SECURITY DEFINER procedures; opening writes a row of `reta_amendment_log`
(append-only by trigger). In production the application's user may only EXECUTE the procedures
(`manage.py db_grants`). These two tables are not Django models: they belong to the database's
guard, not to the application.

Refused without a lease of the same connection:
  - UPDATE of a frozen complaint; INSERT or UPDATE of a complaint whose complainant is a person of
    a frozen complaint;
  - UPDATE and DELETE of a person of a frozen complaint (victim, alleged trafficker, complainant);
  - INSERT, UPDATE and DELETE of a victim/suspect row of a frozen complaint, and re-pointing a row
    into a frozen complaint or at a person of a frozen complaint.
Refused always: DELETE of a frozen complaint (no path of the application deletes one).
The test runner empties tables with TRUNCATE, which fires no trigger (reta.testing_db).
"""

import importlib

from django.db import migrations

REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'frozen complaint: change refused'"
NO_LEASE = "NOT EXISTS (SELECT 1 FROM reta_amendment_lease l WHERE l.connection_id = CONNECTION_ID())"


def frozen_complaint(complaint_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM complaints_complaint c WHERE c.id = {complaint_id} AND c.frozen_at IS NOT NULL)"


def frozen_person(person_id: str) -> str:
    return (
        "(EXISTS (SELECT 1 FROM complaints_complaintvictim v JOIN complaints_complaint c ON c.id = v.complaint_id"
        f" WHERE v.person_id = {person_id} AND c.frozen_at IS NOT NULL)"
        " OR EXISTS (SELECT 1 FROM complaints_complaintsuspect s JOIN complaints_complaint c ON c.id = s.complaint_id"
        f" WHERE s.person_id = {person_id} AND c.frozen_at IS NOT NULL)"
        f" OR EXISTS (SELECT 1 FROM complaints_complaint c WHERE c.complainant_id = {person_id}"
        " AND c.frozen_at IS NOT NULL))"
    )


def _trigger(name: str, when: str, table: str, condition: str, *, lease_lifts: bool = True) -> str:
    if lease_lifts:
        condition = f"({condition}) AND {NO_LEASE}"
    return f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW BEGIN IF {condition} THEN {REFUSE}; END IF; END"


NEW_COMPLAINANT_FROZEN = (
    f"NEW.complainant_id IS NOT NULL AND NOT (NEW.complainant_id <=> OLD.complainant_id)"
    f" AND {frozen_person('NEW.complainant_id')}"
)

TRIGGERS = {
    "complaints_complaint_frozen_update": _trigger(
        "complaints_complaint_frozen_update",
        "BEFORE UPDATE",
        "complaints_complaint",
        f"OLD.frozen_at IS NOT NULL OR ({NEW_COMPLAINANT_FROZEN})",
    ),
    "complaints_complaint_frozen_insert": _trigger(
        "complaints_complaint_frozen_insert",
        "BEFORE INSERT",
        "complaints_complaint",
        f"NEW.complainant_id IS NOT NULL AND {frozen_person('NEW.complainant_id')}",
    ),
    "complaints_complaint_frozen_delete": _trigger(
        "complaints_complaint_frozen_delete",
        "BEFORE DELETE",
        "complaints_complaint",
        "OLD.frozen_at IS NOT NULL",
        lease_lifts=False,
    ),
    "complaints_person_frozen_update": _trigger(
        "complaints_person_frozen_update", "BEFORE UPDATE", "complaints_person", frozen_person("OLD.id")
    ),
    "complaints_person_frozen_delete": _trigger(
        "complaints_person_frozen_delete", "BEFORE DELETE", "complaints_person", frozen_person("OLD.id")
    ),
}
for _table in ("complaints_complaintvictim", "complaints_complaintsuspect"):
    TRIGGERS[f"{_table}_frozen_insert"] = _trigger(
        f"{_table}_frozen_insert",
        "BEFORE INSERT",
        _table,
        f"{frozen_complaint('NEW.complaint_id')} OR {frozen_person('NEW.person_id')}",
    )
    TRIGGERS[f"{_table}_frozen_update"] = _trigger(
        f"{_table}_frozen_update",
        "BEFORE UPDATE",
        _table,
        f"{frozen_complaint('OLD.complaint_id')} OR {frozen_complaint('NEW.complaint_id')}"
        f" OR (NEW.person_id <> OLD.person_id AND {frozen_person('NEW.person_id')})",
    )
    TRIGGERS[f"{_table}_frozen_delete"] = _trigger(
        f"{_table}_frozen_delete", "BEFORE DELETE", _table, frozen_complaint("OLD.complaint_id")
    )

TABLES = [
    """CREATE TABLE reta_amendment_lease (
        connection_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
        complaint_id BIGINT NULL,
        opened_at DATETIME(6) NOT NULL
    ) ENGINE=InnoDB""",
    """CREATE TABLE reta_amendment_log (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        connection_id BIGINT UNSIGNED NOT NULL,
        complaint_id BIGINT NULL,
        db_user VARCHAR(300) NOT NULL,
        opened_at DATETIME(6) NOT NULL
    ) ENGINE=InnoDB""",
    "CREATE TRIGGER reta_amendment_log_no_update BEFORE UPDATE ON reta_amendment_log FOR EACH ROW "
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the amendment log is append-only'",
    "CREATE TRIGGER reta_amendment_log_no_delete BEFORE DELETE ON reta_amendment_log FOR EACH ROW "
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the amendment log is append-only'",
]

PROCEDURES = [
    """CREATE PROCEDURE reta_amendment_open(IN p_complaint BIGINT)
    MODIFIES SQL DATA SQL SECURITY DEFINER
    BEGIN
        DELETE FROM reta_amendment_lease WHERE connection_id = CONNECTION_ID();
        INSERT INTO reta_amendment_lease (connection_id, complaint_id, opened_at)
            VALUES (CONNECTION_ID(), p_complaint, UTC_TIMESTAMP(6));
        INSERT INTO reta_amendment_log (connection_id, complaint_id, db_user, opened_at)
            VALUES (CONNECTION_ID(), p_complaint, USER(), UTC_TIMESTAMP(6));
    END""",
    """CREATE PROCEDURE reta_amendment_close()
    MODIFIES SQL DATA SQL SECURITY DEFINER
    BEGIN
        DELETE FROM reta_amendment_lease WHERE connection_id = CONNECTION_ID();
    END""",
]

OLD_TRIGGERS = importlib.import_module("complaints.migrations.0002_freeze_triggers").TRIGGERS


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    # A plain cursor, as in 0002: MySQL commits DDL implicitly.
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in OLD_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in (*TABLES, *PROCEDURES, *TRIGGERS.values()):
            cursor.execute(sql)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DROP PROCEDURE IF EXISTS reta_amendment_open")
        cursor.execute("DROP PROCEDURE IF EXISTS reta_amendment_close")
        cursor.execute("DROP TABLE IF EXISTS reta_amendment_log")
        cursor.execute("DROP TABLE IF EXISTS reta_amendment_lease")
        for sql in OLD_TRIGGERS.values():
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0012_diligences_moved")]
    operations = [migrations.RunPython(forwards, backwards)]
