"""Keeping the match index current: after a source row is saved or deleted, its keys are
rewritten when the transaction commits (`transaction.on_commit`: a rolled-back write leaves the
index alone, and the index is never written inside the officer's transaction).

- `people.Identity` and its rows (names, documents, phones, addresses), a recorded person of a
  complaint (`complaints.Person`), its victim/suspect row (the age) and a person of a case file
  (`investigations.CasePerson`: the things it holds): the identity is re-indexed
  (`index_identity`).
- The things of case files (`CasePhone`, `CaseVehicle`, `CaseAccount`, `CasePlace`) and the
  places of complaints (`Complaint`: its place of the facts; `ComplaintPlace`): their own keys
  (`index_records`).

One transaction is indexed once: the signals collect the identities and the source rows in a
pending set of the connection, registered once with `on_commit`; on commit each identity is
re-indexed once (saving a complaint touches its persons, victims, suspects and complainant: one
refresh per identity, not one per signal). Outside a transaction the work is done at once.

After the keys, the candidate queue of the identities touched (`analysis.queue.refresh_identities`).
A failure of the index after the commit is logged, never raised to the writer. `paused()`
switches this off for bulk loaders, which then run `manage.py rebuild_match_index` and
`manage.py rebuild_candidate_queue`.
Connected by `analysis.apps.AnalysisConfig.ready`.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from analysis import indexing, queue
from analysis.models import MatchKey

__all__ = ["connect", "paused"]

logger = logging.getLogger(__name__)

_PAUSED: contextvars.ContextVar[bool] = contextvars.ContextVar("analysis_index_paused", default=False)

IDENTITY_ROWS = ("people.identityname", "people.identitydocument", "people.identityphone", "people.identityaddress")
AGE_ROWS = ("complaints.complaintvictim", "complaints.complaintsuspect")


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No index writes from signals inside this block (bulk loads; rebuild the index afterwards)."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


class _Pending:
    """The index work of one transaction: identities and source rows, each done once on commit."""

    def __init__(self) -> None:
        self.identities: set[int] = set()
        self.records: dict[str, set[int]] = defaultdict(set)
        self.done = False
        self.callbacks: list | None = None  # the connection's list of commit callbacks it was made for

    def flush(self) -> None:
        if self.done:
            return
        self.done = True
        # Every identity once (those named by the identity sources' rows now and those their keys
        # were written under), in one transaction; then the things of case files and the places
        # of complaints, per source model.
        records = {label: self.records.pop(label) for label in indexing.IDENTITY_SOURCES if label in self.records}
        if self.identities or records:
            _index_identities_and_queue(self.identities, records)
        for label, pks in self.records.items():
            if label in indexing.PLACE_SOURCES:
                # A place's keys name no identity (only its complaint): no candidate of the queue
                # changes, so no identity to look up before and after.
                _safely_without_queue(indexing.index_records, label, pks)
            else:
                _safely(indexing.index_records, label, pks)


def _index_identities_and_queue(identities: set[int], records: dict[str, set[int]]) -> None:
    """The identities named by the pending rows (the keys they were written under and the
    identity each row names now: `indexing.identities_of`, read once) are indexed again, then
    their candidates. Reading them again after the index would find no other: the index writes
    the rows' keys under exactly these identities."""
    try:
        touched = set(identities)
        for label, pks in records.items():
            touched |= indexing.identities_of(label, pks)
        _index_identities(touched, records)
        queue.refresh_identities(touched)
    except Exception:
        logger.exception("match index: _index_identities%r failed", (identities, records))


@transaction.atomic
def _index_identities(identities: set[int], records: dict[str, set[int]]) -> int:
    """`identities` already holds every identity the rows of `records` name (identities_of)."""
    for label, pks in records.items():
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
    return indexing.index_identities(set(identities))


def _pending() -> _Pending | None:
    """The work of the current transaction (outside a transaction: work done at once by the
    caller), or None when paused."""
    if _PAUSED.get():
        return None
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Pending()
    pending = getattr(connection, "_analysis_index_pending", None)
    # Django replaces its list of commit callbacks when they run or when a transaction or
    # savepoint rolls back: a pending set of another list has been flushed or dropped.
    if pending is None or pending.done or pending.callbacks is not connection.run_on_commit:
        pending = _Pending()
        pending.callbacks = connection.run_on_commit
        connection._analysis_index_pending = pending
    return pending


def _later_identity(identity_id: int | None) -> None:
    pending = _pending()
    if pending is not None and identity_id is not None:
        pending.identities.add(identity_id)
        _on_commit(pending)


def _later_records(label: str, pk: int | None) -> None:
    pending = _pending()
    if pending is not None and pk is not None:
        pending.records[label].add(pk)
        _on_commit(pending)


def _on_commit(pending: _Pending) -> None:
    # One callback per signal (a test's captureOnCommitCallbacks runs the ones registered inside
    # its block), but the first to run does the whole set and the others find it done. Outside a
    # transaction the write is already committed: indexed at once (as on_commit would).
    transaction.on_commit(pending.flush)


def _safely_without_queue(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except Exception:
        logger.exception("match index: %s%r failed", function.__name__, args)
        return None


def _safely(function: Any, *args: Any) -> Any:
    # The officer's write is committed: an index failure is logged (and repaired by
    # `rebuild_match_index`), never shown as an error of the write.
    try:
        touched = queue.identities_indexed(function.__name__, args)  # the candidate queue follows
        result = function(*args)
        queue.refresh_identities(touched | queue.identities_indexed(function.__name__, args))
        return result
    except Exception:
        logger.exception("match index: %s%r failed", function.__name__, args)
        return None


def _identity_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_identity(instance.pk)


def _identity_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_identity(instance.identity_id)


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The flush finds the identity the keys were written under and the one the row names now.
    _later_records("complaints.person", instance.pk)


def _age_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_records("complaints.person", instance.person_id)


def _record_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_records(sender._meta.label_lower, instance.pk)


def connect() -> None:
    uid = "analysis.match_index"
    Identity = apps.get_model("people", "Identity")
    post_save.connect(_identity_saved, sender=Identity, dispatch_uid=f"{uid}.identity")
    for label in IDENTITY_ROWS:
        model = apps.get_model(label)
        post_save.connect(_identity_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(_identity_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
    Person = apps.get_model("complaints", "Person")
    post_save.connect(_person_changed, sender=Person, dispatch_uid=f"{uid}.person.save")
    post_delete.connect(_person_changed, sender=Person, dispatch_uid=f"{uid}.person.delete")
    for label in AGE_ROWS:
        model = apps.get_model(label)
        post_save.connect(_age_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(_age_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
    CasePerson = apps.get_model("investigations", "CasePerson")
    post_save.connect(_identity_row_changed, sender=CasePerson, dispatch_uid=f"{uid}.caseperson.save")
    post_delete.connect(_identity_row_changed, sender=CasePerson, dispatch_uid=f"{uid}.caseperson.delete")
    for label in [*indexing.THING_SOURCES, *indexing.PLACE_SOURCES]:
        model = apps.get_model(label)
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
