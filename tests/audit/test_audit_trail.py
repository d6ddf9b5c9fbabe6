"""The audit trail is append-only and records who, what, where and which request."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.events import AuditEventType
from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record
from reta.exports import neutralise
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed_or_deleted_through_the_application(personas: dict) -> None:
    event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    event.event = "altered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(event="altered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).event == "export"


@pytest.mark.mysql
def test_the_database_refuses_a_raw_update_of_an_event(personas: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The append-only trigger exists on MySQL/MariaDB only (SQLite is the try-out database).")
    event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET event = 'altered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).event == "export"


def test_a_request_stamps_its_events_with_user_unit_ip_and_request_id(personas: dict, password: str) -> None:
    client = Client(REMOTE_ADDR="10.20.30.40")
    response = client.post("/acceso/", {"username": "station.officer", "password": password})
    event = AuditEvent.objects.get(event="login")
    assert event.user_name == "station.officer"
    assert event.role == "station_officer"
    assert event.unit_code == "DIRTEPOL-CUSCO-CPNP-1"
    assert event.ip == "10.20.30.40"
    assert event.request_id == response["X-Request-ID"]


def test_a_failed_sign_in_is_recorded_without_the_password(personas: dict) -> None:
    Client().post("/acceso/", {"username": "station.officer", "password": "secreto-que-no-va-al-log"})
    event = AuditEvent.objects.get(event="login_failed")
    assert event.outcome == "failure" and event.user_name == "station.officer"
    assert "secreto-que-no-va-al-log" not in str(event.details) + event.object_repr


def test_the_auditor_reads_and_exports_the_trail_and_the_export_is_recorded(personas: dict) -> None:
    # The user name of a failed sign-in is whatever was typed: the classic way a formula gets in.
    audit_record(event=AuditEventType.LOGIN_FAILED, user_name="=cmd|' /C calc'!A0")
    client = signed_in_client(personas["auditor"])
    page = client.get(reverse("audit:event_list"))
    assert page.status_code == 200
    export = client.get(reverse("audit:event_export"))
    body = b"".join(export.streaming_content).decode("utf-8")
    assert "'=cmd|" in body  # neutralised, not a live formula
    assert AuditEvent.objects.filter(event="export", user_name="auditor").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+51 999", "'+51 999"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Cusco", "Cusco"), (5, 5)],
)
def test_export_cells_never_start_a_formula(value: object, expected: object) -> None:
    assert neutralise(value) == expected
