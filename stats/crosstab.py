"""Any cross-tabulation of the read model: counts of complaints, victims or alleged traffickers by
a row variable and optionally a column variable, with filters, in a period and a scope - ONE
GROUP BY over ONE narrow table (`crosstab_query`), whose grouped rows Python adds up (`Tally`)
and lays out as a `Table`. A multi-valued variable is grouped by its bitmask (a few dozen distinct
masks) and expanded here: each complaint is in exactly one group, so it counts once under each of
its values and once in the totals.

May import: administration.access (Scope), stats.codes, stats.scope, stats.tables,
stats.units, stats.variables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from administration.access import Scope
from stats.codes import NONE, NONE_TOKEN
from stats.scope import scoped
from stats.tables import Column, Row, Table, check_period
from stats.units import TREE_NOW, TREE_REGISTERED, Units
from stats.variables import (
    FILTER_VARIABLES,
    MEASURE_MODELS,
    MEASURES,
    VARIABLES,
    Labels,
    Variable,
    decode,
    encode,
    extra_column,
    registration_moment,
    variable_named,
)

# The variables that follow the unit tree: by the tree now, or by the tree of the registration date.
TREE_VARIABLES = ("directorate",)


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


def registered_tree(queryset: QuerySet, measure: str, units: Units) -> QuerySet | None:
    """`queryset` with the alias `placed`: the column of each row by the tree of its registration
    date where a placement of a moved unit holds it, else NULL (the current column:
    `Units.placed_bucket`). None when no unit ever moved (both trees are then the same). The one
    mechanism of the tree of the registration date: the rows and columns by directorate group by
    `placed`, a filter by directorate filters on it, and the published table 1 groups by it."""
    placed = units.placed_bucket("registered_at")
    if placed is None:
        return None
    return queryset.alias(registered_at=registration_moment(measure), placed=placed)


def _apply_filters(
    queryset: QuerySet, measure: str, filters: Mapping[str, Sequence[str]], units: Units, *, placed: bool = False
) -> QuerySet:
    """Each filter keeps what has one of the chosen values (for a bitmask: at least one of them).
    With `placed` (the alias of `registered_tree`), a directorate is the one of the registration
    date: the rows its placements held then, and the rows no placement holds of its units now."""
    for number, (code, values) in enumerate(filters.items()):
        variable = VARIABLES[code]
        if not variable.multi(measure):
            column = variable.victim_field if variable.kind == "mask" else variable.field
            stored = sorted({code for value in values for code in encode(variable, value, units)})
            if placed and code in TREE_VARIABLES:
                queryset = queryset.filter(Q(placed__in=values) | Q(**{f"{column}__in": stored}, placed__isnull=True))
            else:
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

    queryset: QuerySet  # rows {"r": ..., "c": ..., "n": count}, and "p" (`placed`) by the tree of registration
    rows: Variable
    columns: Variable | None
    measure: str

    def multi(self, variable: Variable | None) -> bool:
        return variable is not None and variable.multi(self.measure)

    def values(self, decoder: Decoder, variable: Variable | None, item: Mapping[str, Any], key: str) -> list[Any]:
        """The values of one grouped row for the row ("r") or column ("c") variable: a directorate
        by the tree of the registration date is the placement's column where one held the row."""
        if variable is not None and variable.code in TREE_VARIABLES and item.get("p") is not None:
            return [item["p"]]
        return decoder(variable, item.get(key))


def _column_of(variable: Variable, measure: str) -> str:
    """The column a variable is grouped by: its own, its bitmask, or a victim's own code."""
    if variable.kind == "mask" and not variable.multi(measure):
        return variable.victim_field
    return variable.field


def _grouped(variable: Variable, measure: str) -> Any:
    """What a variable groups by: a column of the read model, or a research variable's value."""
    if variable.kind == "extra":
        return extra_column(variable, measure)
    return F(_column_of(variable, measure))


def crosstab_query(
    *,
    scope: Scope,
    rows: str,
    columns: str | None = None,
    measure: str = "complaints",
    year_from: int,
    year_to: int,
    filters: Mapping[str, Iterable[str]] | None = None,
    units: Units | None = None,
    tree: str = TREE_NOW,
) -> CrosstabQuery:
    """The single query of a cross-tabulation: SELECT <row column>, <column column>, COUNT(*) ...
    GROUP BY both. A multi-valued variable is grouped by its bitmask (a few dozen distinct masks),
    which Python expands: each complaint is in exactly one group, so the totals count it once.
    With `tree` TREE_REGISTERED and a directorate among the rows, columns or filters, the query
    also reads the column of the registration date (`registered_tree`): grouped by it as "p",
    filtered on it - still one query."""
    row_var = variable_named(rows)
    col_var = variable_named(columns)
    if row_var is None or (columns is not None and col_var is None):
        raise ValueError("unknown variable")
    if rows == columns:
        raise ValueError("the row and column variables must differ")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    units = units or Units()
    filters = clean_filters(filters)
    queryset = MEASURE_MODELS[measure].objects.filter(year__gte=year_from, year__lte=year_to)
    placed = None
    if tree == TREE_REGISTERED and set(TREE_VARIABLES) & {rows, columns or "", *filters}:
        placed = registered_tree(queryset, measure, units)
    if placed is not None:
        queryset = placed
    queryset = _apply_filters(scoped(queryset, scope), measure, filters, units, placed=placed is not None)
    group = {"r": _grouped(row_var, measure)}
    if col_var is not None:
        group["c"] = _grouped(col_var, measure)
    if placed is not None and set(TREE_VARIABLES) & {rows, columns}:
        group["p"] = F("placed")
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


class Decoder:
    """Decodes grouped columns into values, once per distinct stored value."""

    def __init__(self, units: Units, measure: str) -> None:
        self.units, self.measure = units, measure
        self.cache: dict[tuple[str, Any], list[Any]] = {}

    def __call__(self, variable: Variable | None, stored: Any) -> list[Any]:
        if variable is None:
            return ["total"]
        key = (variable.code, stored)
        if key not in self.cache:
            self.cache[key] = decode(variable, stored, self.units, multi=variable.multi(self.measure))
        return self.cache[key]


def crosstab(
    *,
    scope: Scope,
    rows: str,
    columns: str | None = None,
    measure: str = "complaints",
    year_from: int,
    year_to: int,
    filters: Mapping[str, Iterable[str]] | None = None,
    name: str = "crosstab",
    title: str | None = None,
    labels: Labels | None = None,
    tree: str = TREE_NOW,
) -> Table:
    """Counts of complaints, victims or alleged traffickers by a row variable and, optionally, a
    column variable, with filters, in the period and in the scope (one query).

    A complaint with several values of a variable (several categories, conducts, means, or victims
    of several sexes) counts once under each value and once in the totals. With `tree`
    TREE_REGISTERED, the directorate - of the rows, the columns or a filter - is the one of the tree
    of the registration date (stats.units), read in the same query (`registered_tree`).
    """
    check_period(year_from, year_to)
    labels = labels or Labels()
    filters = clean_filters(filters)
    query = crosstab_query(
        scope=scope,
        rows=rows,
        columns=columns,
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        filters=filters,
        units=labels.units,
        tree=tree,
    )
    decoder = Decoder(labels.units, measure)
    tally = Tally()
    for item in query.queryset.iterator():
        row_values = query.values(decoder, query.rows, item, "r")
        tally.add(row_values, query.values(decoder, query.columns, item, "c"), item["n"])
    return table_of(
        tally,
        rows=query.rows,
        columns=query.columns,
        measure=measure,
        labels=labels,
        year_from=year_from,
        year_to=year_to,
        scope=scope,
        filters=filters,
        name=name,
        title=title,
    )


def table_of(
    tally: Tally,
    *,
    rows: Variable,
    columns: Variable | None,
    measure: str,
    labels: Labels,
    year_from: int,
    year_to: int,
    scope: Scope,
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
        scope=scope.label,
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
