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

Moving an existing model to ``history_records``: write its migration as
administration/migrations/0003_history_request_id.py does (add the column with a plain "" default,
then give it the callable one). A plain AddField with the callable would stamp every existing row
with the id of the ``manage.py migrate`` run.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

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


__all__ = ["CachedHistoryDescriptor", "ProjectHistoricalRecords", "RequestIdHistory", "history_records"]
