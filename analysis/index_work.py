"""The durable work queue of the match index (issue 14, the submit path): `analysis.IndexWork`.

Recording (`record(label, pk)`, called by `analysis.signals`): a piece of work is a row of
`IndexWork` INSERTed inside the writer's own transaction, so it is exactly as durable as the
write: a rolled-back transaction leaves no row, a committed one leaves its work even when the
process dies right after the COMMIT (the index is then late, never wrong for good). The rows of
one transaction are collected in a pending set of the connection: each (label, pk) is written
once per transaction (saving a complaint fires many signals for a few identities and rows).
Django has no hook before the COMMIT, so by default the rows are written as the signals fire (one
small INSERT per new piece of work). Inside a batch (`batched()`, i.e. `reta.transactions.batch()`,
opened by the registration services: complaint_submit, complaint_file, the legacy import)
`record` only collects, and the end of the block writes the new pieces of the whole block in ONE
INSERT (`bulk_create`, which returns the ids on MariaDB and SQLite), still inside the
transaction: a registration's 7 pieces of work are one statement. A block left by an exception
writes nothing and dooms its transaction (the kernel's rule), so no write is kept without its
work; a piece collected for a write that a savepoint then rolled back is still written (the
drain finds nothing more to do for it: late or useless work, never missing work). Outside a
transaction (autocommit) each signal's row is its own, batch or not.

Doing it (`drain`): ONE function for both modes of the setting `RETA_MATCH_INDEX`:

- `"commit"` (the default): right after the commit, the same request drains the rows its
  transaction wrote (`drain(ids=...)`, `transaction.on_commit`), as the index always did;
- `"worker"`: nothing on commit; `manage.py match_index_worker` drains the table in batches.

A batch of the drain, in one transaction retried on deadlock (`reta.transactions.run_with_retries`): the rows
are claimed with `SELECT ... FOR UPDATE SKIP LOCKED` (MariaDB; a plain SELECT where the database
has no such lock: SQLite serialises its writers anyway), so two workers never take the same row;
then the work of the merged rows, as the on-commit flush did it: every identity once (those the
rows name now and those their keys were written under: `indexing.identities_of`), their keys
(`indexing.index_identities`) and their candidates (`queue.refresh_identities`); the things of
case files per model, with the candidates of their holders before and after; the places of
complaints per model, without the queue (their keys name no identity). Each part runs in a
savepoint: a part that fails is logged, rolled back and its rows stay (`attempts` + 1, tried
again from `retry_at`, later at each failure), never lost; the rows done are deleted in the same
transaction as the keys they wrote. A deadlock is not a failure of a part: the whole batch is
run again.

`work_visible()` / `forget(ids)`: `manage.py rebuild_match_index` deletes the rows that were
committed when it started (its rebuild read their writes).

May import: `analysis` (indexing, queue, models), the `reta` kernel (transactions), Django.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from analysis import indexing, queue
from analysis.models import IndexWork, MatchKey
from reta.transactions import batch, contention_code, current_batch, run_with_retries

__all__ = [
    "BATCH_SIZE",
    "COMMIT",
    "IDENTITY",
    "WORKER",
    "DrainReport",
    "batched",
    "drain",
    "forget",
    "forget_pending",
    "mode",
    "record",
    "work_visible",
]

logger = logging.getLogger(__name__)

COMMIT, WORKER = "commit", "worker"
MODES = (COMMIT, WORKER)
# An identity, and the rows it owns (names, documents, phones, addresses, persons of case files):
# recorded as the identity's id.
IDENTITY = "people.identity"
BATCH_SIZE = 200  # rows of a worker's batch (rows of one transaction: a handful)
RETRY_SECONDS = 30  # a part that failed is tried again after 30 s, 60 s, 120 s... at most an hour
RETRY_MAX_SECONDS = 3600
_CONNECTION_ATTRIBUTE = "_analysis_index_pending"
_BATCH_PART = "analysis.index_work"


def mode() -> str:
    """`settings.RETA_MATCH_INDEX`: "commit" (drained after the commit, in the request) or "worker"."""
    value = getattr(settings, "RETA_MATCH_INDEX", COMMIT)
    if value not in MODES:
        raise ValueError(f"RETA_MATCH_INDEX is commit or worker, not {value!r}")
    return value


# ---------------------------------------------------------------- recording (the writer's transaction)


class _Pending:
    """The work of one transaction: the (label, pk) pairs written, and the ids of their rows."""

    def __init__(self) -> None:
        self.written: set[tuple[str, int]] = set()
        self.ids: list[int] = []
        self.done = False
        self.callbacks: list | None = None  # the connection's list of commit callbacks it was made for

    def flush(self) -> None:
        """After the commit (mode "commit"): the rows of this transaction are drained now."""
        if self.done:
            return
        self.done = True
        if not self.ids:
            return
        try:
            drain(ids=self.ids)
        except Exception:
            # The officer's write is committed: a failure is logged, never shown as an error of the
            # write; the rows stay for `match_index_worker` (or the next rebuild).
            logger.exception("match index: the work of a transaction (rows %s) failed after its commit", self.ids)


def _pending() -> _Pending:
    """The work of the current transaction (outside a transaction: a set of its own, drained at
    once by `record` in mode "commit")."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Pending()
    pending = getattr(connection, _CONNECTION_ATTRIBUTE, None)
    # Django replaces its list of commit callbacks when they run or when a transaction or
    # savepoint rolls back: a pending set of another list has been committed or dropped (the rows
    # a rolled-back savepoint wrote are gone with it: they are written again when needed).
    if pending is None or pending.done or pending.callbacks is not connection.run_on_commit:
        pending = _Pending()
        pending.callbacks = connection.run_on_commit
        setattr(connection, _CONNECTION_ATTRIBUTE, pending)
    return pending


def record(label: str, pk: int | None) -> None:
    """Leave the work of one identity (`IDENTITY`, its id) or of one source row of the index
    (`indexing.IDENTITY_SOURCES`, `THING_SOURCES`, `PLACE_SOURCES`) in the current transaction:
    inside a batch (`batched()`) collected and written at its end, else written now. Nothing
    without a pk (`analysis.signals` does not call it while paused)."""
    if pk is None:
        return
    current = current_batch()
    if current is not None:
        current.part(_BATCH_PART, dict, _write_collected)[(label, pk)] = None  # an ordered set
        return
    pending = _pending()
    if (label, pk) not in pending.written:
        pending.written.add((label, pk))
        pending.ids.append(IndexWork.objects.create(source_model=label, source_pk=pk).pk)
    if mode() == COMMIT:
        # One callback per signal (a test's captureOnCommitCallbacks runs the ones registered
        # inside its block), but the first to run drains the whole set and the others find it
        # done. Outside a transaction the write is already committed: drained at once.
        transaction.on_commit(pending.flush)


def batched() -> AbstractContextManager:
    """A block of the current transaction in which `record` only collects; its end writes the new
    pieces of work in one INSERT (`reta.transactions.batch`, which the registration services open
    themselves: the same block). Usable as a decorator inside a transaction."""
    return batch()


def _write_collected(collected: dict[tuple[str, int], None]) -> None:
    """The end of a batch: the pieces not yet written in this transaction, in one INSERT."""
    pending = _pending()
    new = [key for key in collected if key not in pending.written]
    if new:
        rows = [IndexWork(source_model=label, source_pk=pk) for label, pk in new]
        if transaction.get_connection().features.can_return_rows_from_bulk_insert:
            rows = IndexWork.objects.bulk_create(rows)
        else:  # a database whose bulk INSERT gives no ids back: the drain on commit needs them
            for row in rows:
                row.save()
        pending.written.update(new)
        pending.ids += [row.pk for row in rows]
    if collected and mode() == COMMIT:
        transaction.on_commit(pending.flush)


def forget_pending() -> None:
    """The connection's pending set is dropped: its rows may have been drained by this connection
    (a test or a shell draining inside one transaction); a later write records its work again."""
    connection = transaction.get_connection()
    if hasattr(connection, _CONNECTION_ATTRIBUTE):
        delattr(connection, _CONNECTION_ATTRIBUTE)


# ---------------------------------------------------------------- draining


@dataclass
class DrainReport:
    claimed: list[int] = field(default_factory=list)  # ids of the rows taken by this batch
    done: int = 0
    failed: int = 0
    seconds: float = 0.0


def drain(*, ids: Iterable[int] | None = None, batch_size: int = BATCH_SIZE) -> DrainReport:
    """Claim a batch of work rows (`ids`: these rows only, whatever their `retry_at`; else up to
    `batch_size` rows due now, oldest first), do their work and delete the rows done, in one
    transaction run again on a deadlock. Returns what was claimed, done and failed. An error outside
    the parts (the claim, the delete, a deadlock five times) is raised: the transaction is rolled
    back and every row stays."""
    started = time.perf_counter()
    wanted = None if ids is None else sorted(set(ids))
    report = run_with_retries(_drain, wanted, batch_size)
    forget_pending()
    report.seconds = time.perf_counter() - started
    return report


def _claim(ids: list[int] | None, batch_size: int) -> list[tuple[int, str, int, int]]:
    """The rows of this batch, locked (SKIP LOCKED: rows another worker holds are left to it)."""
    rows = IndexWork.objects.order_by("pk")
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    else:
        rows = rows.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=timezone.now()))[:batch_size]
    return list(rows.values_list("pk", "source_model", "source_pk", "attempts"))


def _drain(ids: list[int] | None, batch_size: int) -> DrainReport:
    report = DrainReport()
    if ids == []:
        return report
    claimed = _claim(ids, batch_size)
    report.claimed = [row[0] for row in claimed]
    if not claimed:
        return report
    # Merged: each identity and each source row once, whatever the number of rows naming it.
    identities: set[int] = set()
    records: dict[str, set[int]] = defaultdict(set)
    rows_of: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, label, source_pk, _attempts in claimed:
        rows_of[(label, source_pk)].append(pk)
        if label == IDENTITY:
            identities.add(source_pk)
        else:
            records[label].add(source_pk)
    failed: set[tuple[str, int]] = set()

    def part(keys: Iterable[tuple[str, int]], function: Callable[..., Any], *args: Any, atomic: bool = True) -> None:
        keys = list(keys)
        try:
            if atomic:
                with transaction.atomic():
                    function(*args)
            else:  # a function that is one atomic block itself (a failure rolls its savepoint back)
                function(*args)
        except Exception as error:
            if contention_code(error) is not None:
                raise  # the whole transaction was rolled back: the batch is run again
            logger.exception("match index: %s%r failed; its work rows stay", function.__name__, args)
            failed.update(keys)

    # Every identity once (those named by the identity sources' rows now and those their keys
    # were written under), in one part; then the things of case files and the places of
    # complaints, per source model.
    person_rows = {label: records.pop(label) for label in indexing.IDENTITY_SOURCES if label in records}
    if identities or person_rows:
        keys = [(IDENTITY, pk) for pk in identities]
        keys += [(label, pk) for label, pks in person_rows.items() for pk in pks]
        part(keys, _index_identities_and_queue, identities, person_rows)
    for label, pks in records.items():
        keys = [(label, pk) for pk in pks]
        if label in indexing.PLACE_SOURCES:
            # A place's keys name no identity (only its complaint): no candidate of the queue
            # changes, so no identity to look up before and after.
            part(keys, indexing.index_records, label, pks, atomic=False)
        elif label in indexing.THING_SOURCES:
            part(keys, _index_records_and_queue, label, pks)
        else:
            logger.error("match index: work of an unknown source %s %s dropped", label, sorted(pks))
    done = [pk for key, pks in rows_of.items() if key not in failed for pk in pks]
    if done:
        IndexWork.objects.filter(pk__in=done).delete()
    if failed:
        _postpone([row for row in claimed if (row[1], row[2]) in failed])
    report.done, report.failed = len(done), len(claimed) - len(done)
    return report


def _postpone(rows: list[tuple[int, str, int, int]]) -> None:
    """Rows whose part failed: one attempt more, tried again later (doubling, at most an hour)."""
    now = timezone.now()
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for pk, _label, _source_pk, attempts in rows:
        by_attempts[attempts + 1].append(pk)
    for attempts, pks in by_attempts.items():
        wait = min(RETRY_SECONDS * 2 ** (attempts - 1), RETRY_MAX_SECONDS)
        IndexWork.objects.filter(pk__in=pks).update(attempts=attempts, retry_at=now + datetime.timedelta(seconds=wait))


def _index_identities_and_queue(identities: set[int], records: dict[str, set[int]]) -> None:
    """The identities named by the rows (the keys they were written under and the identity each
    row names now: `indexing.identities_of`, read once) are indexed again, then their candidates.
    Reading them again after the index would find no other: the index writes the rows' keys
    under exactly these identities."""
    touched = set(identities)
    for label, pks in records.items():
        touched |= indexing.identities_of(label, pks)
    for label, pks in records.items():
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
    indexing.index_identities(touched)
    queue.refresh_identities(touched)


def _index_records_and_queue(label: str, pks: set[int]) -> None:
    """A thing of case files: its keys, and the candidates of its holders before and after."""
    before = queue.identities_indexed("index_records", (label, pks))
    indexing.index_records(label, pks)
    queue.refresh_identities(before | queue.identities_indexed("index_records", (label, pks)))


# ---------------------------------------------------------------- the rebuild


def work_visible() -> list[int]:
    """The ids of the work rows committed now (a rebuild that starts after this reads their writes)."""
    return list(IndexWork.objects.order_by("pk").values_list("pk", flat=True))


def forget(ids: list[int], chunk_size: int = 1000) -> int:
    """Delete these work rows (a rebuild did their index work). Returns the rows deleted."""
    deleted = 0
    for start in range(0, len(ids), chunk_size):
        deleted += IndexWork.objects.filter(pk__in=ids[start : start + chunk_size]).delete()[0]
    return deleted
