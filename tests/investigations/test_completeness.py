"""Completeness of case files (investigations.completeness): the named checks and the score, the
block on the case file's page, the list for the monitor and the investigators (scope, bounded
queries, no contents)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from investigations import completeness, reporting
from investigations.completeness import CHECKS
from tests.investigations.conftest import open_case
from tests.investigations.report_data import MINOR_NAMES, build_case

pytestmark = pytest.mark.django_db


def _missing_codes(result: completeness.Completeness) -> set[str]:
    return {check.code for check in result.checks if not check.passed}


def test_a_new_case_file_misses_most_checks(case_file: Any) -> None:
    result = completeness.case_completeness(case_file)
    # The Madre de Dios complaint has no diligencia yet; the lead is assigned.
    assert _missing_codes(result) == {
        "victim",
        "trafficker",
        "recruitment",
        "destination",
        "evidence",
        "proof",
        "conclusions",
    }
    assert len(CHECKS) == 8 and result.score == 13
    assert str(result.missing[0]) == "Al menos una víctima registrada"


def test_the_score_grows_with_the_case_file(personas: dict, complaints: dict) -> None:
    data = build_case(personas, complaints)
    result = completeness.case_completeness(data.case_file)
    assert _missing_codes(result) == {"proof", "conclusions"}
    lead = personas["regional_investigator"]
    for code in ("conduct:recruitment", "conduct:transfer", "purpose:prostitution"):
        reporting.proof_link_add(
            actor=lead, case_file=data.case_file, element_code=code, support=f"exhibit:{data.exhibits[0].pk}"
        )
    from investigations import proof

    for element in proof.case_elements(data.case_file):
        if element.needs_support and element.code.startswith("aggravation:"):
            reporting.proof_link_add(
                actor=lead,
                case_file=data.case_file,
                element_code=element.code,
                support=f"statement:{data.statement.pk}",
            )
    reporting.report_write_conclusions(actor=lead, case_file=data.case_file, conclusions="Conclusiones.")
    result = completeness.case_completeness(data.case_file)
    assert result.score == 100 and result.missing == []


def test_the_case_file_page_shows_the_score_and_what_is_missing(client: Any, personas: dict, case_file: Any) -> None:
    client.force_login(personas["regional_investigator"])
    text = client.get(reverse("investigations:case_file_detail", args=[case_file.pk])).content.decode()
    assert 'id="completeness-score">13<' in text
    assert "Al menos un presunto tratante registrado" in text


def test_the_monitor_sees_numbers_scores_and_missing_items_only(
    client: Any, personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    data = build_case(personas, complaints)
    for _n in range(4):
        open_case(personas, complaints["frozen"])
    client.force_login(personas["monitor"])
    url = reverse("investigations:case_completeness")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('class="completeness-row"') == 5
    assert data.case_file.number in text
    assert f'href="/carpetas/{data.case_file.pk}/"' not in text  # no link into the case file
    for private in (*MINOR_NAMES, "Rosa Elvira", "Bar en Madre de Dios", "EV-001"):
        assert private not in text
    # The case file itself stays closed to the monitor.
    assert client.get(reverse("investigations:case_file_detail", args=[data.case_file.pk])).status_code == 404


def test_investigators_see_their_scope_only(client: Any, personas: dict, complaints: dict, units: dict) -> None:
    from tests.factories.administration import UserFactory

    case_file = open_case(personas, complaints["frozen"])
    lima = UserFactory(username="investigador.lima", unit=units["DIRTEPOL-LIMA-TRATA"], role="regional_investigator")
    client.force_login(lima)
    assert case_file.number not in client.get(reverse("investigations:case_completeness")).content.decode()
    client.force_login(personas["regional_investigator"])
    assert case_file.number in client.get(reverse("investigations:case_completeness")).content.decode()
    client.force_login(personas["station_officer"])
    assert client.get(reverse("investigations:case_completeness")).status_code == 403
