"""The demo data set (demo.complaints): the original system's published tables reproduced by real
records, through the statistics functions and the `statistics` command; loading twice adds nothing.

The expected cells are typed here again from STATISTICS.md (seed section 3), independently of the
module's own transcription."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from administration.access import Scope
from administration.services import reference_data_load
from audit.models import AuditEvent
from complaints.models import Alert, Complaint, Person
from demo.accounts import demo_users_ensure
from demo.complaints import UNREPRODUCIBLE, demo_complaints_ensure
from stats import selectors
from stats.models import StatComplaint
from stats.tables import Table

PUBLISHED_TABLE1 = """
2004 0 2 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 1 0
2005 0 4 1 1 0 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0 0 0 0 0 2 1
2006 0 7 1 3 0 0 1 1 1 0 1 0 0 2 6 0 0 0 0 0 0 0 0 0 6 1
2007 2 6 0 0 2 1 3 5 4 0 2 1 1 6 8 22 0 1 0 0 0 0 3 0 3 0
2008 5 16 4 0 0 0 8 0 0 0 0 0 21 12 3 4 1 1 0 0 0 0 0 3 3 1
2009 3 31 0 0 0 2 16 0 0 0 0 0 5 11 4 0 0 1 1 0 0 3 0 1 1 2
2010 2 35 0 0 0 0 12 3 6 3 0 0 0 21 7 1 0 1 0 2 0 6 0 0 1 7
2011 6 100 5 0 0 2 15 3 2 0 1 0 1 1 2 1 0 1 0 1 0 5 0 0 1 3
"""
PUBLISHED_TABLE2 = """
2004 7 9 16 5 1 6 0 2 2 0 5 5 7
2005 9 15 24 0 0 0 0 8 8 0 18 18 26
2006 21 24 45 4 5 9 0 30 30 0 44 44 74
2007 63 61 124 4 6 10 2 63 65 3 95 98 163
2008 41 92 133 2 2 4 8 56 64 4 145 149 213
2009 76 62 138 1 0 0 2 79 81 25 108 133 214
2010 78 72 150 1 1 2 5 141 146 23 104 127 273
2011 186 97 283 0 0 0 26 503 529 13 151 164 693
"""
PUBLISHED_TABLE3 = """
2004 4 0 0 0 0 0
2005 13 0 0 0 0 0
2006 30 0 0 0 0 0
2007 64 5 1 0 0 0
2008 61 10 4 1 0 9
2009 51 24 1 1 0 12
2010 60 22 1 6 0 44
2011 114 73 0 32 0 23
"""


def published(text: str) -> dict[int, list[int]]:
    rows = [list(map(int, line.split())) for line in text.strip().splitlines()]
    return {row[0]: row[1:] for row in rows}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The reference data, the demo accounts and the demo complaints, loaded once for the module
    and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        demo_users_ensure(password="una-clave-de-prueba-larga")
        yield demo_complaints_ensure()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def cells(table: Table) -> dict[int, list[int]]:
    return {row.code: row.cells for row in table.rows}


def test_it_loads_the_published_complaints_and_a_few_recent_ones(demo: dict[str, int]) -> None:
    assert demo == {"imported": 535, "present": 0, "recent": 4}
    imported = Complaint.objects.filter(author__username="admin.nacional")
    assert imported.count() == 535
    assert not Alert.objects.filter(complaint__in=imported).exists()
    assert Alert.objects.count() > 0  # the recent ones went through the form service


def test_table1_every_cell_through_the_statistics_command(demo: dict[str, int]) -> None:
    out = io.StringIO()
    call_command("statistics", "cases_by_unit_year", "--from", "2004", "--to", "2011", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))

    assert rows[0][:3] == ["year", "LINEA-0800", "DIRINCRI"] and rows[0][-1] == "total"
    expected = published(PUBLISHED_TABLE1)
    for row in rows[1:-1]:
        year, values = int(row[0]), list(map(int, row[1:]))
        assert values[:-1] == expected[year], year
        assert values[-1] == sum(expected[year])  # totals computed from the cells
    assert rows[-1][0] == "total" and int(rows[-1][-1]) == 535


def test_table2_every_cell_but_the_contradictory_one(demo: dict[str, int]) -> None:
    table = selectors.persons_by_year(scope=Scope.national(), year_from=2004, year_to=2011)
    got = cells(table)
    every = [column.code for column in table.columns]
    # The published table has no column of victims of unknown age: in the demo data there are none.
    columns = [code for code in every if code != "victims_unknown_age"]
    for year, values in published(PUBLISHED_TABLE2).items():
        assert got[year][every.index("victims_unknown_age")] == 0, year
        for column, value in zip(columns, values, strict=True):
            expected = UNREPRODUCIBLE.get(("persons_by_year", year, column), (value, value))
            assert expected[0] == value  # the documented published value is the published one
            assert got[year][every.index(column)] == expected[1], (year, column)
    assert UNREPRODUCIBLE[("persons_by_year", 2009, "suspects_unidentified_total")] == (0, 1)


def test_table3_every_cell_but_the_contradictory_one(demo: dict[str, int]) -> None:
    table = selectors.purposes_by_year(scope=Scope.national(), year_from=2004, year_to=2011)
    got = cells(table)
    columns = [column.code for column in table.columns]
    assert columns == [
        "sexual_exploitation",
        "labour_exploitation",
        "sale_of_children",
        "begging",
        "organ_trafficking",
        "unassigned",
    ]
    for year, values in published(PUBLISHED_TABLE3).items():
        for column, value in zip(columns, values, strict=True):
            expected = UNREPRODUCIBLE.get(("purposes_by_year", year, column), (value, value))
            assert got[year][columns.index(column)] == expected[1], (year, column)
    assert UNREPRODUCIBLE[("purposes_by_year", 2005, "sexual_exploitation")] == (13, 11)
    assert len(UNREPRODUCIBLE) == 2


def test_categories_come_from_the_rule_engine(demo: dict[str, int]) -> None:
    records = Complaint.objects.filter(author__username="admin.nacional")
    assert set(records.values_list("outcome", flat=True)) == {"trafficking"}
    assert set(records.values_list("law_profile", flat=True)) == {"PE-2007"}
    for complaint in records.filter(purposes=[]):
        assert complaint.purpose_categories == ["unassigned"]
        assert "purpose_to_determine" in complaint.classification["warnings"]
    early = records.filter(submitted_at__year__lte=2006, facts_date__year__lte=2006)
    assert all("facts_before_law_28950" in c.classification["warnings"] for c in early)


def test_loading_twice_adds_nothing(demo: dict[str, int]) -> None:
    before = (
        Complaint.objects.count(),
        Person.objects.count(),
        StatComplaint.objects.count(),
        AuditEvent.objects.count(),
        Complaint.history.count(),
    )
    assert demo_complaints_ensure() == {"imported": 0, "present": 535, "recent": 0}
    after = (
        Complaint.objects.count(),
        Person.objects.count(),
        StatComplaint.objects.count(),
        AuditEvent.objects.count(),
        Complaint.history.count(),
    )
    assert after == before
