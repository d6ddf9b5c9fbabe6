"""The proof matrix (investigations.proof, investigations.reporting): the legal elements read from
the complaints' classification, links of supports to elements, their withdrawal, the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from investigations import proof, reporting
from investigations.models import ProofLink
from investigations.services import CaseFileError
from reta.guards import AppendOnlyError
from tests.investigations.report_data import build_case

pytestmark = pytest.mark.django_db


def _legal(**kwargs: Any) -> proof.ComplaintLegal:
    base = {"number": "X-2026-000001", "law_profile": "PE-2021"}
    return proof.ComplaintLegal(**{**base, **kwargs})


def test_the_means_are_not_required_when_every_victim_is_a_minor() -> None:
    elements = proof.proof_elements(
        [_legal(conducts=frozenset({"recruitment"}), means=frozenset({"deception"}), all_victims_minors=True)]
    )
    means = [element for element in elements if element.group == proof.MEANS]
    assert [(m.code, m.status, m.needs_support) for m in means] == [("means:deception", "not_required", False)]
    assert "129-A.3" in means[0].article
    assert means[0].status_label == "no se requiere (víctima menor de edad)"


def test_an_adult_victim_needs_the_means_and_missing_groups_are_expected() -> None:
    elements = proof.proof_elements([_legal(conducts=frozenset({"transfer", "recruitment"}), all_victims_minors=False)])
    codes = {element.code: element.status for element in elements}
    assert codes == {
        "conduct:recruitment": "found",
        "conduct:transfer": "found",
        "means:any": "expected",
        "purpose:any": "expected",
    }
    # Conducts in the order of the Penal Code (captación before traslado).
    assert [e.code for e in elements][:2] == ["conduct:recruitment", "conduct:transfer"]


def test_aggravations_carry_their_degree_and_article() -> None:
    elements = proof.proof_elements([_legal(aggravations=frozenset({"criminal_organisation"}))])
    aggravation = elements[-1]
    assert aggravation.code == "aggravation:criminal_organisation"
    assert "segundo grado" in aggravation.label
    assert "129-B" in aggravation.article


def test_the_elements_of_the_madre_de_dios_case(case_file: Any) -> None:
    elements = {element.code: element for element in proof.case_elements(case_file)}
    assert elements["conduct:recruitment"].status == "found"
    assert elements["conduct:transfer"].status == "found"
    assert elements["means:deception"].status == "not_required"  # the victim is 16
    assert elements["purpose:prostitution"].status == "found"
    assert any(code.startswith("aggravation:") for code in elements)


def test_link_and_withdraw_a_support(personas: dict, complaints: dict) -> None:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    link = reporting.proof_link_add(
        actor=lead,
        case_file=data.case_file,
        element_code="conduct:recruitment",
        support=f"exhibit:{data.exhibits[0].pk}",
        note="Registra el pago del pasaje.",
    )
    assert AuditEvent.objects.filter(event="case_proof_linked").count() == 1
    rows = {row.element.code: row for row in proof.matrix(data.case_file)}
    assert rows["conduct:recruitment"].supported
    assert not rows["conduct:transfer"].supported
    missing = [element.code for element in proof.unsupported(rows.values())]
    assert "conduct:recruitment" not in missing and "conduct:transfer" in missing
    assert "means:deception" not in missing  # not required for a minor

    with pytest.raises(CaseFileError):  # twice
        reporting.proof_link_add(
            actor=lead,
            case_file=data.case_file,
            element_code="conduct:recruitment",
            support=f"exhibit:{data.exhibits[0].pk}",
        )
    with pytest.raises(CaseFileError):  # a reason is required
        reporting.proof_link_withdraw(actor=lead, case_file=data.case_file, link_id=link.pk, reason=" ")
    reporting.proof_link_withdraw(actor=lead, case_file=data.case_file, link_id=link.pk, reason="Error de elemento.")
    link.refresh_from_db()
    assert link.withdrawn_at is not None and link.withdrawn_by == lead
    assert not {row.element.code: row for row in proof.matrix(data.case_file)}["conduct:recruitment"].supported
    assert link.history.count() == 2
    with pytest.raises(AppendOnlyError):
        link.delete()
    assert ProofLink.objects.filter(pk=link.pk).exists()


def test_statements_and_diligences_link_too_and_bad_input_is_refused(personas: dict, complaints: dict) -> None:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    reporting.proof_link_add(
        actor=lead, case_file=data.case_file, element_code="conduct:transfer", support=f"statement:{data.statement.pk}"
    )
    for element, support in (
        ("means:deception", f"exhibit:{data.exhibits[0].pk}"),  # not required: not offered
        ("purpose:nothing", f"exhibit:{data.exhibits[0].pk}"),  # not an element of the case
        ("purpose:prostitution", "exhibit:999999"),  # not of the case file
        ("purpose:prostitution", "photo:1"),
    ):
        with pytest.raises(CaseFileError):
            reporting.proof_link_add(actor=lead, case_file=data.case_file, element_code=element, support=support)
    assert ProofLink.objects.count() == 1


def test_the_page_links_a_support_in_bounded_queries(
    client: Any, personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    data = build_case(personas, complaints)
    client.force_login(personas["regional_investigator"])
    url = reverse("investigations:case_proof", args=[data.case_file.pk])
    response = client.post(
        url, {"element_code": "conduct:recruitment", "support": f"exhibit:{data.exhibits[1].pk}", "note": "Chats."}
    )
    assert response.status_code == 302
    for exhibit in data.exhibits:
        reporting.proof_link_add(
            actor=personas["regional_investigator"],
            case_file=data.case_file,
            element_code="purpose:prostitution",
            support=f"exhibit:{exhibit.pk}",
        )
    with django_assert_max_num_queries(30):
        response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "EV-002" in text and "Chats." in text
    assert 'id="proof-missing"' in text
    assert "no se requiere" in text


def test_a_page_error_leaves_nothing(client: Any, personas: dict, complaints: dict) -> None:
    data = build_case(personas, complaints)
    client.force_login(personas["regional_investigator"])
    url = reverse("investigations:case_proof", args=[data.case_file.pk])
    response = client.post(url, {"element_code": "conduct:recruitment", "support": ""})
    assert response.status_code == 200
    assert not ProofLink.objects.exists()


def test_a_unit_the_case_file_is_shared_with_reads_the_matrix_but_cannot_link(
    client: Any, personas: dict, complaints: dict, units: dict
) -> None:
    from investigations import services
    from tests.factories.administration import UserFactory

    data = build_case(personas, complaints)
    unit = units["DIRTEPOL-MADRE-DE-DIOS-TRATA"]
    services.case_file_share(
        actor=personas["regional_investigator"], case_file=data.case_file, unit=unit, reason="Lugar de los hechos."
    )
    reader = UserFactory(username="investigador.mdd", unit=unit, role="regional_investigator")
    client.force_login(reader)
    url = reverse("investigations:case_proof", args=[data.case_file.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'id="proof-link-form"' not in response.content.decode()
    posted = {"element_code": "conduct:recruitment", "support": f"exhibit:{data.exhibits[0].pk}"}
    assert client.post(url, posted).status_code == 403
    assert not ProofLink.objects.exists()
