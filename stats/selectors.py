"""Statistics of the Reporting module: the published tables, any cross-tabulation, and the numbers
behind the charts and the map (issue 5; ../shared/design/STATISTICS.md).

Pure reads, scoped like everything else with `administration.selectors.scope_q(user,
"registering_unit")` (`user=None` means national: the `statistics` command and the benchmark).
They read the statistics read model, written in the same transaction as each registration and
amendment (`complaints.services._index_statistics`): `StatComplaint` (one row per complaint),
`StatVictim`, `StatSuspect` (one row per person), every row carrying the complaint-level
variables as one-byte codes and the multi-valued ones (purpose categories, conducts, means, the
victims' sexes, age bands and nationalities) as bitmasks (`CODES` below). Every table is ONE
GROUP BY over ONE narrow table, no JOIN, COUNT(*) only; a multi-valued variable is grouped by its
bitmask (a few dozen distinct masks) and Python expands each group into the values it holds.
Each complaint is in exactly one group, so it counts once under each of its values and once in
the totals:

- `cases_by_unit_year`  SELECT year, registering_unit_id, COUNT(*) FROM complaints_statcomplaint
                        WHERE year BETWEEN %s AND %s GROUP BY year, registering_unit_id
                        (index-only: stat_complaint_year_unit; units mapped to the 26 published
                        columns in Python, with one query on the units)
- `persons_by_year`     SELECT year, SUM(suspects_identified_m), ... SUM(victims_unknown) (the 13 counts of
                        people each complaint row carries) FROM complaints_statcomplaint WHERE year
                        BETWEEN .. GROUP BY year  (index-only: stat_complaint_year_persons)
- `purposes_by_year`    SELECT year, categories, COUNT(*) FROM complaints_statcomplaint WHERE year BETWEEN ..
                        GROUP BY year, categories  (index-only: stat_complaint_year_categories)
- `crosstab`            SELECT <row column>, <column column>, COUNT(*) FROM complaints_stat<complaint |
                        victim | suspect> WHERE year BETWEEN .. [AND <filters>] GROUP BY 1, 2
                        (a filter on a bitmask: `categories & <bits> > 0`)
- the charts            outcomes_by_year, complaints_by_department: crosstabs, index-only on
                        stat_complaint_year_unit; victims_by_sex_age: on stat_victim_year_sex.

A user with less than national scope adds `AND registering_unit_id IN (<the ids of the units of
the subtree>)`, read first with scope_q on the units (SELECT id FROM administration_unit WHERE path
LIKE '<root path>%'). `sql_of(queryset)`
prints the statement of any of them (`cases_by_unit_year_query`, `persons_by_year_query`,
`purposes_by_year_query`, `crosstab_query(...).queryset`).

Nothing here names a person or carries free text: codes, labels of codes and counts (SECURITY.md 16).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from administration.models import Department, Unit
from administration.selectors import NoScope, scope_label, scope_q, scope_root
from complaints.catalogues import COMMON_NATIONALITIES, Origin, PlaceKind, Sex
from complaints.models import PERSON_COUNTERS, StatComplaint, StatFacts, StatSuspect, StatVictim
from complaints.rules.codes import CATEGORIES, CONDUCTS, MEANS, OUTCOMES

LIMA = ZoneInfo("America/Lima")

# ---------------------------------------------------------------- the published columns (UNITS.md)

HOTLINE = "LINEA-0800"
DIRINCRI = "DIRINCRI"
DIRECTORATE_COLUMNS: tuple[str, ...] = tuple(
    f"DIRTEPOL-{seat}"
    for seat in (
        "PIURA",
        "CHICLAYO",
        "TRUJILLO",
        "TARAPOTO",
        "IQUITOS",
        "PUCALLPA",
        "LIMA",
        "HUANCAVELICA",
        "HUANCAYO",
        "AYACUCHO",
        "MADRE-DE-DIOS",
        "CUSCO",
        "AREQUIPA",
        "PUNO",
        "HUARAZ",
        "CAJAMARCA",
        "ICA",
        "APURIMAC",
        "PASCO",
        "TUMBES",
        "HUANUCO",
        "CALLAO",
        "MOQUEGUA",
        "TACNA",
    )
)
UNIT_COLUMNS: tuple[str, ...] = (HOTLINE, DIRINCRI, *DIRECTORATE_COLUMNS)
# The headings of the published table (STATISTICS.md), for screens and paper where 28 columns fit.
COLUMN_ABBREVIATIONS: dict[str, str] = dict(
    zip(
        UNIT_COLUMNS,
        (
            "0800 DIRINCRI PIU CHI LLI TAR IQU PUC LIM HVC JUN AYA MDD "
            "CUS ARE PUN HUZ CAJ ICA APU PAS TUM HUA CAL MOQ TAC"
        ).split(),
        strict=True,
    )
)
OTHER_UNITS = "OTHER"  # units under no directorate and outside the hotline (none registers today)

PERSONS_COLUMNS: tuple[str, ...] = (
    "suspects_identified_m",
    "suspects_identified_f",
    "suspects_identified_total",
    "suspects_unidentified_m",
    "suspects_unidentified_f",
    "suspects_unidentified_total",
    "victims_adult_m",
    "victims_adult_f",
    "victims_adult_total",
    "victims_minor_m",
    "victims_minor_f",
    "victims_minor_total",
    "victims_total",
)

# The value of a variable that is not recorded (no category, sex unknown, ...); "none" in URLs.
NONE = ""
NONE_TOKEN = "none"  # noqa: S105 - not a password

EARLIEST_YEAR = 1990
MAX_YEARS = 60

# ---------------------------------------------------------------- CODES of the read model
# APPEND ONLY: the position of a value is what is stored (code = position + 1, 0 = not recorded;
# in a bitmask, bit = position, or position + 1 when bit 0 means "not recorded"). Reordering these
# tuples silently changes the statistics until `manage.py statistics --rebuild`.

ORIGIN_CODES: tuple[str, ...] = ("station", "hotline", "paper", "other_agency")
OUTCOME_CODES: tuple[str, ...] = ("trafficking", "trafficking_incomplete", "related_crime", "not_consistent")
PLACE_KIND_CODES: tuple[str, ...] = (
    "bar_nightclub",
    "brothel",
    "hotel",
    "restaurant",
    "mine",
    "farm",
    "logging_camp",
    "workshop",
    "market",
    "private_home",
    "street",
    "transport",
    "border",
    "online",
    "other",
)
CATEGORY_CODES: tuple[str, ...] = (
    "sexual_exploitation",
    "labour_exploitation",
    "sale_of_children",
    "begging",
    "organ_trafficking",
    "unassigned",
)
CONDUCT_CODES: tuple[str, ...] = ("recruitment", "transport", "transfer", "harbouring", "receipt", "retention")
MEANS_CODES: tuple[str, ...] = (
    "violence",
    "threat",
    "coercion",
    "deprivation_of_liberty",
    "fraud",
    "deception",
    "abuse_of_power",
    "abuse_of_vulnerability",
    "payment_or_benefit",
)
SEX_CODES: tuple[str, ...] = ("F", "M")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-13", 0, 13),
    ("14-17", 14, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35+", 35, None),
)
AGE_BAND_CODES: tuple[str, ...] = tuple(band for band, _low, _high in AGE_BANDS)
OTHER_NATIONALITY = "other"
NATIONALITY_CODES: tuple[str, ...] = (*(code for code, _label in COMMON_NATIONALITIES), OTHER_NATIONALITY)


def code_of(codes: Sequence[str], value: str | None) -> int:
    """The stored code of a value: its position + 1; 0 when not recorded or unknown here."""
    try:
        return codes.index(value) + 1 if value else 0
    except ValueError:
        return 0


def mask_of(codes: Sequence[str], values: Iterable[str] | None) -> int:
    """The bitmask of a set of values (bit = position); unknown values are left out."""
    mask = 0
    for value in values or ():
        if value in codes:
            mask |= 1 << codes.index(value)
    return mask


def nationality_code(value: str | None) -> int:
    value = (value or "").strip().upper()
    if not value:
        return 0
    return code_of(NATIONALITY_CODES, value) or code_of(NATIONALITY_CODES, OTHER_NATIONALITY)


def department_code(place_district_id: str | None) -> int:
    """The INEI department (the first two digits of the UBIGEO) as a number; 0 unknown."""
    prefix = (place_district_id or "")[:2]
    return int(prefix) if prefix.isdigit() else 0


# ---------------------------------------------------------------- read model rows (pure)


def age_band(age: int | None) -> str:
    if age is None:
        return NONE
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return NONE


def victim_is_minor(age: int | None, minor: bool | None) -> bool | None:
    """LAW.md: minor by the age when known, else by the minor flag."""
    return age < 18 if age is not None else minor


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
    submitted_at: datetime.datetime,
    place_district_id: str | None,
    origin: str,
    outcome: str,
    place_kind: str,
    purpose_categories: Iterable[str],
    conducts: Iterable[str],
    means: Iterable[str],
    victims: Iterable[VictimFacts],
    suspects: Iterable[SuspectFacts],
) -> tuple[StatComplaint, list[StatVictim], list[StatSuspect]]:
    """The statistics rows of one submitted complaint (unsaved): its StatComplaint, a StatVictim
    per victim and a StatSuspect per alleged trafficker."""
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
        "year": year,
        "month": month,
        "department": department_code(place_district_id),
        "origin": code_of(ORIGIN_CODES, origin),
        "outcome": code_of(OUTCOME_CODES, outcome),
        "place_kind": code_of(PLACE_KIND_CODES, place_kind),
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
    """The complaint's people as published table 2 counts them (models.PERSON_COUNTERS)."""
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


# ---------------------------------------------------------------- the table structure


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    group: str = ""  # a heading over several columns (persons_by_year)

    @property
    def full_label(self) -> str:
        return f"{self.group} — {self.label}" if self.group else self.label


@dataclass
class Row:
    code: Any  # the year (int), a value code (str), or "total"
    label: str
    cells: list[int]


@dataclass
class Table:
    """A statistics table ready to show or export: the rows, their totals and what it covers."""

    name: str
    title: str
    stub: Column  # the row variable ("year", "category", ...)
    columns: list[Column]
    rows: list[Row]
    total: Row | None
    year_from: int
    year_to: int
    scope: str
    measure: str = ""
    filters: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generated_at: datetime.datetime = field(default_factory=timezone.now)
    # Free-form extras for charts: e.g. the map's coordinates.
    extra: dict[str, Any] = field(default_factory=dict)

    def header(self) -> list[str]:
        """Column codes, the row variable first: the CSV/JSON header of the command."""
        return [self.stub.code, *(column.code for column in self.columns)]

    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total is not None else [])]

    def records(self) -> list[list[Any]]:
        return [[row.code, *row.cells] for row in self.all_rows()]

    def cell(self, row: Any, column: str) -> int:
        index = [c.code for c in self.columns].index(column)
        for candidate in self.all_rows():
            if candidate.code == row:
                return candidate.cells[index]
        raise KeyError(row)

    def column_values(self, column: str) -> list[int]:
        index = [c.code for c in self.columns].index(column)
        return [row.cells[index] for row in self.rows]

    @property
    def period(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"

    @property
    def is_empty(self) -> bool:
        return not any(any(row.cells) for row in self.rows)


class PeriodError(ValueError):
    """The period asked for is not usable; the message is for the user."""


def check_period(year_from: int, year_to: int) -> None:
    this_year = timezone.localdate().year
    if year_from > year_to:
        raise PeriodError(gettext("The first year is after the last one."))
    if year_from < EARLIEST_YEAR or year_to > this_year + 1:
        raise PeriodError(
            gettext("Choose years between {first} and {last}.").format(first=EARLIEST_YEAR, last=this_year)
        )
    if year_to - year_from >= MAX_YEARS:
        raise PeriodError(gettext("Choose at most {n} years.").format(n=MAX_YEARS))


def scope_filter(user: Any) -> Q:
    """The rows whose registering unit is in the user's scope: the units of the subtree are read
    first (`scope_q` on the units, one small query), then `registering_unit_id IN (<ids>)` - a
    cheap check per row, where MariaDB turns a subquery into a join that compares each row's
    unit path (three times slower at a million rows). Nothing for a user without scope."""
    if user is None:
        return Q()
    try:
        root = scope_root(user)
    except NoScope:
        return Q(pk__in=[])
    if root is None:
        return Q()
    ids = list(Unit.objects.filter(scope_q(user, "")).order_by("pk").values_list("pk", flat=True))
    return Q(registering_unit_id__in=ids)


def _scoped(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.filter(scope_filter(user))


def scope_name(user: Any) -> str:
    return gettext("National") if user is None else str(scope_label(user))


def default_period(user: Any = None) -> tuple[int, int]:
    """From the first to the last year with registrations in the user's scope (this year if none)."""
    years = _scoped(StatComplaint.objects.all(), user).aggregate(first=Min("year"), last=Max("year"))
    this_year = timezone.localdate().year
    first, last = years["first"] or this_year, years["last"] or this_year
    return max(first, EARLIEST_YEAR), min(last, this_year + 1)


def _years(year_from: int, year_to: int) -> list[int]:
    return list(range(year_from, year_to + 1))


def _total_row(rows: Sequence[Row], width: int) -> Row:
    return Row("total", gettext("Total"), [sum(row.cells[i] for row in rows) for i in range(width)])


# ---------------------------------------------------------------- units and their columns


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    bucket: str  # its column of cases_by_unit_year: LINEA-0800, DIRINCRI, a directorate, OTHER
    path: str


class Units:
    """The unit tree as the statistics need it: one query, on demand."""

    def __init__(self) -> None:
        self._by_id: dict[int, UnitInfo] | None = None
        self._names: dict[str, str] = {}

    def _load(self) -> dict[int, UnitInfo]:
        if self._by_id is None:
            rows = Unit.objects.order_by().values_list("pk", "code", "name", "kind", "path", "directorate__code")
            self._by_id = {}
            for pk, code, name, kind, path, directorate in rows:
                self._names[code] = name
                if kind == Unit.Kind.HOTLINE or f"/{HOTLINE}/" in f"/{path}":
                    bucket = HOTLINE
                else:
                    bucket = directorate or OTHER_UNITS
                self._by_id[pk] = UnitInfo(code=code, name=name, bucket=bucket, path=path)
        return self._by_id

    def get(self, pk: int) -> UnitInfo:
        info = self._load().get(pk)
        return info if info is not None else UnitInfo(code=str(pk), name=str(pk), bucket=OTHER_UNITS, path="")

    def all(self) -> dict[int, UnitInfo]:
        return self._load()

    def name(self, code: str) -> str:
        self._load()
        if code == OTHER_UNITS:
            return gettext("Other units")
        return self._names.get(code, code)

    def ids_where(self, *, buckets: Iterable[str] = (), codes: Iterable[str] = ()) -> list[int]:
        buckets, codes = set(buckets), set(codes)
        return [pk for pk, info in self._load().items() if info.bucket in buckets or info.code in codes]


def _bucket_order(codes: Iterable[str]) -> list[str]:
    fixed = {code: index for index, code in enumerate(UNIT_COLUMNS)}
    return sorted(set(codes), key=lambda code: (fixed.get(code, len(fixed) + (code == OTHER_UNITS)), code))


# ---------------------------------------------------------------- published table 1


def cases_by_unit_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 1: complaints registered by year and by the column of their registering
    unit (the hotline, DIRINCRI with DIVINTRAP, the 24 directorates), with totals."""
    check_period(year_from, year_to)
    units = Units()
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, unit_id, n in cases_by_unit_year_query(user=user, year_from=year_from, year_to=year_to):
        counts[year, units.get(unit_id).bucket] += n
    extra = sorted({bucket for (_year, bucket) in counts} - set(UNIT_COLUMNS))
    codes = [*UNIT_COLUMNS, *_bucket_order(extra)]
    columns = [Column(code, units.name(code)) for code in codes] + [Column("total", gettext("Total"))]
    rows = []
    for year in _years(year_from, year_to):
        cells = [counts.get((year, code), 0) for code in codes]
        rows.append(Row(year, str(year), [*cells, sum(cells)]))
    return Table(
        name="cases_by_unit_year",
        title=gettext("Complaints registered by registering unit and year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=_total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope_name(user),
        measure=gettext("Complaints"),
        notes=[
            gettext(
                "A complaint counts under the directorate of its registering unit; DIVINTRAP counts under "
                "DIRINCRI and the 0800 hotline has a column of its own."
            )
        ],
    )


def cases_by_unit_year_query(*, user: Any = None, year_from: int, year_to: int) -> QuerySet:
    return (
        _scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), user)
        .values_list("year", "registering_unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )


# ---------------------------------------------------------------- published table 2


def persons_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 2: alleged traffickers (identified or not) and victims (adults, minors)
    by sex and year. Totals count people of unknown sex too; victims whose minority is unknown
    count only in `victims_total`."""
    check_period(year_from, year_to)
    sums = {item["year"]: item for item in persons_by_year_query(user=user, year_from=year_from, year_to=year_to)}
    groups = {
        "suspects_identified": gettext("Alleged traffickers, identified"),
        "suspects_unidentified": gettext("Alleged traffickers, being identified"),
        "victims_adult": gettext("Victims, adults"),
        "victims_minor": gettext("Victims, children and adolescents"),
    }
    short = {"m": gettext("M"), "f": gettext("F"), "total": gettext("Total")}
    columns = []
    for code in PERSONS_COLUMNS:
        if code == "victims_total":
            columns.append(Column(code, gettext("Total victims")))
        else:
            group, _sep, part = code.rpartition("_")
            columns.append(Column(code, short[part], groups[group]))
    rows = []
    for year in _years(year_from, year_to):
        item = sums.get(year, {})
        value = {name: item.get(name) or 0 for name in PERSON_COUNTERS}
        cells = {}
        for group in groups:
            cells[f"{group}_m"], cells[f"{group}_f"] = value[f"{group}_m"], value[f"{group}_f"]
            cells[f"{group}_total"] = value[f"{group}_m"] + value[f"{group}_f"] + value[f"{group}_x"]
        cells["victims_total"] = cells["victims_adult_total"] + cells["victims_minor_total"] + value["victims_unknown"]
        rows.append(Row(year, str(year), [cells[code] for code in PERSONS_COLUMNS]))
    return Table(
        name="persons_by_year",
        title=gettext("Alleged traffickers and victims by year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=_total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope_name(user),
        measure=gettext("Persons"),
        notes=[
            gettext(
                "Identified: a name or a document is recorded. Adults and minors by the age at the time of the "
                "facts, or by what the form says when the age is unknown. Totals include people of unknown sex."
            )
        ],
    )


def persons_by_year_query(*, user: Any = None, year_from: int, year_to: int) -> QuerySet:
    """One GROUP BY year summing each complaint's counts of people (index-only on
    stat_complaint_year_persons)."""
    return (
        _scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), user)
        .values("year")
        .annotate(**{name: Sum(name) for name in PERSON_COUNTERS})
        .order_by()
    )


# ---------------------------------------------------------------- published table 3


def purposes_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 3: complaints by purpose category and year (a complaint counts once
    under each of its categories)."""
    check_period(year_from, year_to)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    category = VARIABLES["category"]
    for year, mask, n in purposes_by_year_query(user=user, year_from=year_from, year_to=year_to):
        for code in _mask_values(category, mask):
            counts[year, code] += n
    columns = [Column(term.code, term.label) for term in CATEGORIES]
    rows = [
        Row(year, str(year), [counts.get((year, column.code), 0) for column in columns])
        for year in _years(year_from, year_to)
    ]
    return Table(
        name="purposes_by_year",
        title=gettext("Purpose of trafficking by year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=_total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope_name(user),
        measure=gettext("Complaints"),
        notes=[gettext("A complaint counts once under each of its purpose categories.")],
    )


def purposes_by_year_query(*, user: Any = None, year_from: int, year_to: int) -> QuerySet:
    """(year, categories bitmask, count): a handful of masks a year, expanded in Python."""
    return (
        _scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), user)
        .values_list("year", "categories")
        .annotate(n=Count("*"))
        .order_by()
    )


# ---------------------------------------------------------------- cross-tabulation


@dataclass(frozen=True)
class Variable:
    """A variable of the cross-tabulation and how the read model holds it.

    kind: "number" (year, month: the stored number), "department" (the INEI code as a number),
    "code" (position + 1 in `values`), "unit" (the registering unit, mapped to its code or its
    directorate), "mask" (a bitmask over `values`; `none_bit`: bit 0 means "not recorded" and the
    values start at bit 1, else a 0 mask means none). `victim_field`: the victim's own column, a
    code, on StatVictim (when counting victims, a victim variable has one value per row).
    """

    code: str
    label: Promise
    field: str
    kind: str
    values: tuple[str, ...] = ()
    complete: bool = True  # show every value, even with no count
    none_bit: bool = False
    victim_field: str = ""
    none_label: Promise = _("Not recorded")

    def multi(self, measure: str) -> bool:
        """Several values per counted thing: a complaint has several categories, or victims."""
        return self.kind == "mask" and not (measure == "victims" and self.victim_field)

    def bit(self, index: int) -> int:
        return 1 << (index + 1 if self.none_bit else index)


VARIABLES: dict[str, Variable] = {
    v.code: v
    for v in (
        Variable("year", _("Year"), "year", "number"),
        Variable("month", _("Month"), "month", "number"),
        Variable("directorate", _("Directorate"), "registering_unit_id", "unit", complete=False),
        Variable("department", _("Department of the facts"), "department", "department", complete=False),
        Variable("unit", _("Registering unit"), "registering_unit_id", "unit", complete=False),
        Variable("origin", _("Origin"), "origin", "code", ORIGIN_CODES),
        Variable("outcome", _("Outcome"), "outcome", "code", OUTCOME_CODES, none_label=_("Not classified")),
        Variable(
            "category", _("Purpose category"), "categories", "mask", CATEGORY_CODES, none_label=_("No purpose category")
        ),
        Variable("conduct", _("Conduct"), "conducts", "mask", CONDUCT_CODES, none_label=_("No conduct")),
        Variable("means", _("Means"), "means", "mask", MEANS_CODES, none_label=_("No means")),
        Variable("victim_sex", _("Victim's sex"), "victim_sexes", "mask", SEX_CODES, none_bit=True, victim_field="sex"),
        Variable(
            "victim_age",
            _("Victim's age band"),
            "victim_ages",
            "mask",
            AGE_BAND_CODES,
            none_bit=True,
            victim_field="age_band",
            none_label=_("Age unknown"),
        ),
        Variable(
            "victim_nationality",
            _("Victim's nationality"),
            "victim_nationalities",
            "mask",
            NATIONALITY_CODES,
            complete=False,
            none_bit=True,
            victim_field="nationality",
        ),
        Variable("place_kind", _("Kind of place"), "place_kind", "code", PLACE_KIND_CODES),
    )
}
# Variables a filter may restrict (the year is the period).
FILTER_VARIABLES: tuple[str, ...] = tuple(code for code in VARIABLES if code != "year")

MEASURES: dict[str, Promise] = {
    "complaints": _("Complaints"),
    "victims": _("Victims"),
    "suspects": _("Alleged traffickers"),
}
MEASURE_MODELS: dict[str, type[StatFacts]] = {
    "complaints": StatComplaint,
    "victims": StatVictim,
    "suspects": StatSuspect,
}


class Labels:
    """The values of each variable, in order, with their labels (loaded on demand)."""

    def __init__(self, units: Units | None = None) -> None:
        self.units = units or Units()
        self._departments: dict[str, tuple[str, float, float]] | None = None

    def departments(self) -> dict[str, tuple[str, float, float]]:
        if self._departments is None:
            self._departments = {
                code: (name, float(lat), float(lon))
                for code, name, lat, lon in Department.objects.order_by("code").values_list(
                    "code", "name", "latitude", "longitude"
                )
            }
        return self._departments

    def domain(self, variable: Variable, year_from: int, year_to: int) -> list[tuple[Any, str]]:
        """Every known value of the variable, in the order tables show them."""
        code = variable.code
        if code == "year":
            return [(year, str(year)) for year in _years(year_from, year_to)]
        if code == "month":
            return [(month, str(MONTHS[month])) for month in range(1, 13)]
        if code == "directorate":
            return [(bucket, self.units.name(bucket)) for bucket in UNIT_COLUMNS]
        if code == "department":
            return [(dep, name) for dep, (name, _lat, _lon) in self.departments().items()]
        if code == "unit":
            units = sorted(self.units.all().values(), key=lambda info: info.path)
            return [(info.code, info.name) for info in units]
        labels: dict[str, str] = {}
        if code == "origin":
            labels = {value: str(label) for value, label in Origin.choices}
        elif code == "outcome":
            labels = {term.code: term.label for term in OUTCOMES}
        elif code == "category":
            labels = {term.code: term.label for term in CATEGORIES}
        elif code == "conduct":
            labels = {element.code: element.label for element in CONDUCTS}
        elif code == "means":
            labels = {element.code: element.label for element in MEANS}
        elif code == "victim_sex":
            labels = {value: str(label) for value, label in Sex.choices}
        elif code == "victim_nationality":
            labels = {value: str(label) for value, label in COMMON_NATIONALITIES}
            labels[OTHER_NATIONALITY] = gettext("Other nationalities")
        elif code == "place_kind":
            labels = {value: str(label) for value, label in PlaceKind.choices}
        return [(value, labels.get(value, value)) for value in variable.values]

    def label(self, variable: Variable, value: Any, year_from: int, year_to: int) -> str:
        if value == NONE:
            return str(variable.none_label)
        for known, label in self.domain(variable, year_from, year_to):
            if known == value:
                return label
        return str(value)

    def values(self, variable: Variable, present: Iterable[Any], year_from: int, year_to: int) -> list[tuple[Any, str]]:
        """The values a table shows: the whole domain of a `complete` variable, else the values
        with counts; then values found in the data but unknown to the domain; "not recorded" last."""
        present = set(present)
        domain = self.domain(variable, year_from, year_to)
        if variable.code == "directorate":
            known = {value for value, _label in domain}
            domain += [(bucket, self.units.name(bucket)) for bucket in _bucket_order(present - known - {NONE})]
        known = {value for value, _label in domain}
        shown = [(value, label) for value, label in domain if variable.complete or value in present]
        shown += [(value, str(value)) for value in sorted(present - known - {NONE}, key=str)]
        if NONE in present:
            shown.append((NONE, str(variable.none_label)))
        return shown


def _encode(variable: Variable, value: str, units: Units) -> list[int]:
    """The stored codes a filter value stands for (a unit or directorate: the unit ids)."""
    if value in (NONE, NONE_TOKEN):
        return [0]
    if variable.kind == "unit":
        if variable.code == "directorate":
            return units.ids_where(buckets=[value])
        return units.ids_where(codes=[value])
    if variable.kind in ("number", "department"):
        return [int(value)] if value.isdigit() else []
    return [variable.values.index(value) + 1] if value in variable.values else []


def _mask_values(variable: Variable, mask: int | None) -> list[Any]:
    """The values a bitmask holds; "not recorded" for its bit 0, or for an empty mask."""
    mask = mask or 0
    values = [value for index, value in enumerate(variable.values) if mask & variable.bit(index)]
    if (mask & 1) if variable.none_bit else not mask:
        values.append(NONE)
    return values


def _decode(variable: Variable, stored: Any, units: Units, *, multi: bool = False) -> list[Any]:
    """The values (codes) a grouped column stands for: one, or those of a bitmask."""
    if multi:
        return _mask_values(variable, stored)
    if stored is None:
        return [NONE]
    if variable.kind == "unit":
        info = units.get(stored)
        return [info.bucket if variable.code == "directorate" else info.code]
    if variable.kind == "number":
        return [stored]
    if variable.kind == "department":
        return [f"{stored:02d}" if stored else NONE]
    if 1 <= stored <= len(variable.values):  # a code ("code" variables, a victim's own column)
        return [variable.values[stored - 1]]
    return [NONE]


def clean_filters(filters: Mapping[str, Iterable[str]] | None) -> dict[str, list[str]]:
    """Only known variables, without the period's year, without empty selections."""
    cleaned: dict[str, list[str]] = {}
    for code, values in (filters or {}).items():
        if code not in FILTER_VARIABLES:
            raise ValueError(f"unknown filter {code!r}")
        values = [str(value) for value in values if str(value) != ""]
        if values:
            cleaned[code] = sorted(set(values))
    return cleaned


def _apply_filters(queryset: QuerySet, measure: str, filters: Mapping[str, Sequence[str]], units: Units) -> QuerySet:
    """Each filter keeps what has one of the chosen values (for a bitmask: at least one of them)."""
    for number, (code, values) in enumerate(filters.items()):
        variable = VARIABLES[code]
        if not variable.multi(measure):
            column = variable.victim_field if variable.kind == "mask" else variable.field
            stored = sorted({code for value in values for code in _encode(variable, value, units)})
            queryset = queryset.filter(**{f"{column}__in": stored})
            continue
        chosen = [value for value in values if value not in (NONE, NONE_TOKEN)]
        bits = sum(variable.bit(variable.values.index(value)) for value in chosen if value in variable.values)
        if variable.none_bit and len(chosen) < len(values):
            bits |= 1
        condition = Q(pk__in=[])
        if bits:
            alias = f"filter{number}"
            queryset = queryset.alias(**{alias: F(variable.field).bitand(bits)})
            condition |= Q(**{f"{alias}__gt": 0})
        if not variable.none_bit and len(chosen) < len(values):
            condition |= Q(**{variable.field: 0})
        queryset = queryset.filter(condition)
    return queryset


@dataclass
class CrosstabQuery:
    """The one query of a cross-tabulation and what its two grouped columns stand for."""

    queryset: QuerySet  # rows {"r": ..., "c": ..., "n": count}
    rows: Variable
    columns: Variable | None
    measure: str

    def multi(self, variable: Variable | None) -> bool:
        return variable is not None and variable.multi(self.measure)


def _column_of(variable: Variable, measure: str) -> str:
    """The column a variable is grouped by: its own, its bitmask, or a victim's own code."""
    if variable.kind == "mask" and not variable.multi(measure):
        return variable.victim_field
    return variable.field


def crosstab_query(
    *,
    user: Any = None,
    rows: str,
    columns: str | None = None,
    measure: str = "complaints",
    year_from: int,
    year_to: int,
    filters: Mapping[str, Iterable[str]] | None = None,
    units: Units | None = None,
) -> CrosstabQuery:
    """The single query of a cross-tabulation: SELECT <row column>, <column column>, COUNT(*) ...
    GROUP BY both. A multi-valued variable is grouped by its bitmask (a few dozen distinct masks),
    which Python expands: each complaint is in exactly one group, so the totals count it once."""
    if rows not in VARIABLES or (columns is not None and columns not in VARIABLES):
        raise ValueError("unknown variable")
    if rows == columns:
        raise ValueError("the row and column variables must differ")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    units = units or Units()
    queryset = MEASURE_MODELS[measure].objects.filter(year__gte=year_from, year__lte=year_to)
    queryset = _apply_filters(_scoped(queryset, user), measure, clean_filters(filters), units)
    row_var = VARIABLES[rows]
    col_var = VARIABLES[columns] if columns else None
    group = {"r": F(_column_of(row_var, measure))}
    if col_var is not None:
        group["c"] = F(_column_of(col_var, measure))
    queryset = queryset.values(**group).annotate(n=Count("*")).order_by()
    return CrosstabQuery(queryset, row_var, col_var, measure)


class Tally:
    """Counts by (row value, column value), with totals that count each counted thing once: every
    grouped result row is one set of things, added once to each of its row and column values."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, Any], int] = defaultdict(int)
        self.row_totals: dict[Any, int] = defaultdict(int)
        self.column_totals: dict[Any, int] = defaultdict(int)
        self.grand = 0

    def add(self, row_values: Sequence[Any], column_values: Sequence[Any], n: int) -> None:
        self.grand += n
        for row_value in row_values:
            self.row_totals[row_value] += n
            for column_value in column_values:
                self.cells[row_value, column_value] += n
        for column_value in column_values:
            self.column_totals[column_value] += n


class _Decoder:
    """Decodes grouped columns into values, once per distinct stored value."""

    def __init__(self, units: Units, measure: str) -> None:
        self.units, self.measure = units, measure
        self.cache: dict[tuple[str, Any], list[Any]] = {}

    def __call__(self, variable: Variable | None, stored: Any) -> list[Any]:
        if variable is None:
            return ["total"]
        key = (variable.code, stored)
        if key not in self.cache:
            self.cache[key] = _decode(variable, stored, self.units, multi=variable.multi(self.measure))
        return self.cache[key]


def crosstab(
    *,
    user: Any = None,
    rows: str,
    columns: str | None = None,
    measure: str = "complaints",
    year_from: int,
    year_to: int,
    filters: Mapping[str, Iterable[str]] | None = None,
    name: str = "crosstab",
    title: str | None = None,
    labels: Labels | None = None,
) -> Table:
    """Counts of complaints, victims or alleged traffickers by a row variable and, optionally, a
    column variable, with filters, in the period and in the user's scope (one query).

    A complaint with several values of a variable (several categories, conducts, means, or victims
    of several sexes) counts once under each value and once in the totals.
    """
    check_period(year_from, year_to)
    labels = labels or Labels()
    filters = clean_filters(filters)
    query = crosstab_query(
        user=user,
        rows=rows,
        columns=columns,
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        filters=filters,
        units=labels.units,
    )
    decode = _Decoder(labels.units, measure)
    tally = Tally()
    for item in query.queryset.iterator():
        tally.add(decode(query.rows, item["r"]), decode(query.columns, item.get("c")), item["n"])
    return _table_of(
        tally,
        rows=query.rows,
        columns=query.columns,
        measure=measure,
        labels=labels,
        year_from=year_from,
        year_to=year_to,
        user=user,
        filters=filters,
        name=name,
        title=title,
    )


def _table_of(
    tally: Tally,
    *,
    rows: Variable,
    columns: Variable | None,
    measure: str,
    labels: Labels,
    year_from: int,
    year_to: int,
    user: Any,
    filters: Mapping[str, Sequence[str]],
    name: str,
    title: str | None,
) -> Table:
    row_values = labels.values(rows, {value for value, n in tally.row_totals.items() if n}, year_from, year_to)
    if columns is not None:
        present = {value for value, n in tally.column_totals.items() if n}
        col_values = labels.values(columns, present, year_from, year_to)
        table_columns = [Column(str(value), label) for value, label in col_values]
        table_columns.append(Column("total", gettext("Total")))
    else:
        col_values = [("total", "")]
        table_columns = [Column("total", str(MEASURES[measure]))]
    table_rows = []
    for value, label in row_values:
        row_cells = [tally.cells.get((value, col), 0) for col, _label in col_values]
        if columns is not None:
            row_cells.append(tally.row_totals.get(value, 0))
        table_rows.append(Row(value, label, row_cells))
    total_cells = [tally.column_totals.get(col, 0) for col, _label in col_values] if columns is not None else []
    total_cells.append(tally.grand)
    notes = [
        gettext(
            "{measure} with several values of «{variable}» count once under each value; totals count them once."
        ).format(measure=MEASURES[measure], variable=variable.label)
        for variable in (rows, columns)
        if variable is not None and variable.multi(measure)
    ]
    if title is None:
        if columns is None:
            title = gettext("{measure} by {rows}").format(measure=MEASURES[measure], rows=str(rows.label).lower())
        else:
            title = gettext("{measure} by {rows} and {columns}").format(
                measure=MEASURES[measure], rows=str(rows.label).lower(), columns=str(columns.label).lower()
            )
    return Table(
        name=name,
        title=title,
        stub=Column(rows.code, str(rows.label)),
        columns=table_columns,
        rows=table_rows,
        total=Row("total", gettext("Total"), total_cells),
        year_from=year_from,
        year_to=year_to,
        scope=scope_name(user),
        measure=str(MEASURES[measure]),
        filters=describe_filters(filters, labels, year_from, year_to),
        notes=notes,
        extra={
            "rows": rows.code,
            "columns": columns.code if columns else None,
            "measure_code": measure,
            "filter_codes": dict(filters),
        },
    )


def describe_filters(
    filters: Mapping[str, Sequence[str]], labels: Labels | None = None, year_from: int = 0, year_to: int = 0
) -> list[tuple[str, str]]:
    labels = labels or Labels()
    described = []
    for code, values in filters.items():
        variable = VARIABLES[code]
        parsed = [
            NONE if value == NONE_TOKEN else (int(value) if code == "month" and value.isdigit() else value)
            for value in values
        ]
        names = [labels.label(variable, value, year_from, year_to) for value in parsed]
        described.append((str(variable.label), ", ".join(names)))
    return described


# ---------------------------------------------------------------- the tables behind the charts

OUTCOMES_TITLE = _("Complaints by year and outcome of the classification")
DEPARTMENTS_TITLE = _("Complaints by department of the facts")


def outcomes_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    return crosstab(
        user=user,
        rows="year",
        columns="outcome",
        year_from=year_from,
        year_to=year_to,
        name="outcomes_by_year",
        title=str(OUTCOMES_TITLE),
    )


def victims_by_sex_age(*, user: Any = None, year_from: int, year_to: int) -> Table:
    return crosstab(
        user=user,
        rows="victim_age",
        columns="victim_sex",
        measure="victims",
        year_from=year_from,
        year_to=year_to,
        name="victims_by_sex_age",
        title=gettext("Victims by sex and age band"),
    )


def complaints_by_department(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """Complaints by department of the facts, every department listed, with the coordinates of
    its capital (for the map)."""
    labels = Labels()
    table = crosstab(
        user=user,
        rows="department",
        year_from=year_from,
        year_to=year_to,
        name="complaints_by_department",
        title=str(DEPARTMENTS_TITLE),
        labels=labels,
    )
    return _with_every_department(table, labels)


def _with_every_department(table: Table, labels: Labels) -> Table:
    departments = labels.departments()
    counts = {row.code: row.cells[0] for row in table.rows}
    table.rows = [Row(code, name, [counts.get(code, 0)]) for code, (name, _lat, _lon) in departments.items()]
    unknown = sum(n for code, n in counts.items() if code not in departments)
    if unknown:
        table.rows.append(Row(NONE, str(VARIABLES["department"].none_label), [unknown]))
    table.extra["points"] = [
        {"code": code, "name": name, "latitude": lat, "longitude": lon, "count": counts.get(code, 0)}
        for code, (name, lat, lon) in departments.items()
    ]
    return table


def overview_tables(*, user: Any = None, year_from: int, year_to: int) -> list[Table]:
    """The four tables of the overview's charts and map (CHART_TABLES). Complaints by year and
    outcome and by department come from ONE GROUP BY year, outcome, department (index-only on
    stat_complaint_year_unit): four queries in all, not five."""
    check_period(year_from, year_to)
    labels = Labels()
    queryset = (
        _scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), user)
        .values_list("year", "outcome", "department")
        .annotate(n=Count("*"))
        .order_by()
    )
    decode = _Decoder(labels.units, "complaints")
    year, outcome, department = VARIABLES["year"], VARIABLES["outcome"], VARIABLES["department"]
    by_outcome, by_department = Tally(), Tally()
    for year_value, outcome_value, department_value, n in queryset.iterator():
        by_outcome.add([year_value], decode(outcome, outcome_value), n)
        by_department.add(decode(department, department_value), ["total"], n)
    common = {"measure": "complaints", "labels": labels, "year_from": year_from, "year_to": year_to, "user": user}
    outcomes = _table_of(
        by_outcome, rows=year, columns=outcome, filters={}, name="outcomes_by_year", title=str(OUTCOMES_TITLE), **common
    )
    departments = _table_of(
        by_department,
        rows=department,
        columns=None,
        filters={},
        name="complaints_by_department",
        title=str(DEPARTMENTS_TITLE),
        **common,
    )
    return [
        outcomes,
        purposes_by_year(user=user, year_from=year_from, year_to=year_to),
        victims_by_sex_age(user=user, year_from=year_from, year_to=year_to),
        _with_every_department(departments, labels),
    ]


PUBLISHED_TABLES = ("cases_by_unit_year", "persons_by_year", "purposes_by_year")
CHART_TABLES = ("outcomes_by_year", "purposes_by_year", "victims_by_sex_age", "complaints_by_department")
TABLES = {
    "cases_by_unit_year": cases_by_unit_year,
    "persons_by_year": persons_by_year,
    "purposes_by_year": purposes_by_year,
    "outcomes_by_year": outcomes_by_year,
    "victims_by_sex_age": victims_by_sex_age,
    "complaints_by_department": complaints_by_department,
}


def table(name: str, *, user: Any = None, year_from: int, year_to: int) -> Table:
    """One of the named tables (`TABLES`) for the period, in the user's scope (national if None)."""
    try:
        function = TABLES[name]
    except KeyError as exc:
        raise ValueError(f"unknown table {name!r}") from exc
    return function(user=user, year_from=year_from, year_to=year_to)


def sql_of(queryset: QuerySet) -> str:
    """The SQL a statistics queryset runs (for the benchmark's report and the documentation)."""
    sql, params = queryset.query.sql_with_params()
    return sql % tuple(repr(p) for p in params)
