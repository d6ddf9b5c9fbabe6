"""A filter by directorate follows the chosen tree as the rows and columns by directorate do
(issue 13): by the tree of the registration date it counts what the directorate's units
registered while they were its units - not what a unit registered before it joined, and still
what a unit registered before it left. And the tree of the registration date is read in one query
however many units moved."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from administration import tree
from administration.access import Scope
from complaints import services
from stats import selectors
from stats.crosstab import crosstab
from stats.units import TREE_NOW, TREE_REGISTERED
from tests.factories.administration import UnitFactory
from tests.factories.complaints import bar_in_madre_de_dios
from tests.stats.days import days_ago as _day
from tests.stats.days import lima_at as _at

pytestmark = pytest.mark.django_db

SPLIT_AGO = 100  # days before today: three Cusco stations pass to DIRTEPOL Cusco Sur
MOVE_AGO = 60  # days before today: the Lima station passes to DIRTEPOL Cusco

CUSCO, SUR, LIMA_D = "DIRTEPOL-CUSCO", "DIRTEPOL-CUSCO-SUR", "DIRTEPOL-LIMA"
# What each directorate counts by each tree (see `world`).
EXPECTED = {
    TREE_REGISTERED: {CUSCO: 6, SUR: 3, LIMA_D: 1},
    TREE_NOW: {CUSCO: 3, SUR: 7, LIMA_D: 0},
}
TOTAL = 10


@pytest.fixture
def world(personas: dict, units: dict) -> dict[str, Any]:
    """Cusco's stations 1, 2 and 3 pass to DIRTEPOL Cusco Sur on the day of the split; the Lima
    station passes to DIRTEPOL Cusco later (its earlier date). Complaints, by the tree of their
    registration day:

    - DIRTEPOL Cusco (6): station 1 at day 200 and at 23:30 the day before the split, station 2 at
      day 150, station 3 at day 120, Cusco's trafficking unit at day 50, the Lima station at day 10;
    - DIRTEPOL Cusco Sur (3): station 1 at 00:30 on the day of the split and at day 20, station 2
      at day 30;
    - DIRTEPOL Lima (1): the Lima station at day 180.

    By today's tree: Cusco 3 (its trafficking unit, the Lima station's 2), Cusco Sur 7, Lima 0."""
    numbers = itertools.count(1)
    cusco = units[CUSCO]
    district = units["DIRTEPOL-CUSCO-CPNP-1"].district
    for number in (2, 3):
        code = f"DIRTEPOL-CUSCO-CPNP-{number}"
        units[code] = UnitFactory(code=code, name=f"Comisaría PNP Cusco {number}", parent=cusco, district=district)

    def register(unit_code: str, when: datetime.datetime) -> None:
        services.complaint_register_imported(
            actor=personas["national_admin"],
            registering_unit=units[unit_code],
            number=f"FILTER-{next(numbers):05d}",
            registered_at=when,
            data=bar_in_madre_de_dios(facts_date=when.date() - datetime.timedelta(days=10)),
        )

    split_day = _day(SPLIT_AGO)
    register("DIRTEPOL-CUSCO-CPNP-1", _at(_day(200), 10))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(split_day - datetime.timedelta(days=1), 23, 30))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(split_day, 0, 30))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(_day(20), 10))
    register("DIRTEPOL-CUSCO-CPNP-2", _at(_day(150), 10))
    register("DIRTEPOL-CUSCO-CPNP-2", _at(_day(30), 10))
    register("DIRTEPOL-CUSCO-CPNP-3", _at(_day(120), 10))
    register("DIRTEPOL-CUSCO-TRATA", _at(_day(50), 10))
    register("DIRTEPOL-LIMA-CPNP-1", _at(_day(180), 10))
    register("DIRTEPOL-LIMA-CPNP-1", _at(_day(10), 10))
    tree.directorate_split(
        actor=personas["national_admin"],
        directorate=cusco,
        code=SUR,
        name="DIRTEPOL Cusco Sur",
        units=[units[f"DIRTEPOL-CUSCO-CPNP-{number}"] for number in (1, 2, 3)],
        on=split_day,
    )
    tree.unit_move(
        actor=personas["national_admin"], unit=units["DIRTEPOL-LIMA-CPNP-1"], parent=cusco, on=_day(MOVE_AGO)
    )
    return {"year_from": _day(200).year, "year_to": timezone.localdate().year}


def _crosstab(world: dict, tree_choice: str, **kwargs: Any) -> Any:
    kwargs.setdefault("rows", "year")
    return crosstab(
        scope=Scope.national(), year_from=world["year_from"], year_to=world["year_to"], tree=tree_choice, **kwargs
    )


def _by_directorate(world: dict, tree_choice: str, measure: str = "complaints") -> dict[str, int]:
    table = _crosstab(world, tree_choice, rows="directorate", measure=measure)
    return {row.code: row.cells[-1] for row in table.rows}


@pytest.mark.parametrize("tree_choice", [TREE_REGISTERED, TREE_NOW])
def test_a_filter_by_directorate_counts_by_the_chosen_tree(world: dict, tree_choice: str) -> None:
    for directorate, expected in EXPECTED[tree_choice].items():
        table = _crosstab(world, tree_choice, filters={"directorate": [directorate]})
        assert table.total.cells[-1] == expected, directorate


@pytest.mark.parametrize("tree_choice", [TREE_REGISTERED, TREE_NOW])
@pytest.mark.parametrize("measure", ["complaints", "victims"])
def test_the_filter_agrees_with_the_rows_and_the_directorates_add_up(
    world: dict, tree_choice: str, measure: str
) -> None:
    rows = _by_directorate(world, tree_choice, measure)
    national = _crosstab(world, tree_choice, measure=measure).total.cells[-1]
    filtered = {
        directorate: _crosstab(world, tree_choice, measure=measure, filters={"directorate": [directorate]}).total.cells[
            -1
        ]
        for directorate in rows
    }
    assert filtered == rows
    assert sum(filtered.values()) == national > 0
    both = _crosstab(world, tree_choice, measure=measure, filters={"directorate": [CUSCO, SUR, LIMA_D]})
    assert both.total.cells[-1] == national


def test_the_filter_and_the_rows_together(world: dict) -> None:
    """Filtered by Cusco and grouped by directorate: only Cusco's row, with what it held then."""
    table = _crosstab(world, TREE_REGISTERED, rows="directorate", columns="year", filters={"directorate": [CUSCO]})
    assert {row.code: row.cells[-1] for row in table.rows} == {CUSCO: 6}


def test_registered_tree_in_one_query_however_many_placements(world: dict) -> None:
    """Four units moved (eight placements): the cross-tabulation by directorate, the filter and the
    published table 1 each read the tree of the registration date in one grouped query (plus the
    units and their placements)."""
    from administration.models import UnitPlacement

    assert UnitPlacement.objects.count() >= 8
    calls = [
        lambda: _crosstab(world, TREE_REGISTERED, rows="directorate", columns="year"),
        lambda: _crosstab(world, TREE_REGISTERED, filters={"directorate": [CUSCO]}),
        lambda: selectors.table(
            "cases_by_unit_year",
            scope=Scope.national(),
            year_from=world["year_from"],
            year_to=world["year_to"],
            tree=TREE_REGISTERED,
        ),
    ]
    for call in calls:
        with CaptureQueriesContext(connection) as queries:
            call()
        assert len(queries) <= 3, "\n".join(query["sql"][:300] for query in queries)


def test_the_crosstab_page_and_its_csv_filter_by_the_tree(world: dict, clients: dict) -> None:
    client = clients["monitor"]
    query = {"rows": "year", "year_from": world["year_from"], "year_to": world["year_to"], "directorate": CUSCO}
    for tree_choice in (TREE_REGISTERED, TREE_NOW):
        page = client.get(reverse("stats:crosstab"), {**query, "tree": tree_choice})
        assert page.status_code == 200
        assert page.context["figure"]["table"].total.cells[-1] == EXPECTED[tree_choice][CUSCO]
        response = client.get(reverse("stats:crosstab_export", kwargs={"fmt": "csv"}), {**query, "tree": tree_choice})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        last = list(csv.reader(io.StringIO(body)))[-1]
        assert last[0] == "total" and last[-1] == str(EXPECTED[tree_choice][CUSCO])
