"""The places of the route as an officer records them: recruited in Cusco, exploited in Madre de Dios;
the result page names every unit alerted and says which one has no account (issue 10, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.models import Alert, Complaint
from tests.browser.conftest import shot, sign_in
from tests.browser.test_file_complaint import RESULT_PAGE, fill_the_issue_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_recruitment_in_cusco(page: Any) -> None:
    """Add a place of the route and choose Cusco; without JavaScript its "Update" buttons re-render."""
    page.locator("#add-place").click()
    page.locator("#id_places-0-role").wait_for()
    page.select_option("#id_places-0-role", "recruitment")
    page.select_option("#id_places-0-department", "08")
    buttons = page.locator("#place-0 .place-refresh")
    if buttons.first.is_visible():
        buttons.first.click()
    page.locator("#id_places-0-province option[value='0801']").wait_for(state="attached")
    page.select_option("#id_places-0-province", "0801")
    if buttons.nth(1).is_visible():
        buttons.nth(1).click()
    page.locator("#id_places-0-district option[value='080101']").wait_for(state="attached")
    page.select_option("#id_places-0-district", "080101")
    page.fill("#id_places-0-address", "Terminal terrestre")


@pytest.mark.parametrize("javascript", [True, False])
def test_an_officer_records_the_route_and_sees_who_was_alerted(
    browser: Any, live_server: Any, personas: dict, password: str, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    fill_the_issue_case(page)
    add_recruitment_in_cusco(page)
    assert page.locator("#id_victims-0-first_names").input_value() == "Lucía"  # nothing typed was lost
    assert Complaint.objects.count() == 0
    page.locator("#register").click()
    review = page.locator("#review-alerts").inner_text()  # the review names the receivers before the freeze
    assert "Unidad de trata — X DIRTEPOL Cusco" in review and "competente por: captación" in review
    assert "no tiene ninguna cuenta activa" in review
    assert "Captación" in page.locator("#review-place-1").inner_text()  # the route, as it will be frozen
    page.locator("#confirm").click()
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()
    assert [(p.role, p.district_id) for p in complaint.places.all()] == [("recruitment", "080101")]
    units = set(Alert.objects.filter(complaint=complaint).values_list("unit__code", flat=True))
    assert units == {"DIRTEPOL-CUSCO-TRATA", "DIRTEPOL-MADRE-DE-DIOS-TRATA", "DIRTEPOL-MADRE-DE-DIOS", "DIVINTRAP"}
    text = page.locator("main").inner_text()
    assert "Unidad de trata — X DIRTEPOL Cusco" in text and "competente por: captación" in text
    assert "no tiene ninguna cuenta activa" in text and "DIRTEPOL Madre de Dios" in text
    if javascript:
        shot(page, "complaint-result-route")
    context.close()
