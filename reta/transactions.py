"""Transactions that survive contention (SECURITY.md 23, 25): a write service runs in its own
outermost transaction, and when MySQL/MariaDB gives it up as the victim of a deadlock (error 1213)
or of a lock wait timeout (1205), the whole transaction is rolled back and run again, a bounded
number of times, after a short random pause. Then the error is raised.

    @retry_on_contention()            # a decorator: the function IS the transaction
    def complaint_submit(...): ...

    run_with_retries(function, *args, **kwargs)   # the same for a function not decorated

Where it can retry, and where it cannot
    Only a transaction that starts here can be run again: when the function is called inside an
    atomic block opened by someone else (a caller's `transaction.atomic()`, Django's `TestCase`),
    it runs in a savepoint of that transaction and the error goes up to the caller, who owns the
    transaction (and may itself be decorated: the outermost decorated function retries). A
    transaction is never half-retried.

What a retried function must respect
    Everything it does inside the transaction is undone by the rollback, so it may do it again:
    rows, audit events, signals whose receivers only write rows. What leaves the database (e-mails,
    files, calls to other systems) goes in `transaction.on_commit`: Django drops the callbacks of
    a rolled-back attempt, so they run once, after the final commit. Arguments are passed again
    as they were: a function that changes an object it was given must change it the same way
    each time (read rows back under lock rather than trusting the caller's copy).

Each retry is logged (logger `reta.transactions`, warning: the function, the MySQL error code and
the attempt); it is not an audit event, nothing was done or refused. The pause doubles from
`BASE_DELAY` at each attempt, with jitter (0.5-1.5 times), capped at `MAX_DELAY`.

Batches (`batch()`): Django has no hook just before the COMMIT, so a writer that would rather
write many small rows of one transaction in one statement (analysis.index_work: the match index
work of a registration) is given an explicit block instead. Inside `with batch():` (entered in a
transaction) such a writer only collects (`current_batch().part(...)`); when the block ends
normally each part is written by its flush, still inside the transaction, before the block
returns. A nested `batch()` runs inside the outer one, which writes; outside a transaction there
is no batch (each write is its own). A block left by an exception writes nothing: when it had
collected something, the transaction (or the savepoint) it runs in is marked for rollback
(`transaction.set_rollback`), so the writes it collected for are never kept without them. The
registration services open one (complaints.services).

Imports Django only (tests/test_dependencies.py, the kernels of `reta`).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

DEADLOCK = 1213  # ER_LOCK_DEADLOCK: InnoDB rolled back the whole transaction
LOCK_WAIT_TIMEOUT = 1205  # ER_LOCK_WAIT_TIMEOUT: the statement waited innodb_lock_wait_timeout
RETRYABLE_ERRORS = frozenset({DEADLOCK, LOCK_WAIT_TIMEOUT})
ATTEMPTS = 5
BASE_DELAY = 0.02  # seconds
MAX_DELAY = 0.5

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def contention_code(error: BaseException) -> int | None:
    """The MySQL error code when `error` is a deadlock or a lock wait timeout, else None.
    Django re-raises the driver's OperationalError as django.db.OperationalError with the same
    args, `(code, message)`; the driver's own class is accepted too (it is its __cause__)."""
    for candidate in (error, error.__cause__):
        if candidate is None:
            continue
        args = getattr(candidate, "args", ())
        if (isinstance(candidate, OperationalError) or type(candidate).__name__ == "OperationalError") and args:
            if args[0] in RETRYABLE_ERRORS:
                return int(args[0])
    return None


def _pause(attempt: int) -> float:
    return min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)  # noqa: S311 - jitter


def run_with_retries(
    function: Callable[P, R], /, *args: P.args, attempts: int = ATTEMPTS, using: str | None = None, **kwargs: P.kwargs
) -> R:
    """Run `function(*args, **kwargs)` in its own transaction, again (up to `attempts` runs in
    all) after a deadlock or a lock wait timeout. Inside someone else's transaction: once, in a
    savepoint, the error going up (see the module docstring)."""
    alias = using or DEFAULT_DB_ALIAS
    if connections[alias].in_atomic_block:
        with transaction.atomic(using=alias):
            return function(*args, **kwargs)
    name = getattr(function, "__qualname__", repr(function))
    attempt = 1
    while True:
        try:
            with transaction.atomic(using=alias):
                return function(*args, **kwargs)
        except OperationalError as error:
            code = contention_code(error)
            if code is None or attempt >= attempts:
                if code is not None:
                    logger.error("%s: MySQL error %s, giving up after %s attempts.", name, code, attempt)
                raise
            delay = _pause(attempt)
            logger.warning(
                "%s: MySQL error %s (attempt %s of %s), rolled back; running it again in %.3f s.",
                name,
                code,
                attempt,
                attempts,
                delay,
            )
            time.sleep(delay)
            attempt += 1


def retry_on_contention(
    *, attempts: int = ATTEMPTS, using: str | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the function runs as its own transaction, retried on contention
    (`run_with_retries`)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return run_with_retries(function, *args, attempts=attempts, using=using, **kwargs)

        return wrapper

    return decorate


# ---------------------------------------------------------------- batches


class Batch:
    """What the writers collected in one `batch()` block: per part (a key of the writer's), a state
    and the function that writes it."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.collected = False  # something was collected (an exception then dooms the transaction)
        self._parts: dict[str, tuple[Any, Callable[[Any], None]]] = {}

    def part(self, key: str, make: Callable[[], Any], flush: Callable[[Any], None]) -> Any:
        """The state collected under `key` (`make()` the first time), written by `flush(state)` at
        the end of the block."""
        self.collected = True
        if key not in self._parts:
            self._parts[key] = (make(), flush)
        return self._parts[key][0]

    def flush(self) -> None:
        """Every part written, in the order they were opened; what a flush collects itself is
        written in turn."""
        while self._parts:
            key = next(iter(self._parts))
            state, flush = self._parts.pop(key)
            flush(state)


_batch: ContextVar[Batch | None] = ContextVar("reta_transaction_batch", default=None)


def current_batch(using: str | None = None) -> Batch | None:
    """The open `batch()` of this transaction, or None (no block, or outside a transaction)."""
    current = _batch.get()
    alias = using or DEFAULT_DB_ALIAS
    if current is None or current.alias != alias or not connections[alias].in_atomic_block:
        return None
    return current


@contextlib.contextmanager
def batch(using: str | None = None) -> Iterator[Batch | None]:
    """A block of the current transaction whose batching writers collect and write at its end (see
    the module docstring). Usable as a decorator below `retry_on_contention()`."""
    alias = using or DEFAULT_DB_ALIAS
    outer = current_batch(alias)
    if outer is not None or not connections[alias].in_atomic_block:
        yield outer
        return
    current = Batch(alias)
    token = _batch.set(current)
    try:
        yield current
        current.flush()
    except BaseException:
        if current.collected and connections[alias].in_atomic_block:
            transaction.set_rollback(True, using=alias)
        raise
    finally:
        _batch.reset(token)


__all__ = [
    "ATTEMPTS",
    "Batch",
    "DEADLOCK",
    "LOCK_WAIT_TIMEOUT",
    "RETRYABLE_ERRORS",
    "batch",
    "contention_code",
    "current_batch",
    "retry_on_contention",
    "run_with_retries",
]
