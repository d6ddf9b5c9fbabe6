"""The paper path of issue 4 as a station lives it: the officer prints a blank set of the serial
issued to the station, the paper comes back filled, the officer enters it by its serial, records a
diligencia and generates the forensic examination request."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from complaints.models import Complaint
from diligences.models import GeneratedDocument
from paperforms.services import paper_form_batch_issue
from tests.browser.conftest import ARTIFACTS, shot, sign_in
from tests.browser.test_file_complaint import RESULT_PAGE, fill_the_issue_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def first_page_png(pdf: Path, name: str) -> Path:
    target = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)], check=True
    )
    return target.with_suffix(".png")


def test_a_station_prints_a_form_enters_it_by_serial_and_does_the_paperwork(
    page: Any, personas: dict, password: str
) -> None:
    station = personas["station_officer"].unit
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=station, count=1).serials.get().serial
    sign_in(page, "station.officer", password)

    # The blank set of the station's serial, printed from RETA.
    response = page.request.get(f"{page.base_url}/administracion/formularios/serie/{serial}/pdf/")
    assert response.ok and response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blank = ARTIFACTS / "paper-journey-blank-set.pdf"
    blank.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(blank), "-"], capture_output=True, text=True, check=True).stdout
    assert serial in text and "ORIGINAL" in text and "COPIA 2" in text
    first_page_png(blank, "paper-journey-blank-set-page-1")

    # The filled paper comes back: entered by its serial.
    page.goto(page.base_url + "/denuncias/nueva/")
    page.locator("input[name='origin'][value='paper']").check()
    page.locator("#id_paper_serial").fill(serial.lower())
    fill_the_issue_case(page)
    page.locator("#register").click()
    page.locator("#confirm").click()  # the review before the freeze
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()
    assert complaint.paper_serial == serial and complaint.origin == "paper"
    shot(page, "paper-journey-entered")

    # A diligencia, and the forensic examination request generated and downloaded.
    page.goto(f"{page.base_url}/denuncias/{complaint.pk}/diligencias/")
    page.locator("#generate-forensic_exam").click()
    page.locator("#id_victim").select_option("1")
    page.locator("#id_examinations_0").check()
    page.locator("#document-submit").click()
    document = GeneratedDocument.objects.get()
    link = page.locator(f"#document-download-{document.pk}")
    link.wait_for()
    assert page.locator("#diligence-1").is_visible()
    shot(page, "paper-journey-register")
    with page.expect_download() as download_info:
        link.click()
    pdf = ARTIFACTS / "paper-journey-forensic-exam.pdf"
    download_info.value.save_as(str(pdf))
    flat = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert complaint.number in flat and "L.C.A." in flat and "Lucía" not in flat
    first_page_png(pdf, "paper-journey-forensic-exam-page-1")
