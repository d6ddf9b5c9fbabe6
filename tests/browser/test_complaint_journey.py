"""The whole journey of issue 3 in one run, as the people involved live it: the Cusco officer files
the case, can no longer change it, the Madre de Dios specialised unit and DIVINTRAP find the
high-priority alert, and an officer of Lima cannot even see that the complaint exists."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.models import Complaint
from tests.browser.conftest import shot, sign_in
from tests.browser.test_file_complaint import RESULT_PAGE, fill_the_issue_case
from tests.factories.administration import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    return page


def test_filed_frozen_alerted_and_hidden_from_outsiders(
    page: Any, browser: Any, live_server: Any, personas: dict, units: dict, password: str
) -> None:
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    fill_the_issue_case(page)
    page.locator("#register").click()
    page.locator("#confirm").click()  # the review before the freeze
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()

    # Frozen: the officer's edit page is refused.
    response = page.goto(f"{page.base_url}/denuncias/{complaint.pk}/editar/")
    assert response.status == 403
    shot(page, "journey-edit-refused")

    # The specialised unit of Madre de Dios, where the facts happened, has the alert.
    UserFactory(username="investigador.mdd", unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"], role="regional_investigator")
    mdd = new_page(browser, live_server)
    sign_in(mdd, "investigador.mdd", password)
    assert mdd.locator("#nav-badge-unread_alerts").inner_text().strip().startswith("1")
    mdd.goto(mdd.base_url + "/denuncias/alertas/")
    inbox = mdd.locator("main").inner_text()
    assert complaint.number in inbox
    assert mdd.locator(".priority-high").first.is_visible()
    shot(mdd, "journey-alert-madre-de-dios")
    assert mdd.goto(f"{mdd.base_url}/denuncias/{complaint.pk}/").status == 200

    # DIVINTRAP too.
    divintrap = new_page(browser, live_server)
    sign_in(divintrap, "national.investigator", password)
    divintrap.goto(divintrap.base_url + "/denuncias/alertas/")
    assert complaint.number in divintrap.locator("main").inner_text()

    # An officer of Lima: not found, whatever the id.
    lima = new_page(browser, live_server)
    sign_in(lima, "outsider", password)
    assert lima.goto(f"{lima.base_url}/denuncias/{complaint.pk}/").status == 404
    assert "No encontrado" in lima.locator("h1").inner_text()
    assert complaint.number not in lima.goto(lima.base_url + "/denuncias/").text()
    shot(lima, "journey-outsider-not-found")
