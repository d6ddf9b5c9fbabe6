"""The rule engine: classifies the facts of a complaint against Law 28950 and its reforms.

The rules follow LAW.md, "The decision". In short:

    minor(v)   = v.age < 18 if the age is known, else v.minor
    trafficking            : conducts, and a means or a minor victim
    trafficking_incomplete : conducts and a purpose, but no means and no known minor
    related_crime          : otherwise, when a related crime applies
    not_consistent         : otherwise

The clock is passed in (``today``); nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .codes import (
    AGE_TO_VERIFY,
    AGGRAVATIONS,
    FACTS_BEFORE_LAW_28950,
    HIGH,
    MEANS_MISSING_FOR_ADULT,
    NORMAL,
    NOT_CONSISTENT,
    PURPOSE_CATEGORY,
    PURPOSE_NOT_IN_LAW,
    PURPOSE_TO_DETERMINE,
    RELATED_CRIME,
    RELATED_CRIMES,
    TRAFFICKING,
    TRAFFICKING_INCOMPLETE,
    UNASSIGNED,
)
from .decision import Aggravation, Decision, RelatedCrime
from .explanation import Reasoning, explain
from .facts import Facts, Victim
from .i18n import SPANISH, translator
from .profiles import LAW_28950_IN_FORCE, get_profile, profile_for_date

Rule = Callable[[Facts], bool]

PERU = ZoneInfo("America/Lima")


def today_in_peru() -> date:
    """The date in Peru now: the default clock when the date of the facts is unknown."""
    return datetime.now(PERU).date()


def _ticked(*case_facts: str) -> Rule:
    """The rule holds when any of ``case_facts`` is ticked."""
    return lambda facts: not facts.case_facts.isdisjoint(case_facts)


def aged_14_to_17(victim: Victim) -> bool:
    return victim.age is not None and 14 <= victim.age <= 17


def aged_under_14(victim: Victim) -> bool:
    return victim.age is not None and victim.age < 14


def minor_of_unknown_age(victim: Victim) -> bool:
    """Known to be a minor, age not recorded: neither age aggravation applies (LAW.md)."""
    return victim.age is None and victim.minor is True


# --- Aggravating circumstances: art. 153-A (PE-2007, PE-2014), art. 129-B (PE-2021) --------------
# Degrees and labels are in codes.AGGRAVATIONS; which profile names which circumstance is in
# profiles (pregnant_victim: PE-2021 only). They are looked at only when the outcome is trafficking.

AGGRAVATION_RULES: dict[str, Rule] = {
    # First degree (pena no menor de doce ni mayor de veinte años), first paragraph:
    # 1. the agent abuses the exercise of public office.
    "public_office_abuse": _ticked("public_office_abuse"),
    # 2. promoter, member or representative of a social, tutelary or business organisation who uses it.
    "organisation_position": _ticked("organisation_position"),
    # 3. several victims: ticked, or two or more victims recorded.
    "multiple_victims": lambda facts: _ticked("multiple_victims")(facts) or len(facts.victims) >= 2,
    # 4. a victim aged fourteen to seventeen, or legally incapable.
    "victim_14_to_17_or_incapable": lambda facts: any(
        aged_14_to_17(victim) or victim.legally_incapable for victim in facts.victims
    ),
    # 5. spouse, partner, adopter, tutor, curator, relative, carer, or same household.
    "relative_or_carer": _ticked("relative_or_carer"),
    # 6. committed by two or more persons: ticked, or two or more alleged traffickers recorded.
    "two_or_more_perpetrators": lambda facts: _ticked("two_or_more_perpetrators")(facts) or len(facts.suspects) >= 2,
    # 129-B (Law 31146): the victim is pregnant.
    "pregnant_victim": lambda facts: any(victim.pregnant for victim in facts.victims),
    # Second degree (pena no menor de veinticinco años), second paragraph:
    # 1. death, serious injury, or imminent danger to the victim's life and safety.
    "death_injury_or_danger": _ticked("victim_died", "serious_injury", "life_in_danger"),
    # 2. a victim under fourteen, or with a physical or mental disability.
    "victim_under_14_or_disabled": lambda facts: any(
        aged_under_14(victim) or victim.disability for victim in facts.victims
    ),
    # 3. the agent is part of a criminal organisation.
    "criminal_organisation": _ticked("criminal_organisation"),
}

# --- Related crimes: a related fact ticked points to its crime, in every outcome ------------------
# Only usuario-cliente (art. 179-A) asks for more: a victim aged fourteen to seventeen.

RELATED_CRIME_CONDITIONS: dict[str, Rule] = {
    "usuario_cliente": lambda facts: any(aged_14_to_17(victim) for victim in facts.victims),
}


def _no_further_condition(facts: Facts) -> bool:
    return True


# --- Alerts ---------------------------------------------------------------------------------------

OUTCOME_ALERTS: dict[str, str | None] = {
    # High priority: the specialised unit of the directorate competent for the place, and DIVINTRAP.
    TRAFFICKING: HIGH,
    # Normal priority: the same units, "to be verified".
    TRAFFICKING_INCOMPLETE: NORMAL,
    # Normal priority: the specialised unit of the competent directorate.
    RELATED_CRIME: NORMAL,
    NOT_CONSISTENT: None,
}


def classify(facts: Facts, *, law: str | None = None, today: date | None = None, language: str = SPANISH) -> Decision:
    """Classify ``facts``.

    ``law`` forces a profile (``PE-2007``, ``PE-2014``, ``PE-2021``); otherwise the date of the facts
    chooses it, and when that date is unknown, the law in force on ``today`` (default: today in Peru).
    ``language`` is the language of the explanation: Spanish, as stored with a complaint, or English
    (complaints.rules.i18n). Raises ``UnknownLawError`` for an unknown ``law``.
    """
    day = facts.date_of_facts
    reference_day = day if day is not None else (today or today_in_peru())
    profile = get_profile(law) if law is not None else profile_for_date(reference_day)
    warnings: set[str] = set()

    if day is not None and day < LAW_28950_IN_FORCE:
        warnings.add(FACTS_BEFORE_LAW_28950)

    # A purpose the profile's text does not name counts as no purpose
    # (other_analogous_exploitation under PE-2007).
    purposes = facts.purposes & profile.purposes
    if facts.purposes - profile.purposes:
        warnings.add(PURPOSE_NOT_IN_LAW)

    any_minor = any(victim.is_minor for victim in facts.victims)
    age_unknown = any(victim.age_unknown for victim in facts.victims)
    related_crimes = tuple(
        RelatedCrime(code=crime.code, article=crime.article)
        for crime in sorted(RELATED_CRIMES, key=lambda crime: crime.code)
        if crime.fact in facts.related_facts and RELATED_CRIME_CONDITIONS.get(crime.code, _no_further_condition)(facts)
    )
    categories = {PURPOSE_CATEGORY[purpose] for purpose in purposes}

    if facts.conducts and (facts.means or any_minor):
        # Conducts + means (153 / 153.1 / 129-A.1), or conducts against a minor with no means needed
        # (153 second paragraph / 153.3 / 129-A.3).
        outcome = TRAFFICKING
        if not categories:
            categories = {UNASSIGNED}
            warnings.add(PURPOSE_TO_DETERMINE)
    elif facts.conducts and purposes:
        # Adult (or age unknown) and no means: trafficking cannot be ruled in or out yet.
        outcome = TRAFFICKING_INCOMPLETE
        warnings.add(MEANS_MISSING_FOR_ADULT)
        if age_unknown:
            warnings.add(AGE_TO_VERIFY)
    else:
        outcome = RELATED_CRIME if related_crimes else NOT_CONSISTENT
        categories = set()

    aggravating: tuple[Aggravation, ...] = ()
    if outcome == TRAFFICKING:
        aggravating = tuple(
            Aggravation(code=item.code, degree=item.degree, article=profile.aggravated_article)
            for item in sorted(AGGRAVATIONS, key=lambda item: item.code)
            if item.code in profile.aggravations and AGGRAVATION_RULES[item.code](facts)
        )
        if any(minor_of_unknown_age(victim) for victim in facts.victims):
            warnings.add(AGE_TO_VERIFY)

    reasoning = Reasoning(
        facts=facts,
        profile=profile,
        forced=law is not None,
        reference_day=reference_day,
        purposes=frozenset(purposes),
        any_minor=any_minor,
        outcome=outcome,
        categories=frozenset(categories),
        aggravating=aggravating,
        related_crimes=related_crimes,
        usuario_cliente_without_age=(
            "pays_sex_with_minor" in facts.related_facts
            and not any(crime.code == "usuario_cliente" for crime in related_crimes)
        ),
        minor_of_unknown_age=any(minor_of_unknown_age(victim) for victim in facts.victims),
        warnings=frozenset(warnings),
    )
    in_trafficking = outcome in (TRAFFICKING, TRAFFICKING_INCOMPLETE)
    return Decision(
        law=profile.code,
        article=profile.article if in_trafficking else None,
        outcome=outcome,
        purpose_categories=tuple(sorted(categories)),
        aggravating=aggravating,
        related_crimes=related_crimes,
        alert=OUTCOME_ALERTS[outcome],
        warnings=tuple(sorted(warnings)),
        explanation=explain(reasoning, translator(language)),
    )
