"""The freeze guard shared by the complaint, its people and its child rows.

Outside an amendment, a frozen row refuses `save()` and `delete()` (in the models), and querysets
refuse `update()` and `delete()` that would touch a frozen row. `amendment()` lifts the guards for
the calling code only (a context variable), and on MySQL/MariaDB sets the session variable that
the triggers of migration 0002 look for, so the database lets the same statements through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models

_amending: ContextVar[bool] = ContextVar("reta_amendment", default=False)


class FrozenRecordError(Exception):
    """A frozen record was about to change outside the amendment path."""

    def __init__(self, obj: Any = None) -> None:
        self.obj = obj
        super().__init__(f"{obj!r} belongs to a submitted complaint and is frozen.")


def amendment_active() -> bool:
    return _amending.get()


@contextmanager
def amendment() -> Iterator[None]:
    """Only the amendment service (complaints.services.complaint_amend) opens this."""
    token = _amending.set(True)
    mysql = connection.vendor == "mysql"
    if mysql:
        with connection.cursor() as cursor:
            cursor.execute("SET @reta_amendment = 1")
    try:
        yield
    finally:
        if mysql:
            with connection.cursor() as cursor:
                cursor.execute("SET @reta_amendment = NULL")
        _amending.reset(token)


class FrozenGuardQuerySet(models.QuerySet):
    """Bulk writes cannot bypass the freeze (SECURITY.md 11). Models using it define
    `frozen_lookup`, a Q that matches their frozen rows."""

    def _touches_frozen(self) -> bool:
        return self.filter(self.model.frozen_lookup).exists()

    def update(self, **kwargs: Any) -> int:
        if not amendment_active() and self._touches_frozen():
            raise FrozenRecordError(self.model.__name__)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if not amendment_active() and self._touches_frozen():
            raise FrozenRecordError(self.model.__name__)
        return super().delete()
