"""The explanation: Spanish sentences that cite the articles, in reading order. No database."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.rules import Facts, Suspect, Victim

from .builders import ADULT, DAY_2010, DAY_2018, DAY_2023, MINOR_15, explanation, make_facts, trafficking


def test_the_law_md_example_reads_in_order() -> None:
    facts = make_facts(
        victims=[Victim(age=16, sex="F")],
        conducts=["recruitment", "transfer"],
        means=["deception"],
        purposes=["prostitution"],
        related_facts=["hands_over_for_sex"],
    )
    assert explanation(facts) == [
        "Por la fecha de los hechos, 01/05/2010, se aplica el perfil PE-2007 (art. 153 del Código Penal, "
        "Ley 28950, vigente del 17/01/2007 al 21/10/2014).",
        "Se registran conductas de captación y traslado (art. 153 del Código Penal, Ley 28950).",
        "Se registra como medio: engaño (art. 153 del Código Penal, Ley 28950).",
        "Al menos una víctima es menor de edad: para ella la trata no requiere medio alguno "
        "(art. 153, segundo párrafo, del Código Penal, Ley 28950).",
        "Se registra como fin de explotación: «para que ejerza la prostitución» (art. 153 del Código Penal, "
        "Ley 28950), que se cuenta en la categoría estadística «explotación sexual».",
        "Agravante de primer grado (art. 153-A del Código Penal; pena no menor de doce ni mayor de veinte años): "
        "la víctima tiene entre catorce y diecisiete años o es incapaz.",
        "Los hechos son consistentes con el delito afín de proxenetismo (art. 181 del Código Penal).",
        "Conclusión: los hechos son consistentes con el delito de trata de personas (art. 153 del Código Penal, "
        "Ley 28950). Alerta de prioridad alta a la unidad especializada de la dirección competente por el lugar "
        "de los hechos y a la DIVINTRAP.",
    ]


# --- The law applied ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "law", "today", "sentence"),
    [
        pytest.param(
            DAY_2018,
            None,
            None,
            "Por la fecha de los hechos, 01/06/2018, se aplica el perfil PE-2014 (art. 153 del Código Penal, "
            "modificado por la Ley 30251, vigente del 22/10/2014 al 30/03/2021).",
            id="by_date_pe_2014",
        ),
        pytest.param(
            DAY_2023,
            None,
            None,
            "Por la fecha de los hechos, 01/02/2023, se aplica el perfil PE-2021 (art. 129-A del Código Penal, "
            "incorporado por la Ley 31146, vigente desde el 31/03/2021).",
            id="by_date_pe_2021",
        ),
        pytest.param(
            date(2006, 8, 9),
            None,
            None,
            "Los hechos (09/08/2006) son anteriores a la vigencia de la Ley 28950: se aplica el perfil PE-2007 "
            "(art. 153 del Código Penal, Ley 28950, vigente del 17/01/2007 al 21/10/2014).",
            id="before_law_28950",
        ),
        pytest.param(
            None,
            None,
            date(2019, 7, 28),
            "No consta la fecha de los hechos: se aplica el perfil PE-2014 (art. 153 del Código Penal, modificado "
            "por la Ley 30251, vigente del 22/10/2014 al 30/03/2021), la ley en vigor al 28/07/2019.",
            id="no_date",
        ),
        pytest.param(
            DAY_2010,
            "PE-2021",
            None,
            "Por indicación expresa, se aplica el perfil PE-2021 (art. 129-A del Código Penal, incorporado por la "
            "Ley 31146, vigente desde el 31/03/2021); fecha de los hechos: 01/05/2010.",
            id="forced",
        ),
        pytest.param(
            None,
            "PE-2007",
            None,
            "Por indicación expresa, se aplica el perfil PE-2007 (art. 153 del Código Penal, Ley 28950, vigente "
            "del 17/01/2007 al 21/10/2014).",
            id="forced_without_date",
        ),
    ],
)
def test_the_first_sentence_says_which_law_applies_and_why(
    day: date | None, law: str | None, today: date | None, sentence: str
) -> None:
    assert explanation(trafficking(date_of_facts=day), law=law, today=today)[0] == sentence


# --- Conducts, means, consent -------------------------------------------------------------------


def test_a_single_conduct_is_named_in_the_singular() -> None:
    facts = trafficking(date_of_facts=DAY_2018, conducts=["harbouring"])
    assert "Se registra la conducta de acogida (art. 153.1 del Código Penal, modificado por la Ley 30251)." in (
        explanation(facts)
    )


def test_conducts_are_named_in_the_order_of_the_law() -> None:
    facts = trafficking(date_of_facts=DAY_2023, conducts=["retention", "recruitment", "receipt"])
    assert (
        "Se registran conductas de captación, recepción y retención (art. 129-A.1 del Código Penal, "
        "incorporado por la Ley 31146)." in explanation(facts)
    )


def test_no_conduct_is_said_with_the_list_of_conducts() -> None:
    assert (
        "No se registra ninguna conducta de trata (captación, transporte, traslado, acogida, recepción o "
        "retención; art. 153 del Código Penal, Ley 28950)." in explanation(make_facts())
    )


def test_several_means_are_named_in_the_plural() -> None:
    facts = trafficking(means=["payment_or_benefit", "violence", "abuse_of_vulnerability"])
    assert (
        "Se registran como medios: violencia, abuso de una situación de vulnerabilidad y concesión o recepción "
        "de pagos o beneficios (art. 153 del Código Penal, Ley 28950)." in explanation(facts)
    )


def test_no_means_for_an_adult_is_said() -> None:
    assert "No se registra ningún medio (art. 153 del Código Penal, Ley 28950)." in explanation(make_facts())


@pytest.mark.parametrize(
    ("day", "reference"),
    [
        pytest.param(DAY_2010, "art. 153, segundo párrafo, del Código Penal, Ley 28950", id="PE-2007"),
        pytest.param(DAY_2018, "art. 153.3 del Código Penal, modificado por la Ley 30251", id="PE-2014"),
        pytest.param(DAY_2023, "art. 129-A.3 del Código Penal, incorporado por la Ley 31146", id="PE-2021"),
    ],
)
def test_a_minor_needs_no_means_and_the_explanation_cites_why(day: date, reference: str) -> None:
    facts = make_facts(date_of_facts=day, victims=[MINOR_15], conducts=["recruitment"], purposes=["begging"])
    assert (
        f"No se registra ningún medio, pero no se requiere: al menos una víctima es menor de edad ({reference})."
        in explanation(facts)
    )


@pytest.mark.parametrize(
    ("day", "reference"),
    [
        pytest.param(DAY_2010, "Protocolo de Palermo, art. 3(b)", id="PE-2007"),
        pytest.param(DAY_2018, "art. 153.4 del Código Penal, modificado por la Ley 30251", id="PE-2014"),
        pytest.param(DAY_2023, "art. 129-A.4 del Código Penal, incorporado por la Ley 31146", id="PE-2021"),
    ],
)
def test_an_adults_consent_is_irrelevant_once_a_means_was_used(day: date, reference: str) -> None:
    facts = trafficking(date_of_facts=day, victims=[Victim(age=22, consented=True)])
    assert (
        "El consentimiento dado por la víctima mayor de edad carece de efectos jurídicos, porque se recurrió a "
        f"un medio ({reference})." in explanation(facts)
    )


def test_an_adults_consent_without_means_is_to_verify() -> None:
    facts = make_facts(victims=[Victim(age=22, consented=True)], conducts=["recruitment"], purposes=["prostitution"])
    assert (
        "Consta el consentimiento de una víctima mayor de edad y no se registra ningún medio: debe verificarse si "
        "se recurrió a algún medio que lo invalide (Protocolo de Palermo, art. 3(b))." in explanation(facts)
    )


def test_a_minors_consent_does_not_exclude_trafficking() -> None:
    facts = trafficking(victims=[Victim(age=16, consented=True)])
    sentences = explanation(facts)
    assert (
        "El consentimiento de una víctima menor de edad no excluye la trata, que no requiere medio alguno "
        "(art. 153, segundo párrafo, del Código Penal, Ley 28950)." in sentences
    )
    assert not any(sentence.startswith("El consentimiento dado por la víctima mayor") for sentence in sentences)


def test_without_consent_nothing_is_said_of_consent() -> None:
    assert not any("consentimiento" in sentence for sentence in explanation(trafficking()))


# --- Purposes -------------------------------------------------------------------------------------


def test_several_purposes_and_categories_are_named_in_the_plural() -> None:
    facts = trafficking(date_of_facts=DAY_2018, purposes=["begging", "prostitution", "sexual_slavery"])
    assert (
        "Se registran como fines de explotación: «para que ejerza la prostitución», «esclavitud sexual» y "
        "«obligarlo a mendigar» (art. 153.2 del Código Penal, modificado por la Ley 30251), que se cuentan en "
        "las categorías estadísticas «mendicidad» y «explotación sexual»." in explanation(facts)
    )


def test_trafficking_without_purpose_is_counted_as_unassigned() -> None:
    assert (
        "No se registra ningún fin de explotación (art. 153 del Código Penal, Ley 28950); el caso se cuenta en la "
        "categoría estadística «trata sin fin asignado»." in explanation(trafficking(purposes=()))
    )


def test_no_purpose_outside_trafficking_has_no_category() -> None:
    assert "No se registra ningún fin de explotación (art. 153 del Código Penal, Ley 28950)." in explanation(
        make_facts()
    )


def test_a_purpose_outside_trafficking_has_no_category() -> None:
    assert "Se registra como fin de explotación: «servidumbre» (art. 153 del Código Penal, Ley 28950)." in (
        explanation(make_facts(purposes=["servitude"]))
    )


# --- Aggravations ---------------------------------------------------------------------------------


def test_each_aggravation_is_explained_with_its_degree_article_and_penalty() -> None:
    facts = trafficking(
        date_of_facts=DAY_2023,
        victims=[Victim(age=12), Victim(age=30, pregnant=True)],
        suspects=[Suspect(), Suspect(), Suspect()],
        case_facts=["criminal_organisation"],
    )
    first = "Agravante de primer grado (art. 129-B del Código Penal; pena no menor de doce ni mayor de veinte años): "
    second = "Agravante de segundo grado (art. 129-B del Código Penal; pena no menor de veinticinco años): "
    aggravations = [sentence for sentence in explanation(facts) if sentence.startswith("Agravante")]
    assert aggravations == [
        first + "pluralidad de víctimas (2 víctimas registradas).",
        first + "la víctima se encuentra en estado de gestación.",
        first + "el hecho es cometido por dos o más personas (3 presuntos tratantes registrados).",
        second + "el agente es parte de una organización criminal.",
        second + "la víctima es menor de catorce años o tiene una discapacidad física o mental.",
    ]


def test_aggravations_ticked_without_counts_carry_no_count() -> None:
    facts = trafficking(case_facts=["multiple_victims", "two_or_more_perpetrators"])
    sentences = explanation(facts)
    assert any(sentence.endswith("): pluralidad de víctimas.") for sentence in sentences)
    assert any(sentence.endswith("): el hecho es cometido por dos o más personas.") for sentence in sentences)


def test_trafficking_without_aggravations_says_so() -> None:
    assert "No se registran circunstancias agravantes (art. 153-A del Código Penal)." in explanation(trafficking())


def test_aggravations_outside_trafficking_are_said_not_to_be_evaluated() -> None:
    facts = make_facts(conducts=["recruitment"], purposes=["begging"], case_facts=["criminal_organisation"])
    assert (
        "Las circunstancias agravantes registradas (art. 153-A del Código Penal) solo se evalúan cuando los hechos "
        "son consistentes con trata de personas." in explanation(facts)
    )


def test_outside_trafficking_with_no_case_fact_nothing_is_said_of_aggravations() -> None:
    assert not any("agravante" in sentence.lower() for sentence in explanation(make_facts()))


def test_a_minor_of_unknown_age_is_explained() -> None:
    sentences = explanation(trafficking(victims=[Victim(minor=True)]))
    assert (
        "Una víctima menor de edad no tiene edad registrada: no se le aplican las agravantes por edad "
        "(art. 153-A del Código Penal) mientras no se verifique." in sentences
    )


@pytest.mark.parametrize("day", [pytest.param(DAY_2010, id="PE-2007"), pytest.param(DAY_2018, id="PE-2014")])
def test_pregnancy_before_law_31146_is_explained_as_no_aggravation(day: date) -> None:
    facts = trafficking(date_of_facts=day, victims=[Victim(age=25, pregnant=True)])
    assert (
        "El estado de gestación de la víctima no es agravante en este perfil: lo incorporó la Ley 31146 "
        "(art. 129-B del Código Penal, vigente desde el 31/03/2021)." in explanation(facts)
    )


def test_pregnancy_under_law_31146_is_not_said_to_be_no_aggravation() -> None:
    facts = trafficking(date_of_facts=DAY_2023, victims=[Victim(age=25, pregnant=True)])
    assert not any("no es agravante" in sentence for sentence in explanation(facts))


# --- Related crimes, warnings, conclusion --------------------------------------------------------


def test_each_related_crime_is_explained_with_its_article() -> None:
    facts = make_facts(victims=[Victim(age=15)], related_facts=["pays_sex_with_minor", "child_sex_tourism"])
    sentences = explanation(facts)
    assert "Los hechos son consistentes con el delito afín de usuario-cliente (art. 179-A del Código Penal)." in (
        sentences
    )
    assert (
        "Los hechos son consistentes con el delito afín de turismo sexual infantil (art. 181-A del Código Penal)."
        in sentences
    )


def test_paying_for_sex_with_a_minor_of_unrecorded_age_is_explained() -> None:
    facts = make_facts(victims=[Victim(minor=True)], related_facts=["pays_sex_with_minor"])
    assert (
        "Se registra el pago por acceso carnal con menor, pero no consta una víctima de catorce a diecisiete años: "
        "no se configura usuario-cliente (art. 179-A del Código Penal) mientras no se verifique la edad."
        in explanation(facts)
    )


@pytest.mark.parametrize(
    ("facts", "warning"),
    [
        pytest.param(
            trafficking(date_of_facts=date(2006, 1, 1)),
            "Advertencia: los hechos son anteriores a la vigencia de la Ley 28950 (17/01/2007): se clasifican con el "
            "perfil PE-2007, pero la ley penal aplicable en su fecha debe verificarse.",
            id="facts_before_law_28950",
        ),
        pytest.param(
            trafficking(purposes=()),
            "Advertencia: no se registra un fin de explotación: el caso se cuenta como trata sin fin asignado y el "
            "fin debe determinarse en la investigación.",
            id="purpose_to_determine",
        ),
        pytest.param(
            make_facts(conducts=["recruitment"], purposes=["begging"]),
            "Advertencia: no se registra ningún medio y no consta que la víctima sea menor de edad: para una persona "
            "adulta la trata exige un medio, que debe verificarse.",
            id="means_missing_for_adult",
        ),
        pytest.param(
            trafficking(purposes=["other_analogous_exploitation"]),
            "Advertencia: el fin «cualquier otra forma análoga de explotación» no figura en el art. 153 según la "
            "Ley 28950 (lo incorporó la Ley 30251, vigente desde el 22/10/2014): no se toma en cuenta.",
            id="purpose_not_in_law",
        ),
        pytest.param(
            make_facts(victims=[Victim()], conducts=["recruitment"], purposes=["begging"]),
            "Advertencia: la edad de al menos una víctima no consta y debe verificarse: de ella dependen la exigencia "
            "de un medio y las agravantes por edad.",
            id="age_to_verify",
        ),
    ],
)
def test_each_warning_is_explained_in_words(facts: Facts, warning: str) -> None:
    assert warning in explanation(facts)


def test_warnings_are_explained_before_the_conclusion_sorted_by_code() -> None:
    sentences = explanation(make_facts(victims=[Victim()], conducts=["recruitment"], purposes=["begging"]))
    warnings = [sentence for sentence in sentences if sentence.startswith("Advertencia:")]
    assert len(warnings) == 2
    assert warnings[0].startswith("Advertencia: la edad")  # age_to_verify
    assert warnings[1].startswith("Advertencia: no se registra ningún medio")  # means_missing_for_adult
    assert sentences[-3:-1] == warnings


@pytest.mark.parametrize(
    ("facts", "conclusion"),
    [
        pytest.param(
            trafficking(date_of_facts=DAY_2023),
            "Conclusión: los hechos son consistentes con el delito de trata de personas (art. 129-A del Código Penal, "
            "incorporado por la Ley 31146). Alerta de prioridad alta a la unidad especializada de la dirección "
            "competente por el lugar de los hechos y a la DIVINTRAP.",
            id="trafficking",
        ),
        pytest.param(
            make_facts(date_of_facts=DAY_2018, conducts=["recruitment"], purposes=["begging"]),
            "Conclusión: los hechos podrían constituir trata de personas (art. 153 del Código Penal, modificado por "
            "la Ley 30251), pero falta un medio o acreditar que la víctima es menor de edad. Alerta de prioridad "
            "normal, por verificar, a la unidad especializada de la dirección competente por el lugar de los hechos "
            "y a la DIVINTRAP.",
            id="trafficking_incomplete",
        ),
        pytest.param(
            make_facts(related_facts=["promotes_prostitution"]),
            "Conclusión: los hechos no son consistentes con trata de personas, pero sí con delitos afines. Alerta de "
            "prioridad normal a la unidad especializada de la dirección competente por el lugar de los hechos.",
            id="related_crime",
        ),
        pytest.param(
            make_facts(victims=[ADULT]),
            "Conclusión: los hechos registrados no son consistentes con trata de personas ni con delitos afines. "
            "No se emite alerta.",
            id="not_consistent",
        ),
    ],
)
def test_the_last_sentence_gives_the_outcome_and_the_alert(facts: Facts, conclusion: str) -> None:
    assert explanation(facts)[-1] == conclusion
