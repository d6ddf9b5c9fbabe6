"""Tamper evidence: the audit events form a hash chain, and `manage.py verify_audit` names the first
row a DBA altered, deleted or inserted by raw SQL (SECURITY.md 12; audit.chain)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from audit.chain import GENESIS, event_hash
from audit.events import AuditEventType
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_event, audit_record, audit_record_many

# The triggers an attacker with DBA rights drops first (audit 0002, complaints 0014).
TRIGGERS = {
    "UPDATE": (
        "audit_auditevent_no_update",
        "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent FOR EACH ROW"
        " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are append-only'",
    ),
    "DELETE": (
        "audit_auditevent_no_delete",
        "CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent FOR EACH ROW"
        " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append-only table: change refused'",
    ),
}


@contextmanager
def as_a_dba(statement: str) -> Iterator[None]:
    """Drop the trigger that refuses `statement` (MySQL/MariaDB), and restore it whatever happens."""
    if connection.vendor != "mysql":
        yield
        return
    name, create = TRIGGERS[statement]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(create)


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def verify_audit() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        try:
            call_command("verify_audit", "--chunk", "2", stdout=out, stderr=err)
        except SystemExit as exit_:
            return int(exit_.code), err.getvalue()
    return 0, out.getvalue()


def write(count: int, **kwargs: Any) -> list[AuditEvent]:
    return [
        audit_record(
            event=AuditEventType.LOGIN_FAILED, user_name=f"usuario{i}", details={"n": i, "b": [1, 2]}, **kwargs
        )
        for i in range(count)
    ]


@pytest.mark.django_db
def test_each_event_links_to_the_one_before_and_the_chain_verifies() -> None:
    events = write(5)
    stored = list(AuditEvent.objects.order_by("pk"))
    assert [e.pk for e in stored] == [e.pk for e in events]
    assert stored[0].prev_hash == GENESIS
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert all(event_hash(e) == e.hash for e in stored)  # as read back from the database
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.hash) == (stored[-1].pk, stored[-1].hash)
    assert verify_audit() == (0, "Audit chain intact, 5 events.\n")


@pytest.mark.django_db
def test_an_event_written_in_a_transaction_that_fails_leaves_no_gap() -> None:
    write(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(event=AuditEventType.EXPORT, object_repr="se deshace")
        raise RuntimeError
    write(1)
    assert not AuditEvent.objects.filter(object_repr="se deshace").exists()
    assert verify_audit() == (0, "Audit chain intact, 3 events.\n")


def together(count: int, **kwargs: Any) -> list[AuditEvent]:
    events = [
        audit_event(event=AuditEventType.EXPORT, user_name=f"lote{i}", details={"n": i}, **kwargs) for i in range(count)
    ]
    return audit_record_many(events)


@pytest.mark.django_db
def test_events_written_together_link_in_order_under_one_insert_and_one_move_of_the_head() -> None:
    write(2)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        events = together(3)
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum(q.startswith("INSERT INTO") and "audit_auditevent" in q for q in sql) == 1
    assert sum(q.startswith("UPDATE") and "audit_chainhead" in q for q in sql) == 1
    write(1)  # a single event after them links to the last one
    stored = list(AuditEvent.objects.order_by("pk"))
    assert [e.user_name for e in stored] == ["usuario0", "usuario1", "lote0", "lote1", "lote2", "usuario0"]
    assert [e.pk for e in stored[2:5]] == [e.pk for e in events]
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in stored)
    assert AuditChainHead.objects.get().last_id == stored[-1].pk
    assert verify_audit() == (0, "Audit chain intact, 6 events.\n")


@pytest.mark.django_db
def test_events_written_together_in_a_transaction_that_fails_leave_no_gap() -> None:
    write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        together(3, object_repr="se deshace")
        raise RuntimeError
    together(2)  # alone: a transaction of its own
    assert not AuditEvent.objects.filter(object_repr="se deshace").exists()
    assert verify_audit() == (0, "Audit chain intact, 3 events.\n")


@pytest.mark.django_db(transaction=True)
def test_a_row_altered_by_raw_sql_is_named() -> None:
    events = write(4)
    target = events[1]
    with as_a_dba("UPDATE"):
        raw("UPDATE audit_auditevent SET user_name = 'otro' WHERE id = %s", [target.pk])
    assert AuditEvent.objects.get(pk=target.pk).user_name == "otro"
    status, output = verify_audit()
    assert status == 1
    assert f"[altered] event={target.pk} " in output and "content altered" in output
    assert "after 1 intact events" in output


@pytest.mark.django_db(transaction=True)
def test_a_row_altered_with_its_hash_recomputed_breaks_the_next_link() -> None:
    events = write(3)
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.event = AuditEventType.LOGIN
    forged = event_hash(target)
    with as_a_dba("UPDATE"):
        raw("UPDATE audit_auditevent SET event = 'login', hash = %s WHERE id = %s", [forged, target.pk])
    status, output = verify_audit()
    assert status == 1 and f"[deleted] event={events[2].pk} " in output and f"event {target.pk} was altered" in output


@pytest.mark.django_db(transaction=True)
def test_a_deleted_row_is_found_in_the_middle_and_at_the_end() -> None:
    events = write(4)
    with as_a_dba("DELETE"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    status, output = verify_audit()
    assert status == 1 and f"[deleted] event={events[2].pk} " in output and "row deleted before it" in output


@pytest.mark.django_db(transaction=True)
def test_the_last_rows_deleted_are_found_by_the_chain_head() -> None:
    events = write(3)
    with as_a_dba("DELETE"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    status, output = verify_audit()
    assert status == 1 and "last rows deleted" in output and f"names event {events[2].pk}" in output


@pytest.mark.django_db
def test_a_row_inserted_by_raw_sql_is_found() -> None:
    events = write(2)
    raw(
        "INSERT INTO audit_auditevent (created_at, user_name, role, unit_code, ip, event, object_type, object_id,"
        " object_repr, outcome, request_id, details, prev_hash, hash) SELECT created_at, 'intruso', role, unit_code,"
        " ip, event, object_type, object_id, object_repr, outcome, request_id, details, '', '' FROM audit_auditevent"
        " WHERE id = %s",
        [events[0].pk],
    )
    intruder = AuditEvent.objects.get(user_name="intruso")
    status, output = verify_audit()
    assert status == 1 and f"[inserted] event={intruder.pk} " in output


@pytest.mark.django_db(transaction=True)
def test_a_forged_row_with_a_valid_hash_is_found_as_inserted() -> None:
    first, second = write(2)
    # A forged row with a valid hash linked to the last event; the real writer, going by the chain
    # head, links the next event past it.
    raw(
        "INSERT INTO audit_auditevent (created_at, user_name, role, unit_code, ip, event, object_type, object_id,"
        " object_repr, outcome, request_id, details, prev_hash, hash) SELECT created_at, 'intruso', role,"
        " unit_code, ip, event, object_type, object_id, object_repr, outcome, request_id, details, %s, %s"
        " FROM audit_auditevent WHERE id = %s",
        [second.hash, "", first.pk],
    )
    intruder = AuditEvent.objects.get(user_name="intruso")
    intruder_hash = event_hash(intruder)
    with as_a_dba("UPDATE"):
        raw("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [intruder_hash, intruder.pk])
    write(1)  # the real writer links to the head, i.e. to `second`, not to the forged row
    status, output = verify_audit()
    assert status == 1 and f"[inserted] event={intruder.pk} " in output and "row inserted" in output


@pytest.mark.django_db(transaction=True)
def test_the_rows_stored_before_the_chain_get_their_links_from_the_migration() -> None:
    import importlib

    from django.apps import apps

    write(3)
    with as_a_dba("UPDATE"):
        raw("UPDATE audit_auditevent SET prev_hash = '', hash = ''")
    AuditChainHead.objects.all().delete()
    assert verify_audit()[0] == 1
    migration = importlib.import_module("audit.migrations.0006_audit_chain_hashes")
    migration.link_existing(apps, type("Editor", (), {"connection": connection})())
    assert verify_audit() == (0, "Audit chain intact, 3 events.\n")
    write(1)
    assert verify_audit() == (0, "Audit chain intact, 4 events.\n")


def _run_at_once(jobs: list[Callable[[], Any]]) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_an_intact_chain(personas: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    actor = personas["auditor"]

    def alone() -> None:
        for _ in range(5):
            audit_record(event=AuditEventType.EXPORT, actor=actor, object_repr="solo")

    def in_transactions() -> None:
        for i in range(5):
            try:
                with transaction.atomic():
                    audit_record(event=AuditEventType.EXPORT, actor=actor, object_repr="en transacción")
                    if i % 2:
                        raise RuntimeError
            except RuntimeError:
                pass

    def in_batches() -> None:
        for _ in range(5):
            with transaction.atomic():
                audit_record(event=AuditEventType.EXPORT, actor=actor, object_repr="antes del lote")
                events = [audit_event(event=AuditEventType.EXPORT, actor=actor, object_repr="lote") for _ in range(3)]
                audit_record_many(events)

    # The chain head exists (created by migration 0006 in a real database; here by the first event
    # after the test flush: creating it races, and is retried, but not inside a caller's transaction).
    audit_record(event=AuditEventType.EXPORT, actor=actor, object_repr="cabeza")
    before = AuditEvent.objects.count()
    _run_at_once([alone, in_transactions, in_batches] * 4)
    assert AuditEvent.objects.count() == before + 4 * 5 + 4 * 3 + 4 * 5 * 4
    assert verify_audit() == (0, f"Audit chain intact, {before + 112} events.\n")
