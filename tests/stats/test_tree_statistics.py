"""Statistics by the tree as it is now or as it was on each complaint's registration date (issue 13,
item 1): a directorate split from a date; both trees add up to the same national total."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from administration import tree
from administration.access import Scope
from complaints import services
from complaints.models import Complaint
from stats import selectors
from stats.tables import Table
from stats.units import TREE_NOW, TREE_REGISTERED
from tests.factories.complaints import bar_in_madre_de_dios
from tests.stats.days import days_ago as _day
from tests.stats.days import lima_at as _at

pytestmark = pytest.mark.django_db

SPLIT_AGO = 100  # days before today


@pytest.fixture
def world(personas: dict, units: dict) -> dict[str, Any]:
    """Three complaints of the Cusco station before the split (one at 23:30 the day before it),
    two after it (one at 00:30 on the day itself), one of the Lima station; then the Cusco station
    passes to a new directorate, DIRTEPOL Cusco Sur, from the day of the split."""
    numbers = itertools.count(1)

    def register(unit_code: str, when: datetime.datetime) -> Complaint:
        return services.complaint_register_imported(
            actor=personas["national_admin"],
            registering_unit=units[unit_code],
            number=f"TREE-{next(numbers):05d}",
            registered_at=when,
            data=bar_in_madre_de_dios(facts_date=when.date() - datetime.timedelta(days=10)),
        )

    split_day = _day(SPLIT_AGO)
    register("DIRTEPOL-CUSCO-CPNP-1", _at(_day(200), 10))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(_day(150), 10))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(split_day - datetime.timedelta(days=1), 23, 30))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(split_day, 0, 30))
    register("DIRTEPOL-CUSCO-CPNP-1", _at(_day(20), 10))
    register("DIRTEPOL-LIMA-CPNP-1", _at(_day(20), 11))
    tree.directorate_split(
        actor=personas["national_admin"],
        directorate=units["DIRTEPOL-CUSCO"],
        code="DIRTEPOL-CUSCO-SUR",
        name="DIRTEPOL Cusco Sur",
        units=[units["DIRTEPOL-CUSCO-CPNP-1"]],
        on=split_day,
    )
    return {"year_from": _day(200).year, "year_to": timezone.localdate().year}


def _by_column(table: Table) -> dict[str, int]:
    assert table.total is not None
    return {column.code: cell for column, cell in zip(table.columns, table.total.cells, strict=True)}


def _table(world: dict[str, Any], tree_choice: str) -> dict[str, int]:
    return _by_column(
        selectors.table(
            "cases_by_unit_year",
            scope=Scope.national(),
            year_from=world["year_from"],
            year_to=world["year_to"],
            tree=tree_choice,
        )
    )


def test_tree_now_counts_every_complaint_of_the_station_under_the_new_directorate(world: dict) -> None:
    now = _table(world, TREE_NOW)
    assert now["DIRTEPOL-CUSCO-SUR"] == 5
    assert now["DIRTEPOL-CUSCO"] == 0
    assert now["DIRTEPOL-LIMA"] == 1


def test_tree_of_the_registration_date_counts_by_the_day_of_registration(world: dict) -> None:
    then = _table(world, TREE_REGISTERED)
    # 23:30 the day before the split counts under the old directorate; 00:30 on the day, the new
    assert then["DIRTEPOL-CUSCO"] == 3
    assert then["DIRTEPOL-CUSCO-SUR"] == 2
    assert then["DIRTEPOL-LIMA"] == 1


def test_both_trees_add_up_to_the_same_national_total(world: dict) -> None:
    now, then = _table(world, TREE_NOW), _table(world, TREE_REGISTERED)
    assert now["total"] == then["total"] == 6
    assert now != then


def test_the_yearly_rows_add_up_too(world: dict) -> None:
    tables = [
        selectors.table(
            "cases_by_unit_year",
            scope=Scope.national(),
            year_from=world["year_from"],
            year_to=world["year_to"],
            tree=choice,
        )
        for choice in (TREE_NOW, TREE_REGISTERED)
    ]
    assert [row.cells[-1] for row in tables[0].rows] == [row.cells[-1] for row in tables[1].rows]


def test_the_command_takes_the_tree(world: dict) -> None:
    totals = {}
    for choice in (TREE_NOW, TREE_REGISTERED):
        out = io.StringIO()
        call_command(
            "statistics",
            "cases_by_unit_year",
            "--from",
            str(world["year_from"]),
            "--to",
            str(world["year_to"]),
            "--format",
            "json",
            "--tree",
            choice,
            stdout=out,
        )
        document = json.loads(out.getvalue())
        assert document["tree"] == choice
        years = [row for row in document["rows"] if row["year"] != "total"]
        totals[choice] = {
            code: sum(row[code] for row in years) for code in ("DIRTEPOL-CUSCO", "DIRTEPOL-CUSCO-SUR", "total")
        }
    assert totals[TREE_NOW] == {"DIRTEPOL-CUSCO": 0, "DIRTEPOL-CUSCO-SUR": 5, "total": 6}
    assert totals[TREE_REGISTERED] == {"DIRTEPOL-CUSCO": 3, "DIRTEPOL-CUSCO-SUR": 2, "total": 6}


def test_the_page_offers_the_choice_and_shows_it(world: dict, clients: dict) -> None:
    url = reverse("stats:table", kwargs={"name": "cases_by_unit_year"})
    client = clients["national_admin"]
    page = client.get(url).content.decode()
    assert "Árbol vigente hoy" in page and "Árbol de la fecha de registro" in page
    query = {"year_from": world["year_from"], "year_to": world["year_to"]}
    now = client.get(url, {**query, "tree": TREE_NOW}).content.decode()
    then = client.get(url, {**query, "tree": TREE_REGISTERED}).content.decode()
    assert "Direcciones del árbol vigente hoy." in now
    assert "Direcciones del árbol de la fecha de registro de cada denuncia." in then
    bad = client.get(url, {**query, "tree": "other"})
    assert bad.status_code == 200 and "Escoja una opción válida" in bad.content.decode()


def test_export_follows_the_tree(world: dict, clients: dict) -> None:
    url = reverse("stats:table_export", kwargs={"name": "cases_by_unit_year", "fmt": "csv"})
    query = {"year_from": world["year_from"], "year_to": world["year_to"], "tree": TREE_REGISTERED}
    body = b"".join(clients["national_admin"].get(url, query).streaming_content).decode("utf-8-sig")
    assert "Direcciones del árbol de la fecha de registro de cada denuncia." in body
    lines = body.splitlines()
    header = next(line.split(",") for line in lines if line.startswith("year,"))
    total = dict(zip(header, lines[-1].split(","), strict=True))
    assert (total["DIRTEPOL-CUSCO"], total["DIRTEPOL-CUSCO-SUR"], total["total"]) == ("3", "2", "6")


@pytest.mark.parametrize("measure", ["complaints", "victims"])
def test_the_crosstab_by_directorate_follows_the_tree(world: dict, measure: str) -> None:
    from stats.crosstab import crosstab

    def totals(tree_choice: str) -> dict[str, int]:
        table = crosstab(
            scope=Scope.national(),
            rows="directorate",
            columns="year",
            measure=measure,
            year_from=world["year_from"],
            year_to=world["year_to"],
            tree=tree_choice,
        )
        return {row.code: row.cells[-1] for row in table.rows} | {"total": table.total.cells[-1]}

    now, then = totals(TREE_NOW), totals(TREE_REGISTERED)
    assert now["total"] == then["total"] > 0
    assert now.get("DIRTEPOL-CUSCO", 0) == 0 and now["DIRTEPOL-CUSCO-SUR"] > 0
    assert then["DIRTEPOL-CUSCO"] > 0 and then["DIRTEPOL-CUSCO-SUR"] > 0
    assert then["DIRTEPOL-CUSCO"] + then["DIRTEPOL-CUSCO-SUR"] == now["DIRTEPOL-CUSCO-SUR"]


def test_the_crosstab_page_offers_the_tree(world: dict, clients: dict) -> None:
    url = reverse("stats:crosstab")
    query = {"rows": "directorate", "year_from": world["year_from"], "year_to": world["year_to"]}
    page = clients["monitor"].get(url, {**query, "tree": TREE_REGISTERED})
    body = page.content.decode()
    assert page.status_code == 200 and "Árbol de la fecha de registro" in body
    assert "DIRTEPOL Cusco Sur" in body
