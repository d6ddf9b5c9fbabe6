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
from simple_history.models import HistoricalRecords

from audit.context import current_request_id


class RequestIdHistory(models.Model):
    """The abstract base of every historical model (``bases`` of ``history_records``)."""

    request_id = models.CharField(
        _("request id"), max_length=32, blank=True, default=current_request_id, editable=False, db_index=True
    )

    class Meta:
        abstract = True


def history_records(**options: Any) -> HistoricalRecords:
    """``HistoricalRecords(**options)`` with the project's base and change-reason field."""
    return HistoricalRecords(
        bases=[RequestIdHistory],
        history_change_reason_field=models.TextField(null=True),
        **options,
    )


__all__ = ["RequestIdHistory", "history_records"]
