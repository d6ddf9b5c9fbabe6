"""The auditor finds an identity reveal (issue 13, done-when): the regional investigator presses
"Mostrar identidad" on a person of her case file; the auditor signs in, filters the audit trail
(period, event, user), finds the reveal with who, when and what, opens the trail of that case file
and downloads the CSV and the PDF audit report holding it. Both downloads are recorded."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.analysis.conftest import add_person
from tests.browser.conftest import shot, sign_in
from tests.investigations.conftest import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_finds_an_identity_reveal_in_the_trail_and_in_the_reports(
    browser: Any, page: Any, personas: dict, complaints: dict, password: str, tmp_path: Any
) -> None:
    case_file = open_case(personas, complaints["frozen"])
    person = add_person(case_file, personas["regional_investigator"], "Rómulo", "Quispe Huamán")

    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/personas/{person.pk}/")
    assert page.locator("#person-name").inner_text() == "R.Q.H."
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar identidad").click()
    assert page.locator("#person-name").inner_text() == "Rómulo Quispe Huamán"
    reveal = AuditEvent.objects.get(event="identity_shown", user_name="regional.investigator")
    page.context.close()

    auditor = browser.new_context(locale="es-PE").new_page()
    auditor.set_default_timeout(15_000)
    auditor.base_url = page.base_url
    sign_in(auditor, "auditor", password)
    auditor.locator(".user-box").wait_for()
    auditor.goto(auditor.base_url + "/auditoria/")
    # The day of the reveal in Lima, to today (the clock may have passed midnight since).
    auditor.get_by_label("Desde").fill(timezone.localtime(reveal.created_at).date().isoformat())
    auditor.get_by_label("Hasta").fill(timezone.localdate().isoformat())
    auditor.get_by_label("Evento", exact=True).select_option("identity_shown")
    auditor.get_by_label("Nombre de usuario").fill("regional.investigator")
    with auditor.expect_navigation():
        auditor.locator("#audit-filter").click()
    rows = auditor.locator("#audit-events tr.audit-event")
    assert rows.count() == 1
    row = rows.first
    text = row.inner_text()
    assert "regional.investigator" in text and "Identidades mostradas" in text
    assert timezone.localtime(reveal.created_at).strftime("%d/%m/%Y %H:%M") in text
    assert str(case_file) in row.locator("a.object-trail").inner_text()
    shot(auditor, "audit-reveal-found")

    with auditor.expect_navigation():
        row.locator("a.object-trail").click()
    assert str(case_file.pk) in auditor.url and "investigations.casefile" in auditor.url
    trail_rows = auditor.locator("#audit-events tr.audit-event")
    assert trail_rows.count() >= 2  # the opening of the case file and the reveal, at least
    assert auditor.locator(f"#event-{reveal.pk}").count() == 1
    shot(auditor, "audit-record-trail")

    with auditor.expect_download() as download_info:
        auditor.locator("#audit-csv").click()
    csv = (tmp_path / "informe.csv").as_posix()
    download_info.value.save_as(csv)
    with open(csv, encoding="utf-8") as handle:
        body = handle.read()
    assert "identity_shown" in body and "regional.investigator" in body and str(case_file) in body

    with auditor.expect_download() as download_info:
        auditor.locator("#audit-pdf").click()
    pdf = tmp_path / "informe.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "Informe de auditoría" in text and "Generado por" in text and "auditor" in text
    assert "Identidades mostradas" in text and "regional.investigator" in text and str(case_file) in text

    reports = AuditEvent.objects.filter(event="export", user_name="auditor").order_by("pk")
    assert [r.details["format"] for r in reports] == ["csv", "pdf"]
    assert all(r.details["filters"]["object_id"] == str(case_file.pk) for r in reports)
    auditor.context.close()
