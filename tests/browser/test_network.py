"""The network of cross-case analysis as DIVINTRAP's investigator (investigador.divintrap in the
demo; the `national_investigator` persona here) uses it: the search on a case file's number, the
network (SVG and its tables, the victim protected), a larger depth, the network re-centred on the
shared phone with its timeline; then the national route map. The export to GraphML (downloaded and
parsed, masked as the view) is in test_cross_case_journey.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.analysis.network_world import TRAFFICKER, build_world
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_divintrap_opens_and_expands_the_network(
    page: Any, personas: dict, complaints: dict, units: dict, password: str
) -> None:
    world = build_world(personas, complaints, units)
    victim_names = [world["victim"].identity.last_names, world["victim"].identity.full_name]

    sign_in(page, "national.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/analisis/red/")
    page.get_by_label("Número de carpeta, número de denuncia, teléfono o placa").fill(world["case_a"].number)
    page.get_by_label("Profundidad").select_option("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar la red").click()
    assert page.locator("svg.association-chart").is_visible()
    first = page.locator("svg.association-chart g.node").count()
    assert first == page.locator("tr.network-node").count() >= 5
    assert world["case_b"].number not in page.content()  # depth 1: only case file A's own
    assert all(name not in page.content() for name in victim_names)
    assert TRAFFICKER[1] not in page.content()
    assert "Víctima (identidad protegida)" in page.locator("#network-table").inner_text()

    # Deeper: through the shared phone and plate, case file B of Lima (DIVINTRAP is national).
    page.get_by_label("Profundidad").select_option("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar la red").click()
    assert page.locator("svg.association-chart g.node").count() > first
    assert world["case_b"].number in page.locator("#network-table").inner_text()
    assert "teléfono compartido" in page.locator("#network-table").inner_text()
    shot(page, "analysis-network")

    # Re-centred on the phone: its row's link.
    row = page.locator("tr.network-node", has_text="+51987654321")
    with page.expect_navigation():
        row.get_by_role("link").click()
    assert "(inicio)" in page.locator("tr.network-node", has_text="+51987654321").inner_text()
    assert page.locator("svg.timeline-chart").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Mapa nacional de rutas").click()
    assert page.locator("svg.chart-flows path.flow").count() == page.locator("tr.flow-row").count() >= 1
    shot(page, "analysis-routes")
