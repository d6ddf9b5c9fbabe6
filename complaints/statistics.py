"""Statistics of the Reporting module: the published tables, any cross-tabulation, and the numbers
behind the charts and the map (issue 5; ../shared/design/STATISTICS.md).

Pure reads, scoped like everything else with `administration.selectors.scope_q(user,
"registering_unit")` (`user=None` means national: the `statistics` command and the benchmark).
They read the statistics read model (`StatComplaint`, `StatElement`, `StatPerson`), written in
the same transaction as each registration and amendment (`complaints.services._index_statistics`),
so that every table is one GROUP BY over one narrow table:

- `cases_by_unit_year`  SELECT year, registering_unit_id, COUNT(*) FROM complaints_statcomplaint
                        WHERE year BETWEEN %s AND %s GROUP BY year, registering_unit_id
                        (units are mapped to the 26 published columns in Python, one query on units)
- `persons_by_year`     SELECT year, role, sex, minor, identified, COUNT(*) FROM complaints_statperson
                        WHERE year BETWEEN %s AND %s GROUP BY year, role, sex, minor, identified
- `purposes_by_year`    SELECT year, code, COUNT(*) FROM complaints_statelement
                        WHERE group = 'category' AND year BETWEEN %s AND %s GROUP BY year, code
- `crosstab`            SELECT <row>, <column>, COUNT(*) FROM <table of what is counted>
                        [LEFT JOIN the element or victim rows a variable needs] WHERE <period, filters>
                        GROUP BY <row>, <column>  (COUNT(DISTINCT pk) when a variable can take several
                        values per counted thing; then the margins are one more GROUP BY each)

A user with less than national scope adds `INNER JOIN administration_unit ON ... WHERE path LIKE
'<root path>%'`. `sql_of(...)` gives the exact statement of any of them.

Nothing here names a person or carries free text: codes, labels of codes and counts (SECURITY.md 16).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, FilteredRelation, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from administration.models import Department, Unit
from administration.selectors import scope_label, scope_q
from complaints.catalogues import COMMON_NATIONALITIES, Origin, PlaceKind, Sex
from complaints.models import StatComplaint, StatElement, StatPerson
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

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-13", 0, 13),
    ("14-17", 14, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35+", 35, None),
)

# The value of a variable that is not recorded (no category, sex unknown, ...); "none" in URLs.
NONE = ""
NONE_TOKEN = "none"  # noqa: S105 - not a password

EARLIEST_YEAR = 1990
MAX_YEARS = 60


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
) -> tuple[StatComplaint, list[StatElement], list[StatPerson]]:
    """The statistics rows of one submitted complaint (unsaved)."""
    year, month = registration_year_month(submitted_at)
    common = {"record_id": complaint_id, "registering_unit_id": registering_unit_id, "year": year}
    record = StatComplaint(
        complaint_id=complaint_id,
        registering_unit_id=registering_unit_id,
        year=year,
        month=month,
        department=(place_district_id or "")[:2],
        origin=origin or "",
        outcome=outcome or "",
        place_kind=place_kind or "",
    )
    elements = [
        StatElement(group=group, code=code, **common)
        for group, codes in (
            (StatElement.CATEGORY, purpose_categories),
            (StatElement.CONDUCT, conducts),
            (StatElement.MEANS, means),
        )
        for code in sorted(set(codes or ()))
    ]
    persons = [
        StatPerson(
            role=StatPerson.VICTIM,
            sex=victim.sex or "",
            age_band=age_band(victim.age),
            minor=victim_is_minor(victim.age, victim.minor),
            nationality=(victim.nationality or "").upper()[:2],
            **common,
        )
        for victim in victims
    ] + [
        StatPerson(role=StatPerson.SUSPECT, sex=suspect.sex or "", identified=suspect.identified, **common)
        for suspect in suspects
    ]
    return record, elements, persons


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


def _scoped(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset if user is None else queryset.filter(scope_q(user, "registering_unit"))


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
    queryset = _scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), user)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, unit_id, n in (
        queryset.values_list("year", "registering_unit_id").annotate(n=Count("*")).order_by().iterator()
    ):
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


# ---------------------------------------------------------------- published table 2


def persons_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 2: alleged traffickers (identified or not) and victims (adults, minors)
    by sex and year. Totals count people of unknown sex too; victims whose minority is unknown
    count only in `victims_total`."""
    check_period(year_from, year_to)
    queryset = _scoped(StatPerson.objects.filter(year__gte=year_from, year__lte=year_to), user)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    grouped = (
        queryset.values_list("year", "role", "sex", "minor", "identified").annotate(n=Count("*")).order_by().iterator()
    )
    for year, role, sex, minor, identified, n in grouped:
        if role == StatPerson.SUSPECT:
            group = "suspects_identified" if identified else "suspects_unidentified"
        else:
            counts[year, "victims_total"] += n
            if minor is None:
                continue
            group = "victims_minor" if minor else "victims_adult"
        counts[year, f"{group}_total"] += n
        if sex in (Sex.MALE, Sex.FEMALE):
            counts[year, f"{group}_{sex.lower()}"] += n
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
    rows = [
        Row(year, str(year), [counts.get((year, code), 0) for code in PERSONS_COLUMNS])
        for year in _years(year_from, year_to)
    ]
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


# ---------------------------------------------------------------- published table 3


def purposes_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 3: complaints by purpose category and year (a complaint counts once
    under each of its categories)."""
    check_period(year_from, year_to)
    queryset = _scoped(
        StatElement.objects.filter(group=StatElement.CATEGORY, year__gte=year_from, year__lte=year_to), user
    )
    counts = {
        (year, code): n
        for year, code, n in queryset.values_list("year", "code").annotate(n=Count("*")).order_by().iterator()
    }
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


# ---------------------------------------------------------------- cross-tabulation

COMPLAINT, ELEMENT, VICTIM = "complaint", "element", "victim"


@dataclass(frozen=True)
class Variable:
    code: str
    label: Promise
    level: str  # COMPLAINT (one value per complaint), ELEMENT (several), VICTIM (one per victim)
    field: str  # the column of the read model that holds it
    complete: bool  # show every value, even with no count
    group: str = ""  # StatElement.group of an ELEMENT variable
    none_label: Promise = _("Not recorded")


VARIABLES: dict[str, Variable] = {
    v.code: v
    for v in (
        Variable("year", _("Year"), COMPLAINT, "year", True),
        Variable("month", _("Month"), COMPLAINT, "month", True),
        Variable("directorate", _("Directorate"), COMPLAINT, "registering_unit_id", False),
        Variable("department", _("Department of the facts"), COMPLAINT, "department", False),
        Variable("unit", _("Registering unit"), COMPLAINT, "registering_unit_id", False),
        Variable("origin", _("Origin"), COMPLAINT, "origin", True),
        Variable("outcome", _("Outcome"), COMPLAINT, "outcome", True, none_label=_("Not classified")),
        Variable(
            "category", _("Purpose category"), ELEMENT, "code", True, StatElement.CATEGORY, _("No purpose category")
        ),
        Variable("conduct", _("Conduct"), ELEMENT, "code", True, StatElement.CONDUCT, _("No conduct")),
        Variable("means", _("Means"), ELEMENT, "code", True, StatElement.MEANS, _("No means")),
        Variable("victim_sex", _("Victim's sex"), VICTIM, "sex", True),
        Variable("victim_age", _("Victim's age band"), VICTIM, "age_band", True, none_label=_("Age unknown")),
        Variable("victim_nationality", _("Victim's nationality"), VICTIM, "nationality", False),
        Variable("place_kind", _("Kind of place"), COMPLAINT, "place_kind", True),
    )
}
# Variables a filter may restrict (the year is the period).
FILTER_VARIABLES: tuple[str, ...] = tuple(code for code in VARIABLES if code != "year")

MEASURES: dict[str, Promise] = {
    "complaints": _("Complaints"),
    "victims": _("Victims"),
    "suspects": _("Alleged traffickers"),
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
        if code == "origin":
            return [(value, str(label)) for value, label in Origin.choices]
        if code == "outcome":
            return [(term.code, term.label) for term in OUTCOMES]
        if code == "category":
            return [(term.code, term.label) for term in CATEGORIES]
        if code == "conduct":
            return [(element.code, element.label) for element in CONDUCTS]
        if code == "means":
            return [(element.code, element.label) for element in MEANS]
        if code == "victim_sex":
            return [(value, str(label)) for value, label in Sex.choices]
        if code == "victim_age":
            return [(band, band) for band, _low, _high in AGE_BANDS]
        if code == "victim_nationality":
            return [(value, str(label)) for value, label in COMMON_NATIONALITIES]
        if code == "place_kind":
            return [(value, str(label)) for value, label in PlaceKind.choices]
        raise KeyError(code)

    def label(self, variable: Variable, value: Any, year_from: int, year_to: int) -> str:
        if value == NONE:
            return str(variable.none_label)
        for known, label in self.domain(variable, year_from, year_to):
            if known == value:
                return label
        return str(value)

    def values(self, variable: Variable, present: Iterable[Any], year_from: int, year_to: int) -> list[tuple[Any, str]]:
        """The values a table shows: the whole domain of a `complete` variable, else the values
        with counts; then codes found in the data but unknown to the domain; "not recorded" last."""
        present = set(present)
        domain = self.domain(variable, year_from, year_to)
        known = {value for value, _label in domain}
        if variable.code == "directorate":
            domain += [(bucket, self.units.name(bucket)) for bucket in _bucket_order(present - known - {NONE})]
            known = {value for value, _label in domain}
        shown = [(value, label) for value, label in domain if variable.complete or value in present]
        shown += [(value, str(value)) for value in sorted(present - known - {NONE}, key=str)]
        if NONE in present:
            shown.append((NONE, str(variable.none_label)))
        return shown


def _decode(variable: Variable, raw: Any, units: Units) -> Any:
    if raw is None:
        return NONE
    if variable.code == "directorate":
        return units.get(raw).bucket
    if variable.code == "unit":
        return units.get(raw).code
    return raw


def _base(measure: str, user: Any, year_from: int, year_to: int) -> QuerySet:
    if measure == "complaints":
        queryset = StatComplaint.objects.all()
    else:
        role = StatPerson.VICTIM if measure == "victims" else StatPerson.SUSPECT
        queryset = StatPerson.objects.filter(role=role)
    return _scoped(queryset.filter(year__gte=year_from, year__lte=year_to), user)


def _complaint_path(measure: str, variable: Variable) -> str:
    # year and registering unit are copied onto every row of the read model: no join for them.
    if measure == "complaints" or variable.field in ("year", "registering_unit_id"):
        return variable.field
    return f"record__{variable.field}"


def _filter_values(values: Iterable[str]) -> list[str]:
    return [NONE if value == NONE_TOKEN else value for value in values]


def _apply_filters(queryset: QuerySet, measure: str, filters: Mapping[str, Sequence[str]], units: Units) -> QuerySet:
    outer = "pk" if measure == "complaints" else "record_id"
    victim_conditions: dict[str, list[str]] = {}
    for code, raw_values in filters.items():
        values = _filter_values(raw_values)
        if not values:
            continue
        variable = VARIABLES[code]
        if code == "directorate":
            queryset = queryset.filter(registering_unit_id__in=units.ids_where(buckets=values))
        elif code == "unit":
            queryset = queryset.filter(registering_unit_id__in=units.ids_where(codes=values))
        elif code == "month":
            queryset = queryset.filter(**{f"{_complaint_path(measure, variable)}__in": [int(v) for v in values]})
        elif variable.level == COMPLAINT:
            queryset = queryset.filter(**{f"{_complaint_path(measure, variable)}__in": values})
        elif variable.level == ELEMENT:
            present = [value for value in values if value != NONE]
            conditions = []
            if present:
                rows = StatElement.objects.filter(record_id=OuterRef(outer), group=variable.group, code__in=present)
                conditions.append(Exists(rows))
            if NONE in values:
                conditions.append(~Exists(StatElement.objects.filter(record_id=OuterRef(outer), group=variable.group)))
            condition = conditions[0]
            for other in conditions[1:]:
                condition = condition | other
            queryset = queryset.filter(condition)
        elif measure == "victims":
            queryset = queryset.filter(**{f"{variable.field}__in": values})
        else:
            victim_conditions[f"{variable.field}__in"] = values
    if victim_conditions:  # one victim of the complaint meets them all
        rows = StatPerson.objects.filter(record_id=OuterRef(outer), role=StatPerson.VICTIM, **victim_conditions)
        queryset = queryset.filter(Exists(rows))
    return queryset


def _dimension(
    queryset: QuerySet, measure: str, variable: Variable, alias: str, filters: Mapping[str, Sequence[str]]
) -> tuple[QuerySet, str, bool]:
    """Adds what grouping by `variable` needs; returns the queryset, the path to group by, and
    whether the variable can take several values per counted thing (then counts are DISTINCT)."""
    if variable.level == COMPLAINT:
        return queryset, _complaint_path(measure, variable), False
    if variable.level == VICTIM and measure == "victims":
        return queryset, variable.field, False
    prefix = "" if measure == "complaints" else "record__"
    if variable.level == ELEMENT:
        relation = f"{prefix}elements"
        condition = Q(**{f"{relation}__group": variable.group})
        present = [value for value in _filter_values(filters.get(variable.code, ())) if value != NONE]
        if present:
            condition &= Q(**{f"{relation}__code__in": present})
    else:
        relation = f"{prefix}persons"
        condition = Q(**{f"{relation}__role": StatPerson.VICTIM})
        for code in ("victim_sex", "victim_age", "victim_nationality"):
            values = _filter_values(filters.get(code, ()))
            if values:
                condition &= Q(**{f"{relation}__{VARIABLES[code].field}__in": values})
    name = f"{alias}_rows"
    queryset = queryset.annotate(**{name: FilteredRelation(relation, condition=condition)})
    return queryset, f"{name}__{variable.field}", True


def _count(distinct: bool) -> Count:
    return Count("pk", distinct=True) if distinct else Count("*")


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


@dataclass
class CrosstabQueries:
    """The querysets of a cross-tabulation (exposed for the benchmark and `sql_of`)."""

    cells: QuerySet
    row_totals: QuerySet | None
    column_totals: QuerySet | None
    grand_total: QuerySet | None


def crosstab_queries(
    *,
    user: Any = None,
    rows: str,
    columns: str | None = None,
    measure: str = "complaints",
    year_from: int,
    year_to: int,
    filters: Mapping[str, Iterable[str]] | None = None,
    units: Units | None = None,
) -> CrosstabQueries:
    if rows not in VARIABLES or (columns is not None and columns not in VARIABLES):
        raise ValueError("unknown variable")
    if rows == columns:
        raise ValueError("the row and column variables must differ")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    filters = clean_filters(filters)
    units = units or Units()
    base = _apply_filters(_base(measure, user, year_from, year_to), measure, filters, units)
    queryset, row_path, row_multi = _dimension(base, measure, VARIABLES[rows], "r", filters)
    values = {"r": F(row_path)}
    column_multi = False
    if columns is not None:
        queryset, column_path, column_multi = _dimension(queryset, measure, VARIABLES[columns], "c", filters)
        values["c"] = F(column_path)
    distinct = row_multi or column_multi
    cells = queryset.values(**values).annotate(n=_count(distinct)).order_by()
    row_totals = column_totals = grand_total = None
    if columns is not None and column_multi:
        only_rows, path, multi = _dimension(base, measure, VARIABLES[rows], "r", filters)
        row_totals = only_rows.values(r=F(path)).annotate(n=_count(multi)).order_by()
    if columns is not None and row_multi:
        only_columns, path, multi = _dimension(base, measure, VARIABLES[columns], "c", filters)
        column_totals = only_columns.values(c=F(path)).annotate(n=_count(multi)).order_by()
    if distinct:
        grand_total = base.order_by()
    return CrosstabQueries(cells, row_totals, column_totals, grand_total)


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
    column variable, with filters, in the period and in the user's scope.

    A complaint with several values of a variable (several categories, conducts, means, or
    victims) counts once under each; its totals still count it once (one more GROUP BY per margin).
    """
    check_period(year_from, year_to)
    labels = labels or Labels()
    units = labels.units
    filters = clean_filters(filters)
    queries = crosstab_queries(
        user=user,
        rows=rows,
        columns=columns,
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        filters=filters,
        units=units,
    )
    row_var = VARIABLES[rows]
    col_var = VARIABLES[columns] if columns else None

    cells: dict[tuple[Any, Any], int] = defaultdict(int)
    for item in queries.cells.iterator():
        row_key = _decode(row_var, item["r"], units)
        col_key = _decode(col_var, item["c"], units) if col_var else "total"
        cells[row_key, col_key] += item["n"]
    row_totals: dict[Any, int] = defaultdict(int)
    column_totals: dict[Any, int] = defaultdict(int)
    if queries.row_totals is not None:
        for item in queries.row_totals.iterator():
            row_totals[_decode(row_var, item["r"], units)] += item["n"]
    else:
        for (row_key, _col), n in cells.items():
            row_totals[row_key] += n
    if queries.column_totals is not None:
        for item in queries.column_totals.iterator():
            column_totals[_decode(col_var, item["c"], units)] += item["n"]
    else:
        for (_row, col_key), n in cells.items():
            column_totals[col_key] += n
    grand = queries.grand_total.count() if queries.grand_total is not None else sum(cells.values())

    row_values = labels.values(row_var, {key for key, _c in cells}, year_from, year_to)
    if col_var is not None:
        col_values = labels.values(col_var, {key for _r, key in cells}, year_from, year_to)
        table_columns = [Column(str(value), label) for value, label in col_values]
        table_columns.append(Column("total", gettext("Total")))
    else:
        col_values = [("total", "")]
        table_columns = [Column("total", str(MEASURES[measure]))]
    table_rows = []
    for value, label in row_values:
        row_cells = [cells.get((value, col), 0) for col, _label in col_values]
        if col_var is not None:
            row_cells.append(row_totals.get(value, 0))
        table_rows.append(Row(value, label, row_cells))
    total_cells = [column_totals.get(col, 0) for col, _label in col_values] if col_var is not None else []
    total_cells.append(grand)

    multi = [v for v in (row_var, col_var) if v is not None and _is_multi(v, measure)]
    notes = [
        gettext(
            "{measure} with several values of «{variable}» count once under each value; totals count them once."
        ).format(measure=MEASURES[measure], variable=variable.label)
        for variable in multi
    ]
    if title is None:
        if col_var is None:
            title = gettext("{measure} by {rows}").format(measure=MEASURES[measure], rows=str(row_var.label).lower())
        else:
            title = gettext("{measure} by {rows} and {columns}").format(
                measure=MEASURES[measure], rows=str(row_var.label).lower(), columns=str(col_var.label).lower()
            )
    return Table(
        name=name,
        title=title,
        stub=Column(row_var.code, str(row_var.label)),
        columns=table_columns,
        rows=table_rows,
        total=Row("total", gettext("Total"), total_cells),
        year_from=year_from,
        year_to=year_to,
        scope=scope_name(user),
        measure=str(MEASURES[measure]),
        filters=describe_filters(filters, labels, year_from, year_to),
        notes=notes,
        extra={"rows": rows, "columns": columns, "measure_code": measure, "filter_codes": filters},
    )


def _is_multi(variable: Variable, measure: str) -> bool:
    if variable.level == COMPLAINT:
        return False
    return not (variable.level == VICTIM and measure == "victims")


def describe_filters(
    filters: Mapping[str, Sequence[str]], labels: Labels | None = None, year_from: int = 0, year_to: int = 0
) -> list[tuple[str, str]]:
    labels = labels or Labels()
    described = []
    for code, values in filters.items():
        variable = VARIABLES[code]
        parsed = [int(v) if code == "month" else v for v in _filter_values(values)]
        names = [labels.label(variable, value, year_from, year_to) for value in parsed]
        described.append((str(variable.label), ", ".join(names)))
    return described


# ---------------------------------------------------------------- the tables behind the charts


def outcomes_by_year(*, user: Any = None, year_from: int, year_to: int) -> Table:
    return crosstab(
        user=user,
        rows="year",
        columns="outcome",
        year_from=year_from,
        year_to=year_to,
        name="outcomes_by_year",
        title=gettext("Complaints by year and outcome of the classification"),
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
        title=gettext("Complaints by department of the facts"),
        labels=labels,
    )
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
