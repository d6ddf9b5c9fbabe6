"""k-anonymity of the export (k ≥ 5) on the quasi-identifiers: age band, sex, nationality,
department of the facts, year of registration.

How (global recoding, then suppression, after the Datafly heuristic): every quasi-identifier has a
ladder of generalisations (`LADDERS`); while the records of combinations seen fewer than k times
are more than `MAX_SUPPRESSED_SHARE` of all records, the quasi-identifier whose next step leaves
the fewest such records climbs that step, for every record alike (sex never does; ties go by
`PREFERENCE`); when no single step hides anyone more, the one with the most distinct values
climbs (Datafly's choice). Then the records whose combination is still seen fewer than k times are
suppressed (left out): at most `MAX_SUPPRESSED_SHARE` of them, unless every ladder is at its top. The result says
which step each quasi-identifier reached and how many records were suppressed.

The publication is the whole export: no combination of the quasi-identifiers appears in it fewer
than k times, whatever the other columns hold.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from htcds import mapping
from htcds.records import VictimFacts, coded_values
from htcds.standard import country_names

K = 5
MAX_SUPPRESSED_SHARE = 0.05

QUASI_IDENTIFIERS: tuple[str, ...] = ("age", "sex", "nationality", "department", "year")


@dataclass(frozen=True)
class Period:
    year_from: int
    year_to: int


def _age(level: int, facts: VictimFacts, period: Period) -> str:
    if facts.age_band:
        return mapping.AGE_LEVELS[level][facts.age_band]
    if facts.minor is True:
        return mapping.MINOR_BAND
    if facts.minor is False:
        return mapping.ADULT_BAND
    return ""


def _sex(level: int, facts: VictimFacts, period: Period) -> str:
    return mapping.SEX_TO_GENDER.get(facts.sex) or ""


def _nationality(level: int, facts: VictimFacts, period: Period) -> str:
    code = mapping.NATIONALITY_TO_COUNTRY_CODE.get(facts.nationality) or ""
    if level >= 1 and code not in mapping.KEPT_NATIONALITIES:
        return ""
    return code


def _department(level: int, facts: VictimFacts, period: Period) -> str:
    known = mapping.DEPARTMENTS.get(facts.department)
    if known is None or level >= 2:
        return ""
    name, region = known
    return name if level == 0 else region


def _year(level: int, facts: VictimFacts, period: Period) -> str:
    if level == 0:
        return str(facts.year)
    if level == 1:
        start = facts.year - facts.year % mapping.PERIOD_YEARS
        return f"{start}-{start + mapping.PERIOD_YEARS - 1}"
    return f"{period.year_from}-{period.year_to}"


@dataclass(frozen=True)
class Ladder:
    """The steps of one quasi-identifier: `names[level]` says what step `level` keeps."""

    value: Callable[[int, VictimFacts, Period], str]
    names: tuple[str, ...]

    @property
    def top(self) -> int:
        return len(self.names) - 1


# The names are codes; htcds.exports gives them their words.
LADDERS: dict[str, Ladder] = {
    "age": Ladder(_age, ("age_band", "age_band_wide", "minor_or_adult")),
    "sex": Ladder(_sex, ("sex",)),
    "nationality": Ladder(_nationality, ("country", "country_pe_ve_only")),
    "department": Ladder(_department, ("department", "macro_region", "country_only")),
    "year": Ladder(_year, ("year", "five_year_period", "whole_period")),
}
# Which quasi-identifier climbs first when two steps would leave as many rare records.
PREFERENCE: tuple[str, ...] = ("department", "year", "age", "nationality", "sex")


@dataclass
class Anonymised:
    """The export's rows (column name → value) and what was done to reach k-anonymity."""

    rows: list[dict[str, str]]
    levels: dict[str, int]
    total: int  # victims before suppression
    suppressed: int
    k: int = K
    steps: list[str] = field(default_factory=list)  # the quasi-identifiers climbed, in order

    def level_names(self) -> dict[str, str]:
        return {qi: LADDERS[qi].names[level] for qi, level in self.levels.items()}


def quasi_key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[name] for name in QUASI_COLUMNS)


QUASI_COLUMNS: tuple[str, ...] = (
    "reta_AgeBand",
    "prs_Gender",
    "prs_Citizenship",
    "reta_DepartmentOfFacts",
    "reta_YearOfRegistration",
)


def _quasi(facts: VictimFacts, levels: dict[str, int], period: Period) -> tuple[str, ...]:
    return tuple(LADDERS[qi].value(levels[qi], facts, period) for qi in QUASI_IDENTIFIERS)


def _row(facts: VictimFacts, quasi: tuple[str, ...], coded: dict[str, str]) -> dict[str, str]:
    age, gender, code, department, year = quasi
    return {
        "prs_Gender": gender,
        "reta_AgeBand": age,
        "prs_Citizenship": country_names()[code] if code else "",
        "reta_CitizenshipCode": code,
        "reta_DepartmentOfFacts": department,
        "reta_YearOfRegistration": year,
        **coded,
    }


def _classes(
    facts: Sequence[VictimFacts], levels: dict[str, int], period: Period, k: int
) -> tuple[list[tuple[str, ...]], Counter, int]:
    """Each record's combination, how often each is seen, and how many records are in rare ones."""
    keys = [_quasi(item, levels, period) for item in facts]
    counts = Counter(keys)
    return keys, counts, sum(count for count in counts.values() if count < k)


def anonymise(facts: Sequence[VictimFacts], *, period: Period, k: int = K) -> Anonymised:
    """The k-anonymous export of these victims (see the module's docstring)."""
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 0)
    allowed = int(len(facts) * MAX_SUPPRESSED_SHARE)
    steps: list[str] = []
    keys, counts, rare = _classes(facts, levels, period, k)
    while rare > allowed:
        climbable = [qi for qi in PREFERENCE if levels[qi] < LADDERS[qi].top]
        tried = {qi: _classes(facts, {**levels, qi: levels[qi] + 1}, period, k) for qi in climbable}
        if not tried:
            break
        chosen = min(climbable, key=lambda qi: (tried[qi][2], PREFERENCE.index(qi)))
        if tried[chosen][2] >= rare:
            # No single step hides anyone more (everyone is rare): Datafly's step, the
            # quasi-identifier with the most distinct values.
            position = QUASI_IDENTIFIERS.index
            distinct = {qi: len({key[position(qi)] for key in keys}) for qi in climbable}
            chosen = max(climbable, key=lambda qi: (distinct[qi], -PREFERENCE.index(qi)))
        levels[chosen] += 1
        steps.append(chosen)
        keys, counts, rare = tried[chosen]
    rows = [_row(item, key, coded_values(item)) for item, key in zip(facts, keys, strict=True) if counts[key] >= k]
    rows.sort(key=lambda row: tuple(row[name] for name in mapping.COLUMN_NAMES))
    return Anonymised(rows=rows, levels=levels, total=len(facts), suppressed=len(facts) - len(rows), k=k, steps=steps)
