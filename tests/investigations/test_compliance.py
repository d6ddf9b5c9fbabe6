"""Compliance monitoring for the Permanent Secretariat (issue 13, item 5): the figures of a small
data set built at a fixed moment (never today's date), the scope, the exports and their audit, and
a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from administration.access import Scope
from administration.models import Role, User
from audit.models import AuditEvent
from complaints.models import Alert
from complaints.services import complaint_file
from investigations import compliance
from investigations.completeness import case_completeness
from investigations.models import CaseReport, CaseReportStatus, CaseStatus
from tests.factories.administration import UnitFactory, UserFactory
from tests.factories.complaints import bar_in_madre_de_dios
from tests.investigations.conftest import open_case

pytestmark = pytest.mark.django_db

LIMA = zoneinfo.ZoneInfo("America/Lima")
FILED = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=LIMA)  # the three complaints of June
LATER = datetime.datetime(2026, 7, 1, 0, 10, tzinfo=LIMA)  # one more, just outside June in Lima
NOW = FILED + datetime.timedelta(days=4)  # every deadline (24 h, 72 h) is past
JUNE = {"date_from": datetime.date(2026, 6, 1), "date_to": datetime.date(2026, 6, 30)}
JUNE_GET = {"date_from": "2026-06-01", "date_to": "2026-06-30"}
STATION = "DIRTEPOL-CUSCO-CPNP-1"


def _file(personas: dict, when: datetime.datetime, delay: int) -> Any:
    with time_machine.travel(when, tick=False):
        facts = when.date() - datetime.timedelta(days=delay)
        return complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(facts_date=facts))


@pytest.fixture
def data(units: dict, personas: dict) -> dict:
    """Three complaints of the Cusco station in June (delays 2, 5 and 30 days), one in July; one
    alert left unacknowledged; DIVINTRAP's case file opened from its alert with a report
    transmitted; Cusco's case file (its unit was not alerted); an account idle for 400 days."""
    first, second, third = (_file(personas, FILED, delay) for delay in (2, 5, 30))
    _file(personas, LATER, 1)
    alerts = Alert.objects.filter(complaint=first).order_by("pk")
    kept = alerts.filter(unit=units["DIVINTRAP"]).get()
    Alert.objects.exclude(pk=kept.pk).update(acknowledged_at=FILED + datetime.timedelta(hours=1))
    with time_machine.travel(FILED + datetime.timedelta(hours=2), tick=False):
        from investigations import services

        national = services.case_file_open(
            actor=personas["national_investigator"],
            data=services.OpenData(title="Caso nacional", complaint_ids=[first.pk]),
        )
        regional = open_case(personas, second)
    CaseReport.objects.create(
        case_file=national,
        unit=units["DIVINTRAP"],
        year=2026,
        sequence=1,
        number="DIVINTRAP-IP-2026-000001",
        status=CaseReportStatus.TRANSMITTED,
        created_by=personas["national_investigator"],
        transmitted_by=personas["national_investigator"],
        transmitted_at=FILED + datetime.timedelta(days=3),
        prosecutor_office="Fiscalía Especializada",
    )
    User.objects.filter(pk=personas["outsider"].pk).update(last_login=NOW - datetime.timedelta(days=400))
    User.objects.filter(pk=personas["station_officer"].pk).update(last_login=NOW - datetime.timedelta(days=10))
    return {"complaints": [first, second, third], "alert": kept, "national": national, "regional": regional}


def _row(report: compliance.Report, code: str) -> compliance.UnitRow:
    return next(row for row in compliance.flat_units(report) if row.code == code)


def test_the_figures_of_each_unit_and_the_totals(units: dict, data: dict) -> None:
    report = compliance.compliance_report(scope=Scope.national(), now=NOW, **JUNE)
    station = _row(report, STATION).figures
    assert station.complaints == 3  # the July complaint is outside June in Lima
    assert (station.delay_median, station.delay_p90) == (5, 25)  # 2, 5, 30 days
    divintrap = _row(report, "DIVINTRAP").figures
    assert divintrap.overdue_alerts == 1 and divintrap.oldest_overdue == data["alert"].created_at
    assert divintrap.case_files == {**dict.fromkeys(CaseStatus.values, 0), CaseStatus.OPEN: 1}
    assert divintrap.completeness_mean == case_completeness(data["national"]).score
    assert divintrap.reports == 1
    # Cusco's specialised unit opened a case file too, but was never alerted about that complaint.
    assert _row(report, "DIRTEPOL-CUSCO-TRATA").figures.case_files_total == 0
    assert _row(report, "DIRTEPOL-LIMA-CPNP-1").figures.inactive_accounts == 1
    assert report.total.inactive_accounts == 1  # the station officer signed in 10 days ago
    zero = {row.code for row in report.zero_units}
    assert "DIRTEPOL-LIMA-CPNP-1" in zero and "LINEA-0800" in zero and STATION not in zero
    assert report.total.complaints == 3 and report.total.overdue_alerts == 1
    cusco = next(group for group in report.groups if group.code == "DIRTEPOL-CUSCO")
    assert cusco.total.complaints == 3 and (cusco.total.delay_median, cusco.total.delay_p90) == (5, 25)


def test_an_alert_acknowledged_or_not_yet_due_is_not_counted(data: dict) -> None:
    soon = FILED + datetime.timedelta(hours=1)  # before every deadline
    report = compliance.compliance_report(scope=Scope.national(), now=soon, **JUNE)
    assert report.total.overdue_alerts == 0
    Alert.objects.filter(pk=data["alert"].pk).update(acknowledged_at=NOW)
    assert compliance.compliance_report(scope=Scope.national(), now=NOW, **JUNE).total.overdue_alerts == 0


def test_percentiles_by_linear_interpolation() -> None:
    from collections import Counter

    assert compliance.quantile(Counter({2: 1, 5: 1, 30: 1}), 0.5) == 5
    assert compliance.quantile(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2.5
    assert compliance.quantile(Counter({10: 9, 100: 1}), 0.9) == 19  # position 8.1
    assert compliance.quantile(Counter(), 0.5) is None


def test_a_directorate_filter_keeps_its_units_only(units: dict, data: dict) -> None:
    report = compliance.compliance_report(scope=Scope.national(), now=NOW, directorate=units["DIRTEPOL-LIMA"], **JUNE)
    assert [group.code for group in report.groups] == ["DIRTEPOL-LIMA"]
    assert report.total.complaints == 0 and report.total.inactive_accounts == 1


def test_the_number_of_queries_does_not_grow_with_the_data(units: dict, personas: dict, data: dict) -> None:
    with CaptureQueriesContext(connection) as before:
        compliance.compliance_report(scope=Scope.national(), now=NOW, **JUNE)
    for index in range(4):
        UnitFactory(code=f"DIRTEPOL-LIMA-CPNP-{index + 2}", kind="station", parent=units["DIRTEPOL-LIMA"])
    _file(personas, FILED, 7)
    with time_machine.travel(FILED + datetime.timedelta(hours=3), tick=False):
        open_case(personas, data["complaints"][2])
    with CaptureQueriesContext(connection) as after:
        report = compliance.compliance_report(scope=Scope.national(), now=NOW, **JUNE)
    assert report.total.complaints == 4
    assert len(after) == len(before) <= 12


# ---------------------------------------------------------------- the page and its exports


def test_the_monitor_sees_the_page_with_its_charts_and_tables(clients: dict, data: dict) -> None:
    with time_machine.travel(NOW, tick=False):
        response = clients["monitor"].get(reverse("investigations:compliance"), JUNE_GET)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-unit="{STATION}"' in page
    row = page.split(f'<tr class="compliance-unit" data-unit="{STATION}">')[1].split("</tr>")[0]
    assert '<td class="num" data-figure="complaints">3</td>' in row
    assert '<td class="num" data-figure="delay_p90">25</td>' in row
    assert page.count("<svg") == 4 and 'id="chart-table-complaints"' in page
    assert 'id="zero-units-list"' in page and "DIRTEPOL-LIMA-CPNP-1" in page
    assert 'for="id_date_from"' in page and 'for="id_directorate"' in page


def test_a_regional_investigator_sees_her_directorate_only(clients: dict, data: dict) -> None:
    with time_machine.travel(NOW, tick=False):
        response = clients["regional_investigator"].get(reverse("investigations:compliance"), JUNE_GET)
    assert response.status_code == 200
    report = response.context["report"]
    assert [group.code for group in report.groups] == ["DIRTEPOL-CUSCO"]
    assert report.total.complaints == 3 and report.total.overdue_alerts == 0  # DIVINTRAP's alert is not hers


@pytest.mark.parametrize("persona", ["station_officer", "hotline_operator", "auditor"])
def test_other_roles_are_refused(clients: dict, persona: str) -> None:
    assert clients[persona].get(reverse("investigations:compliance")).status_code == 403


def test_wrong_dates_are_refused_with_a_clear_message(clients: dict) -> None:
    response = clients["monitor"].get(
        reverse("investigations:compliance"), {"date_from": "2026-06-30", "date_to": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "La primera fecha es posterior a la última." in response.content.decode()
    export = clients["monitor"].get(
        reverse("investigations:compliance_export", args=["csv"]), {"date_from": "no es fecha"}
    )
    assert export.status_code == 400 and not AuditEvent.objects.filter(event="export").exists()


def test_the_csv_export_has_the_table_and_is_audited(clients: dict, personas: dict, data: dict) -> None:
    with time_machine.travel(NOW, tick=False):
        response = clients["monitor"].get(reverse("investigations:compliance_export", args=["csv"]), JUNE_GET)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "reta-cumplimiento-2026-06-01-2026-06-30.csv" in response["Content-Disposition"]
    assert "delay_median_days,delay_p90_days" in text
    line = next(line for line in text.splitlines() if f",{STATION}," in line)
    assert line.split(",")[3:7] == ["3", "3", "5", "25"]
    event = AuditEvent.objects.get(event="export", user=personas["monitor"])
    assert event.details["table"] == "compliance" and event.details["date_from"] == "2026-06-01"
    assert event.details["complaints"] == 3 and event.details["overdue_alerts"] == 1


def test_the_xlsx_export_keeps_counts_as_numbers(clients: dict, data: dict) -> None:
    from openpyxl import load_workbook

    with time_machine.travel(NOW, tick=False):
        response = clients["national_investigator"].get(
            reverse("investigations:compliance_export", args=["xlsx"]), JUNE_GET
        )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == STATION)
    assert row[3:7] == (3, 3, 5, 25)
    assert AuditEvent.objects.filter(event="export").count() == 1


def test_the_regional_investigator_may_export_but_not_an_unverified_admin(clients: dict, units: dict) -> None:
    from django.test import Client

    admin = UserFactory(username="admin.sin.totp", unit=units["DIVINTRAP"], role=Role.NATIONAL_ADMIN)
    unverified = Client()
    unverified.force_login(admin)  # no second factor in the session
    url = reverse("investigations:compliance_export", args=["csv"])
    assert clients["regional_investigator"].get(url).status_code == 200
    assert unverified.get(url).status_code in (302, 403)
    assert not AuditEvent.objects.filter(event="export", user=admin).exists()


def test_the_directorate_filter_of_the_page_offers_the_scope_only(clients: dict, units: dict, data: dict) -> None:
    url = reverse("investigations:compliance")
    lima = str(units["DIRTEPOL-LIMA"].pk)
    with time_machine.travel(NOW, tick=False):
        national = clients["monitor"].get(url, {**JUNE_GET, "directorate": lima})
        regional = clients["regional_investigator"].get(url, {**JUNE_GET, "directorate": lima})
    assert national.status_code == 200
    assert [group.code for group in national.context["report"].groups] == ["DIRTEPOL-LIMA"]
    assert f"directorate={lima}" in national.content.decode()  # the export links keep the filter
    assert regional.status_code == 400 and regional.context["report"] is None  # Lima is not hers
    assert 'id="id_directorate"' in regional.content.decode()


def test_the_period_is_read_in_lima_time(units: dict, personas: dict) -> None:
    """Registered on 30 June at 22:00 in Lima (1 July, 03:00 UTC): a complaint of June."""
    _file(personas, datetime.datetime(2026, 6, 30, 22, 0, tzinfo=LIMA), 3)
    june = compliance.compliance_report(scope=Scope.national(), now=NOW, **JUNE)
    july = compliance.compliance_report(
        scope=Scope.national(), now=NOW, date_from=datetime.date(2026, 7, 1), date_to=datetime.date(2026, 7, 31)
    )
    assert (june.total.complaints, june.total.delay_median, july.total.complaints) == (1, 3, 0)
