"""One numbering service per unit, year and series (administration.numbering)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from administration import numbering
from administration.models import UnitCounter

pytestmark = pytest.mark.django_db

COMPLAINT = numbering.Series.COMPLAINT
DOCUMENT = numbering.Series.DOCUMENT
CUSCO = "DIRTEPOL-CUSCO-CPNP-1"
LIMA = "DIRTEPOL-LIMA-CPNP-1"


def last(unit: Any, year: int, series: str) -> int:
    return UnitCounter.objects.get(unit=unit, year=year, series=series).last_number


def test_numbers_are_consecutive_from_one(units: dict) -> None:
    numbers = [numbering.next_number(series=COMPLAINT, unit=units[CUSCO], year=2026) for _ in range(4)]
    assert numbers == [1, 2, 3, 4]
    assert last(units[CUSCO], 2026, COMPLAINT) == 4


def test_each_unit_year_and_series_counts_on_its_own(units: dict) -> None:
    cusco, lima = units[CUSCO], units[LIMA]
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2026) == 1
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2026) == 2
    assert numbering.next_number(series=DOCUMENT, unit=cusco, year=2026) == 1
    assert numbering.next_number(series=COMPLAINT, unit=lima, year=2026) == 1
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2027) == 1
    assert numbering.next_number(series=numbering.Series.CASE_FILE, unit=cusco.pk, year=2026) == 1
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2026) == 3
    assert UnitCounter.objects.count() == 5


def test_a_block_is_reserved_for_each_unit_and_numbering_goes_on_after_it(units: dict) -> None:
    cusco, lima = units[CUSCO], units[LIMA]
    numbering.next_number(series=COMPLAINT, unit=cusco, year=2026)
    first = numbering.reserve_block(series=COMPLAINT, year=2026, amounts={cusco: 10, lima.pk: 3})
    assert first == {cusco.pk: 2, lima.pk: 1}
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2026) == 12
    assert numbering.next_number(series=COMPLAINT, unit=lima, year=2026) == 4
    assert numbering.reserve_block(series=COMPLAINT, year=2026, amounts={cusco: 0}) == {cusco.pk: 13}
    assert numbering.reserve_block(series=COMPLAINT, year=2026, amounts={}) == {}
    assert last(cusco, 2026, COMPLAINT) == 12


def test_advance_to_moves_counters_forward_and_never_back(units: dict) -> None:
    cusco, lima = units[CUSCO], units[LIMA]
    for _ in range(5):
        numbering.next_number(series=COMPLAINT, unit=cusco, year=2010)
    numbering.advance_to(series=COMPLAINT, highest={(cusco, 2010): 3, (cusco.pk, 2011): 40, (lima, 2010): 7})
    assert last(cusco, 2010, COMPLAINT) == 5  # not back to 3
    assert last(cusco, 2011, COMPLAINT) == 40
    assert last(lima, 2010, COMPLAINT) == 7
    numbering.advance_to(series=COMPLAINT, highest={(cusco, 2011): 39})
    assert numbering.next_number(series=COMPLAINT, unit=cusco, year=2011) == 41
    assert not UnitCounter.objects.filter(series=DOCUMENT).exists()


def test_peek_reserves_nothing(units: dict) -> None:
    cusco, lima = units[CUSCO], units[LIMA]
    numbering.next_number(series=DOCUMENT, unit=cusco, year=2026)
    assert numbering.peek_next(series=DOCUMENT, year=2026, units=[cusco, lima]) == {cusco.pk: 2, lima.pk: 1}
    assert numbering.next_number(series=DOCUMENT, unit=cusco, year=2026) == 2


def test_an_unknown_series_or_a_negative_block_is_refused(units: dict) -> None:
    with pytest.raises(ValueError, match="Unknown series"):
        numbering.next_number(series="invoice", unit=units[CUSCO], year=2026)
    with pytest.raises(ValueError, match="negative"):
        numbering.reserve_block(series=COMPLAINT, year=2026, amounts={units[CUSCO]: -1})
    assert not UnitCounter.objects.exists()


def test_a_number_given_in_a_transaction_that_fails_is_given_again(units: dict) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.next_number(series=COMPLAINT, unit=units[CUSCO], year=2026)
        raise RuntimeError
    assert numbering.next_number(series=COMPLAINT, unit=units[CUSCO], year=2026) == 1


def _run_at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(job())
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_numbers_of_a_year_are_distinct_and_consecutive(units: dict) -> None:
    """The counter rows do not exist yet: every caller races to create them (the case that
    deadlocks InnoDB when the counter row is inserted without the unit's lock)."""
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    cusco, lima = units[CUSCO], units[LIMA]
    targets = [(series, unit) for series in (COMPLAINT, DOCUMENT) for unit in (cusco, lima)] * 6
    jobs = [
        lambda series=series, unit=unit: (series, unit.pk, numbering.next_number(series=series, unit=unit, year=2031))
        for series, unit in targets
    ]
    block = 5
    jobs.append(
        lambda: ("block", cusco.pk, numbering.reserve_block(series=COMPLAINT, year=2031, amounts={cusco: block}))
    )
    taken: dict[tuple[str, int], list[int]] = {}
    for series, unit_pk, result in _run_at_once(jobs):
        if series == "block":
            taken.setdefault((COMPLAINT, unit_pk), []).extend(range(result[unit_pk], result[unit_pk] + block))
        else:
            taken.setdefault((series, unit_pk), []).append(result)
    assert len(taken) == 4
    for (series, unit_pk), numbers in taken.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), (series, unit_pk)
        assert last(unit_pk, 2031, series) == len(numbers)
    assert len(taken[(COMPLAINT, cusco.pk)]) == 6 + block
