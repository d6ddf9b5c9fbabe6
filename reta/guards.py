"""The append-only guard, written once for every table whose rows are inserted and never changed
nor deleted: the audit trail (`audit.AuditEvent`) and the preliminary investigation register
(`diligences`: entries, answers, generated documents). SECURITY.md 11-12.

A model that inherits `AppendOnlyModel` refuses, with `AppendOnlyError`:
  - `save()` of a row that is already stored (a new row saves once);
  - `delete()`;
and its querysets refuse `update()` (hence `bulk_update()`), `_update()` (the UPDATE of
`Model.save`), `delete()`, the `_raw_delete()` that cascades and fast deletes use, and
`bulk_create(update_conflicts=True)` (an upsert changes stored rows). A subclass declares its
`AppendOnlyQuerySet` manager as `objects` and `Meta.base_manager_name = "objects"`, so that
`_base_manager` (used by `Model.save` and related access) is guarded too; tests/test_append_only.py
checks every subclass. On MySQL/MariaDB each table also has BEFORE UPDATE and BEFORE DELETE
triggers that always refuse (audit 0002, complaints 0004 and 0014), as has every simple-history
table; REPLACE and upserts fire them too. The test runner empties these tables with TRUNCATE
(reta.testing_db).

Owns: `AppendOnlyError`, `AppendOnlyQuerySet`, `AppendOnlyModel`. Imports Django only, never an
app of the project, so that any app may use it (it is a kernel, like `reta.pdf`): the guard is
about rows that never change, not about auditing, which is why it does not live in `audit`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(Exception):
    """Code tried to change or remove a row of an append-only table."""


def _refusal(model: type[models.Model]) -> str:
    message = getattr(model, "append_only_message", "") or "{model} rows are append-only."
    return message.format(model=model.__name__)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes cannot change or remove append-only rows."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_refusal(self.model))

    def _update(self, values: Any) -> Any:  # Model.save's UPDATE through the base manager
        raise AppendOnlyError(_refusal(self.model))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(self.model))

    def _raw_delete(self, using: Any) -> int:  # the path of cascades and the Collector's fast deletes
        raise AppendOnlyError(_refusal(self.model))

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("update_conflicts"):
            raise AppendOnlyError(_refusal(self.model))
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    """A row that is inserted once and never changed nor deleted. Subclasses may set
    `append_only_message`, the text of the refusal (`{model}` is the model's name)."""

    append_only_message: ClassVar[str] = ""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_refusal(type(self)))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(type(self)))


__all__ = ["AppendOnlyError", "AppendOnlyModel", "AppendOnlyQuerySet"]
