"""The complaint form in the field (issue 10), in a real browser: a filled form survives the
session's expiry (with the idle warning first), the review before the freeze, and the page's
weight on a slow link."""

from __future__ import annotations

import re
from typing import Any

import pytest

from complaints.models import Complaint
from tests.browser.conftest import shot, sign_in
from tests.browser.test_file_complaint import RESULT_PAGE, fill_the_issue_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEW_PAGE = re.compile(r"/denuncias/\d+/revisar/")
# The form page with its CSS and JS, as transferred (issue 10: at most 100 KB).
PAGE_BUDGET_BYTES = 100 * 1024
IDLE_SECONDS = 12
WARNING_SECONDS = 9  # the warning shows 3 s after the last request


def test_a_filled_form_survives_the_session_expiry_and_is_registered_after_review(
    page: Any, personas: dict, password: str, settings: Any
) -> None:
    settings.SESSION_IDLE_SECONDS = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    fill_the_issue_case(page)

    # The idle warning shows before the limit, then says the session has expired.
    page.locator("#session-warning-text").wait_for(state="visible", timeout=(IDLE_SECONDS + 2) * 1000)
    page.locator("#session-expired-text").wait_for(state="visible", timeout=(IDLE_SECONDS + 2) * 1000)
    shot(page, "form-session-expired-warning")
    page.wait_for_timeout(1500)  # past the server's limit too

    page.locator("#register").click()
    page.wait_for_url(re.compile(r"/acceso/"))
    assert "Lo que escribió se guardó" in page.locator("main").inner_text()
    assert Complaint.objects.count() == 0
    page.get_by_label("Nombre de usuario").fill("station.officer")
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(re.compile(r"/denuncias/nueva/"))

    # Every field as it was.
    assert page.locator("#id_victims-0-first_names").input_value() == "Lucía"
    assert page.locator("#id_victims-0-age").input_value() == "16"
    assert page.locator("#id_suspects-0-alias").input_value() == "La Tía"
    assert page.locator("#id_place_district").input_value() == "170101"
    assert page.get_by_label("captación", exact=True).is_checked()
    assert page.locator("#id_narrative").input_value().startswith("La menor fue captada")
    shot(page, "form-restored-after-sign-in")

    page.locator("#register").click()
    page.wait_for_url(REVIEW_PAGE)
    text = page.locator("main").inner_text()
    assert "Lucía" in text and "DIVINTRAP" in text
    assert Complaint.objects.get().number is None  # not registered at review
    shot(page, "form-review")
    page.locator("#confirm").click()
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()
    assert complaint.is_frozen and complaint.victims.get().person.first_names == "Lucía"


def test_correct_on_the_review_goes_back_to_the_form_as_it_was(page: Any, personas: dict, password: str) -> None:
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    fill_the_issue_case(page)
    page.locator("#register").click()
    page.wait_for_url(REVIEW_PAGE)
    page.locator("#correct").click()
    page.wait_for_url(re.compile(r"/denuncias/\d+/editar/"))
    assert page.locator("#id_victims-0-first_names").input_value() == "Lucía"
    assert page.get_by_label("engaño", exact=True).is_checked()
    assert Complaint.objects.get().is_draft


def test_the_form_page_weighs_at_most_100_kb_with_its_css_and_js(page: Any, personas: dict, password: str) -> None:
    sign_in(page, "station.officer", password)
    sizes: dict[str, int] = {}

    def measure(response: Any) -> None:
        body = response.body() if response.status < 300 else b""
        headers = response.headers
        length = int(headers.get("content-length", len(body)) or 0)
        # What crossed the wire: the body as sent (compressed or not) plus the response headers.
        sizes[response.url] = length + sum(len(name) + len(value) + 4 for name, value in headers.items())

    page.on("response", measure)
    page.goto(page.base_url + "/denuncias/nueva/", wait_until="networkidle")
    page.remove_listener("response", measure)
    kinds = {url.rsplit(".", 1)[-1] for url in sizes if "/static/" in url}
    assert {"css", "js"} <= kinds  # its styles and scripts were counted
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET_BYTES, f"{total} bytes: {sorted(sizes.items(), key=lambda item: -item[1])[:5]}"


def test_a_second_officer_registering_the_same_victim_links_it_and_the_statistics_count_one_case(
    page: Any, personas: dict, password: str
) -> None:
    """Issue 10: the same victim's document at review shows the earlier complaint; linked, the
    statistics count one case."""
    from administration.access import Scope
    from administration.models import Role
    from complaints.services import complaint_file
    from stats import selectors
    from stats.projection import registration_year_month
    from tests.factories.administration import UserFactory
    from tests.factories.complaints import bar_in_madre_de_dios

    first_officer = personas["station_officer"]
    earlier = complaint_file(actor=first_officer, data=bar_in_madre_de_dios())  # Lucía, DNI 76543210
    UserFactory(username="oficial.segunda", unit=first_officer.unit, role=Role.STATION_OFFICER)
    sign_in(page, "oficial.segunda", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    fill_the_issue_case(page)
    page.select_option("#id_victims-0-document_type", "dni")
    page.fill("#id_victims-0-document_number", "76543210")
    page.locator("#register").click()
    page.wait_for_url(REVIEW_PAGE)

    duplicates = page.locator("#duplicates")
    assert earlier.number in duplicates.inner_text()
    assert "mismo número de documento de la víctima" in duplicates.inner_text().lower()
    shot(page, "review-duplicates")
    page.locator("#confirm").click()  # no answer yet: the browser asks for one (required radio)
    assert REVIEW_PAGE.search(page.url)
    page.get_by_label(re.compile("Es el mismo caso")).check()
    page.get_by_label(f"Vinculada a {earlier.number}").check()
    page.locator("#confirm").click()
    page.wait_for_url(RESULT_PAGE)

    linked = Complaint.objects.exclude(pk=earlier.pk).get()
    assert linked.is_frozen and linked.duplicate_of_id == earlier.pk
    year, _month = registration_year_month(earlier.submitted_at)
    table = selectors.cases_by_unit_year(scope=Scope.national(), year_from=year, year_to=year)
    assert table.cell("total", "total") == 1  # two complaints, one case
