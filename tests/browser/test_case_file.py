"""A case file as people open and work it: the regional investigator (Cusco's specialised unit)
opens one from the Madre de Dios complaint's page ("Abrir carpeta"), assigns a colleague, moves it
to "under investigation"; the Lima station officer gets 404 on it; the Cusco station officer sees
its number and status on her complaint's page, and nothing more. (The Cusco specialised unit is
not alerted about this complaint in the test tree: the same button sits on each alert of the
inbox, tested in tests/investigations/test_case_files.py for DIVINTRAP.)"""

from __future__ import annotations

from typing import Any

import pytest

from investigations.models import CaseFile, CaseStatus
from tests.browser.conftest import shot, sign_in
from tests.factories.administration import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_regional_investigator_opens_and_works_a_case_file(
    browser: Any, page: Any, personas: dict, units: dict, complaints: dict, password: str
) -> None:
    frozen = complaints["frozen"]
    colleague = UserFactory(
        username="investigador.cusco2",
        first_name="Luis",
        last_name="Mamani",
        unit=units["DIRTEPOL-CUSCO-TRATA"],
        role="regional_investigator",
    )
    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    assert page.locator(".main-nav a[href='/carpetas/']").is_visible()

    page.goto(f"{page.base_url}/denuncias/{frozen.pk}/")
    assert page.locator("#no-case-file").is_visible()
    with page.expect_navigation():
        page.locator("#open-case-file").click()
    assert page.get_by_label("Números de denuncia").input_value() == frozen.number
    page.get_by_label("Título").fill("Bar La Pantera — Tambopata")
    page.get_by_label("Resumen").fill("Captación en Cusco, explotación en Madre de Dios.")
    with page.expect_navigation():
        page.locator("#open-submit").click()
    case_file = CaseFile.objects.get()
    assert page.locator("#case-file-heading").inner_text().endswith(case_file.number)
    assert frozen.number in page.locator("#complaints").inner_text()
    assert page.locator("#case-file-status").inner_text() == "Abierta"
    shot(page, "case-file-opened")

    with page.expect_navigation():
        page.locator("#assign-link").click()
    page.get_by_label("Investigador").select_option(str(colleague.pk))
    with page.expect_navigation():
        page.locator("#assign-submit").click()
    assert "Luis Mamani" in page.locator("#assignments").inner_text()

    with page.expect_navigation():
        page.locator("#status-link").click()
    page.get_by_label("Nuevo estado").select_option("under_investigation")
    with page.expect_navigation():
        page.locator("#status-submit").click()
    assert page.locator("#case-file-status").inner_text() == "En investigación"
    assert page.locator("#timeline .status-change").count() == 2
    shot(page, "case-file-under-investigation")
    case_file.refresh_from_db()
    assert case_file.status == CaseStatus.UNDER_INVESTIGATION

    # The Lima station officer: 404 on the case file.
    outsider = browser.new_context(locale="es-PE").new_page()
    outsider.base_url = page.base_url
    sign_in(outsider, "outsider", password)
    outsider.locator(".user-box").wait_for()
    response = outsider.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    assert response.status == 404
    outsider.context.close()

    # The Cusco station officer: the number and status on her complaint's page, not the case file.
    station = browser.new_context(locale="es-PE").new_page()
    station.base_url = page.base_url
    sign_in(station, "station.officer", password)
    station.locator(".user-box").wait_for()
    station.goto(f"{page.base_url}/denuncias/{frozen.pk}/")
    summary = station.locator("#case-file-summary").inner_text()
    assert case_file.number in summary and "En investigación" in summary
    assert station.locator("#case-file-summary a").count() == 0
    assert station.locator("#open-case-file").count() == 0
    assert station.goto(f"{page.base_url}/carpetas/{case_file.pk}/").status == 404
    station.context.close()
