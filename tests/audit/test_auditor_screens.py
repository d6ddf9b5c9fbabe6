"""The auditor's screens: filters (period, user, unit, kind of event, outcome, object), the trail of
one user and of one record, and the CSV and PDF audit reports, each of them recorded."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from administration import services as admin_services
from audit.events import AuditEventType, event_groups, group_members
from audit.models import AuditEvent
from audit.services import audit_record
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _csv(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def trail(personas: dict) -> dict[str, Any]:
    officer, investigator = personas["station_officer"], personas["regional_investigator"]
    with time_machine.travel("2031-03-02T15:00:00Z", tick=False):
        old = audit_record(event=AuditEventType.LOGIN, actor=officer)
    with time_machine.travel("2031-03-10T15:00:00Z", tick=False):
        reveal = audit_record(
            event=AuditEventType.IDENTITY_SHOWN, obj=officer, actor=investigator, object_repr="CF-2031-0007"
        )
        viewed = audit_record(event=AuditEventType.COMPLAINT_VIEWED, obj=officer, actor=officer, object_repr="X")
        failed = audit_record(
            event=AuditEventType.LOGIN_FAILED, user_name="intruso", outcome=AuditEvent.Outcome.FAILURE
        )
    return {"old": old, "reveal": reveal, "viewed": viewed, "failed": failed}


def _ids(response: Any) -> set[int]:
    return {event.pk for event in response.context["page"]}


def test_the_filters_narrow_the_trail(personas: dict, trail: dict) -> None:
    client = signed_in_client(personas["auditor"])
    url = reverse("audit:event_list")
    mine = {e.pk for e in trail.values()}

    def shown(**query: str) -> set[int]:
        return _ids(client.get(url, query)) & mine

    assert shown() == mine
    assert shown(date_from="2031-03-05", date_to="2031-03-31") == mine - {trail["old"].pk}
    assert shown(user_name="REGIONAL.INVESTIGATOR") == {trail["reveal"].pk}
    assert shown(unit_code=personas["station_officer"].unit.code) >= {trail["old"].pk, trail["viewed"].pk}
    assert shown(group="sign-in-and-sessions") == {trail["old"].pk, trail["failed"].pk}
    assert shown(event="identity_shown") == {trail["reveal"].pk}
    assert shown(outcome="failure") == {trail["failed"].pk}
    assert shown(object="CF-2031") == {trail["reveal"].pk}
    assert shown(object_type="administration.user", object=str(personas["station_officer"].pk)) == {
        trail["reveal"].pk,
        trail["viewed"].pk,
    }
    bad = client.get(url, {"date_from": "2031-03-31", "date_to": "2031-03-01"})
    assert "La fecha final es anterior a la fecha inicial." in bad.content.decode()
    assert _ids(bad) == set()  # an unreadable filter shows nothing rather than everything


def test_every_event_of_the_catalogue_is_in_a_group_of_the_filter() -> None:
    grouped = {event for _key, _title, members in event_groups() for event in members}
    assert grouped == set(AuditEventType)
    assert "login_failed" in group_members("sign-in-and-sessions") and group_members("nonsense") == []


def test_the_trail_of_a_user_and_of_a_record(personas: dict, trail: dict) -> None:
    client = signed_in_client(personas["auditor"])
    officer = personas["station_officer"]
    page = client.get(reverse("audit:user_trail", args=[officer.username]))
    assert page.status_code == 200 and {trail["old"].pk, trail["viewed"].pk} <= _ids(page)
    assert trail["reveal"].pk not in _ids(page)
    record = client.get(reverse("audit:object_trail", args=["administration.user", str(officer.pk)]))
    assert _ids(record) == {trail["reveal"].pk, trail["viewed"].pk}
    body = record.content.decode()
    assert "CF-2031-0007" in body and "regional.investigator" in body
    # The reports of the record's trail hold that record's events only.
    csv = _csv(client.get(reverse("audit:event_export") + "?" + record.context["report_query"]))
    assert "CF-2031-0007" in csv and "intruso" not in csv


def test_the_csv_and_pdf_reports_hold_the_filtered_events_and_are_recorded(personas: dict, trail: dict) -> None:
    client = signed_in_client(personas["auditor"])
    query = {"event": "identity_shown", "date_from": "2031-03-01"}
    csv = _csv(client.get(reverse("audit:event_export"), query))
    assert "CF-2031-0007" in csv and "regional.investigator" in csv and "intruso" not in csv
    pdf = client.get(reverse("audit:event_report_pdf"), query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "CF-2031-0007" in text and "regional.investigator" in text and "intruso" not in text
    assert "auditor" in text and "Identidades mostradas" in text and "01/03/2031" in text
    reports = AuditEvent.objects.filter(event="export", user_name="auditor").order_by("pk")
    assert [r.details["format"] for r in reports] == ["csv", "pdf"]
    assert reports.last().details["count"] == 1 and reports.last().details["filters"]["event"] == "identity_shown"


def test_a_change_of_role_unit_or_activity_is_in_the_trail_of_the_account(personas: dict, units: dict) -> None:
    admin, officer = personas["national_admin"], personas["station_officer"]
    admin_services.user_update(actor=admin, user=officer, role="hotline_operator")
    admin_services.user_set_active(actor=admin, user=officer, active=False)
    client = signed_in_client(personas["auditor"])
    page = client.get(reverse("audit:object_trail", args=["administration.user", str(officer.pk)]))
    events = [e.event for e in page.context["page"]]
    assert "user_handover" in events and "user_deactivated" in events


def test_only_auditors_and_national_administrators_read_it(personas: dict) -> None:
    for name in ("station_officer", "monitor", "regional_investigator"):
        response = signed_in_client(personas[name]).get(reverse("audit:event_report_pdf"))
        assert response.status_code == 403
    assert Client().get(reverse("audit:event_report_pdf")).status_code == 302


def test_the_pdf_says_when_it_lists_only_the_first_events(personas: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from audit import views

    monkeypatch.setattr(views, "PDF_LIMIT", 2)
    for i in range(3):
        audit_record(event=AuditEventType.LOGIN_FAILED, user_name=f"u{i}", outcome=AuditEvent.Outcome.FAILURE)
    client = signed_in_client(personas["auditor"])
    text = _pdf_text(client.get(reverse("audit:event_report_pdf"), {"outcome": "failure"}).content)
    assert "3" in text and "los primeros 2" in text
