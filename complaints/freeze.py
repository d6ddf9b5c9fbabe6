"""The freeze guard shared by the complaint, its people and its child rows (SECURITY.md 10-11).

Levels, from the top:
  - the models: a frozen row refuses `save()` and `delete()`;
  - the querysets (`FrozenGuardQuerySet`, also the models' base manager, so `_base_manager`,
    `Model.save`'s UPDATE and `bulk_update` go through it): `update()`, `_update()`, `delete()`
    and `_raw_delete()` that would touch a frozen row are refused; `bulk_update_guarded()` writes
    many rows in ONE UPDATE whose WHERE leaves the frozen rows out, and refuses (rolls back) when
    it matched fewer rows than it was given;
  - on MySQL/MariaDB, triggers (migration 0013_amendment_lease): UPDATE and DELETE of a frozen
    complaint, of its victim/suspect rows and of their people, INSERT of a child row into a frozen
    complaint, and re-pointing a child row into a frozen complaint or at a frozen person are
    refused. A frozen complaint row is never deleted, not even in an amendment.

`amendment(complaint_id)` lifts the guards for the amendment service only, and restores them
however the block ends (an exception, a nested use, a failing database):
  - in the process, a context variable (`amendment_active()`);
  - in the database, a *lease*: the row of `reta_amendment_lease` for this connection's
    `CONNECTION_ID()`, opened by the stored procedure `reta_amendment_open(complaint)` and closed by
    `reta_amendment_close()`. The triggers let a frozen row change only while the lease of their
    own connection exists. The procedures are SQL SECURITY DEFINER and write a row of the
    append-only `reta_amendment_log` (connection, complaint, the client's `USER()`, time) at every
    opening. The lease is written in the amendment's transaction: a rolled-back amendment leaves
    no lease. If closing fails, the connection is closed, and the lease (if committed) is removed
    when a connection with that id is next set up (`connection_created` closes any lease).

What this prevents and what not. With the production grants (`manage.py db_grants`, README
"Production") the application's database user has no privilege on the lease and log tables and
only EXECUTE on the two procedures: a session variable (`SET @reta_amendment = 1`, the old lift)
lifts nothing, and every lift that lets a change commit leaves a log row naming the session. It
does not stop the application user from calling `reta_amendment_open` itself, i.e. code or an
attacker holding the application's credentials can still amend through SQL, but not silently (the
log row stays; the history and audit tables cannot be rewritten by that user). A user with the
schema owner's privileges (drop the triggers, write the lease) is not stopped at all: that is what
the audit trail's tamper evidence is for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.db.backends.signals import connection_created

from reta.db_router import REPLICA

_amending: ContextVar[bool] = ContextVar("reta_amendment", default=False)
# The model whose `save()` has just checked, in the database, that its row is not frozen: the
# UPDATE of that same save (`FrozenGuardQuerySet._update`) takes the answer instead of asking
# again, once (`checked_save`).
_save_checked: ContextVar[list | None] = ContextVar("reta_freeze_save_checked", default=None)

OPEN_LEASE = "CALL reta_amendment_open(%s)"
CLOSE_LEASE = "CALL reta_amendment_close()"
PROCEDURE_MISSING = 1305  # ER_SP_DOES_NOT_EXIST: before the migration that creates the procedures
NO_DATABASE = 1046  # ER_NO_DB_ERROR


class FrozenRecordError(Exception):
    """A frozen record was about to change outside the amendment path."""

    def __init__(self, obj: Any = None) -> None:
        self.obj = obj
        super().__init__(f"{obj!r} belongs to a submitted complaint and is frozen.")


def amendment_active() -> bool:
    return _amending.get()


@contextmanager
def checked_save(model: type[models.Model] | None) -> Iterator[None]:
    """Around `super().save()` of a model whose `save()` has just checked that its row is not
    frozen: the UPDATE of that save (the base manager's `_update`, filtered by the row's pk: the
    only caller of `_update` is `Model.save`) does not run the same query again. Once: any other
    `_update` in the block (a nested save checks for itself) asks the database as always."""
    token = _save_checked.set([model] if model is not None else None)
    try:
        yield
    finally:
        _save_checked.reset(token)


@contextmanager
def amendment(complaint_id: int | None = None) -> Iterator[None]:
    """Only the amendment service (complaints.services.complaint_amend) opens this. A nested
    use runs inside the outer one and leaves the guards to it."""
    if _amending.get():
        yield
        return
    token = _amending.set(True)
    try:
        mysql = connection.vendor == "mysql"
        if mysql:
            with connection.cursor() as cursor:
                cursor.execute(OPEN_LEASE, [complaint_id])
        try:
            yield
        except BaseException:
            if mysql:
                _close_lease(raise_errors=False)  # the block's own exception is the one to see
            raise
        if mysql:
            _close_lease(raise_errors=True)
    finally:
        _amending.reset(token)


def _close_lease(*, raise_errors: bool) -> None:
    if connection.in_atomic_block and connection.needs_rollback:
        return  # the transaction that holds the lease row rolls back, the lease with it
    try:
        with connection.cursor() as cursor:
            cursor.execute(CLOSE_LEASE)
    except DatabaseError:
        # The lease must not outlive the amendment: drop the session. An open transaction rolls
        # back with the lease in it (inside an atomic block Django marks it for rollback); a lease
        # committed in autocommit mode is removed when a connection with that id is set up.
        connection.close()
        if raise_errors:
            raise


def _close_stale_lease(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new connection never inherits a lease left by an earlier session with the same id."""
    if connection.vendor != "mysql" or not connection.settings_dict.get("NAME"):
        return  # SQLite, or the server-level connection that creates the test database
    if connection.alias == REPLICA:
        return  # the read replica (reta.db_router): read-only, its lease table comes by replication
    try:
        with connection.cursor() as cursor:
            cursor.execute(CLOSE_LEASE)
    except DatabaseError as error:
        if not error.args or error.args[0] not in (PROCEDURE_MISSING, NO_DATABASE):
            raise


connection_created.connect(_close_stale_lease, dispatch_uid="complaints.freeze.close_stale_lease")


class FrozenGuardQuerySet(models.QuerySet):
    """Bulk writes cannot bypass the freeze (SECURITY.md 11). Models using it define
    `frozen_lookup`, a Q that matches their frozen rows, and make it their base manager
    (`Meta.base_manager_name = "objects"`), the manager of `Model.save` and of related access."""

    def _touches_frozen(self) -> bool:
        return self.filter(self.model.frozen_lookup).exists()

    def _refuse_if_frozen(self) -> None:
        if not amendment_active() and self._touches_frozen():
            raise FrozenRecordError(self.model.__name__)

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:  # Model.save's UPDATE (through the base manager)
        checked = _save_checked.get()
        if checked and checked[0] is self.model:
            checked.clear()  # the save that runs this UPDATE has just checked the row
        else:
            self._refuse_if_frozen()
        return super()._update(values)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete()

    def bulk_update_guarded(self, objs: list[models.Model], fields: list[str]) -> int:
        """`bulk_update(objs, fields)` in ONE statement that checks the freeze itself: `UPDATE ...
        SET field = CASE pk WHEN ... END WHERE pk IN (...)`, and outside an amendment `AND NOT
        (frozen_lookup)`, so a frozen row is never written and no separate EXISTS runs. Fewer rows
        matched than objects given (a frozen row, or one gone) raises FrozenRecordError inside an
        atomic block without a savepoint of its own: the rows it did update roll back with the
        caller's transaction. No history row and no signal: the caller writes them
        (`reta.history.saved_in_bulk`). Two objects of one row are refused (ValueError, nothing
        written). Returns the number of rows updated."""
        objs = list(objs)
        pks = {obj.pk for obj in objs}
        if None in pks:
            raise ValueError("bulk_update_guarded() takes stored rows only.")
        if len(pks) != len(objs):  # the first object's values would win in the CASE, the other's lost
            raise ValueError("bulk_update_guarded() takes each row once.")
        if not objs:
            return 0
        values = {}
        for name in fields:
            field = self.model._meta.get_field(name)
            whens = [
                models.When(pk=obj.pk, then=models.Value(getattr(obj, field.attname), output_field=field))
                for obj in objs
            ]
            values[field.name] = models.Case(*whens, output_field=field)
        rows = self.filter(pk__in=pks)
        if not amendment_active():
            rows = rows.exclude(self.model.frozen_lookup)
        with transaction.atomic(using=self.db, savepoint=False):
            # The plain update: the WHERE above is the guard (the guarded `update` would ask first).
            updated = models.QuerySet.update(rows, **values)
            if updated != len(pks):
                raise FrozenRecordError(self.model.__name__)
        return updated

    def _raw_delete(self, using: Any) -> int:  # cascades and the Collector's fast deletes
        self._refuse_if_frozen()
        return super()._raw_delete(using)
