"""The proof matrix and the police report as the lead investigator uses them: link an exhibit to
a legal element, write the conclusions, generate the report, transmit it to the prosecutor's
office, and see it frozen (no form left, the case file in "report sent")."""

from __future__ import annotations

from typing import Any

import pytest

from investigations.models import CaseFile, CaseReport, CaseStatus
from tests.browser.conftest import shot, sign_in
from tests.investigations.report_data import build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE = "Fiscalía Provincial Especializada en Delitos de Trata de Personas de Madre de Dios"


def test_the_lead_links_proof_generates_and_transmits_the_report(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    data = build_case(personas, complaints)
    case_file = data.case_file
    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()

    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    with page.expect_navigation():
        page.locator(".case-file-nav a", has_text="Matriz de prueba").click()
    assert "captación" in page.locator("#proof-missing").inner_text()
    page.get_by_label("Elemento típico:", exact=True).select_option("conduct:recruitment")
    page.get_by_label("Sustento:", exact=True).select_option(f"exhibit:{data.exhibits[0].pk}")
    page.get_by_label("Qué acredita:", exact=True).fill("Cuaderno con el pago de los pasajes desde Cusco.")
    with page.expect_navigation():
        page.locator("#proof-link-submit").click()
    row = page.locator("#element-conductrecruitment")
    assert "EV-001" in row.inner_text()
    assert "captación" not in page.locator("#proof-missing").inner_text()
    shot(page, "case-proof-linked")

    with page.expect_navigation():
        page.locator(".case-file-nav a", has_text="Informe policial").click()
    page.get_by_label("Conclusiones:", exact=True).fill("Se acredita la captación mediante engaño.")
    with page.expect_navigation():
        page.locator("#conclusions-submit").click()
    with page.expect_navigation():
        page.locator("#report-generate").click()
    assert page.locator("#reports .report-pdf").count() == 1
    page.get_by_label("Fiscalía:", exact=True).fill(OFFICE)
    with page.expect_navigation():
        page.locator("#report-transmit-submit").click()
    report = CaseReport.objects.get()
    assert report.status == "transmitted" and report.prosecutor_office == OFFICE
    assert page.locator(".case-report-transmitted .report-status").inner_text() == "Remitido a la Fiscalía"
    assert OFFICE in page.locator("#reports").inner_text()
    # Frozen: no conclusions, generation or transmission form any more.
    assert page.locator("#conclusions-form").count() == 0
    assert page.locator("#report-generate").count() == 0
    assert page.locator("#report-transmit").count() == 0
    shot(page, "case-report-transmitted")
    with page.expect_download() as download:
        page.locator("#reports .report-package").last.click()
    assert download.value.suggested_filename.endswith("-paquete-1.0.0.zip")
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseStatus.REPORT_SENT
