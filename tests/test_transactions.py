"""reta.transactions: a deadlock or a lock wait timeout runs the whole transaction again, a bounded
number of times; other errors, and calls inside someone else's transaction, are not retried."""

from __future__ import annotations

import logging

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from administration.models import Unit
from reta import transactions
from reta.transactions import DEADLOCK, LOCK_WAIT_TIMEOUT, contention_code, retry_on_contention, run_with_retries


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    pauses: list[float] = []
    monkeypatch.setattr(transactions.time, "sleep", pauses.append)
    return pauses


class Flaky:
    """Raises `error` the first `failures` times, then writes a unit and answers 'done'."""

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        self.failures = failures
        self.error = error or OperationalError(DEADLOCK, "Deadlock found when trying to get lock")
        self.calls = 0
        self.in_transaction: list[bool] = []

    def __call__(self, code: str) -> str:
        self.calls += 1
        self.in_transaction.append(connection.in_atomic_block)
        Unit.objects.create(code=f"{code}-{self.calls}", name="Unidad", kind="station", path=f"/{code}-{self.calls}/")
        if self.calls <= self.failures:
            raise self.error
        return "done"


def test_the_contention_codes_are_recognised_and_nothing_else() -> None:
    assert contention_code(OperationalError(DEADLOCK, "Deadlock")) == DEADLOCK
    assert contention_code(OperationalError(LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded")) == LOCK_WAIT_TIMEOUT
    assert contention_code(OperationalError(2006, "MySQL server has gone away")) is None
    assert contention_code(OperationalError("database is locked")) is None
    assert contention_code(IntegrityError(1213, "not an operational error")) is None
    wrapped = OperationalError("wrapped")
    wrapped.__cause__ = OperationalError(DEADLOCK, "the driver's own")
    assert contention_code(wrapped) == DEADLOCK


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_runs_the_whole_transaction_again_and_the_failed_attempts_leave_nothing(
    caplog: pytest.LogCaptureFixture, _no_pause: list[float]
) -> None:
    flaky = Flaky(failures=3)
    with caplog.at_level(logging.WARNING, logger="reta.transactions"):
        assert run_with_retries(flaky, "RETRY") == "done"
    assert flaky.calls == 4
    assert flaky.in_transaction == [True] * 4
    assert list(Unit.objects.filter(code__startswith="RETRY").values_list("code", flat=True)) == ["RETRY-4"]
    warnings = [record for record in caplog.records if record.name == "reta.transactions"]
    assert [record.levelno for record in warnings] == [logging.WARNING] * 3
    assert "1213" in warnings[0].getMessage() and "attempt 1 of 5" in warnings[0].getMessage()
    assert len(_no_pause) == 3 and all(0 < pause <= transactions.MAX_DELAY * 1.5 for pause in _no_pause)


@pytest.mark.django_db(transaction=True)
def test_a_lock_wait_timeout_is_retried_too_and_the_decorator_keeps_the_function() -> None:
    flaky = Flaky(failures=1, error=OperationalError(LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded"))

    @retry_on_contention(attempts=2)
    def register(code: str) -> str:
        """Register something."""
        return flaky(code)

    assert register("WAIT") == "done"
    assert flaky.calls == 2
    assert register.__doc__ == "Register something." and register.__name__ == "register"


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_the_error_goes_up_and_nothing_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    flaky = Flaky(failures=10)
    with caplog.at_level(logging.WARNING, logger="reta.transactions"), pytest.raises(OperationalError) as raised:
        run_with_retries(flaky, "LOST", attempts=5)
    assert raised.value.args[0] == DEADLOCK
    assert flaky.calls == 5
    assert not Unit.objects.filter(code__startswith="LOST").exists()
    assert caplog.records[-1].levelno == logging.ERROR and "giving up after 5 attempts" in caplog.records[-1].message


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error", [OperationalError(2006, "MySQL server has gone away"), IntegrityError(1062, "Duplicate entry")]
)
def test_other_errors_are_not_retried(error: Exception) -> None:
    flaky = Flaky(failures=1, error=error)
    with pytest.raises(type(error)):
        run_with_retries(flaky, "OTHER")
    assert flaky.calls == 1
    assert not Unit.objects.filter(code__startswith="OTHER").exists()


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_it_runs_once_in_a_savepoint_and_the_error_goes_up() -> None:
    flaky = Flaky(failures=1)
    with transaction.atomic():
        Unit.objects.create(code="OUTER", name="Unidad", kind="station", path="/OUTER/")
        with pytest.raises(OperationalError):
            run_with_retries(flaky, "INNER")
        assert flaky.calls == 1  # the caller owns the transaction: only it can run it again
        assert not Unit.objects.filter(code__startswith="INNER").exists()  # the savepoint rolled back
    assert Unit.objects.filter(code="OUTER").exists()


@pytest.mark.django_db(transaction=True)
def test_on_commit_callbacks_of_a_failed_attempt_are_dropped_the_last_one_runs_once() -> None:
    sent: list[int] = []
    attempts = {"n": 0}

    def register() -> None:
        attempts["n"] += 1
        number = attempts["n"]
        transaction.on_commit(lambda: sent.append(number))
        if number < 3:
            raise OperationalError(DEADLOCK, "Deadlock")

    run_with_retries(register)
    assert sent == [3]
