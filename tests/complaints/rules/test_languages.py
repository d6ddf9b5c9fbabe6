"""The engine's texts in both languages: Spanish (the legal wording, stored with a complaint) by
default, English on request - one set of English source strings, translated through gettext."""

from __future__ import annotations

import re

import pytest

from complaints.rules import classify
from complaints.rules.codes import (
    AGGRAVATIONS,
    ALERTS,
    CATEGORIES,
    DEGREE_LABEL_MSGIDS,
    DEGREE_LABELS,
    DEGREE_PENALTIES,
    DEGREE_PENALTY_MSGIDS,
    ELEMENTS,
    OUTCOMES,
    RELATED_CRIMES,
    WARNINGS,
)
from complaints.rules.i18n import ENGLISH, SPANISH, translator
from complaints.rules.profiles import PROFILES

from .builders import DAY_2010, DAY_2023, MINOR_15, Suspect, Victim, make_facts, trafficking

SPANISH_WORDS = re.compile(r"\b(se registra|consta|los hechos|víctima|alerta|conclusión|advertencia|perfil)\b", re.I)

LEGAL_TERMS = sorted(
    {item.label for item in (*ELEMENTS.values(), *AGGRAVATIONS, *RELATED_CRIMES, *CATEGORIES)}, key=len, reverse=True
)

# Cases that together reach every sentence of the explanation.
CASES = [
    trafficking(),
    trafficking(date_of_facts=None),
    trafficking(date_of_facts=DAY_2023, victims=(MINOR_15, Victim(age=None, minor=True, consented=True))),
    make_facts(conducts=("recruitment", "transport"), purposes=("prostitution", "begging")),
    make_facts(conducts=("recruitment",), purposes=("prostitution", "sexual_slavery")),  # one category
    make_facts(related_facts=("pays_sex_with_minor", "lives_off_prostitution_earnings")),
    make_facts(case_facts=("multiple_victims",)),
    trafficking(
        date_of_facts=DAY_2010,
        victims=(Victim(age=30, pregnant=True, consented=True), MINOR_15),
        means=("deception", "violence"),
        case_facts=("multiple_victims", "criminal_organisation", "two_or_more_perpetrators"),
        suspects=(Suspect(sex="M"), Suspect(sex="F")),
    ),
]


def test_the_default_language_is_spanish_and_english_is_on_request() -> None:
    facts = trafficking()
    spanish = classify(facts).explanation
    assert spanish == classify(facts, language=SPANISH).explanation
    english = classify(facts, language=ENGLISH).explanation
    assert spanish[0].startswith("Por la fecha de los hechos, 01/05/2010, se aplica el perfil PE-2007")
    assert english[0].startswith(
        "By the date of the facts, 01/05/2010, profile PE-2007 applies (art. 153 of the Penal Code"
    )
    assert english[-1].startswith("Conclusion: the facts are consistent with the crime of trafficking in persons")
    assert len(spanish) == len(english)


@pytest.mark.parametrize("index", range(len(CASES)))
@pytest.mark.parametrize("law", [None, "PE-2007", "PE-2014", "PE-2021"])
def test_the_english_explanation_has_no_spanish_sentence(index: int, law: str | None) -> None:
    decision = classify(CASES[index], law=law, today=DAY_2023, language=ENGLISH)
    spanish = classify(CASES[index], law=law, today=DAY_2023)
    assert decision.outcome == spanish.outcome and len(decision.explanation) == len(spanish.explanation)
    for sentence in decision.explanation:
        # Legal terms (conducts, means, circumstances, crimes, categories) stay Spanish; the sentence does not.
        prose = re.sub(r"«[^»]*»", "", sentence)
        for term in LEGAL_TERMS:
            prose = prose.replace(term, "")
        assert not SPANISH_WORDS.search(prose), sentence


def test_the_spanish_catalogue_gives_the_legal_wording_kept_in_codes() -> None:
    spanish = translator(SPANISH)
    for term in (*OUTCOMES, *ALERTS):
        assert term.msgid and spanish(term.msgid) == term.label, term.code
    for warning in WARNINGS:
        assert spanish(warning.msgid) == warning.message, warning.code
    for degree in (1, 2):
        assert spanish(DEGREE_LABEL_MSGIDS[degree]) == DEGREE_LABELS[degree]
        assert spanish(DEGREE_PENALTY_MSGIDS[degree]) == DEGREE_PENALTIES[degree]
    for profile in PROFILES:
        assert spanish(profile.source_msgid) == profile.source
        assert spanish(profile.consent_reference_msgid) == profile.consent_reference
        assert (
            profile.cite(spanish(profile.minor_clause_msgid))
            == f"art. {profile.minor_clause} del Código Penal, {profile.source}"
        )


def test_english_keeps_the_source_strings() -> None:
    english = translator(ENGLISH)
    assert english(OUTCOMES[0].msgid) == "consistent with trafficking in persons"
