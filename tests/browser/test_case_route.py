"""The route of a case file as the regional investigator records it: a recruitment leg in Cusco, a
destination leg in Tambopata (Madre de Dios); the "Ruta" page shows the route on the map of Peru
(server-rendered SVG, an image with its title and description) and the legs in a table, in order;
moving the destination up reorders both."""

from __future__ import annotations

from typing import Any

import pytest

from investigations.models import RouteLeg
from tests.browser.conftest import shot, sign_in
from tests.investigations.conftest import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_leg(page: Any, stage: str, district: str, departed: str) -> None:
    with page.expect_navigation():
        page.locator("#add-leg").click()
    page.get_by_label("Etapa").select_option(stage)
    page.get_by_label("Distrito").select_option(district)
    page.get_by_label("Salida").fill(departed)
    page.get_by_label("Medio de transporte").select_option("bus")
    with page.expect_navigation():
        page.locator("#thing-submit").click()


def test_the_investigator_records_the_route_and_sees_it_on_the_map(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    case_file = open_case(personas, complaints["frozen"])
    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    with page.expect_navigation():
        page.locator(".case-file-nav a", has_text="Ruta").click()
    assert page.locator("#no-legs").is_visible()

    _add_leg(page, "recruitment", "080101", "2026-02-01")
    _add_leg(page, "destination", "170101", "2026-02-03")

    svg = page.locator("#route-map svg")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-labelledby") == "route-title route-desc"
    assert "Cusco" in svg.locator("desc").text_content() and "Madre de Dios" in svg.locator("desc").text_content()
    assert svg.locator("g.route-leg[data-department='08']").count() == 1
    assert svg.locator("g.route-leg[data-department='17']").count() == 1
    assert svg.locator("line.route-arrow").count() == 1
    rows = page.locator("#legs-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text() == "1" and "Captación" in rows.nth(0).inner_text()
    assert "Cusco" in rows.nth(0).inner_text()
    assert "Destino" in rows.nth(1).inner_text() and "Tambopata" in rows.nth(1).inner_text()
    shot(page, "case-route")

    with page.expect_navigation():
        page.locator("#leg-2-up").click()
    assert "Destino" in page.locator("#legs-table tbody tr").nth(0).inner_text()
    stages = list(RouteLeg.objects.filter(case_file=case_file).order_by("sequence").values_list("stage", flat=True))
    assert stages == ["destination", "recruitment"]
