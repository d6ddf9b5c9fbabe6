"""The statistics of the Reporting module (issue 5; ../shared/design/STATISTICS.md): the published
tables, the tables behind the charts and the map, and the default period - pure reads of the
statistics read model (stats.models), in a `Scope` (administration.access): the views pass
`scope_of(request.user)`, the `statistics` command and the benchmark `Scope.national()`. A scope
counts the complaints the complaint list shows (stats.scope: registering unit OR competent
directorate in it).

The read model is written in the same transaction as each registration and amendment
(stats.services, through the complaints' domain signals): `StatComplaint` (one row per
complaint), `StatVictim`, `StatSuspect` (one row per person), every row carrying the
complaint-level variables as one-byte codes and the multi-valued ones (purpose categories,
conducts, means, the victims' sexes, age bands and nationalities) as bitmasks (stats.codes).
Every table is ONE GROUP BY over ONE narrow table, no JOIN, COUNT(*) only; a multi-valued variable
is grouped by its bitmask (a few dozen distinct masks) and Python expands each group into the
values it holds. Each complaint is in exactly one group, so it counts once under each of its
values and once in the totals:

- `cases_by_unit_year`  SELECT year, registering_unit_id, COUNT(*) FROM stats_statcomplaint
                        WHERE year BETWEEN %s AND %s GROUP BY year, registering_unit_id
                        (index-only: stat_complaint_year_unit; units mapped to the 26 published
                        columns in Python, with one query on the units; by the tree of the
                        registration date, still one statement: grouped also by a CASE over the
                        moved units' placements, stats.crosstab.registered_tree)
- `persons_by_year`     SELECT year, SUM(suspects_identified_m), ... SUM(victims_unknown) (the 13 counts of
                        people each complaint row carries) FROM stats_statcomplaint WHERE year
                        BETWEEN .. GROUP BY year  (index-only: stat_complaint_year_persons)
- `purposes_by_year`    SELECT year, categories, COUNT(*) FROM stats_statcomplaint WHERE year BETWEEN ..
                        GROUP BY year, categories  (index-only: stat_complaint_year_categories)
- `crosstab`            (stats.crosstab) SELECT <row column>, <column column>, COUNT(*) FROM
                        stats_stat<complaint | victim | suspect> WHERE year BETWEEN .. [AND <filters>]
                        GROUP BY 1, 2 (a filter on a bitmask: `categories & <bits> > 0`)
- the charts            outcomes_by_year, complaints_by_department: crosstabs, index-only on
                        stat_complaint_year_unit; victims_by_sex_age: on stat_victim_year_sex.

A scope less than national adds `AND (registering_unit_id IN (<ids>) OR competent_directorate_id
IN (<ids>))`, the ids of the units of the subtree read first (SELECT id FROM administration_unit
WHERE path LIKE '<root path>%'). `sql_of(queryset)` prints the statement of any of them
(`cases_by_unit_year_query`, `persons_by_year_query`, `purposes_by_year_query`,
`crosstab_query(...).queryset`).

Nothing here names a person or carries free text: codes, labels of codes and counts (SECURITY.md 16).

May import: administration.access (Scope), complaints.rules.codes (the categories), and the
other read modules of stats (codes, crosstab, models, scope, tables, units, variables).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from administration.access import Scope
from complaints.rules.codes import CATEGORIES
from stats.codes import NONE
from stats.crosstab import Decoder, Tally, crosstab, registered_tree, table_of
from stats.models import PERSON_COUNTERS, StatComplaint
from stats.scope import scoped
from stats.tables import EARLIEST_YEAR, Column, Row, Table, check_period, total_row, years
from stats.units import TREE_NOW, TREE_REGISTERED, UNIT_COLUMNS, Units, bucket_order
from stats.variables import VARIABLES, Labels, mask_values

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
    "victims_unknown_age",
    "victims_total",
)


# complaints.duplicates / stats.services ("one case, several complaints").
LINKED_NOTE = gettext_noop(
    "A complaint registered as the same case as an earlier one is not counted again: its case counts once, "
    "with the earlier complaint, and its victims and alleged traffickers only when they are other persons."
)


def default_period(scope: Scope) -> tuple[int, int]:
    """From the first to the last year with registrations in the scope (this year if none)."""
    found = scoped(StatComplaint.objects.all(), scope).aggregate(first=Min("year"), last=Max("year"))
    this_year = timezone.localdate().year
    first, last = found["first"] or this_year, found["last"] or this_year
    return max(first, EARLIEST_YEAR), min(last, this_year + 1)


# ---------------------------------------------------------------- published table 1


def _counts_by_tree(
    *, scope: Scope, year_from: int, year_to: int, units: Units, tree: str
) -> dict[tuple[int, str], int]:
    """{(year, column): complaints} by the tree now, or by the tree of the registration date
    (stats.units): then the one query also groups by the column of the placement holding each
    complaint of a moved unit (`registered_tree`); what no placement holds stays in the unit's
    current column, so that both trees add up to the same totals."""
    queryset = StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to)
    placed = registered_tree(queryset, "complaints", units) if tree == TREE_REGISTERED else None
    counts: dict[tuple[int, str], int] = defaultdict(int)
    if placed is None:
        for year, unit_id, n in cases_by_unit_year_query(scope=scope, year_from=year_from, year_to=year_to):
            counts[year, units.get(unit_id).bucket] += n
        return counts
    grouped = scoped(placed, scope).values_list("year", "registering_unit_id", F("placed")).annotate(n=Count("*"))
    for year, unit_id, bucket, n in grouped.order_by():
        counts[year, units.bucket_of(unit_id, bucket)] += n
    return counts


def cases_by_unit_year(*, scope: Scope, year_from: int, year_to: int, tree: str = TREE_NOW) -> Table:
    """STATISTICS.md table 1: complaints registered by year and by the column of their registering
    unit (the hotline, DIRINCRI with DIVINTRAP, the 24 directorates), with totals; the directorate
    of the tree now, or of the tree of the registration date (`tree`, stats.units)."""
    check_period(year_from, year_to)
    units = Units()
    counts = _counts_by_tree(scope=scope, year_from=year_from, year_to=year_to, units=units, tree=tree)
    extra = sorted({bucket for (_year, bucket) in counts} - set(UNIT_COLUMNS))
    codes = [*UNIT_COLUMNS, *bucket_order(extra)]
    columns = [Column(code, units.name(code)) for code in codes] + [Column("total", gettext("Total"))]
    rows = []
    for year in years(year_from, year_to):
        cells = [counts.get((year, code), 0) for code in codes]
        rows.append(Row(year, str(year), [*cells, sum(cells)]))
    return Table(
        name="cases_by_unit_year",
        title=gettext("Complaints registered by registering unit and year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope.label,
        measure=gettext("Complaints"),
        notes=[
            gettext(
                "A complaint counts under the directorate of its registering unit; DIVINTRAP counts under "
                "DIRINCRI and the 0800 hotline has a column of its own."
            ),
            gettext(LINKED_NOTE),
            gettext("Directorates of the tree of the registration date of each complaint.")
            if tree == TREE_REGISTERED
            else gettext("Directorates of the tree in force today."),
        ],
    )


def cases_by_unit_year_query(*, scope: Scope, year_from: int, year_to: int) -> QuerySet:
    return (
        scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), scope)
        .values_list("year", "registering_unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )


# ---------------------------------------------------------------- published table 2


def persons_by_year(*, scope: Scope, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 2: alleged traffickers (identified or not) and victims (adults, minors)
    by sex and year. Totals count people of unknown sex too; victims whose minority is unknown
    have a column of their own (`victims_unknown_age`), so adults + minors + unknown age = total."""
    check_period(year_from, year_to)
    sums = {item["year"]: item for item in persons_by_year_query(scope=scope, year_from=year_from, year_to=year_to)}
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
        elif code == "victims_unknown_age":
            columns.append(Column(code, gettext("Victims, age unknown")))
        else:
            group, _sep, part = code.rpartition("_")
            columns.append(Column(code, short[part], groups[group]))
    rows = []
    for year in years(year_from, year_to):
        item = sums.get(year, {})
        value = {name: int(item.get(name) or 0) for name in PERSON_COUNTERS}  # SUM is a decimal on MariaDB
        cells = {}
        for group in groups:
            cells[f"{group}_m"], cells[f"{group}_f"] = value[f"{group}_m"], value[f"{group}_f"]
            cells[f"{group}_total"] = value[f"{group}_m"] + value[f"{group}_f"] + value[f"{group}_x"]
        cells["victims_unknown_age"] = value["victims_unknown"]
        cells["victims_total"] = cells["victims_adult_total"] + cells["victims_minor_total"] + value["victims_unknown"]
        rows.append(Row(year, str(year), [cells[code] for code in PERSONS_COLUMNS]))
    return Table(
        name="persons_by_year",
        title=gettext("Alleged traffickers and victims by year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope.label,
        measure=gettext("Persons"),
        notes=[
            gettext(
                "Identified: a name or a document is recorded. Adults and minors by the age at the time of the "
                "facts, or by what the form says when the age is unknown. Totals include people of unknown sex."
            ),
            gettext(LINKED_NOTE),
        ],
    )


def persons_by_year_query(*, scope: Scope, year_from: int, year_to: int) -> QuerySet:
    """One GROUP BY year summing each complaint's counts of people (index-only on
    stat_complaint_year_persons)."""
    return (
        scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), scope)
        .values("year")
        .annotate(**{name: Sum(name) for name in PERSON_COUNTERS})
        .order_by()
    )


# ---------------------------------------------------------------- published table 3


def purposes_by_year(*, scope: Scope, year_from: int, year_to: int) -> Table:
    """STATISTICS.md table 3: complaints by purpose category and year (a complaint counts once
    under each of its categories)."""
    check_period(year_from, year_to)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    category = VARIABLES["category"]
    for year, mask, n in purposes_by_year_query(scope=scope, year_from=year_from, year_to=year_to):
        for code in mask_values(category, mask):
            counts[year, code] += n
    columns = [Column(term.code, term.label) for term in CATEGORIES]
    rows = [
        Row(year, str(year), [counts.get((year, column.code), 0) for column in columns])
        for year in years(year_from, year_to)
    ]
    return Table(
        name="purposes_by_year",
        title=gettext("Purpose of trafficking by year"),
        stub=Column("year", gettext("Year")),
        columns=columns,
        rows=rows,
        total=total_row(rows, len(columns)),
        year_from=year_from,
        year_to=year_to,
        scope=scope.label,
        measure=gettext("Complaints"),
        notes=[gettext("A complaint counts once under each of its purpose categories.")],
    )


def purposes_by_year_query(*, scope: Scope, year_from: int, year_to: int) -> QuerySet:
    """(year, categories bitmask, count): a handful of masks a year, expanded in Python."""
    return (
        scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), scope)
        .values_list("year", "categories")
        .annotate(n=Count("*"))
        .order_by()
    )


# ---------------------------------------------------------------- the tables behind the charts

OUTCOMES_TITLE = _("Complaints by year and outcome of the classification")
DEPARTMENTS_TITLE = _("Complaints by department of the facts")


def outcomes_by_year(*, scope: Scope, year_from: int, year_to: int) -> Table:
    return crosstab(
        scope=scope,
        rows="year",
        columns="outcome",
        year_from=year_from,
        year_to=year_to,
        name="outcomes_by_year",
        title=str(OUTCOMES_TITLE),
    )


def victims_by_sex_age(*, scope: Scope, year_from: int, year_to: int) -> Table:
    return crosstab(
        scope=scope,
        rows="victim_age",
        columns="victim_sex",
        measure="victims",
        year_from=year_from,
        year_to=year_to,
        name="victims_by_sex_age",
        title=gettext("Victims by sex and age band"),
    )


def complaints_by_department(*, scope: Scope, year_from: int, year_to: int) -> Table:
    """Complaints by department of the facts, every department listed, with the coordinates of
    its capital (for the map)."""
    labels = Labels()
    table = crosstab(
        scope=scope,
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


def overview_tables(*, scope: Scope, year_from: int, year_to: int) -> list[Table]:
    """The four tables of the overview's charts and map (CHART_TABLES). Complaints by year and
    outcome and by department come from ONE GROUP BY year, outcome, department (index-only on
    stat_complaint_year_unit): four queries in all, not five."""
    check_period(year_from, year_to)
    labels = Labels()
    queryset = (
        scoped(StatComplaint.objects.filter(year__gte=year_from, year__lte=year_to), scope)
        .values_list("year", "outcome", "department")
        .annotate(n=Count("*"))
        .order_by()
    )
    decode = Decoder(labels.units, "complaints")
    year, outcome, department = VARIABLES["year"], VARIABLES["outcome"], VARIABLES["department"]
    by_outcome, by_department = Tally(), Tally()
    for year_value, outcome_value, department_value, n in queryset.iterator():
        by_outcome.add([year_value], decode(outcome, outcome_value), n)
        by_department.add(decode(department, department_value), ["total"], n)
    common = {"measure": "complaints", "labels": labels, "year_from": year_from, "year_to": year_to, "scope": scope}
    outcomes = table_of(
        by_outcome, rows=year, columns=outcome, filters={}, name="outcomes_by_year", title=str(OUTCOMES_TITLE), **common
    )
    departments = table_of(
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
        purposes_by_year(scope=scope, year_from=year_from, year_to=year_to),
        victims_by_sex_age(scope=scope, year_from=year_from, year_to=year_to),
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


# The tables that group by directorate: they take the tree (stats.units) too.
TREE_TABLES = ("cases_by_unit_year",)


def table(name: str, *, scope: Scope, year_from: int, year_to: int, tree: str = TREE_NOW) -> Table:
    """One of the named tables (`TABLES`) for the period, in the scope; those of `TREE_TABLES`
    by the tree now or by the tree of the registration date."""
    try:
        function = TABLES[name]
    except KeyError as exc:
        raise ValueError(f"unknown table {name!r}") from exc
    if name in TREE_TABLES:
        return function(scope=scope, year_from=year_from, year_to=year_to, tree=tree)
    return function(scope=scope, year_from=year_from, year_to=year_to)


def sql_of(queryset: QuerySet) -> str:
    """The SQL a statistics queryset runs (for the benchmark's report and the documentation)."""
    sql, params = queryset.query.sql_with_params()
    return sql % tuple(repr(p) for p in params)
