"""The charts and the history of a case file as the regional investigator reads them: from the
case file's navigation to "Gráficos" (the association chart and the timeline, each an SVG with
its table; the victim shown as protected), the keyboard reaches the tables, then "Historial" (the
changes grouped by request) and a person's history."""

from __future__ import annotations

from typing import Any

import pytest

from audit.context import request_id_scope
from investigations import services
from investigations.models import CasePerson
from tests.browser.conftest import shot, sign_in
from tests.investigations.conftest import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_investigator_reads_the_charts_and_the_history(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    actor = personas["regional_investigator"]
    with request_id_scope():  # each as if by a request of its own
        case_file = open_case(personas, complaints["frozen"])
    with request_id_scope():
        services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    with request_id_scope():
        services.case_file_change_status(actor=actor, case_file=case_file, to_status="under_investigation")
    victim = CasePerson.objects.filter(case_file=case_file, role="victim").select_related("identity").first()

    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    with page.expect_navigation():
        page.locator(".case-file-nav").get_by_role("link", name="Gráficos").click()
    assert page.locator("svg.association-chart").is_visible()
    assert page.locator("svg.timeline-chart").is_visible()
    nodes = page.locator("svg.association-chart g.node").count()
    assert nodes == page.locator("#association-table tr.chart-node").count() >= 2
    assert page.locator("svg.timeline-chart g.event").count() == page.locator("tr.chart-event").count() >= 4
    assert victim.identity.last_names not in page.content()
    assert "Identidad protegida" in page.locator("#association-table").inner_text()
    shot(page, "case-charts")

    # The keyboard reaches the table of each chart (a focusable region).
    page.locator("a[href='#association-table']").focus()
    page.keyboard.press("Enter")
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "association-table":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "association-table"

    with page.expect_navigation():
        page.locator(".case-file-nav").get_by_role("link", name="Historial").click()
    assert page.locator(".history-group").count() == 3
    assert "En investigación" in page.locator("#history").inner_text()
    with page.expect_navigation():
        page.locator(".person-history-link a").first.click()
    assert page.locator("#person-history-heading").is_visible()
    shot(page, "case-person-history")
