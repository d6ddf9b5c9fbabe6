"""Issue 12's done-when as one journey in the browser.

DIVINTRAP's investigator (investigador.divintrap in the demo; the `national_investigator` persona
here) sees a candidate in the national list (the same DNI in a case file of Cusco and in one of
DIVINTRAP), opens it, confirms it (a blank reason is refused first), sees the merged identity on
BOTH case files' person pages ("seen elsewhere") and among the merged identity's sources; opens
the network from Cusco's case file and sees the merged person as ONE node linked to both case
files; exports the network to GraphML, and the downloaded file holds that one person node with
links to both case files, masked as the view is. Then Cusco's regional investigator
(investigador.cusco) sees only the records of her scope and the count and unit of the rest, and
gets 404 for DIVINTRAP's case file and person pages.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from analysis.models import MatchDecision
from people.models import IdentityMerge
from tests.analysis.conftest import DNI, build_two_cases
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
# The two spellings of the same person: neither may appear on a page or in an export.
NAMES = ("Huamán", "Huaman", "Julio")


def _person_page(page: Any, case_person: Any) -> Any:
    return page.goto(f"{page.base_url}/carpetas/{case_person.case_file_id}/personas/{case_person.pk}/")


def _show_network(page: Any, number: str, depth: str) -> None:
    page.goto(f"{page.base_url}/analisis/red/")
    page.get_by_label("Número de carpeta, número de denuncia, teléfono o placa").fill(number)
    page.get_by_label("Profundidad").select_option(depth)
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar la red").click()


def _graphml_data(element: Any) -> dict[str, str]:
    return {data.get("key"): data.text or "" for data in element.findall(f"{GRAPHML}data")}


def test_divintrap_confirms_a_candidate_follows_it_across_case_files_and_cusco_sees_its_part(
    browser: Any, page: Any, personas: dict, complaints: dict, password: str
) -> None:
    cases = build_two_cases(personas, complaints["frozen"])
    cusco, lima, first, second = cases["cusco"], cases["lima"], cases["first"], cases["second"]
    victim = complaints["frozen"].victims.get().person  # a girl of 16: never named anywhere
    victim_names = [victim.first_names, victim.last_names]

    # 1. The national list shows the candidate; it opens side by side, masked.
    sign_in(page, "national.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/analisis/")
    row = page.locator(".candidate-row", has_text=f"#{first.identity_id}").filter(has_text=f"#{second.identity_id}")
    assert "mismo DNI" in row.inner_text()
    with page.expect_navigation():
        row.locator(".candidate-link").click()
    assert page.locator(".identity-side").count() == 2
    assert "mismo DNI" in page.locator("#candidate-score").inner_text()
    assert all(name not in page.content() for name in NAMES)  # initials only
    assert DNI not in page.content()

    # 2. Confirming needs a reason; with one, the identities are merged.
    page.locator("#id_decision_0").check()  # confirm
    page.locator("#id_reason").fill("   ")  # blank (the browser's own check sees spaces as text)
    with page.expect_navigation():
        page.locator("#decide").click()
    assert page.locator("[role=alert]").count() >= 1
    assert not IdentityMerge.objects.exists()
    page.locator("#id_decision_0").check()
    page.locator("#id_reason").fill("Mismo DNI en dos carpetas.")
    with page.expect_navigation():
        page.locator("#decide").click()
    assert "/analisis/identidades/" in page.url
    sources = page.locator("#sources").inner_text()
    assert cusco.number in sources and lima.number in sources
    assert "mismo DNI" in page.locator("#merges").inner_text()
    assert MatchDecision.objects.get().decision == "confirmed"
    survivor, merged = IdentityMerge.objects.values_list("survivor_id", "merged_id").get()
    shot(page, "journey-cross-case-identity")

    # 3. Both case files' person pages show the other record and lead to the one merged identity.
    for here, other in ((first, lima), (second, cusco)):
        _person_page(page, here)
        assert other.number in page.locator("#seen-elsewhere").inner_text()
        with page.expect_navigation():
            page.locator("#seen-identity-link").click()
        assert re.search(rf"\D{survivor}:", page.locator("#identity-title").inner_text())
        assert (
            cusco.number in page.locator("#sources").inner_text()
            and lima.number in page.locator("#sources").inner_text()
        )

    # 4. The network from Cusco's case file: one person, linked to both case files.
    _show_network(page, cusco.number, "2")
    table = page.locator("#network-table").inner_text()
    assert cusco.number in table and lima.number in table
    person = page.locator(f'tr.network-node[data-node="person-{survivor}"]')
    assert person.count() == 1
    assert page.locator(f'tr.network-node[data-node="person-{merged}"]').count() == 0
    person_label = person.locator("th").inner_text().strip()
    assert person_label and all(name not in person_label for name in NAMES)
    links = page.locator("tr.network-link", has_text=person_label)
    linked = " ".join(links.all_inner_texts())
    assert cusco.number in linked and lima.number in linked
    assert page.locator("svg.association-chart").is_visible()
    assert all(name not in page.content() for name in (*NAMES, *victim_names))
    rows = page.locator("tr.network-node").count()
    shot(page, "journey-cross-case-network")

    # 5. GraphML: the same nodes, the one person with an edge to each case file, masked as the view.
    with page.expect_download() as download:
        page.get_by_role("link", name="GraphML").click()
    path = Path(download.value.path())
    text = path.read_text(encoding="utf-8")
    graph = ET.parse(path).getroot().find(f"{GRAPHML}graph")  # noqa: S314 - our own export
    nodes = {node.get("id"): _graphml_data(node) for node in graph.findall(f"{GRAPHML}node")}
    assert len(nodes) == rows
    persons = [pk for pk, data in nodes.items() if data["kind"] == "person" and data["label"] == person_label]
    assert persons == [f"person-{survivor}"]
    assert f"person-{merged}" not in nodes
    ends = {
        edge.get("target") if edge.get("source") == persons[0] else edge.get("source")
        for edge in graph.findall(f"{GRAPHML}edge")
        if persons[0] in (edge.get("source"), edge.get("target"))
    }
    assert {f"casefile-{cusco.pk}", f"casefile-{lima.pk}"} <= ends
    assert all(name not in text for name in (*NAMES, *victim_names)) and DNI not in text

    # 6. Cusco: its own record and the count and unit of the other; 404 for DIVINTRAP's pages.
    regional = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    regional_page = regional.new_page()
    regional_page.base_url = page.base_url
    sign_in(regional_page, "regional.investigator", password)
    regional_page.locator(".user-box").wait_for()
    _person_page(regional_page, first)
    seen = regional_page.locator("#seen-elsewhere").inner_text()
    assert lima.number not in seen and "DIVINTRAP" in seen
    assert "1" in regional_page.locator("#seen-outside").inner_text()
    regional_page.goto(f"{page.base_url}/analisis/identidades/{survivor}/")
    sources = regional_page.locator("#sources").inner_text()
    assert cusco.number in sources and lima.number not in sources
    assert "1" in regional_page.locator(".sources-outside").inner_text() and "DIVINTRAP" in sources
    _show_network(regional_page, cusco.number, "2")
    assert regional_page.locator(f'tr.network-node[data-node="person-{survivor}"]').count() == 1
    assert lima.number not in regional_page.locator("#network-table").inner_text()
    assert regional_page.locator(".network-hidden").is_visible()
    shot(regional_page, "journey-cross-case-regional")
    assert _person_page(regional_page, second).status == 404
    assert regional_page.goto(f"{page.base_url}/carpetas/{lima.pk}/").status == 404
    regional.close()
