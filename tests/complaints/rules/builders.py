"""Small builders of facts for the rule-engine tests (plain dataclasses: no database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from complaints.rules import Facts, Suspect, Victim, classify, decision_to_dict

DAY_2010 = date(2010, 5, 1)  # PE-2007
DAY_2018 = date(2018, 6, 1)  # PE-2014
DAY_2023 = date(2023, 2, 1)  # PE-2021

ADULT = Victim(age=30, sex="F")
MINOR_15 = Victim(age=15, sex="F")
ONE_SUSPECT = (Suspect(sex="M"),)


def make_facts(
    *,
    date_of_facts: date | None = DAY_2010,
    victims: Iterable[Victim] = (ADULT,),
    suspects: Iterable[Suspect] = ONE_SUSPECT,
    conducts: Iterable[str] = (),
    means: Iterable[str] = (),
    purposes: Iterable[str] = (),
    case_facts: Iterable[str] = (),
    related_facts: Iterable[str] = (),
) -> Facts:
    """Facts of one adult victim and one suspect in 2010; nothing ticked unless asked."""
    return Facts(
        date_of_facts=date_of_facts,
        victims=tuple(victims),
        suspects=tuple(suspects),
        conducts=frozenset(conducts),
        means=frozenset(means),
        purposes=frozenset(purposes),
        case_facts=frozenset(case_facts),
        related_facts=frozenset(related_facts),
    )


def trafficking(**overrides: Any) -> Facts:
    """Plain trafficking of an adult: recruitment by deception for forced labour, in 2010."""
    values: dict[str, Any] = {"conducts": ("recruitment",), "means": ("deception",), "purposes": ("forced_labour",)}
    values.update(overrides)
    return make_facts(**values)


def result(facts: Facts, *, law: str | None = None, today: date | None = None) -> dict[str, Any]:
    """The classification result JSON, without the explanation."""
    data = decision_to_dict(classify(facts, law=law, today=today))
    del data["explanation"]
    return data


def explanation(facts: Facts, *, law: str | None = None, today: date | None = None) -> list[str]:
    return list(classify(facts, law=law, today=today).explanation)
