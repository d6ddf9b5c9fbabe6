"""The rule engine of RETA: classifies the facts of a complaint against Law 28950 and its reforms.

Pure Python, no Django: frozen dataclasses in (``Facts``), a frozen ``Decision`` out, the clock
passed in. The legal specification is LAW.md (docs/design). Typical use::

    from complaints.rules import classify, decision_to_dict, facts_from_dict

    decision = classify(facts_from_dict(data), today=date.today())
    result = decision_to_dict(decision)   # the JSON of LAW.md, "The classification result"

The vocabulary (codes, Spanish labels, Penal Code hints) is in ``complaints.rules.codes``;
the law profiles in ``complaints.rules.profiles``.
"""

from __future__ import annotations

from .decision import Aggravation, Decision, RelatedCrime, decision_to_dict
from .engine import classify
from .errors import FactsError, RulesError, UnknownLawError
from .facts import Facts, Suspect, Victim, facts_from_dict, facts_to_dict
from .profiles import PROFILES, LawProfile, get_profile, profile_for_date

__all__ = [
    "PROFILES",
    "Aggravation",
    "Decision",
    "Facts",
    "FactsError",
    "LawProfile",
    "RelatedCrime",
    "RulesError",
    "Suspect",
    "UnknownLawError",
    "Victim",
    "classify",
    "decision_to_dict",
    "facts_from_dict",
    "facts_to_dict",
    "get_profile",
    "profile_for_date",
]
