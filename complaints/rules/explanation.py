"""The explanation of a decision: sentences citing the articles, in reading order.

Order: the law applied; conducts; means (or why none is needed); consent; purposes and their
statistics categories; aggravating circumstances; related crimes; warnings; conclusion and alert.

Every sentence is an English source string (marked ``N_``) translated by ``t`` (complaints.rules.i18n:
Spanish by default, the legal wording stored with the complaint; English for a page in English).
The legal terms inside them - conducts, means, purposes, categories, circumstances, related crimes -
keep their Spanish names in both languages (codes.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .codes import (
    AGGRAVATIONS_BY_CODE,
    CATEGORY_LABELS,
    CONDUCTS,
    DEGREE_LABEL_MSGIDS,
    DEGREE_PENALTY_MSGIDS,
    MEANS,
    NOT_CONSISTENT,
    PURPOSES,
    RELATED_CRIME,
    RELATED_CRIMES_BY_CODE,
    TRAFFICKING,
    TRAFFICKING_INCOMPLETE,
    UNASSIGNED,
    WARNING_MSGIDS,
    Element,
)
from .decision import Aggravation, RelatedCrime
from .facts import Facts
from .i18n import N_, Translate, translator
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


def _join(items: Iterable[str], t: Translate) -> str:
    """'a', 'a y b', 'a, b y c' ('a, b and c' in English)."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + t(N_(" and ")) + words[-1]


def _labels(codes: frozenset[str], table: Iterable[Element]) -> list[str]:
    """Labels of ``codes`` in the order of the code table (the order of the form)."""
    return [element.label for element in table if element.code in codes]


def _quoted(labels: Iterable[str], t: Translate) -> str:
    return _join((f"«{label}»" for label in labels), t)


def cite(profile: LawProfile, clause: str, t: Translate) -> str:
    """'art. 153.3 del Código Penal, modificado por la Ley 30251' (LawProfile.cite), in ``t``'s language."""
    return t(N_("art. {clause} of the Penal Code, {source}")).format(clause=clause, source=t(profile.source_msgid))


def _law(r: Reasoning, t: Translate) -> str:
    profile = r.profile
    if profile.in_force_until is None:
        in_force = t(N_("in force since {start}")).format(start=_day(profile.in_force_from))
    else:
        in_force = t(N_("in force from {start} to {end}")).format(
            start=_day(profile.in_force_from), end=_day(profile.in_force_until)
        )
    applied = t(N_("profile {code} applies ({reference}, {in_force})")).format(
        code=profile.code, reference=cite(profile, profile.article, t), in_force=in_force
    )
    day = r.facts.date_of_facts
    if r.forced:
        if day:
            return t(N_("As expressly requested, {applied}; date of the facts: {day}.")).format(
                applied=applied, day=_day(day)
            )
        return t(N_("As expressly requested, {applied}.")).format(applied=applied)
    if day is None:
        return t(N_("The date of the facts is not recorded: {applied}, the law in force on {day}.")).format(
            applied=applied, day=_day(r.reference_day)
        )
    if day < LAW_28950_IN_FORCE:
        return t(N_("The facts ({day}) predate Law 28950: {applied}.")).format(day=_day(day), applied=applied)
    return t(N_("By the date of the facts, {day}, {applied}.")).format(day=_day(day), applied=applied)


def _conducts(r: Reasoning, t: Translate) -> str:
    reference = cite(r.profile, r.profile.conduct_clause, t)
    labels = _labels(r.facts.conducts, CONDUCTS)
    if not labels:
        return t(
            N_(
                "No trafficking conduct is recorded (recruitment, transport, transfer, harbouring, receipt or "
                "retention; {reference})."
            )
        ).format(reference=reference)
    if len(labels) == 1:
        return t(N_("The conduct of {conduct} is recorded ({reference}).")).format(
            conduct=labels[0], reference=reference
        )
    return t(N_("The conducts of {conducts} are recorded ({reference}).")).format(
        conducts=_join(labels, t), reference=reference
    )


def _means(r: Reasoning, t: Translate) -> list[str]:
    profile = r.profile
    labels = _labels(r.facts.means, MEANS)
    minor_reference = cite(profile, t(profile.minor_clause_msgid), t)
    if not labels:
        if r.any_minor:
            return [
                t(
                    N_("No means is recorded, but none is required: at least one victim is a minor ({reference}).")
                ).format(reference=minor_reference)
            ]
        return [t(N_("No means is recorded ({reference}).")).format(reference=cite(profile, profile.conduct_clause, t))]
    message = (
        N_("Recorded as means: {means} ({reference}).")
        if len(labels) > 1
        else N_("Recorded as a means: {means} ({reference}).")
    )
    sentences = [t(message).format(means=_join(labels, t), reference=cite(profile, profile.conduct_clause, t))]
    if r.any_minor:
        sentences.append(
            t(N_("At least one victim is a minor: for her or him trafficking requires no means ({reference}).")).format(
                reference=minor_reference
            )
        )
    return sentences


def _consent(r: Reasoning, t: Translate) -> list[str]:
    profile = r.profile
    victims = r.facts.victims
    sentences = []
    if any(victim.consented and victim.is_minor is not True for victim in victims):
        if r.facts.means:
            sentences.append(
                t(
                    N_(
                        "The consent given by the adult victim has no legal effect, because a means was used "
                        "({reference})."
                    )
                ).format(reference=t(profile.consent_reference_msgid))
            )
        else:
            sentences.append(
                t(
                    N_(
                        "An adult victim's consent is recorded and no means is: whether a means that voids it was "
                        "used must be verified ({reference})."
                    )
                ).format(reference=t(profile.consent_reference_msgid))
            )
    if any(victim.consented and victim.is_minor is True for victim in victims):
        sentences.append(
            t(
                N_(
                    "The consent of a victim who is a minor does not rule out trafficking, which requires no means "
                    "({reference})."
                )
            ).format(reference=cite(profile, t(profile.minor_clause_msgid), t))
        )
    return sentences


def _purposes(r: Reasoning, t: Translate) -> str:
    reference = cite(r.profile, r.profile.purpose_clause, t)
    labels = _labels(r.purposes, PURPOSES)
    counted = r.outcome in (TRAFFICKING, TRAFFICKING_INCOMPLETE)
    if not labels:
        if counted:
            return t(
                N_(
                    "No purpose of exploitation is recorded ({reference}); the case counts under the statistics "
                    "category «{category}»."
                )
            ).format(reference=reference, category=CATEGORY_LABELS[UNASSIGNED])
        return t(N_("No purpose of exploitation is recorded ({reference}).")).format(reference=reference)
    plural = len(labels) > 1
    purposes = _quoted(labels, t)
    if not counted:
        message = (
            N_("Recorded as purposes of exploitation: {purposes} ({reference}).")
            if plural
            else N_("Recorded as the purpose of exploitation: {purposes} ({reference}).")
        )
        return t(message).format(purposes=purposes, reference=reference)
    categories = [CATEGORY_LABELS[code] for code in sorted(r.categories)]
    if plural and len(categories) > 1:
        message = N_(
            "Recorded as purposes of exploitation: {purposes} ({reference}), which count under the statistics "
            "categories {categories}."
        )
    elif plural:
        message = N_(
            "Recorded as purposes of exploitation: {purposes} ({reference}), which count under the statistics "
            "category {categories}."
        )
    else:
        message = N_(
            "Recorded as the purpose of exploitation: {purposes} ({reference}), which counts under the statistics "
            "category {categories}."
        )
    return t(message).format(purposes=purposes, reference=reference, categories=_quoted(categories, t))


def _aggravations(r: Reasoning, t: Translate) -> list[str]:
    profile = r.profile
    reference = t(N_("art. {article} of the Penal Code")).format(article=profile.aggravated_article)
    if r.outcome != TRAFFICKING:
        if r.facts.case_facts:
            return [
                t(
                    N_(
                        "The aggravating circumstances recorded ({reference}) are only assessed when the facts are "
                        "consistent with trafficking in persons."
                    )
                ).format(reference=reference)
            ]
        return []
    sentences = []
    for aggravation in sorted(r.aggravating, key=lambda item: (item.degree, item.code)):
        circumstance = AGGRAVATIONS_BY_CODE[aggravation.code]
        detail = ""
        if aggravation.code == "multiple_victims" and len(r.facts.victims) >= 2:
            detail = t(N_(" ({n} victims recorded)")).format(n=len(r.facts.victims))
        if aggravation.code == "two_or_more_perpetrators" and len(r.facts.suspects) >= 2:
            detail = t(N_(" ({n} alleged traffickers recorded)")).format(n=len(r.facts.suspects))
        sentences.append(
            t(N_("Aggravating circumstance of the {degree} ({reference}; {penalty}): {circumstance}{detail}.")).format(
                degree=t(DEGREE_LABEL_MSGIDS[aggravation.degree]),
                reference=reference,
                penalty=t(DEGREE_PENALTY_MSGIDS[aggravation.degree]),
                circumstance=circumstance.label,
                detail=detail,
            )
        )
    if not sentences:
        sentences.append(t(N_("No aggravating circumstance is recorded ({reference}).")).format(reference=reference))
    if r.minor_of_unknown_age:
        sentences.append(
            t(
                N_(
                    "A victim who is a minor has no recorded age: the aggravations by age ({reference}) do not apply "
                    "until it is verified."
                )
            ).format(reference=reference)
        )
    if "pregnant_victim" not in profile.aggravations and any(victim.pregnant for victim in r.facts.victims):
        sentences.append(
            t(
                N_(
                    "The victim's pregnancy is not an aggravating circumstance in this profile: Law 31146 added it "
                    "(art. 129-B of the Penal Code, in force since 31/03/2021)."
                )
            )
        )
    return sentences


def _related(r: Reasoning, t: Translate) -> list[str]:
    sentences = []
    for crime in r.related_crimes:
        label = RELATED_CRIMES_BY_CODE[crime.code].label
        sentences.append(
            t(
                N_("The facts are consistent with the related crime of {crime} (art. {article} of the Penal Code).")
            ).format(crime=label, article=crime.article)
        )
    if r.usuario_cliente_without_age:
        sentences.append(
            t(
                N_(
                    "Payment for sexual access to a minor is recorded, but no victim aged fourteen to seventeen is: "
                    "usuario-cliente (art. 179-A of the Penal Code) is not made out until the age is verified."
                )
            )
        )
    return sentences


# The last sentence, by outcome; {reference} is the trafficking article of the profile.
CONCLUSIONS: dict[str, str] = {
    TRAFFICKING: N_(
        "Conclusion: the facts are consistent with the crime of trafficking in persons ({reference}). High "
        "priority alert to the specialised unit of the directorate competent for the place of the facts and to "
        "DIVINTRAP."
    ),
    TRAFFICKING_INCOMPLETE: N_(
        "Conclusion: the facts could amount to trafficking in persons ({reference}), but a means, or proof that "
        "the victim is a minor, is missing. Normal priority alert, to be verified, to the specialised unit of the "
        "directorate competent for the place of the facts and to DIVINTRAP."
    ),
    RELATED_CRIME: N_(
        "Conclusion: the facts are not consistent with trafficking in persons, but they are with related crimes. "
        "Normal priority alert to the specialised unit of the directorate competent for the place of the facts."
    ),
    NOT_CONSISTENT: N_(
        "Conclusion: the facts recorded are not consistent with trafficking in persons nor with related crimes. "
        "No alert is issued."
    ),
}


def _warning(code: str, t: Translate) -> str:
    return t(N_("Warning: {message}")).format(message=_lower_first(t(WARNING_MSGIDS[code])))


def _lower_first(message: str) -> str:
    return f"{message[0].lower()}{message[1:]}"


def explain(r: Reasoning, t: Translate | None = None) -> tuple[str, ...]:
    """The sentences of the explanation, in reading order, in Spanish unless ``t`` says otherwise."""
    t = t or translator()
    return (
        _law(r, t),
        _conducts(r, t),
        *_means(r, t),
        *_consent(r, t),
        _purposes(r, t),
        *_aggravations(r, t),
        *_related(r, t),
        *(_warning(code, t) for code in sorted(r.warnings)),
        t(CONCLUSIONS[r.outcome]).format(reference=cite(r.profile, r.profile.article, t)),
    )
