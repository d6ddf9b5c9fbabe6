"""Shared fixtures: the small unit tree, one persona per role plus an outsider, signed-in clients.

RETA_TEST_CLOCK moves the clock of the whole run, e.g.
`RETA_TEST_CLOCK=2026-12-31T23:59:30-05:00 make test`: every test starts at that moment (with a
UTC offset, so it is unambiguous) and time runs on from there (time-machine, tick=True). The
process clock moves, so the code, the tests and the in-process live server of the browser tests
all see it; a test's own `time_machine.travel` still wins while it lasts. The database server's
clock does not move: RETA takes every time from Python (`timezone.now`), never from SQL.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.administration import PERSONAS, TEST_PASSWORD, UserFactory, small_tree

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves are synchronous and safe (DEVELOPERS.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CLOCK_VARIABLE = "RETA_TEST_CLOCK"
_CLOCK = pytest.StashKey[tuple[datetime.datetime, Any, Any]]()


def moved_clock() -> datetime.datetime | None:
    """The moment of RETA_TEST_CLOCK, or None when the run uses the real clock."""
    value = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"{CLOCK_VARIABLE}={value!r} is not an ISO 8601 date and time: {error}") from None
    if moment.utcoffset() is None:
        raise pytest.UsageError(f"{CLOCK_VARIABLE}={value!r} needs a UTC offset, e.g. 2027-01-04T10:00:00-05:00")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    """With RETA_TEST_CLOCK, travel before collection: module-level code sees the moved clock too."""
    moment = moved_clock()
    if moment is not None:
        import time_machine

        travel = time_machine.travel(moment, tick=True)
        config.stash[_CLOCK] = (moment, travel, travel.start())


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CLOCK in config.stash:
        config.stash[_CLOCK][1].stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if _CLOCK in config.stash:
        return f"clock moved: every test starts at {config.stash[_CLOCK][0].isoformat()} ({CLOCK_VARIABLE})"
    return None


@pytest.fixture(autouse=True)
def _moved_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts at RETA_TEST_CLOCK, whatever the tests before it took."""
    if _CLOCK in request.config.stash:
        moment, _travel, traveller = request.config.stash[_CLOCK]
        traveller.move_to(moment)
    yield


@pytest.fixture(autouse=True)
def _one_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """With DATABASE_REPLICA_URL set, the normal suite still runs on one database: the `replica`
    alias is a test mirror of `default` (reta.settings_test) and pytest-django lets a test query
    `default` only, so the router keeps every read on the primary. The router's decisions are
    tested in tests/test_db_router.py, and against a real replica in tests/replica/
    (RETA_REPLICA_TEST=1, `make test-replica`)."""
    from django.conf import settings

    if "replica" in settings.DATABASES and os.environ.get("RETA_REPLICA_TEST") != "1":
        from reta import db_router

        monkeypatch.setattr(db_router, "replica_configured", lambda: False)


@pytest.fixture
def clock_stopped() -> Iterator[datetime.datetime]:
    """The clock held at this moment for the whole test, for a test that reads "today" or "this
    year" and compares it with what the code reads later: it would fail when the test straddles
    midnight in Lima, or New Year (RETA_TEST_CLOCK=2026-12-31T23:59:30-05:00 starts every test
    30 seconds before it)."""
    import time_machine
    from django.utils import timezone

    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        yield moment


@pytest.fixture
def units(db: Any) -> dict:
    # The catalogues' entries come with migration 0009; a transactional test's flush empties them.
    from administration.services import catalogues_seed

    catalogues_seed()
    return small_tree()


@pytest.fixture
def personas(units: dict) -> dict:
    """One user per role (BRIEF.md), plus `outsider`: a station officer in Lima."""
    return build_personas(units)


def build_personas(units: dict) -> dict:
    users = {}
    for name, (unit_code, role) in PERSONAS.items():
        users[name] = UserFactory(username=name.replace("_", "."), unit=units[unit_code], role=role)
    TOTPDevice.objects.get_or_create(user=users["national_admin"], name="RETA", defaults={"confirmed": True})
    return users


def signed_in_client(user: Any) -> Client:
    """A client with a session opened as a real sign-in would (second factor included)."""
    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clients(personas: dict) -> dict:
    return {name: signed_in_client(user) for name, user in personas.items()}


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def complaints(personas: dict) -> dict:
    """A frozen complaint of the Cusco station about facts in Madre de Dios, and a draft."""
    return build_complaints(personas)


def build_complaints(personas: dict) -> dict:
    from complaints.services import complaint_file, complaint_save_draft
    from tests.factories.complaints import bar_in_madre_de_dios

    officer = personas["station_officer"]
    frozen = complaint_file(actor=officer, data=bar_in_madre_de_dios())
    draft = complaint_save_draft(actor=officer, data=bar_in_madre_de_dios(narrative="Borrador en curso."))
    return {"frozen": frozen, "draft": draft}


@pytest.fixture(scope="module")
def shared_world(request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict]:
    """`units`, `personas` and `complaints` built ONCE for a whole test module (Django's
    setUpTestData), for a module of many small tests that only read them (the permission matrix):
    built inside a transaction that is rolled back when the module ends, so nothing outlives it;
    each test (pytest-django's django_db) runs in a savepoint of that transaction, so whatever a
    test writes is undone before the next one. Tests take `copy.deepcopy(shared_world)`, so that
    a change to an object in memory does not leak to the next test either."""
    from django.db import connections, transaction

    with django_db_blocker.unblock():
        if _CLOCK in request.config.stash:
            moment, _travel, traveller = request.config.stash[_CLOCK]
            traveller.move_to(moment)
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            from administration.services import catalogues_seed

            catalogues_seed()  # the entries of migration 0009, emptied by an earlier test's flush
            units = small_tree()
            personas = build_personas(units)
            yield {"units": units, "personas": personas, "complaints": build_complaints(personas)}
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for atomic in reversed(atomics):
                atomic.__exit__(None, None, None)


@pytest.fixture
def application_user() -> Iterator[dict]:
    """MariaDB only: a throwaway database user with exactly the grants of `db_grants` on the test
    database, and a session as that user (the production application user: tests of the grants, the
    triggers and `check_deploy`)."""
    import uuid

    import MySQLdb
    from django.db import connection

    from administration.management.commands.db_grants import grant_statements

    name, password = f"reta_t{uuid.uuid4().hex[:10]}", uuid.uuid4().hex
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE USER '{name}'@'%%' IDENTIFIED BY '{password}'")
    try:
        statements = grant_statements(
            database=database, app_user=name, app_host="%", owner_user="root", owner_host="localhost"
        )
        with connection.cursor() as cursor:
            for statement in statements[1:]:  # the owner's grant concerns root here: leave it alone
                cursor.execute(statement.replace("%", "%%"))
        config = connection.settings_dict
        session = MySQLdb.connect(
            host=config["HOST"] or "127.0.0.1",
            port=int(config["PORT"] or 3306),
            user=name,
            password=password,
            database=database,
            autocommit=True,
        )
        try:
            yield {"session": session, "name": name, "database": database, "statements": statements}
        finally:
            session.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP USER IF EXISTS '{name}'@'%%'")
