"""On MySQL/MariaDB the database itself refuses to change a frozen complaint, its victims, its
alleged traffickers and their people, unless the amendment service has set @reta_amendment
(complaints.freeze.amendment) in the same connection. SECURITY.md 11.

Only UPDATE and INSERT are refused here: deletion is refused by the application (a frozen complaint
is never deleted, and its child rows only inside an amendment), and DELETE triggers would stop the
test runner from emptying tables between tests.
"""

from django.db import migrations

REFUSE = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'frozen complaint: change refused'"
NOT_AMENDING = "(@reta_amendment IS NULL OR @reta_amendment <> 1)"

FROZEN_PARENT = (
    "EXISTS (SELECT 1 FROM complaints_complaint c WHERE c.id = {row}.complaint_id AND c.frozen_at IS NOT NULL)"
)
FROZEN_PERSON = (
    "(EXISTS (SELECT 1 FROM complaints_complaintvictim v JOIN complaints_complaint c ON c.id = v.complaint_id"
    " WHERE v.person_id = OLD.id AND c.frozen_at IS NOT NULL)"
    " OR EXISTS (SELECT 1 FROM complaints_complaintsuspect s JOIN complaints_complaint c ON c.id = s.complaint_id"
    " WHERE s.person_id = OLD.id AND c.frozen_at IS NOT NULL)"
    " OR EXISTS (SELECT 1 FROM complaints_complaint c WHERE c.complainant_id = OLD.id AND c.frozen_at IS NOT NULL))"
)


def _trigger(name: str, when: str, table: str, condition: str) -> str:
    return (
        f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW "
        f"BEGIN IF {condition} AND {NOT_AMENDING} THEN {REFUSE}; END IF; END"
    )


TRIGGERS = {
    "complaints_complaint_frozen_update": _trigger(
        "complaints_complaint_frozen_update", "BEFORE UPDATE", "complaints_complaint", "OLD.frozen_at IS NOT NULL"
    ),
    "complaints_person_frozen_update": _trigger(
        "complaints_person_frozen_update", "BEFORE UPDATE", "complaints_person", FROZEN_PERSON
    ),
}
for table in ("complaints_complaintvictim", "complaints_complaintsuspect"):
    TRIGGERS[f"{table}_frozen_update"] = _trigger(
        f"{table}_frozen_update", "BEFORE UPDATE", table, FROZEN_PARENT.format(row="OLD")
    )
    TRIGGERS[f"{table}_frozen_insert"] = _trigger(
        f"{table}_frozen_insert", "BEFORE INSERT", table, FROZEN_PARENT.format(row="NEW")
    )


def create_triggers(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in TRIGGERS.values():
            cursor.execute(sql)


def drop_triggers(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "mysql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
