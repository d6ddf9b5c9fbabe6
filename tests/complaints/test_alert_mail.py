"""An alert e-mail that cannot be sent: the registration stands, the alert waits unread in the
inbox, and the failure leaves a log line and an audit event, without addresses or names."""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend

from audit.events import AuditEventType
from audit.models import AuditEvent
from complaints.models import Alert
from complaints.services import complaint_file
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient (the error names them, as smtplib's does)."""

    def send_messages(self, email_messages: Any) -> int:
        recipients = {address: (550, b"mailbox unavailable") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


def test_a_failed_alert_email_is_logged_and_audited_and_the_registration_stands(
    personas: dict, clients: dict, settings: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.complaints.test_alert_mail.RefusingBackend"
    with caplog.at_level(logging.ERROR, logger="complaints.services"):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())

    assert complaint.is_frozen and complaint.number
    alert = Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP")  # the unit with addresses
    assert alert.acknowledged_at is None

    failed = AuditEvent.objects.get(event=AuditEventType.ALERT_EMAIL_FAILED)
    assert failed.outcome == AuditEvent.Outcome.FAILURE
    assert failed.object_type == "complaints.alert" and failed.object_id == str(alert.pk)
    assert failed.details == {"complaint": complaint.number, "unit": "DIVINTRAP", "error": "SMTPRecipientsRefused"}

    logged = [record for record in caplog.records if record.name == "complaints.services"]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    text = logged[0].getMessage()
    assert complaint.number in text and "DIVINTRAP" in text
    for secret in ("@policia.gob.pe", "Lucía", "Condori", "Juana", "76543210"):
        assert secret not in text and secret not in str(failed.details) + failed.object_repr

    inbox = clients["national_investigator"].get("/denuncias/alertas/")
    assert [a.pk for a in inbox.context["page"]] == [alert.pk]
    assert f'id="acknowledge-{alert.pk}"' in inbox.content.decode()  # still to be acknowledged


def test_a_sent_alert_email_records_no_failure(personas: dict, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert not AuditEvent.objects.filter(event=AuditEventType.ALERT_EMAIL_FAILED).exists()


def test_a_mail_server_that_never_answers_does_not_hold_the_registration(
    personas: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A real SMTP connection to a server that accepts it and then says nothing: the e-mail gives up
    after EMAIL_TIMEOUT, the failure is audited, the registration stands."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    silent = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    silent.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            complaint = complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
        waited = time.monotonic() - started
    finally:
        for connection in accepted:
            connection.close()
        listener.close()

    assert accepted, "the e-mail was not even tried"
    assert complaint.is_frozen and complaint.number
    failed = AuditEvent.objects.get(event=AuditEventType.ALERT_EMAIL_FAILED)
    # smtplib reports the silent greeting as a lost connection ("timed out")
    assert failed.details["error"] == "SMTPServerDisconnected" and failed.details["complaint"] == complaint.number
    assert waited < 10  # one timeout per alert with addresses (DIVINTRAP), not a hung request


class CountingBackend(locmem.EmailBackend):
    """Django's in-memory backend that counts the connections opened to the "server" (opening an
    open connection opens nothing, as with SMTP)."""

    opened = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self) -> bool:
        if self.is_open:
            return False
        type(self).opened += 1
        self.is_open = True
        return True

    def close(self) -> None:
        self.is_open = False


def test_the_alert_emails_of_a_registration_share_one_connection(
    personas: dict, units: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories.administration import UserFactory

    UserFactory(username="jefe.mdd", unit=units["DIRTEPOL-MADRE-DE-DIOS"], email="jefe.mdd@policia.gob.pe")
    settings.EMAIL_BACKEND = "tests.complaints.test_alert_mail.CountingBackend"
    CountingBackend.opened = 0
    with django_capture_on_commit_callbacks(execute=True):
        complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())

    # the directorate's and DIVINTRAP's alerts, each to its unit's users
    assert len(mail.outbox) == 2, [message.to for message in mail.outbox]
    assert CountingBackend.opened == 1


class DroppingBackend(CountingBackend):
    """A relay that drops the connection when its first message fails (a 421, as smtplib sees it),
    then accepts a new connection."""

    opened = 0
    attempts = 0

    def send_messages(self, email_messages: Any) -> int:
        if not self.is_open:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        type(self).attempts += 1
        if type(self).attempts == 1:
            self.is_open = False
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


def test_a_dropped_connection_fails_one_alert_email_and_the_next_goes_out_on_a_new_one(
    personas: dict, units: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories.administration import UserFactory

    UserFactory(username="jefe.mdd", unit=units["DIRTEPOL-MADRE-DE-DIOS"], email="jefe.mdd@policia.gob.pe")
    settings.EMAIL_BACKEND = "tests.complaints.test_alert_mail.DroppingBackend"
    DroppingBackend.opened = DroppingBackend.attempts = 0
    with django_capture_on_commit_callbacks(execute=True):
        complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())

    failed = AuditEvent.objects.filter(event=AuditEventType.ALERT_EMAIL_FAILED)
    assert [event.details["error"] for event in failed] == ["SMTPServerDisconnected"]
    assert len(mail.outbox) == 1  # the other unit's e-mail, on a new connection
    assert DroppingBackend.opened == 2
