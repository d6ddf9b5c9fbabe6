"""Statistics as a person uses them (issue 5, "Done when"): the monitor builds purpose by
directorate for 2010-2011, exports it as XLSX and PDF, and follows Cusco on the map to the list;
the Cusco investigator sees only Cusco's figures. Screenshots in tests/artifacts/."""

# ruff: noqa: F811 - tests take the fixtures imported above as arguments

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from administration.models import Department
from tests.browser.conftest import shot, sign_in
from tests.stats.test_statistics import register, sample  # noqa: F401 - the fixtures of the sample complaints

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def capitals(sample: dict) -> None:
    """The capitals of the small tree's departments where they are (the factories put them all at
    one point), so that each has its own symbol on the map."""
    for code, latitude, longitude in (
        ("08", -13.519167, -71.976667),
        ("15", -12.045278, -77.030833),
        ("17", -12.593611, -69.176667),
    ):
        Department.objects.filter(code=code).update(latitude=latitude, longitude=longitude)


def _in_english(page: Any) -> None:
    """The interface in English, its source language, whatever the Spanish catalogue holds."""
    page.context.add_cookies([{"name": "reta_language", "value": "en", "url": page.base_url}])


def test_the_monitor_builds_purpose_by_directorate_exports_it_and_follows_the_map(
    page: Any, sample: dict, capitals: None, password: str
) -> None:
    sign_in(page, "monitor", password)
    _in_english(page)
    page.goto(page.base_url + "/denuncias/estadisticas/?year_from=2010&year_to=2011")
    page.get_by_role("heading", name="Statistics", exact=True).wait_for()
    assert page.locator("svg.chart-map").is_visible()
    shot(page, "statistics-overview")

    # The cross-tabulation: purpose category by directorate, 2010-2011.
    page.get_by_role("link", name="Cross-tabulation").click()
    page.get_by_label("Rows").select_option("category")
    page.get_by_label("Columns").select_option("directorate")
    page.get_by_label("Count").select_option("complaints")
    page.get_by_label("From year").fill("2010")
    page.get_by_label("To year").fill("2011")
    page.get_by_role("button", name="Build the table").click()
    table = page.locator("#table-crosstab")
    table.wait_for()
    assert "explotación sexual" in table.inner_text()
    assert "X DIRTEPOL Cusco" in table.inner_text()
    assert table.locator("tfoot td").last.inner_text() == "7"
    shot(page, "statistics-crosstab-purpose-by-directorate")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name=re.compile(r"^XLSX")).click()
    assert xlsx.value.suggested_filename == "reta-crosstab-2010-2011.xlsx"
    sheet = load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read())).active  # noqa: SIM115
    assert sheet["A1"].value == "Complaints by purpose category and directorate"
    with page.expect_download() as pdf:
        page.get_by_role("link", name=re.compile(r"^PDF")).click()
    with open(pdf.value.path(), "rb") as file:
        assert file.read(4) == b"%PDF"

    # The map: Cusco's symbol opens the complaint list of Cusco for the period.
    page.goto(page.base_url + "/denuncias/estadisticas/?year_from=2010&year_to=2011")
    page.locator('svg.chart-map a[data-department="08"]').click()
    page.wait_for_url(re.compile(r"/denuncias/\?"))
    assert "department=08" in page.url
    assert "registered_from=2010-01-01" in page.url and "registered_to=2011-12-31" in page.url
    shot(page, "statistics-map-to-list")


def test_the_cusco_investigator_sees_only_cusco(page: Any, sample: dict, password: str) -> None:
    sign_in(page, "regional.investigator", password)
    _in_english(page)
    page.goto(page.base_url + "/denuncias/estadisticas/cases_by_unit_year/?year_from=2010&year_to=2011")
    table = page.locator("#table-cases_by_unit_year")
    table.wait_for()
    assert "X DIRTEPOL Cusco" in page.locator(".stat-scope").inner_text()
    total = table.locator("tfoot td")
    assert total.last.inner_text() == "3"  # Cusco's three complaints, not the seven of the country
    headers = [cell.get_attribute("data-code") for cell in table.locator("thead th").all()]
    assert "DIRTEPOL-CUSCO" in headers, headers
    cusco = headers.index("DIRTEPOL-CUSCO")
    assert total.nth(cusco - 1).inner_text() == "3"
    shot(page, "statistics-cusco-investigator")


def test_the_statistics_read_on_a_phone(browser: Any, live_server: Any, sample: dict, password: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "monitor", password)
    _in_english(page)
    page.goto(page.base_url + "/denuncias/estadisticas/purposes_by_year/?year_from=2010&year_to=2011")
    page.locator("#table-purposes_by_year").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # nothing wider than the screen: the table scrolls in its own box
    shot(page, "statistics-phone")
    context.close()
