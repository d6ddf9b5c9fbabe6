"""Reads that may go to a read replica; everything else to the primary (README "Read replica").

With `DATABASE_REPLICA_URL` set, settings add a `replica` alias and this router, and the shell's
`reta.middleware.ReplicaRoutingMiddleware` is used. Without it there is no `replica` alias and no
router, and the middleware takes itself out (MiddlewareNotUsed): every query goes to `default`.

What goes to the replica
    Only reads made inside `replica_reads()` (a context manager; `reads_from_replica` is the same
    as a decorator): the middleware opens it around the GET and HEAD requests of the statistics,
    of cross-case analysis and of the exports, and the `statistics` command around its table.
    Everything else reads the primary, even a statistics model read from a complaint's page.

What always goes to the primary, even inside `replica_reads()`
    - every write (`db_for_write`), and so every `select_for_update()`, `get_or_create()`,
      `update_or_create()` (Django reads them through the write alias);
    - every read while an atomic block is open on the primary: a service's read-then-write
      (numbering, the audit chain's head, a lock) sees its own transaction, never a replica that
      may be behind;
    - every read after a write, for the rest of the request (the WriteTracker of `routing()` pins the
      request at the first statement that changes a row) and, through the middleware's cookie, for a few
      seconds of the user's next requests: read-your-own-writes across a redirect;
    - the sign-in state (sessions, lockouts, second-factor devices): a signed-out session or a
      lock must end everywhere at once, whatever the replica's lag;
    - every routed read while the replica lags more than RETA_REPLICA_MAX_LAG_SECONDS, has stopped
      replicating or cannot be reached (`replica_healthy`, checked every few seconds).

Migrations run on the primary only (`allow_migrate`); the replica receives the schema by
replication. Objects loaded from either database may be related (they are the same rows).

Imports Django only (tests/test_dependencies.py, the kernels of `reta`).
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Apps whose rows are read from the primary only: the sign-in state.
# The database cache (`dbcache://reta_cache`, app label "django_cache") too: a cached value must
# not be read back stale from a lagging replica.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_otp", "otp_totp", "otp_static", "django_cache"})
# Tables whose writes do not pin a request to the primary: the session row (written by nearly every
# request, read from the primary only) and the audit trail (recorded by the routed pages themselves,
# never read back on a routed page).
UNPINNING_TABLES = frozenset({"django_session", "audit_auditevent", "audit_chainhead"})

_replica_reads: ContextVar[bool] = ContextVar("reta_replica_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("reta_primary_pinned", default=False)
_tracker: ContextVar[WriteTracker | None] = ContextVar("reta_write_tracker", default=None)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    """A `replica` database is configured (DATABASE_REPLICA_URL)."""
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside may go to the replica (when one is configured, and nothing pins the primary)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(function: Callable[P, R]) -> Callable[P, R]:
    """Decorator: the function's reads may go to the replica (`replica_reads`)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return function(*args, **kwargs)

    return wrapper


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary, even inside `replica_reads()`."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_alias() -> str:
    """The database a read made here and now goes to (what `db_for_read` answers for a model of
    an app not in PRIMARY_ONLY_APPS)."""
    if not _replica_reads.get() or _pinned.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    tracker = _tracker.get()
    if tracker is not None and tracker.wrote:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_healthy() else DEFAULT_DB_ALIAS


_health = {"checked": float("-inf"), "healthy": True}


def replica_healthy() -> bool:
    """The replica replicates and is at most RETA_REPLICA_MAX_LAG_SECONDS behind the primary
    (`SHOW SLAVE STATUS`: both threads running, Seconds_Behind_Master); else, and when it cannot be
    reached or asked, routed reads go to the primary until the next check. Checked at most every
    RETA_REPLICA_CHECK_SECONDS in each process while it answers well; after a failed check, not
    again for RETA_REPLICA_RETRY_SECONDS (a replica that is down costs one request a connect
    timeout per back-off, not one every few seconds). RETA_REPLICA_MAX_LAG_SECONDS = 0 turns it off."""
    max_lag = settings.RETA_REPLICA_MAX_LAG_SECONDS
    if not max_lag:
        return True
    now = time.monotonic()
    was_healthy = bool(_health["healthy"])
    wait = settings.RETA_REPLICA_CHECK_SECONDS
    if not was_healthy:
        wait = max(wait, settings.RETA_REPLICA_RETRY_SECONDS)
    if now - _health["checked"] < wait:
        return was_healthy
    _health["checked"] = now  # the other threads keep the last answer while this one asks
    healthy, reason = replica_status(max_lag)
    if not healthy and was_healthy:
        logger.warning(
            "Read replica not used: %s. Routed reads go to the primary; asked again in %s s.",
            reason,
            max(settings.RETA_REPLICA_CHECK_SECONDS, settings.RETA_REPLICA_RETRY_SECONDS),
        )
    elif healthy and not was_healthy:
        logger.warning("Read replica used again.")
    _health.update(checked=now, healthy=healthy)
    return healthy


def replica_status(max_lag: int) -> tuple[bool, str]:
    """(usable, why not) of the replica now, asked on its own connection."""
    connection = connections[REPLICA]
    if connection.vendor != "mysql":
        return True, ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW SLAVE STATUS")
            row = cursor.fetchone()
            names = [column[0] for column in cursor.description or ()]
    except DatabaseError as error:
        return False, f"cannot ask it ({error})"
    if row is None:
        return False, "it replicates from no primary"
    status = dict(zip(names, row, strict=False))
    if status.get("Slave_IO_Running") != "Yes" or status.get("Slave_SQL_Running") != "Yes":
        return False, "its replication threads are not both running"
    lag = status.get("Seconds_Behind_Master")
    if lag is None or int(lag) > max_lag:
        return False, f"it is {lag} seconds behind (more than {max_lag})"
    return True, ""


_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|"
    r"CREATE|ALTER|DROP|RENAME)\s+[`\"]?(\w+)",
    re.IGNORECASE,
)


def written_table(sql: str) -> str | None:
    """The table a statement changes, or None for a read (SELECT, SAVEPOINT, SET...). A DDL
    statement answers its object's name (e.g. TABLE): it changes something all the same."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


class WriteTracker:
    """An execute wrapper for the primary: at the first statement that changes a row (outside
    UNPINNING_TABLES), the rest of the request reads the primary; `wrote` says it happened."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        if not self.wrote:
            table = written_table(sql)
            if table is not None and table not in UNPINNING_TABLES:
                self.wrote = True
        return execute(sql, params, many, context)


@contextmanager
def routing(*, replica: bool, pinned: bool) -> Iterator[WriteTracker]:
    """One request's routing: its reads may go to the replica (`replica`) unless it is `pinned`
    to the primary or writes; yields the request's WriteTracker."""
    tracker = WriteTracker()
    reads = _replica_reads.set(replica)
    pin = _pinned.set(pinned)
    current = _tracker.set(tracker)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(tracker):
            yield tracker
    finally:
        _tracker.reset(current)
        _pinned.reset(pin)
        _replica_reads.reset(reads)


def replica_reads_from_here() -> None:
    """Inside `routing()`: the rest of it may read the replica (the middleware decides once Django
    resolved the URL, in its process_view); `routing()` ends it."""
    _replica_reads.set(True)


class PrimaryReplicaRouter:
    """Django's router (settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


__all__ = [
    "PRIMARY_ONLY_APPS",
    "REPLICA",
    "UNPINNING_TABLES",
    "PrimaryReplicaRouter",
    "WriteTracker",
    "primary_reads",
    "read_alias",
    "reads_from_replica",
    "replica_configured",
    "replica_healthy",
    "replica_status",
    "replica_reads",
    "replica_reads_from_here",
    "routing",
    "written_table",
]
