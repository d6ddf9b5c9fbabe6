"""Filing a complaint as an officer does it: the legal text at hand, the place lists, more than one
victim, and the classification in words right after registering (BRIEF.md workflow 1).

Elements are found by the legal Spanish labels of codes.py (Spanish in every interface language)
or by stable ids, so these tests pass whether or not the Spanish catalogue has the form's strings.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from complaints.models import Complaint
from tests.browser.conftest import shot, sign_in
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The result page; the browser keeps the form's "#victims"-style fragment through the redirect.
RESULT_PAGE = re.compile(r"/denuncias/\d+/resultado/")


def choose_place(page: Any, department: str, province: str, district: str) -> None:
    """Department -> province -> district. With JavaScript the lists fill themselves; without it,
    the "update" buttons re-render the form with the next list."""
    page.select_option("#id_department", department)
    if page.locator("#refresh-provinces").is_visible():
        page.locator("#refresh-provinces").click()
    page.locator(f"#id_province option[value='{province}']").wait_for(state="attached")
    page.select_option("#id_province", province)
    if page.locator("#refresh-districts").is_visible():
        page.locator("#refresh-districts").click()
    page.locator(f"#id_place_district option[value='{district}']").wait_for(state="attached")
    page.select_option("#id_place_district", district)


def fill_the_issue_case(page: Any) -> None:
    case = bar_in_madre_de_dios()
    page.fill("#id_facts_date", case.facts_date.isoformat())
    choose_place(page, "17", "1701", "170101")
    page.fill("#id_place_address", case.place_address)
    page.select_option("#id_place_kind", case.place_kind)

    page.fill("#id_complainant_first_names", case.complainant_first_names)
    page.fill("#id_complainant_last_names", case.complainant_last_names)
    page.select_option("#id_complainant_document_type", case.complainant_document_type)
    page.fill("#id_complainant_document_number", case.complainant_document_number)
    page.fill("#id_complainant_relation", case.complainant_relation)

    victim = case.victims[0]
    page.fill("#id_victims-0-first_names", victim.first_names)
    page.fill("#id_victims-0-last_names", victim.last_names)
    page.select_option("#id_victims-0-sex", victim.sex)
    page.fill("#id_victims-0-age", str(victim.age))
    page.select_option("#id_victims-0-nationality", victim.nationality)

    page.fill("#id_suspects-0-alias", "La Tía")
    page.select_option("#id_suspects-0-sex", "F")
    page.fill("#id_suspects-0-approximate_age", "45")

    for label in ("captación", "traslado", "engaño", "para que ejerza la prostitución"):
        page.get_by_label(label, exact=True).check()
    page.fill("#id_narrative", case.narrative)
    page.fill("#id_responsible_officer", case.responsible_officer)


def test_an_officer_files_the_issue_case_and_reads_why_it_is_trafficking(
    page: Any, personas: dict, password: str
) -> None:
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")

    # The Penal Code text of an option shows on hover, and on keyboard focus.
    hint = page.locator("#hint_recruitment")
    assert not hint.is_visible()
    page.get_by_label("captación", exact=True).hover()
    hint.wait_for(state="visible")
    assert hint.is_visible()
    assert "Art. 153 del Código Penal" in hint.inner_text()
    assert page.get_by_label("captación", exact=True).get_attribute("aria-describedby") == "hint_recruitment"
    shot(page, "complaint-form-hint")
    page.mouse.move(1, 1)
    page.get_by_label("captación", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_conducts_transport"
    page.locator("#hint_transport").wait_for(state="visible")
    assert not hint.is_visible()

    fill_the_issue_case(page)

    # A second victim row, without losing what was typed; then it is removed again.
    page.locator("#add-victim").click()
    page.locator("#id_victims-1-first_names").wait_for()
    assert page.locator("#id_victims-0-first_names").input_value() == "Lucía"
    assert page.get_by_label("captación", exact=True).is_checked()
    assert page.locator("#id_place_district").input_value() == "170101"
    page.locator("button[name='remove_victim'][value='1']").click()
    page.locator("#id_victims-1-first_names").wait_for(state="detached")
    assert page.locator("#id_victims-0-age").input_value() == "16"
    assert Complaint.objects.count() == 0  # nothing saved by these buttons
    shot(page, "complaint-form-filled")

    page.locator("#register").click()
    page.locator("#confirm").click()  # the review before the freeze
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()
    assert complaint.is_frozen and complaint.outcome == "trafficking"
    text = page.locator("main").inner_text()
    assert complaint.number in text
    assert "explotación sexual" in text.lower()
    assert "Se registran conductas de captación y traslado" in text
    assert "Conclusión: los hechos son consistentes con el delito de trata de personas" in text
    assert "DIVINTRAP" in text and "Madre de Dios" in text
    shot(page, "complaint-result")


def test_the_form_works_without_javascript(browser: Any, live_server: Any, personas: dict, password: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    page.get_by_label("captación", exact=True).hover()
    page.locator("#hint_recruitment").wait_for(state="visible")  # CSS only
    assert page.locator("#refresh-provinces").is_visible()
    fill_the_issue_case(page)
    page.locator("#add-suspect").click()
    page.locator("#id_suspects-1-alias").wait_for()
    assert page.locator("#id_suspects-0-alias").input_value() == "La Tía"
    page.locator("#register").click()
    page.locator("#confirm").click()  # the review before the freeze
    page.wait_for_url(RESULT_PAGE)
    assert "explotación sexual" in page.locator("main").inner_text().lower()
    assert Complaint.objects.get().suspects.count() == 1  # the blank row is no one
    context.close()


def test_the_form_is_one_column_on_a_phone(browser: Any, live_server: Any, personas: dict, password: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "station.officer", password)
    page.goto(page.base_url + "/denuncias/nueva/")
    main = page.locator(".complaint-main").bounding_box()
    legal = page.locator(".complaint-legal").bounding_box()
    assert legal["y"] >= main["y"] + main["height"]  # the check boxes come after, not beside
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A tap on the option shows the legal text too.
    page.locator(".legal-option:has(#id_conducts_recruitment) .legal-article").tap()
    page.locator("#hint_recruitment").wait_for(state="visible")
    shot(page, "complaint-form-phone")
    context.close()
