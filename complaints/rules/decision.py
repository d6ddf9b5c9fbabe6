"""The classification result (LAW.md, "The classification result") and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Aggravation:
    """An aggravating circumstance found: its code, degree (1 or 2) and article (153-A or 129-B)."""

    code: str
    degree: int
    article: str


@dataclass(frozen=True, kw_only=True)
class RelatedCrime:
    """A related crime (*delito afín*) found, with its Penal Code article."""

    code: str
    article: str


@dataclass(frozen=True, kw_only=True)
class Decision:
    """What the engine decided, and why. Tuples of codes are sorted by code."""

    law: str  # the profile used: PE-2007, PE-2014 or PE-2021
    article: str | None  # 153 or 129-A for trafficking and trafficking_incomplete, else None
    outcome: str  # trafficking, trafficking_incomplete, related_crime or not_consistent
    purpose_categories: tuple[str, ...]
    aggravating: tuple[Aggravation, ...]
    related_crimes: tuple[RelatedCrime, ...]
    alert: str | None  # "high", "normal" or None
    warnings: tuple[str, ...]
    explanation: tuple[str, ...]  # Spanish sentences citing the articles, in reading order


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The JSON shape of LAW.md, keys in its order, lists sorted by code."""
    return {
        "law": decision.law,
        "article": decision.article,
        "outcome": decision.outcome,
        "purpose_categories": sorted(decision.purpose_categories),
        "aggravating": [
            {"code": item.code, "degree": item.degree, "article": item.article}
            for item in sorted(decision.aggravating, key=lambda item: item.code)
        ],
        "related_crimes": [
            {"code": crime.code, "article": crime.article}
            for crime in sorted(decision.related_crimes, key=lambda crime: crime.code)
        ],
        "alert": decision.alert,
        "warnings": sorted(decision.warnings),
        "explanation": list(decision.explanation),
    }
