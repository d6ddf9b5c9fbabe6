"""Paper forms as a person uses them: the national administrator signs in with the second factor,
issues a batch of three forms to the Cusco station, downloads the PDF and checks the register.
Screenshots of the register (desktop and phone) and of the PDF's first page go to tests/artifacts/."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from paperforms.models import PaperFormBatch
from paperforms.serials import format_serial
from tests.browser.conftest import ARTIFACTS, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSCO_STATION = "Comisaría PNP Cusco (DIRTEPOL-CUSCO-CPNP-1)"


def current_code(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in_with_code(page: Any, user: Any, password: str) -> None:
    sign_in(page, user.username, password)
    page.wait_for_url("**/acceso/verificacion/**")
    page.locator("input[name=token]").fill(current_code(user))
    with page.expect_navigation():
        page.locator("input[name=token]").press("Enter")
    assert "/acceso/" not in page.url


def test_the_national_admin_issues_three_forms_to_cusco_and_downloads_them(
    page: Any, personas: dict, password: str
) -> None:
    admin = personas["national_admin"]
    sign_in_with_code(page, admin, password)

    register = reverse("paperforms:paperform_list")
    page.goto(page.base_url + register)
    assert page.locator("h1").count() == 1
    page.locator(f"a[href='{reverse('paperforms:paperform_issue')}']").click()
    page.wait_for_url(f"**{reverse('paperforms:paperform_issue')}")

    # Labels on every field: the unit and the count are reachable by their labels.
    unit = page.locator("#id_unit")
    assert page.locator("label[for=id_unit]").count() == 1 and page.locator("label[for=id_count]").count() == 1
    unit.select_option(label=CUSCO_STATION)
    page.locator("#id_count").fill("3")
    shot(page, "paper-forms-issue")
    with page.expect_navigation():
        page.locator("#id_count").press("Enter")  # keyboard only
    batch = PaperFormBatch.objects.get()
    assert page.url.endswith(reverse("paperforms:paperform_detail", args=[batch.pk]))
    serials = [format_serial(n) for n in (1, 2, 3)]
    body = page.locator("main").inner_text()
    for serial in serials:
        assert serial in body
    assert "Comisaría PNP Cusco" in body
    shot(page, "paper-forms-batch-detail")

    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('paperforms:paperform_pdf', args=[batch.pk])}']").first.click()
    download = download_info.value
    assert download.suggested_filename == f"formularios-{serials[0]}-a-{serials[2]}.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "paper-forms-batch.pdf"
    download.save_as(str(pdf))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert all(text.count(serial) >= 6 for serial in serials)
    first_page = ARTIFACTS / "paper-forms-batch-page-1"
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(first_page)])
    png = Path(f"{first_page}.png")
    assert png.stat().st_size > 10_000
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.split()
    assert decoded == [serials[0]]
    assert AuditEvent.objects.filter(event="paper_forms_issued", user_name=admin.username).count() == 1
    assert AuditEvent.objects.filter(event="paper_forms_printed", user_name=admin.username).count() == 1

    page.goto(page.base_url + register)
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 1
    assert "DIRTEPOL-CUSCO-CPNP-1" in rows.first.inner_text() and serials[0] in rows.first.inner_text()
    shot(page, "paper-forms-register")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "paper-forms-register-phone")


# ------------------------------------------------------------------ reading the QR with a camera (static/js/qr-scan.js)

FAKE_CAMERA = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  constructor(options) { this.calls = 0; }
  detect(source) {
    this.calls += 1;
    // Nothing the first time, then a foreign code, then the form's serial.
    if (this.calls === 1) return Promise.resolve([]);
    if (this.calls === 2) return Promise.resolve([{ rawValue: "https://example.org/" }]);
    return Promise.resolve([{ rawValue: "RETA-000001-3" }]);
  }
};
const fakeCamera = function () {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 48;
  canvas.getContext("2d").fillRect(0, 0, 64, 48);
  return Promise.resolve(canvas.captureStream(5));
};
if (navigator.mediaDevices) {
  navigator.mediaDevices.getUserMedia = fakeCamera;
} else {  // outside a secure context the browser hides the camera API altogether
  Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia: fakeCamera } });
}
"""


def _page_with_serial_input(page: Any) -> None:
    page.set_content(
        '<label for="serial">Número de serie</label><input id="serial" type="text" data-qr-scan>'
        f'<script src="{page.base_url}/static/js/qr-scan.js"></script>'
    )


def test_the_qr_button_fills_the_serial_where_the_browser_can_read_codes(browser: Any, live_server: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(FAKE_CAMERA)
    page = context.new_page()
    page.base_url = live_server.url
    _page_with_serial_input(page)
    button = page.get_by_role("button", name="Leer código QR")
    button.wait_for()
    button.click()
    page.wait_for_function("document.getElementById('serial').value !== ''")
    assert page.locator("#serial").input_value() == "RETA-000001-3"
    assert "RETA-000001-3" in page.get_by_role("status").inner_text()
    assert page.locator("video").count() == 0  # the camera is released
    assert page.evaluate("document.activeElement.id") == "serial"
    context.close()


def test_without_a_code_reader_the_field_stays_a_plain_input(page: Any) -> None:
    page.add_init_script("delete window.BarcodeDetector;")
    _page_with_serial_input(page)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.locator("button").count() == 0
    page.locator("#serial").fill("reta-000001-3")
    assert page.locator("#serial").input_value() == "reta-000001-3"
