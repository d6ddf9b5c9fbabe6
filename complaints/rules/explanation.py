"""The explanation of a decision: Spanish sentences, citing the articles, in reading order.

Order: the law applied; conducts; means (or why none is needed); consent; purposes and their
statistics categories; aggravating circumstances; related crimes; warnings; conclusion and alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .codes import (
    AGGRAVATIONS_BY_CODE,
    CATEGORY_LABELS,
    CONDUCTS,
    DEGREE_LABELS,
    DEGREE_PENALTIES,
    MEANS,
    NOT_CONSISTENT,
    PURPOSES,
    RELATED_CRIME,
    RELATED_CRIMES_BY_CODE,
    TRAFFICKING,
    TRAFFICKING_INCOMPLETE,
    UNASSIGNED,
    WARNING_MESSAGES,
    Element,
)
from .decision import Aggravation, RelatedCrime
from .facts import Facts
from .profiles import LAW_28950_IN_FORCE, LawProfile


@dataclass(frozen=True, kw_only=True)
class Reasoning:
    """What the engine found, handed to ``explain``."""

    facts: Facts
    profile: LawProfile
    forced: bool  # the profile was asked for, not chosen by the date
    reference_day: date  # the date of the facts, or today when it is unknown
    purposes: frozenset[str]  # the purposes ticked that the profile's text names
    any_minor: bool
    outcome: str
    categories: frozenset[str]
    aggravating: tuple[Aggravation, ...]
    related_crimes: tuple[RelatedCrime, ...]
    usuario_cliente_without_age: bool  # pays_sex_with_minor ticked, no victim aged 14-17
    minor_of_unknown_age: bool
    warnings: frozenset[str]


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _join(items: Iterable[str]) -> str:
    """'a', 'a y b', 'a, b y c'."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " y " + words[-1]


def _labels(codes: frozenset[str], table: Iterable[Element]) -> list[str]:
    """Labels of ``codes`` in the order of the code table (the order of the form)."""
    return [element.label for element in table if element.code in codes]


def _quoted(labels: Iterable[str]) -> str:
    return _join(f"«{label}»" for label in labels)


def _law(r: Reasoning) -> str:
    profile = r.profile
    if profile.in_force_until is None:
        in_force = f"vigente desde el {_day(profile.in_force_from)}"
    else:
        in_force = f"vigente del {_day(profile.in_force_from)} al {_day(profile.in_force_until)}"
    applied = f"se aplica el perfil {profile.code} ({profile.cite(profile.article)}, {in_force})"
    day = r.facts.date_of_facts
    if r.forced:
        when = f"; fecha de los hechos: {_day(day)}" if day else ""
        return f"Por indicación expresa, {applied}{when}."
    if day is None:
        return f"No consta la fecha de los hechos: {applied}, la ley en vigor al {_day(r.reference_day)}."
    if day < LAW_28950_IN_FORCE:
        return f"Los hechos ({_day(day)}) son anteriores a la vigencia de la Ley 28950: {applied}."
    return f"Por la fecha de los hechos, {_day(day)}, {applied}."


def _conducts(r: Reasoning) -> str:
    reference = r.profile.cite(r.profile.conduct_clause)
    labels = _labels(r.facts.conducts, CONDUCTS)
    if not labels:
        return (
            "No se registra ninguna conducta de trata (captación, transporte, traslado, acogida, recepción o "
            f"retención; {reference})."
        )
    if len(labels) == 1:
        return f"Se registra la conducta de {labels[0]} ({reference})."
    return f"Se registran conductas de {_join(labels)} ({reference})."


def _means(r: Reasoning) -> list[str]:
    profile = r.profile
    labels = _labels(r.facts.means, MEANS)
    minor_reference = profile.cite(profile.minor_clause)
    if not labels:
        if r.any_minor:
            return [
                "No se registra ningún medio, pero no se requiere: al menos una víctima es menor de edad "
                f"({minor_reference})."
            ]
        return [f"No se registra ningún medio ({profile.cite(profile.conduct_clause)})."]
    sentences = [
        f"Se registra{'n' if len(labels) > 1 else ''} como medio{'s' if len(labels) > 1 else ''}: "
        f"{_join(labels)} ({profile.cite(profile.conduct_clause)})."
    ]
    if r.any_minor:
        sentences.append(
            f"Al menos una víctima es menor de edad: para ella la trata no requiere medio alguno ({minor_reference})."
        )
    return sentences


def _consent(r: Reasoning) -> list[str]:
    profile = r.profile
    victims = r.facts.victims
    sentences = []
    if any(victim.consented and victim.is_minor is not True for victim in victims):
        if r.facts.means:
            sentences.append(
                "El consentimiento dado por la víctima mayor de edad carece de efectos jurídicos, porque se "
                f"recurrió a un medio ({profile.consent_reference})."
            )
        else:
            sentences.append(
                "Consta el consentimiento de una víctima mayor de edad y no se registra ningún medio: debe "
                f"verificarse si se recurrió a algún medio que lo invalide ({profile.consent_reference})."
            )
    if any(victim.consented and victim.is_minor is True for victim in victims):
        sentences.append(
            "El consentimiento de una víctima menor de edad no excluye la trata, que no requiere medio alguno "
            f"({profile.cite(profile.minor_clause)})."
        )
    return sentences


def _purposes(r: Reasoning) -> str:
    reference = r.profile.cite(r.profile.purpose_clause)
    labels = _labels(r.purposes, PURPOSES)
    counted = r.outcome in (TRAFFICKING, TRAFFICKING_INCOMPLETE)
    if not labels:
        sentence = f"No se registra ningún fin de explotación ({reference})"
        if counted:
            sentence += f"; el caso se cuenta en la categoría estadística «{CATEGORY_LABELS[UNASSIGNED]}»"
        return sentence + "."
    plural = len(labels) > 1
    sentence = (
        f"Se registra{'n' if plural else ''} como fin{'es' if plural else ''} de explotación: "
        f"{_quoted(labels)} ({reference})"
    )
    if counted:
        categories = [CATEGORY_LABELS[code] for code in sorted(r.categories)]
        many = len(categories) > 1
        sentence += (
            f", que se cuenta{'n' if plural else ''} en la{'s' if many else ''} categoría{'s' if many else ''} "
            f"estadística{'s' if many else ''} {_quoted(categories)}"
        )
    return sentence + "."


def _aggravations(r: Reasoning) -> list[str]:
    profile = r.profile
    reference = f"art. {profile.aggravated_article} del Código Penal"
    if r.outcome != TRAFFICKING:
        if r.facts.case_facts:
            return [
                f"Las circunstancias agravantes registradas ({reference}) solo se evalúan cuando los hechos son "
                "consistentes con trata de personas."
            ]
        return []
    sentences = []
    for aggravation in sorted(r.aggravating, key=lambda item: (item.degree, item.code)):
        circumstance = AGGRAVATIONS_BY_CODE[aggravation.code]
        detail = ""
        if aggravation.code == "multiple_victims" and len(r.facts.victims) >= 2:
            detail = f" ({len(r.facts.victims)} víctimas registradas)"
        if aggravation.code == "two_or_more_perpetrators" and len(r.facts.suspects) >= 2:
            detail = f" ({len(r.facts.suspects)} presuntos tratantes registrados)"
        sentences.append(
            f"Agravante de {DEGREE_LABELS[aggravation.degree]} ({reference}; {DEGREE_PENALTIES[aggravation.degree]}): "
            f"{circumstance.label}{detail}."
        )
    if not sentences:
        sentences.append(f"No se registran circunstancias agravantes ({reference}).")
    if r.minor_of_unknown_age:
        sentences.append(
            "Una víctima menor de edad no tiene edad registrada: no se le aplican las agravantes por edad "
            f"({reference}) mientras no se verifique."
        )
    if "pregnant_victim" not in profile.aggravations and any(victim.pregnant for victim in r.facts.victims):
        sentences.append(
            "El estado de gestación de la víctima no es agravante en este perfil: lo incorporó la Ley 31146 "
            "(art. 129-B del Código Penal, vigente desde el 31/03/2021)."
        )
    return sentences


def _related(r: Reasoning) -> list[str]:
    sentences = []
    for crime in r.related_crimes:
        label = RELATED_CRIMES_BY_CODE[crime.code].label
        sentences.append(
            f"Los hechos son consistentes con el delito afín de {label} (art. {crime.article} del Código Penal)."
        )
    if r.usuario_cliente_without_age:
        sentences.append(
            "Se registra el pago por acceso carnal con menor, pero no consta una víctima de catorce a diecisiete "
            "años: no se configura usuario-cliente (art. 179-A del Código Penal) mientras no se verifique la edad."
        )
    return sentences


# The last sentence, by outcome; {reference} is the trafficking article of the profile.
CONCLUSIONS: dict[str, str] = {
    TRAFFICKING: (
        "Conclusión: los hechos son consistentes con el delito de trata de personas ({reference}). Alerta de "
        "prioridad alta a la unidad especializada de la dirección competente por el lugar de los hechos y a la "
        "DIVINTRAP."
    ),
    TRAFFICKING_INCOMPLETE: (
        "Conclusión: los hechos podrían constituir trata de personas ({reference}), pero falta un medio o "
        "acreditar que la víctima es menor de edad. Alerta de prioridad normal, por verificar, a la unidad "
        "especializada de la dirección competente por el lugar de los hechos y a la DIVINTRAP."
    ),
    RELATED_CRIME: (
        "Conclusión: los hechos no son consistentes con trata de personas, pero sí con delitos afines. Alerta "
        "de prioridad normal a la unidad especializada de la dirección competente por el lugar de los hechos."
    ),
    NOT_CONSISTENT: (
        "Conclusión: los hechos registrados no son consistentes con trata de personas ni con delitos afines. "
        "No se emite alerta."
    ),
}


def _warning(code: str) -> str:
    message = WARNING_MESSAGES[code]
    return f"Advertencia: {message[0].lower()}{message[1:]}"


def explain(r: Reasoning) -> tuple[str, ...]:
    """The Spanish sentences of the explanation, in reading order."""
    return (
        _law(r),
        _conducts(r),
        *_means(r),
        *_consent(r),
        _purposes(r),
        *_aggravations(r),
        *_related(r),
        *(_warning(code) for code in sorted(r.warnings)),
        CONCLUSIONS[r.outcome].format(reference=r.profile.cite(r.profile.article)),
    )
