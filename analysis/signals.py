"""Keeping the match index current: every save or delete of a source row leaves a piece of
index work, written INSIDE the writer's transaction (`analysis.index_work.record`: a row of
`analysis.IndexWork`); the work is done after the commit, by the same request or by a worker
(setting `RETA_MATCH_INDEX`).

Which saves and deletes make which work:

- `people.Identity` and its rows (names, documents, phones, addresses) and a person of a case
  file (`investigations.CasePerson`: the things it holds): the identity they name, re-indexed
  whole (`index_identities`).
- A recorded person of a complaint (`complaints.Person`) and its victim/suspect row (the age):
  the person row (the identity its keys were written under and the one it names now).
- The things of case files (`CasePhone`, `CaseVehicle`, `CaseAccount`, `CasePlace`) and the
  places of complaints (`Complaint`: its place of the facts; `ComplaintPlace`): their own keys
  (`index_records`).

Rows written in bulk send no `post_save`: their writers send `reta.history.bulk_saved` instead
(`reta.history.saved_in_bulk`: a registration's identities, names, documents and the links of
its persons), and each receiver below is connected to it too, for the same models, so a bulk
write leaves exactly the work its saves would have left.

The rows are atomic with the write: a rolled-back transaction leaves none, a committed one keeps
its work even when the process dies right after the commit. Each (source, pk) is written once
per transaction (a pending set of the connection: saving a complaint fires many signals for its
few identities), so the work is done once.

When it is done (`analysis.index_work.drain`, one function for both modes):
- `RETA_MATCH_INDEX=commit` (the default: `make run`, the demo, the tests): on commit
  (`transaction.on_commit`) the same request drains the rows its transaction wrote: the keys,
  then the candidate queue of the identities touched (`analysis.queue.refresh_identities`), as
  the index was always kept before its work had a table. A failure after the commit is logged,
  never raised to the writer, and its rows stay (`manage.py match_index_worker --once`, from
  cron, does them later).
  Outside a transaction the work is done at once.
- `RETA_MATCH_INDEX=worker`: nothing on commit; `manage.py match_index_worker` (a service beside
  gunicorn) drains the table. The officer's request only writes the work rows (a registration's
  7 in one INSERT: the registration services collect them in a batch, `index_work.batched`),
  none of the index's reads and writes.

`paused()` switches the signals off (no work rows) for bulk loaders, which then run
`manage.py rebuild_match_index` and `manage.py rebuild_candidate_queue`.
Connected by `analysis.apps.AnalysisConfig.ready`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from analysis import index_work, indexing
from reta.history import bulk_saved

__all__ = ["connect", "paused"]

_PAUSED: contextvars.ContextVar[bool] = contextvars.ContextVar("analysis_index_paused", default=False)

IDENTITY_ROWS = ("people.identityname", "people.identitydocument", "people.identityphone", "people.identityaddress")
AGE_ROWS = ("complaints.complaintvictim", "complaints.complaintsuspect")


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No index work from signals inside this block (bulk loads; rebuild the index afterwards)."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


def _later_identity(identity_id: int | None) -> None:
    if not _PAUSED.get():
        index_work.record(index_work.IDENTITY, identity_id)


def _later_records(label: str, pk: int | None) -> None:
    if not _PAUSED.get():
        index_work.record(label, pk)


def _identity_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_identity(instance.pk)


def _identity_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_identity(instance.identity_id)


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The drain finds the identity the keys were written under and the one the row names now.
    _later_records("complaints.person", instance.pk)


def _age_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_records("complaints.person", instance.person_id)


def _record_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _later_records(sender._meta.label_lower, instance.pk)


def _each(receiver: Callable[..., None]) -> Callable[..., None]:
    """`receiver` (of one saved row) for each row of a `bulk_saved`."""

    def for_each(sender: Any, instances: list[Any], **kwargs: Any) -> None:
        for instance in instances:
            receiver(sender, instance=instance, **kwargs)

    return for_each


def _on_save(receiver: Callable[..., None], model: Any, uid: str) -> None:
    """`receiver` on the model's saves, one by one (`post_save`) or in bulk (`bulk_saved`)."""
    post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
    bulk_saved.connect(_each(receiver), sender=model, weak=False, dispatch_uid=f"{uid}.bulk_save")


def connect() -> None:
    uid = "analysis.match_index"
    Identity = apps.get_model("people", "Identity")
    _on_save(_identity_saved, Identity, f"{uid}.identity")
    for label in IDENTITY_ROWS:
        model = apps.get_model(label)
        _on_save(_identity_row_changed, model, f"{uid}.{label}")
        post_delete.connect(_identity_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
    Person = apps.get_model("complaints", "Person")
    _on_save(_person_changed, Person, f"{uid}.person")
    post_delete.connect(_person_changed, sender=Person, dispatch_uid=f"{uid}.person.delete")
    for label in AGE_ROWS:
        model = apps.get_model(label)
        _on_save(_age_row_changed, model, f"{uid}.{label}")
        post_delete.connect(_age_row_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
    CasePerson = apps.get_model("investigations", "CasePerson")
    _on_save(_identity_row_changed, CasePerson, f"{uid}.caseperson")
    post_delete.connect(_identity_row_changed, sender=CasePerson, dispatch_uid=f"{uid}.caseperson.delete")
    for label in [*indexing.THING_SOURCES, *indexing.PLACE_SOURCES]:
        model = apps.get_model(label)
        _on_save(_record_changed, model, f"{uid}.{label}")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"{uid}.{label}.delete")
