"""The demo case file (demo.case_files): the Madre de Dios complaint of this year worked by
investigador.cusco through the services — route Cusco → Madre de Dios, an operation, two exhibits
with their custody, and a police report generated, not transmitted, whose package validates.
Loading it again adds nothing."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from administration.services import reference_data_load
from audit.models import AuditEvent
from complaints.models import Alert, Complaint
from demo.accounts import demo_users_ensure
from demo.case_files import COMPLAINT_FORM_KEY, demo_case_file_ensure
from demo.complaints import _recent_ensure
from investigations import package
from investigations.completeness import case_completeness
from investigations.models import (
    CaseFile,
    CasePerson,
    CaseReport,
    CaseReportVersion,
    CaseStatus,
    CustodyTransfer,
    Exhibit,
    Operation,
    ProofLink,
    RouteLeg,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The reference data, the demo accounts, this year's demo complaints and the case file, once
    for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        demo_users_ensure(password="una-clave-de-prueba-larga")
        _recent_ensure()
        yield demo_case_file_ensure()
        transaction.set_rollback(True)


def test_the_madre_de_dios_complaint_becomes_a_case_file_of_cusco(demo: Any) -> None:
    assert demo.created
    case_file = demo.case_file
    complaint = Complaint.objects.get(form_token=COMPLAINT_FORM_KEY)
    assert Alert.objects.filter(complaint=complaint, unit__code="DIRTEPOL-CUSCO-TRATA").exists()
    assert list(case_file.complaint_links.values_list("complaint_id", flat=True)) == [complaint.pk]
    assert case_file.owning_unit.code == "DIRTEPOL-CUSCO-TRATA"
    assert case_file.lead.username == "investigador.cusco"
    assert case_file.status == CaseStatus.UNDER_INVESTIGATION
    roles = sorted(CasePerson.objects.filter(case_file=case_file).values_list("role", flat=True))
    assert roles == ["alleged_trafficker", "victim"]
    trafficker = CasePerson.objects.get(case_file=case_file, role="alleged_trafficker")
    assert "La Tía" in set(trafficker.identity.names.values_list("name", flat=True))
    assert case_file.phones.get().number.startswith("+519")
    assert case_file.vehicles.get().plate_key == "BDF482"


def test_the_route_operation_exhibits_and_custody(demo: Any) -> None:
    case_file = demo.case_file
    facts = Complaint.objects.get(form_token=COMPLAINT_FORM_KEY).facts_date
    legs = list(RouteLeg.objects.filter(case_file=case_file).order_by("sequence").select_related("district"))
    assert [(leg.stage, leg.district.code) for leg in legs] == [("recruitment", "080101"), ("destination", "170101")]
    assert legs[0].departed_on == facts - datetime.timedelta(days=2)  # computed from the facts
    operation = Operation.objects.get(case_file=case_file)
    assert operation.persons_rescued == 1 and operation.rescued_persons.count() == 1
    assert operation.district.code == "170101"
    exhibits = list(Exhibit.objects.filter(case_file=case_file).order_by("sequence"))
    assert [exhibit.code for exhibit in exhibits] == ["EV-001", "EV-002"]
    assert all(exhibit.operation_id == operation.pk for exhibit in exhibits)
    assert [CustodyTransfer.objects.filter(exhibit=exhibit).count() for exhibit in exhibits] == [1, 1]
    assert ProofLink.objects.filter(case_file=case_file, withdrawn_at__isnull=True).count() >= 4


def test_a_draft_report_ready_to_send_whose_package_validates(demo: Any) -> None:
    case_file = demo.case_file
    report = CaseReport.objects.get(case_file=case_file)
    assert report.status == "draft" and report.conclusions and report.transmitted_at is None
    version = CaseReportVersion.objects.get(report=report)
    document = json.loads(version.read_package())
    package.validate(document)
    assert document["case_file"]["number"] == case_file.number
    assert len(document["route"]) == 2 and len(document["exhibits"]) == 2
    assert len(document["persons"]) == CasePerson.objects.filter(case_file=case_file).count()
    assert "Lucía" not in version.read_package()  # the minor victim is protected in the package
    assert case_completeness(case_file).score == 100


def test_loading_again_adds_nothing(demo: Any) -> None:
    before = (CaseFile.objects.count(), AuditEvent.objects.count(), CaseReportVersion.objects.count())
    again = demo_case_file_ensure()
    assert not again.created and again.case_file == demo.case_file
    assert (CaseFile.objects.count(), AuditEvent.objects.count(), CaseReportVersion.objects.count()) == before


def test_the_command_prints_the_case_file(demo: Any, settings: Any, monkeypatch: Any) -> None:
    settings.DEBUG = True
    monkeypatch.setattr(
        "demo.management.commands.load_demo_data.demo_complaints_ensure",
        lambda: {"imported": 0, "present": 535, "recent": 0},
    )
    out = io.StringIO()
    call_command("load_demo_data", "--quiet-logins", stdout=out)
    assert f"Carpeta de demostración {demo.case_file.number}" in out.getvalue()
    assert "ya existía" in out.getvalue() and "listo para remitir" in out.getvalue()
