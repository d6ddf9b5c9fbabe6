"""The projection of a submitted complaint onto the statistics read model: its StatComplaint, a
StatVictim per victim and a StatSuspect per alleged trafficker, as unsaved rows (stats.services
writes them). Codes and counts only: no name, no free text (SECURITY.md 16).

May import: stats.codes, stats.models. No query: the facts come in as plain values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from stats.codes import (
    AGE_BAND_CODES,
    CATEGORY_CODES,
    CONDUCT_CODES,
    MEANS_CODES,
    ORIGIN_CODES,
    OUTCOME_CODES,
    SEX_CODES,
    age_band,
    code_of,
    department_code,
    mask_of,
    nationality_code,
    victim_is_minor,
)
from stats.models import PERSON_COUNTERS, StatComplaint, StatSuspect, StatVictim

LIMA = ZoneInfo("America/Lima")


def registration_year_month(moment: datetime.datetime) -> tuple[int, int]:
    """The year and month of a registration time in America/Lima."""
    local = moment.astimezone(LIMA)
    return local.year, local.month


@dataclass(frozen=True)
class VictimFacts:
    age: int | None
    minor: bool | None
    sex: str
    nationality: str


@dataclass(frozen=True)
class SuspectFacts:
    sex: str
    identified: bool


def read_model_rows(
    *,
    complaint_id: int,
    registering_unit_id: int,
    competent_directorate_id: int | None,
    submitted_at: datetime.datetime,
    place_district_id: str | None,
    origin: str,
    outcome: str,
    place_kind: str,
    place_kind_codes: Mapping[str, int],
    purpose_categories: Iterable[str],
    conducts: Iterable[str],
    means: Iterable[str],
    victims: Iterable[VictimFacts],
    suspects: Iterable[SuspectFacts],
) -> tuple[StatComplaint, list[StatVictim], list[StatSuspect]]:
    """The statistics rows of one submitted complaint (unsaved): its StatComplaint, a StatVictim
    per victim and a StatSuspect per alleged trafficker. `place_kind_codes`: each kind of place's
    statistics code (administration.catalogues.catalogue_stat_codes), an unknown one stored as 0."""
    victims, suspects = list(victims), list(suspects)
    year, month = registration_year_month(submitted_at)
    victim_codes = [
        (
            code_of(SEX_CODES, victim.sex),
            code_of(AGE_BAND_CODES, age_band(victim.age)),
            victim_is_minor(victim.age, victim.minor),
            nationality_code(victim.nationality),
        )
        for victim in victims
    ]
    facts: dict[str, Any] = {
        "registering_unit_id": registering_unit_id,
        "competent_directorate_id": competent_directorate_id,
        "year": year,
        "month": month,
        "department": department_code(place_district_id),
        "origin": code_of(ORIGIN_CODES, origin),
        "outcome": code_of(OUTCOME_CODES, outcome),
        "place_kind": place_kind_codes.get(place_kind, 0) if place_kind else 0,
        "categories": mask_of(CATEGORY_CODES, purpose_categories),
        "conducts": mask_of(CONDUCT_CODES, conducts),
        "means": mask_of(MEANS_CODES, means),
        # Bit 0 of the victims' masks: a victim whose sex (age, nationality) is not recorded.
        "victim_sexes": _bits(sex for sex, _age, _minor, _nat in victim_codes),
        "victim_ages": _bits(age for _sex, age, _minor, _nat in victim_codes),
        "victim_nationalities": _bits(nat for _sex, _age, _minor, nat in victim_codes),
    }
    record = StatComplaint(complaint_id=complaint_id, **facts, **_person_counts(victim_codes, suspects))
    victim_rows = [
        StatVictim(record_id=complaint_id, sex=sex, age_band=age, minor=minor, nationality=nat, **facts)
        for sex, age, minor, nat in victim_codes
    ]
    suspect_rows = [
        StatSuspect(record_id=complaint_id, sex=code_of(SEX_CODES, suspect.sex), identified=suspect.identified, **facts)
        for suspect in suspects
    ]
    return record, victim_rows, suspect_rows


def _person_counts(
    victim_codes: Sequence[tuple[int, int, bool | None, int]], suspects: Sequence[SuspectFacts]
) -> dict[str, int]:
    """The complaint's people as published table 2 counts them (stats.models.PERSON_COUNTERS)."""
    sexes = {code_of(SEX_CODES, "M"): "m", code_of(SEX_CODES, "F"): "f"}
    counts = dict.fromkeys(PERSON_COUNTERS, 0)
    for sex, _age, minor, _nationality in victim_codes:
        if minor is None:
            counts["victims_unknown"] += 1
        else:
            counts[f"victims_{'minor' if minor else 'adult'}_{sexes.get(sex, 'x')}"] += 1
    for suspect in suspects:
        group = "identified" if suspect.identified else "unidentified"
        counts[f"suspects_{group}_{sexes.get(code_of(SEX_CODES, suspect.sex), 'x')}"] += 1
    return {name: min(count, 255) for name, count in counts.items()}  # one byte each


def _bits(codes: Iterable[int]) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << code
    return mask
