"""The events stored before the hash chain get their links (audit.chain), in id order, and the
chain head its row. On MySQL/MariaDB the append-only UPDATE trigger (0002) is dropped for the time
of the update and created again whatever happens (a plain cursor: trigger DDL commits anyway)."""

from django.db import migrations

from audit.chain import GENESIS, HEAD_PK, event_hash

TRIGGER = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are append-only'
"""


def link_existing(apps, schema_editor):  # noqa: ANN001, ANN201
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    connection = schema_editor.connection
    mysql = connection.vendor == "mysql"
    with connection.cursor() as cursor:
        if mysql:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        try:
            previous, last_id, last = GENESIS, 0, 0
            while True:
                rows = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:2000])
                for event in rows:
                    event.prev_hash = previous
                    event.hash = event_hash(event)
                    cursor.execute(
                        "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                        [event.prev_hash, event.hash, event.pk],
                    )
                    previous, last_id = event.hash, event.pk
                if len(rows) < 2000:
                    break
                last = rows[-1].pk
        finally:
            if mysql:
                cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
                cursor.execute(TRIGGER)
    AuditChainHead.objects.update_or_create(pk=HEAD_PK, defaults={"last_id": last_id, "hash": previous})


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_audit_chain")]
    operations = [migrations.RunPython(link_existing, migrations.RunPython.noop)]
