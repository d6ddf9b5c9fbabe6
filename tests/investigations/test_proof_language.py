"""The proof matrix in the user's language: the group titles, the statuses and the degrees are
translated (English msgids, the Spanish of locale/es on a Spanish page as before); the legal terms
keep their Spanish names; the package stored with a report keeps the codes and a Spanish label,
whatever the language of the user who generated it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from investigations import proof, reporting
from tests.investigations.report_data import build_case

pytestmark = pytest.mark.django_db


def _legal(**kwargs: Any) -> proof.ComplaintLegal:
    return proof.ComplaintLegal(number="X-2026-000001", law_profile="PE-2021", **kwargs)


def test_the_labels_follow_the_language_and_the_legal_terms_stay_spanish() -> None:
    elements = proof.proof_elements(
        [_legal(conducts=frozenset({"recruitment"}), aggravations=frozenset({"criminal_organisation"}))]
    )
    shown = {}
    for language in ("es", "en"):
        with translation.override(language):
            shown[language] = [
                (str(e.group_title), str(e.label), str(e.status_label), str(proof.STATUS_LABELS[proof.NOT_REQUIRED]))
                for e in elements
            ]
    conduct_es, means_es, *_rest, aggravation_es = shown["es"]
    conduct_en, means_en, *_rest, aggravation_en = shown["en"]
    assert conduct_es[:3] == ("Conducta", "captación", "consignado en la denuncia")
    assert conduct_en[:3] == ("Conduct", "captación", "recorded in the complaint")
    assert means_es[:3] == ("Medio", "al menos un medio (violencia, amenaza, engaño, abuso de vulnerabilidad, pago...)",
                            "exigido por la ley, no consignado")  # fmt: skip
    assert (
        means_en[0] == "Means" and means_en[1].startswith("at least one means") and means_en[2].startswith("required")
    )
    assert conduct_es[3] == "no se requiere (víctima menor de edad)" and conduct_en[3] == "not required (minor victim)"
    assert aggravation_es[0] == "Agravante" and aggravation_es[1].endswith("(segundo grado)")
    assert aggravation_en[0] == "Aggravating circumstance" and aggravation_en[1].endswith("(second degree)")


def test_the_page_in_english_and_in_spanish(client: Any, personas: dict, complaints: dict) -> None:
    data = build_case(personas, complaints)
    client.force_login(personas["regional_investigator"])
    url = reverse("investigations:case_proof", args=[data.case_file.pk])
    spanish = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Conducta — captación" in spanish and "no se requiere (víctima menor de edad)" in spanish
    assert "Conduct — captación" in english and "not required (minor victim)" in english
    assert "no se requiere" not in english


def test_the_package_keeps_codes_and_spanish_labels_whatever_the_users_language(
    personas: dict, complaints: dict
) -> None:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    reporting.report_write_conclusions(actor=lead, case_file=data.case_file, conclusions="Se acredita la captación.")
    with translation.override("en"):
        version = reporting.report_generate(actor=lead, case_file=data.case_file)
    stored = version.read_package()
    rows = {row["element"]: row for row in json.loads(stored)["proof_matrix"]}
    with translation.override("es"):
        expected = {element.code: str(element.label) for element in proof.case_elements(data.case_file)}
    assert {code: row["label"] for code, row in rows.items()} == expected
    assert rows["means:deception"]["status"] == "not_required"
    assert "degree" not in stored and "at least" not in stored
