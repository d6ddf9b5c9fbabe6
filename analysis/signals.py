"""Keeping the match index current: after a source row is saved or deleted, its keys are
rewritten when the transaction commits (`transaction.on_commit`: a rolled-back write leaves the
index alone, and the index is never written inside the officer's transaction).

- `people.Identity` and its rows (names, documents, phones, addresses), a recorded person of a
  complaint (`complaints.Person`), its victim/suspect row (the age) and a person of a case file
  (`investigations.CasePerson`: the things it holds): the identity is re-indexed
  (`index_identity`).
- The things of case files (`CasePhone`, `CaseVehicle`, `CaseAccount`, `CasePlace`): their own
  keys (`index_records`).

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
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from analysis import indexing, queue

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


def _later(function: Any, *args: Any) -> None:
    if not _PAUSED.get():
        transaction.on_commit(lambda: _run(function, *args))


def _run(function: Any, *args: Any) -> None:
    # The officer's write is committed: an index failure is logged (and repaired by
    # `rebuild_match_index`), never shown as an error of the write.
    try:
        touched = queue.identities_indexed(function.__name__, args)  # the candidate queue follows
        function(*args)
        queue.refresh_identities(touched | queue.identities_indexed(function.__name__, args))
    except Exception:
        logger.exception("match index: %s%r failed", function.__name__, args)


def _identity_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later(indexing.index_identity, instance.pk)


def _identity_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.identity_id is not None:
        _later(indexing.index_identity, instance.identity_id)


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # index_records finds the identity the keys were written under and the one the row names now.
    _later(indexing.index_records, "complaints.person", [instance.pk])


def _age_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later(indexing.index_records, "complaints.person", [instance.person_id])


def _thing_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later(indexing.index_records, sender._meta.label_lower, [instance.pk])


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
    for label in indexing.THING_SOURCES:
        model = apps.get_model(label)
        post_save.connect(_thing_changed, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(_thing_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
