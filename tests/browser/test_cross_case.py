"""Cross-case analysis as DIVINTRAP and a region use it (issue 12): the national investigator sees
a candidate (the same DNI in two case files), confirms it, and sees the merged identity on both
case files' person pages ("seen elsewhere"); Cusco's regional investigator sees only the record in
its scope and the count and unit of the rest."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.models import MatchDecision
from people.models import IdentityMerge
from tests.analysis.conftest import build_two_cases
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person_page(page: Any, case_person: Any) -> None:
    page.goto(f"{page.base_url}/carpetas/{case_person.case_file_id}/personas/{case_person.pk}/")


def test_divintrap_confirms_a_candidate_and_cusco_sees_its_own_part(
    browser: Any, page: Any, personas: dict, complaints: dict, password: str
) -> None:
    cases = build_two_cases(personas, complaints["frozen"])
    cusco, lima = cases["cusco"], cases["lima"]

    sign_in(page, "national.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/analisis/")
    row = page.locator(".candidate-row").first
    assert "DNI" in row.inner_text()
    with page.expect_navigation():
        row.locator(".candidate-link").click()
    assert page.locator(".identity-side").count() == 2
    assert "Huamán" not in page.content()  # masked: initials only
    page.locator("#id_decision_0").check()  # confirm
    page.locator("#id_reason").fill("   ")  # blank (the browser's own check sees spaces as text)
    with page.expect_navigation():
        page.locator("#decide").click()
    assert page.locator("[role=alert]").count() >= 1  # the reason is required
    assert not IdentityMerge.objects.exists()
    page.locator("#id_decision_0").check()
    page.locator("#id_reason").fill("Mismo DNI en dos carpetas.")
    with page.expect_navigation():
        page.locator("#decide").click()
    assert "/analisis/identidades/" in page.url
    sources = page.locator("#sources").inner_text()
    assert cusco.number in sources and lima.number in sources
    assert MatchDecision.objects.get().decision == "confirmed"
    shot(page, "cross-case-identity")

    for here, other in ((cases["first"], lima), (cases["second"], cusco)):
        _person_page(page, here)
        assert other.number in page.locator("#seen-elsewhere").inner_text()

    regional = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    regional_page = regional.new_page()
    regional_page.base_url = page.base_url
    sign_in(regional_page, "regional.investigator", password)
    regional_page.locator(".user-box").wait_for()
    _person_page(regional_page, cases["first"])
    seen = regional_page.locator("#seen-elsewhere").inner_text()
    assert (
        lima.number not in seen and "DIVINTRAP" in seen and "1" in regional_page.locator("#seen-outside").inner_text()
    )
    regional_page.goto(f"{page.base_url}/analisis/identidades/{cases['first'].identity_id}/")
    sources = regional_page.locator("#sources").inner_text()
    assert cusco.number in sources and lima.number not in sources and "DIVINTRAP" in sources
    shot(regional_page, "cross-case-regional")
    regional.close()
