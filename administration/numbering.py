"""Numbering per unit and year: one service for every counter that starts again each year in each
unit (complaint numbers, generated-document numbers, and the case files of the Investigation
module), kept in one table, `UnitCounter(unit, year, series)`.

Owns: every write of `administration.models.UnitCounter`. Imports Django and
`administration.models` only. Units own their counters, so the service lives with the unit tree;
`complaints`, `diligences` (and `investigations`) call it and keep their own formats:
complaint `<UNIT>-<YEAR>-<000001>` in `complaints.services`, document `0001-<YEAR>-<UNIT>` in
`diligences.services`. A number is an int here, never a formatted string.

    next_number(series=..., unit=..., year=...)      the next number (a submission, a document)
    reserve_block(series=..., year=..., amounts={unit: n})
                                                     n consecutive numbers per unit (bulk generation)
    advance_to(series=..., highest={(unit, year): n}) counters move up to n, never back (imports
                                                     that keep their numbers)
    peek_next(series=..., year=..., units=[...])     the next numbers, reserving nothing
    lock_units([unit, ...])                          step 1 below, for callers that insert first
    lock_and_read_units([unit, ...])                 the same, giving the units' rows read under the lock

Race-free, in one fixed order of locks (every function, so two callers never deadlock):
  1. the rows of the units concerned, by primary key (`select_for_update`, `lock_units`). A unit
     row always exists, so the first two numbers of a year queue behind it instead of inserting
     the same counter row at once (InnoDB's gap and insert-intention locks deadlock such inserts);
  2. the counter rows, by (unit, year), with `select_for_update`: a locking read sees the latest
     committed value whatever the isolation level. A missing counter is created under the lock of
     step 1, so nobody else can be creating it.
Each call joins the caller's transaction: the locks are held until the caller commits, and a
caller that rolls back gives its number back (no gaps from failed submissions).

A caller that inserts rows pointing at the unit before it asks for a number must call
`lock_units` FIRST, before those inserts. InnoDB checks a foreign key with a shared lock on the
parent row (the unit), held until commit; two transactions holding it cannot both upgrade it to
the exclusive lock of step 1: each waits for the other and one dies (error 1213). That is how 29
of 30 simultaneous registrations of one unit died before `complaints.services.complaint_file` took
the unit's lock before writing the draft. The order of the whole registration
(`complaints.services`, and the diligences' documents) is:
  0. the complaint's own row, when it exists already (a draft being registered, a complaint whose
     register gets a document);
  1. the registering (or issuing) unit's row, exclusive, before any insert that refers to it;
  2. its counter (here);
  3. the paper form's serial row (`paperforms.services.paper_serial_mark_entered`);
  then inserts only (rows, history, audit, alerts, the statistics read model), whose foreign keys
  take shared locks on other units' rows. Only registrations in two units that alert each other
  (specialised units, DIVINTRAP) can still wait on each other there; `reta.transactions` retries
  the loser (SECURITY.md 25).

The serials of the paper forms (`paperforms`) are not numbered here: their sequence is national
and never starts again (RETA-000123-4 is unique across units and years), the issued serial rows
themselves hold it (the next is the highest issued + 1, under a lock, with a unique constraint),
so a per-unit, per-year counter would only duplicate it (see `paperforms.services`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from administration.models import Unit, UnitCounter

Series = UnitCounter.Series


def _pk(unit: Unit | int) -> int:
    return unit.pk if isinstance(unit, Unit) else int(unit)


def _series(series: str) -> str:
    if series not in Series.values:
        raise ValueError(f"Unknown series of numbers: {series!r}.")
    return str(series)


def _held(connection: Any) -> set[int]:
    """The units this transaction has locked already: kept on the connection with the
    transaction's list of commit callbacks, which Django replaces at every commit and rollback
    (savepoints included), so that after any of them the units are locked again."""
    held = getattr(connection, "_numbering_units_held", None)
    if held is not None and connection.in_atomic_block and held[0] is connection.run_on_commit:
        return held[1]
    return set()


def lock_units(units: Iterable[Any]) -> list[int]:
    """Step 1 of the order of locks: the rows of `units` (Units or primary keys), exclusive, in
    primary-key order, until the caller's transaction ends. Their primary keys, sorted. Call it
    before inserting rows that refer to a unit whose number you will ask for (module docstring).
    A unit this transaction locked already is not locked (nor read) again: a registration locks
    its unit first, then asks for its number."""
    unit_pks = sorted({_pk(unit) for unit in units})
    _lock(unit_pks, read=False)
    return unit_pks


def lock_and_read_units(units: Iterable[Any]) -> dict[int, Unit]:
    """`lock_units`, giving the rows of `units` by primary key, read by the query that locks them
    (a registration needs its unit's row: one query instead of the lock and a read after it).
    A unit this transaction locked already is read without locking it again."""
    unit_pks = sorted({_pk(unit) for unit in units})
    rows = _lock(unit_pks, read=True)
    missing = [pk for pk in unit_pks if pk not in rows]
    if missing:  # locked earlier in this transaction
        rows.update({unit.pk: unit for unit in Unit.objects.filter(pk__in=missing)})
    return rows


def _lock(unit_pks: list[int], *, read: bool) -> dict[int, Unit]:
    """Lock the rows of `unit_pks` this transaction does not hold yet; with `read`, the rows
    locked (whole), else {}."""
    connection = transaction.get_connection()
    held = _held(connection)
    wanted = [pk for pk in unit_pks if pk not in held]
    rows: dict[int, Unit] = {}
    if wanted:
        query = Unit.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
        if read:
            rows = {unit.pk: unit for unit in query}
            locked = list(rows)
        else:
            locked = list(query.values_list("pk", flat=True))
        if len(locked) != len(wanted):
            raise Unit.DoesNotExist(f"No unit with primary key {sorted(set(wanted) - set(locked))}.")
        if connection.in_atomic_block:
            connection._numbering_units_held = (connection.run_on_commit, held | set(locked))
    return rows


def _locked_counters(series: str, keys: set[tuple[int, int]]) -> dict[tuple[int, int], UnitCounter]:
    """The counters of `keys` ((unit pk, year) pairs), created when missing, locked in the fixed
    order of the module docstring. Runs inside the caller's transaction."""
    unit_pks = lock_units({unit_pk for unit_pk, _year in keys})
    years = sorted({year for _unit_pk, year in keys})

    def read() -> dict[tuple[int, int], UnitCounter]:
        rows = (
            UnitCounter.objects.select_for_update()
            .filter(series=series, unit_id__in=unit_pks, year__in=years)
            .order_by("unit_id", "year")
        )
        return {(row.unit_id, row.year): row for row in rows}

    counters = read()
    missing = sorted(keys - counters.keys())
    if missing:
        UnitCounter.objects.bulk_create(
            [UnitCounter(unit_id=unit_pk, year=year, series=series) for unit_pk, year in missing], batch_size=500
        )
        counters = read()
    return counters


def next_number(*, series: str, unit: Unit | int, year: int) -> int:
    """The next number of `unit` in `year` for `series` (1 for the first of the year)."""
    pk = _pk(unit)
    return reserve_block(series=series, year=year, amounts={pk: 1})[pk]


def reserve_block(*, series: str, year: int, amounts: Mapping[Any, int]) -> dict[int, int]:
    """Reserve `amount` consecutive numbers of `year` for each unit of `amounts` (a Unit or its
    primary key -> how many); the first number of each block, by unit primary key. A unit asking
    for 0 numbers is told its next number and reserves nothing. In the caller's transaction without
    a savepoint of its own (an error inside rolls the caller's back: a number is never half given),
    else in one of its own."""
    series = _series(series)
    wanted: dict[int, int] = {}
    for unit, amount in amounts.items():
        if amount < 0:
            raise ValueError("A block of numbers cannot be negative.")
        wanted[_pk(unit)] = wanted.get(_pk(unit), 0) + amount
    if not wanted:
        return {}
    with transaction.atomic(savepoint=False):
        counters = _locked_counters(series, {(pk, year) for pk in wanted})
        first: dict[int, int] = {}
        changed = []
        for pk, amount in sorted(wanted.items()):
            counter = counters[(pk, year)]
            first[pk] = counter.last_number + 1
            if amount:
                counter.last_number += amount
                changed.append(counter)
        UnitCounter.objects.bulk_update(changed, ["last_number"], batch_size=500)
    return first


def advance_to(*, series: str, highest: Mapping[tuple[Any, int], int]) -> None:
    """Move each (unit, year) counter of `series` up to at least the number given, never back:
    numbers kept by an import are never given again, and a counter already past them stays."""
    series = _series(series)
    wanted: dict[tuple[int, int], int] = {}
    for (unit, year), number in highest.items():
        key = (_pk(unit), int(year))
        wanted[key] = max(wanted.get(key, 0), number)
    if not wanted:
        return
    with transaction.atomic():
        counters = _locked_counters(series, set(wanted))
        moved = []
        for key, number in sorted(wanted.items()):
            counter = counters[key]
            if counter.last_number < number:
                counter.last_number = number
                moved.append(counter)
        UnitCounter.objects.bulk_update(moved, ["last_number"], batch_size=500)


def peek_next(*, series: str, year: int, units: Iterable[Any]) -> dict[int, int]:
    """The next number of each unit in `year`, by unit primary key, without reserving it (what a
    file prepared for a later import will carry). No lock: another caller may take it first."""
    series = _series(series)
    pks = [_pk(unit) for unit in units]
    last = dict(
        UnitCounter.objects.filter(series=series, year=year, unit_id__in=pks).values_list("unit_id", "last_number")
    )
    return {pk: last.get(pk, 0) + 1 for pk in pks}


__all__ = ["Series", "advance_to", "lock_and_read_units", "lock_units", "next_number", "peek_next", "reserve_block"]
