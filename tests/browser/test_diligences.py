"""The preliminary investigation register as a station officer uses it: open the register of a
complaint, record a diligencia (with the keyboard), add the answer with its scan, generate the
request for a forensic medical examination and download it; screenshots of the register (desktop
and phone) and of the PDF's first page go to tests/artifacts/.

Elements are found by id or name: the Spanish catalogue may not hold the new strings yet."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from diligences.models import Diligence, DiligenceAnswer, GeneratedDocument
from tests.browser.conftest import ARTIFACTS, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_officer_records_a_diligence_and_downloads_the_forensic_request(
    page: Any, personas: dict, complaints: dict, password: str, tmp_path: Path
) -> None:
    complaint = complaints["frozen"]
    sign_in(page, "station.officer", password)
    page.goto(f"{page.base_url}/denuncias/{complaint.pk}/diligencias/")
    assert page.locator("#register-heading").is_visible()
    assert complaint.number in page.locator("#register-complaint").inner_text()
    assert page.locator("#no-entries").is_visible()

    # A diligencia, typed and sent with the keyboard only.
    page.locator("#new-diligence-link").press("Enter")
    page.locator("#id_kind").select_option("inspection")
    page.locator("#id_addressee").fill("Bar «El Dorado», Puerto Maldonado")
    page.locator("#id_description").fill("Inspección del local con apoyo de la Fiscalía.")
    page.locator("#id_description").press("Tab")
    assert page.evaluate("document.activeElement.id") == "diligence-submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    entry = page.locator("#diligence-1")
    entry.wait_for()
    assert "Inspección del local" in entry.inner_text()
    assert Diligence.objects.get().kind == "inspection"

    # The answer received, with its scan.
    scan = tmp_path / "acta-inspeccion.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (240, 240, 240)).save(buffer, "PNG")
    scan.write_bytes(buffer.getvalue())
    page.locator("#answer-link-1").click()
    page.locator("#id_summary").fill("La Fiscalía remite el acta de inspección.")
    page.locator("#id_scan").set_input_files(str(scan))
    page.locator("#answer-submit").click()
    answer = DiligenceAnswer.objects.get()
    page.locator(f"#scan-{answer.pk}").wait_for()
    with page.expect_download() as scan_download:
        page.locator(f"#scan-{answer.pk}").click()
    assert Path(scan_download.value.path()).read_bytes() == scan.read_bytes()

    # The request for a forensic medical examination, generated and downloaded.
    page.locator("#generate-forensic_exam").click()
    victim = page.locator("#id_victim")
    assert "L.C.A." in victim.inner_text() and "Lucía" not in page.content()
    victim.select_option("1")
    page.locator("#id_examinations_0").check()
    page.locator("#id_examinations_2").check()
    page.locator("#document-submit").click()
    document = GeneratedDocument.objects.get()
    link = page.locator(f"#document-download-{document.pk}")
    link.wait_for()
    assert document.number in page.locator("#document-list").inner_text()
    assert Diligence.objects.filter(document=document, kind="forensic_exam_request").exists()
    shot(page, "diligence-register")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "diligence-forensic-exam-request.pdf"
    download.save_as(str(pdf_path))
    assert download.suggested_filename == document.filename
    assert pdf_path.read_bytes() == document.read_pdf()

    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert complaint.number in flat and "L.C.A." in flat and "129-A" in flat and "Lucía" not in flat
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(ARTIFACTS / "diligence-forensic-exam-request-page-1"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "diligence-forensic-exam-request-page-1.png").stat().st_size > 10_000

    # The same register on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("#diligence-1").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the register scrolls sideways on a phone ({width}px)"
    shot(page, "diligence-register-phone")


def test_a_monitor_reads_the_register_without_any_write_control(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    sign_in(page, "monitor", password)
    page.goto(f"{page.base_url}/denuncias/{complaints['frozen'].pk}/diligencias/")
    assert page.locator("#register-heading").is_visible()
    assert page.locator("#diligence-form").count() == 0
    assert page.locator("#document-kinds").count() == 0
