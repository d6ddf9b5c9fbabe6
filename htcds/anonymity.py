"""k-anonymity of the export (k ≥ 5) on the quasi-identifiers: age band, sex, nationality,
department of the facts, year of registration.

How (global recoding, then suppression): every quasi-identifier has a ladder of generalisations
(`LADDERS`: department → macro-region → blank; year → five-year period → the whole period; age
band → wider bands → minor or adult; nationality → Peru and Venezuela kept, others blank; sex is
never generalised). Every combination of steps is tried (54: a small lattice), each applied to
every record alike; the one chosen loses least information (the sum over the quasi-identifiers of
step / top step) among those that leave at most `MAX_SUPPRESSED_SHARE` of the records in
combinations seen fewer than k times; ties go to fewer such records, then to generalising first
the quasi-identifiers early in `PREFERENCE`. When no combination is within that share, the one
leaving the fewest such records is chosen. Then the records whose combination is still seen fewer
than k times are suppressed (left out). The result says which step each quasi-identifier is at
and how many records were suppressed.

The choice reads the quasi-identifiers only, so it runs on groups of victims alike on them with
their number (`quasi_facts`): `anonymise` groups the records of the export, `summarise` takes the
groups from an aggregated query (the page's counts, htcds.selectors.htcds_summary); both call the
same `_choose`, so the page and the files always agree.

The publication is the whole export: no combination of the quasi-identifiers appears in it fewer
than k times, whatever the other columns hold.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import itertools
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
# Which quasi-identifier is generalised first when two choices lose as much.
PREFERENCE: tuple[str, ...] = ("department", "year", "age", "nationality", "sex")


@dataclass
class Anonymity:
    """What reaching k-anonymity does to the victims of a scope and period: the step each
    quasi-identifier is at, how many victims there are and how many records are suppressed. The
    page shows this alone (`summarise`, from counts); the export adds the rows (`Anonymised`)."""

    levels: dict[str, int]
    total: int  # victims before suppression
    suppressed: int
    k: int = K

    @property
    def exported(self) -> int:
        """The records the export holds."""
        return self.total - self.suppressed

    @property
    def generalised(self) -> list[str]:
        """The quasi-identifiers not kept as recorded."""
        return [qi for qi in QUASI_IDENTIFIERS if self.levels[qi]]

    def level_names(self) -> dict[str, str]:
        return {qi: LADDERS[qi].names[level] for qi, level in self.levels.items()}


@dataclass
class Anonymised(Anonymity):
    """The export's rows (column name → value) and what was done to reach k-anonymity."""

    rows: list[dict[str, str]] = field(default_factory=list)


def quasi_key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[name] for name in QUASI_COLUMNS)


QUASI_COLUMNS: tuple[str, ...] = (
    "reta_AgeBand",
    "prs_Gender",
    "prs_Citizenship",
    "reta_DepartmentOfFacts",
    "reta_YearOfRegistration",
)


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


def quasi_facts(facts: VictimFacts) -> tuple:
    """What the ladders read of a victim (`LADDERS`): two victims alike here are alike at every step."""
    return (facts.year, facts.department, facts.sex, facts.age_band, facts.minor, facts.nationality)


def _choose(
    groups: Sequence[tuple[VictimFacts, int]], period: Period, k: int
) -> tuple[dict[str, int], list[tuple[str, ...]], Counter]:
    """The steps chosen (see the module's docstring) for victims given as groups of victims alike
    on the quasi-identifiers (`quasi_facts`) with their number; with each group's generalised key
    and how many victims share each key."""
    weights = [weight for _facts, weight in groups]
    allowed = int(sum(weights) * MAX_SUPPRESSED_SHARE)
    # Each quasi-identifier's value of each group at each step, computed once.
    values = {
        qi: [[ladder.value(level, item, period) for item, _weight in groups] for level in range(ladder.top + 1)]
        for qi, ladder in LADDERS.items()
    }
    lattice = []
    for steps in itertools.product(*(range(LADDERS[qi].top + 1) for qi in QUASI_IDENTIFIERS)):
        levels = dict(zip(QUASI_IDENTIFIERS, steps, strict=True))
        loss = sum(levels[qi] / LADDERS[qi].top for qi in QUASI_IDENTIFIERS if LADDERS[qi].top)
        lattice.append((loss, levels))
    lattice.sort(key=lambda item: item[0])  # stable: the product's order within one loss
    best: tuple | None = None
    for loss, levels in lattice:
        if best is not None and best[0][0] == 0 and loss > best[0][1]:
            break  # a choice within the share loses less than any choice left: none can rank better
        keys = list(zip(*(values[qi][levels[qi]] for qi in QUASI_IDENTIFIERS), strict=True))
        counts: Counter = Counter()
        for key, weight in zip(keys, weights, strict=True):
            counts[key] += weight
        rare = sum(count for count in counts.values() if count < k)
        order = tuple(levels[qi] for qi in reversed(PREFERENCE))
        rank = (0, loss, rare, order) if rare <= allowed else (1, rare, loss, order)
        if best is None or rank < best[0]:
            best = (rank, levels, keys, counts)
    assert best is not None  # noqa: S101 - the lattice is never empty
    _rank, levels, keys, counts = best
    return levels, keys, counts


def summarise(groups: Sequence[tuple[VictimFacts, int]], *, period: Period, k: int = K) -> Anonymity:
    """What `anonymise` would do to these victims, from groups of victims alike on the
    quasi-identifiers and their number (an aggregated query): the same choice, by the same code,
    without building a record."""
    groups = [(item, weight) for item, weight in groups if weight > 0]
    levels, _keys, counts = _choose(groups, period, k)
    total = sum(weight for _item, weight in groups)
    suppressed = sum(count for count in counts.values() if count < k)
    return Anonymity(levels=levels, total=total, suppressed=suppressed, k=k)


def anonymise(facts: Sequence[VictimFacts], *, period: Period, k: int = K) -> Anonymised:
    """The k-anonymous export of these victims (see the module's docstring)."""
    index: dict[tuple, int] = {}
    groups: list[list] = []
    of_record = []
    for item in facts:
        alike = quasi_facts(item)
        if alike not in index:
            index[alike] = len(groups)
            groups.append([item, 0])
        groups[index[alike]][1] += 1
        of_record.append(index[alike])
    levels, keys, counts = _choose([(item, weight) for item, weight in groups], period, k)
    rows = [
        _row(item, keys[group], coded_values(item))
        for item, group in zip(facts, of_record, strict=True)
        if counts[keys[group]] >= k
    ]
    rows.sort(key=lambda row: tuple(row[name] for name in mapping.COLUMN_NAMES))
    return Anonymised(rows=rows, levels=levels, total=len(facts), suppressed=len(facts) - len(rows), k=k)
