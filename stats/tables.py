"""The shape of a statistics table, ready to show or export (`Table`: its columns, rows, totals and
what it covers), and the period a table may cover (`check_period`).

May import: django (timezone, translation). No query.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

EARLIEST_YEAR = 1990
MAX_YEARS = 60


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


def years(year_from: int, year_to: int) -> list[int]:
    return list(range(year_from, year_to + 1))


def total_row(rows: Sequence[Row], width: int) -> Row:
    return Row("total", gettext("Total"), [sum(row.cells[i] for row in rows) for i in range(width)])
