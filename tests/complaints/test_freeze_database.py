# ruff: noqa: S608 - the SQL names this module's own tables, never input
"""Issue 9, items 2 and 4, in the database (MariaDB): the freeze triggers cover DELETE and moving
rows and are lifted only by the amendment lease (not by a session variable); history, audit and
register rows refuse UPDATE, DELETE, REPLACE and upserts; the test flush still empties them; the
production grants leave the application's user unable to tamper."""

from __future__ import annotations

import MySQLdb
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from administration.management.commands.db_grants import append_only_tables
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_record
from complaints.models import Complaint, ComplaintVictim
from reta.guards import AppendOnlyModel

ON_MYSQL = connection.vendor == "mysql"
pytestmark = [
    pytest.mark.mysql,
    pytest.mark.skipif(not ON_MYSQL, reason="The triggers and grants exist on MySQL/MariaDB only."),
    pytest.mark.django_db,
]


def refused(sql: str, params: list | None = None) -> str | None:
    """The database's refusal of `sql` (its message), or None when it went through."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError as error:
        return str(error)
    return None


def frozen_parts(complaints: dict) -> dict:
    frozen = complaints["frozen"]
    victim = frozen.victims.get()
    suspect = frozen.suspects.get()
    return {"complaint": frozen, "victim": victim, "suspect": suspect, "person": victim.person}


# ---------------------------------------------------------------- the freeze: DELETE and moving rows


def test_deleting_any_part_of_a_frozen_complaint_is_refused(complaints: dict) -> None:
    parts = frozen_parts(complaints)
    statements = [
        ("DELETE FROM complaints_complaintvictim WHERE id = %s", parts["victim"].pk),
        ("DELETE FROM complaints_complaintsuspect WHERE id = %s", parts["suspect"].pk),
        ("DELETE FROM complaints_person WHERE id = %s", parts["suspect"].person_id),
        ("DELETE FROM complaints_complaint WHERE id = %s", parts["complaint"].pk),
    ]
    for sql, pk in statements:
        assert "frozen complaint" in (refused(sql, [pk]) or ""), sql
    assert ComplaintVictim.objects.filter(pk=parts["victim"].pk).exists()


def test_a_draft_row_cannot_move_into_a_frozen_complaint_nor_take_a_frozen_person(complaints: dict) -> None:
    parts = frozen_parts(complaints)
    draft = complaints["draft"]
    draft_victim = draft.victims.get()
    moves = [
        (
            "UPDATE complaints_complaintvictim SET complaint_id = %s WHERE id = %s",
            [parts["complaint"].pk, draft_victim.pk],
        ),
        ("UPDATE complaints_complaintvictim SET person_id = %s WHERE id = %s", [parts["person"].pk, draft_victim.pk]),
        ("UPDATE complaints_complaint SET complainant_id = %s WHERE id = %s", [parts["person"].pk, draft.pk]),
    ]
    for sql, params in moves:
        assert "frozen complaint" in (refused(sql, params) or ""), sql
    # the draft's own rows still change and go (the refusals above are about the frozen record)
    assert refused("UPDATE complaints_complaintvictim SET age = 40 WHERE id = %s", [draft_victim.pk]) is None
    assert refused("DELETE FROM complaints_complaintvictim WHERE id = %s", [draft_victim.pk]) is None


def test_a_session_variable_lifts_nothing(complaints: dict) -> None:
    parts = frozen_parts(complaints)
    with connection.cursor() as cursor:
        cursor.execute("SET @reta_amendment = 1")
    try:
        assert refused("UPDATE complaints_complaint SET narrative = 'x' WHERE id = %s", [parts["complaint"].pk])
        assert refused("DELETE FROM complaints_complaintvictim WHERE id = %s", [parts["victim"].pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET @reta_amendment = NULL")


def test_the_lease_lifts_the_freeze_of_its_own_connection_and_is_logged(complaints: dict) -> None:
    frozen = complaints["frozen"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reta_amendment_log WHERE complaint_id = %s", [frozen.pk])
        (logged,) = cursor.fetchone()
        cursor.execute("CALL reta_amendment_open(%s)", [frozen.pk])
    assert refused("UPDATE complaints_complaint SET narrative = 'enmendado' WHERE id = %s", [frozen.pk]) is None
    assert refused("DELETE FROM complaints_complaint WHERE id = %s", [frozen.pk])  # never, lease or not
    with connection.cursor() as cursor:
        cursor.execute("CALL reta_amendment_close()")
        cursor.execute("SELECT COUNT(*), MAX(db_user) FROM reta_amendment_log WHERE complaint_id = %s", [frozen.pk])
        count, user = cursor.fetchone()
    assert count == logged + 1 and user.startswith("root@")
    assert refused("UPDATE complaints_complaint SET narrative = 'otra vez' WHERE id = %s", [frozen.pk])
    assert refused("DELETE FROM reta_amendment_log")  # the log is append-only


# ---------------------------------------------------------------- history, audit and register


def _triggers() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EVENT_OBJECT_TABLE, EVENT_MANIPULATION FROM information_schema.TRIGGERS"
            " WHERE TRIGGER_SCHEMA = DATABASE() AND ACTION_TIMING = 'BEFORE'"
        )
        found: dict[str, set[str]] = {}
        for table, event in cursor.fetchall():
            found.setdefault(table, set()).add(event)
    return found


def test_every_history_audit_and_register_table_refuses_update_and_delete_by_trigger() -> None:
    expected = {model._meta.db_table for model in apps.get_models() if model.__name__.startswith("Historical")}
    expected |= {model._meta.db_table for model in apps.get_models() if issubclass(model, AppendOnlyModel)}
    assert "audit_auditevent" in expected and "complaints_historicalcomplaint" in expected
    assert "administration_historicaluser" in expected and "complaints_historicaldiligence" in expected
    assert expected == append_only_tables()  # the grants command sees the same tables
    triggers = _triggers()
    missing = {table for table in expected if not {"UPDATE", "DELETE"} <= triggers.get(table, set())}
    assert missing == set(), f"append-only tables without their UPDATE/DELETE triggers: {sorted(missing)}"


def test_history_and_audit_rows_refuse_update_delete_replace_and_upsert(complaints: dict, personas: dict) -> None:
    event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    history_id = complaints["frozen"].history.latest().history_id
    rows = [("audit_auditevent", "id", event.pk), ("complaints_historicalcomplaint", "history_id", history_id)]
    for table, key, pk in rows:
        attempts = [
            f"UPDATE {table} SET request_id = 'x' WHERE {key} = %s",
            f"DELETE FROM {table} WHERE {key} = %s",
            f"REPLACE INTO {table} SELECT * FROM {table} WHERE {key} = %s",  # deletes the old row first
            f"INSERT INTO {table} SELECT * FROM {table} WHERE {key} = %s ON DUPLICATE KEY UPDATE request_id = 'x'",
        ]
        for sql in attempts:
            assert "append-only" in (refused(sql, [pk]) or ""), sql
    assert AuditEvent.objects.get(pk=event.pk).request_id == event.request_id
    assert complaints["frozen"].history.filter(history_id=history_id, request_id="x").count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_empties_the_guarded_tables(complaints: dict) -> None:
    """The flush between transactional tests: TRUNCATE for the tables with DELETE triggers."""
    assert Complaint.objects.filter(frozen_at__isnull=False).exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not Complaint.objects.exists() and not Complaint.history.exists() and not AuditEvent.objects.exists()


# ---------------------------------------------------------------- the production grants


def _fails(session: MySQLdb.Connection, sql: str, params: tuple = ()) -> bool:
    try:
        with session.cursor() as cursor:
            cursor.execute(sql, params)
    except MySQLdb.Error:
        return True
    return False


@pytest.mark.django_db(transaction=True)  # the other session sees committed rows only
def test_the_application_user_cannot_tamper(application_user: dict, complaints: dict, personas: dict) -> None:
    session = application_user["session"]
    frozen = complaints["frozen"]
    event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    history_id = frozen.history.latest().history_id
    # Not vacuous: the user reads, inserts and updates ordinary rows.
    with session.cursor() as cursor:
        cursor.execute("SELECT narrative FROM complaints_complaint WHERE id = %s", (frozen.pk,))
        assert cursor.fetchone()[0] == frozen.narrative
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, user_name, role, unit_code, ip, event, object_type,"
            " object_id, object_repr, outcome, request_id, details) SELECT created_at, user_name, role, unit_code,"
            " ip, event, object_type, object_id, object_repr, outcome, 'app-user', details FROM audit_auditevent"
            " WHERE id = %s",
            (event.pk,),
        )
        cursor.execute(
            "UPDATE complaints_complaint SET narrative = 'borrador' WHERE id = %s", (complaints["draft"].pk,)
        )
    assert AuditEvent.objects.filter(request_id="app-user").exists()
    assert Complaint.objects.get(pk=complaints["draft"].pk).narrative == "borrador"

    attempts = [
        ("UPDATE audit_auditevent SET event = 'x' WHERE id = %s", (event.pk,)),
        ("DELETE FROM audit_auditevent WHERE id = %s", (event.pk,)),
        ("REPLACE INTO audit_auditevent SELECT * FROM audit_auditevent WHERE id = %s", (event.pk,)),
        ("UPDATE complaints_historicalcomplaint SET request_id = 'x' WHERE history_id = %s", (history_id,)),
        ("DELETE FROM complaints_historicalcomplaint WHERE history_id = %s", (history_id,)),
        ("DROP TRIGGER audit_auditevent_no_delete", ()),
        ("DROP TRIGGER complaints_complaint_frozen_update", ()),
        ("INSERT INTO reta_amendment_lease VALUES (CONNECTION_ID(), NULL, NOW())", ()),
        ("DELETE FROM reta_amendment_log", ()),
        ("ALTER TABLE audit_auditevent ADD COLUMN x INT", ()),
    ]
    for sql, params in attempts:
        assert _fails(session, sql, params), sql
    with session.cursor() as cursor:
        cursor.execute("SET @reta_amendment = 1")
    assert _fails(session, "UPDATE complaints_complaint SET narrative = 'x' WHERE id = %s", (frozen.pk,))
    assert _fails(session, "DELETE FROM complaints_complaintvictim WHERE complaint_id = %s", (frozen.pk,))
    assert AuditEvent.objects.filter(pk=event.pk, event=AuditEventType.EXPORT).exists()
    assert Complaint.objects.get(pk=frozen.pk).narrative == frozen.narrative
    assert frozen.history.filter(history_id=history_id).exists()
