"""Row history (django-simple-history), configured in one place.

Every model with a history declares it with ``history = history_records(...)`` (same options as
``HistoricalRecords``: ``excluded_fields=[...]``), which gives its historical table

- ``request_id``: the id of the request that wrote the version (reta.middleware.RequestIdMiddleware,
  the same id as the audit events and the ``X-Request-ID`` header), or of the command run or service
  call when there is no request (audit.context.request_id_scope). Everything one amendment writes
  shares it, so the versions of a record group by this key (complaints.history). Rows written before
  this column existed have "".
- ``history_change_reason`` as a text: an amendment's reason is kept whole (simple-history's own is a
  CharField(100)). The length is limited by the services that take a reason.

``Model.history`` gives the same manager as simple-history's (``HistoryManager`` over
``HistoricalQuerySet``, bound to the instance or the class), of a class built once per model:
simple-history's descriptor builds a new one (``Manager.from_queryset``, which inspects every method
of the queryset) at each access, and it reads ``instance.history`` for every version it writes.

The id is the field's default, so it is filled however simple-history creates the row (a save, a
delete, ``bulk_create_with_history``), without a signal.

Rows written in bulk (``bulk_create``, one UPDATE for many rows) send no ``post_save``: neither
simple-history's receiver (the historical row) nor any other runs. ``saved_in_bulk(model, rows,
created=...)`` does both explicitly once the rows are written: their historical rows in ONE
INSERT, as simple-history writes them on save (history_type "+" or "~", the user simple-history
takes, the request's, the row's ``_change_reason``, the time, the request id), then the signal
``bulk_saved`` (``sender=model, instances=rows, created=...``), which the receivers that keep
something derived from those rows connect beside their ``post_save`` (analysis.signals: the
match index work). people.services and complaints.services use it for a registration's
identities and their links.

Moving an existing model to ``history_records``: write its migration as
administration/migrations/0003_history_request_id.py does (add the column with a plain "" default,
then give it the callable one). A plain AddField with the callable would stamp every existing row
with the id of the ``manage.py migrate`` run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

from audit.context import current_request_id


class RequestIdHistory(models.Model):
    """The abstract base of every historical model (``bases`` of ``history_records``)."""

    request_id = models.CharField(
        _("request id"), max_length=32, blank=True, default=current_request_id, editable=False, db_index=True
    )

    class Meta:
        abstract = True


class CachedHistoryDescriptor(HistoryDescriptor):
    """simple-history's descriptor with its manager class built once: the same manager (class
    behaviour, model, instance) at every access, without a new class each time."""

    def __init__(self, model: Any, manager: Any, queryset: Any) -> None:
        super().__init__(model, manager=manager, queryset=queryset)
        self.bound_manager_class = manager.from_queryset(queryset)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.bound_manager_class(self.model, instance)


class ProjectHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` whose model gets a `CachedHistoryDescriptor`."""

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(getattr(self, "manager_name", ""))
        if type(descriptor) is HistoryDescriptor:  # set on `sender` by this call (not an abstract base)
            setattr(
                sender,
                self.manager_name,
                CachedHistoryDescriptor(
                    descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class
                ),
            )


def history_records(**options: Any) -> HistoricalRecords:
    """``HistoricalRecords(**options)`` with the project's base and change-reason field, and a
    manager class built once (`CachedHistoryDescriptor`)."""
    return ProjectHistoricalRecords(
        bases=[RequestIdHistory],
        history_change_reason_field=models.TextField(null=True),
        **options,
    )


# Rows of `sender` written in bulk: the `post_save` their writes did not send (`saved_in_bulk`).
# Arguments: `instances` (the rows, with their pks), `created` (inserted, or updated in place).
bulk_saved = Signal()


def saved_in_bulk(model: type[models.Model], rows: Iterable[models.Model], *, created: bool) -> list[Any]:
    """What the saves of `rows` (rows of `model` just inserted with `bulk_create`, `created=True`,
    or updated by one statement, `created=False`) would have done after their writes: their
    historical rows in ONE INSERT, each as simple-history's `post_save` writes it (history_type
    "+" or "~", history_user as simple-history takes it: the row's `_history_user`, else the
    request's authenticated user, history_change_reason the row's `_change_reason` or NULL,
    history_date the row's `_history_date` or now, the request id), then `bulk_saved`. A row with
    `skip_history_when_saving` gets no historical row, as on save. Returns the historical rows."""
    rows = list(rows)
    if not rows:
        return []
    kept = [row for row in rows if not hasattr(row, "skip_history_when_saving")]
    history = get_history_manager_for_model(model)
    # default_change_reason=None: simple-history's save leaves the reason NULL when none is given
    # (its bulk default is "").
    written = history.bulk_history_create(kept, update=not created, default_change_reason=None) if kept else []
    bulk_saved.send(sender=model, instances=rows, created=created)
    return written or []


__all__ = [
    "CachedHistoryDescriptor",
    "ProjectHistoricalRecords",
    "RequestIdHistory",
    "bulk_saved",
    "history_records",
    "saved_in_bulk",
]
