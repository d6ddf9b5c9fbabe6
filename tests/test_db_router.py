"""The read-replica router and its middleware (reta.db_router, README "Read replica"), without a
second server: the router's decisions and the middleware's pin. tests/replica/ runs the same
against a real MariaDB primary and replica."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from complaints.models import Complaint
from reta import db_router
from reta.db_router import REPLICA, PrimaryReplicaRouter, primary_reads, read_alias, replica_reads, routing
from reta.middleware import PRIMARY_COOKIE, ReplicaRoutingMiddleware
from stats.models import StatComplaint

ROUTER = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The router's decisions as with DATABASE_REPLICA_URL set (the alias itself is not needed:
    nothing here queries it; the lag check is off, or told what the replica answers)."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setitem(db_router._health, "checked", float("-inf"))
    monkeypatch.setitem(db_router._health, "healthy", True)
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 0


@pytest.mark.skipif(bool(os.environ.get("DATABASE_REPLICA_URL")), reason="DATABASE_REPLICA_URL is set")
def test_without_a_replica_nothing_changes(settings: Any) -> None:
    assert DEFAULT_DB_ALIAS in settings.DATABASES and REPLICA not in settings.DATABASES
    assert router.routers == []
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(StatComplaint) == DEFAULT_DB_ALIAS
    with pytest.raises(MiddlewareNotUsed):
        ReplicaRoutingMiddleware(lambda request: HttpResponse())


def test_routed_reads_go_to_the_replica_and_the_rest_to_the_primary(with_replica: None) -> None:
    assert not connection.in_atomic_block
    assert ROUTER.db_for_read(StatComplaint) == DEFAULT_DB_ALIAS  # not inside replica_reads()
    with replica_reads():
        assert ROUTER.db_for_read(StatComplaint) == REPLICA
        assert ROUTER.db_for_read(Complaint) == REPLICA
        assert ROUTER.db_for_write(StatComplaint) == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(Session) == DEFAULT_DB_ALIAS  # the sign-in state: primary only
        cache_entry = caches["default"].cache_model_class  # the database cache: never read stale
        assert ROUTER.db_for_read(cache_entry) == DEFAULT_DB_ALIAS
        with primary_reads():
            assert ROUTER.db_for_read(StatComplaint) == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(StatComplaint) == REPLICA
    assert ROUTER.db_for_read(StatComplaint) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_of_the_primary_go_to_the_primary(with_replica: None) -> None:
    with replica_reads():
        assert read_alias() == REPLICA
        with transaction.atomic():
            assert ROUTER.db_for_read(StatComplaint) == DEFAULT_DB_ALIAS
        assert read_alias() == REPLICA


def test_migrations_run_on_the_primary_only() -> None:
    for model in apps.get_models():
        assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, model._meta.app_label, model._meta.model_name) is True
        assert ROUTER.allow_migrate(REPLICA, model._meta.app_label, model._meta.model_name) is False


def test_rows_of_the_primary_and_of_the_replica_may_be_related() -> None:
    left, right, other = Complaint(), StatComplaint(), Complaint()
    left._state.db, right._state.db, other._state.db = DEFAULT_DB_ALIAS, REPLICA, "archive"
    assert ROUTER.allow_relation(left, right) is True
    assert ROUTER.allow_relation(left, other) is None


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("INSERT INTO `complaints_complaint` (`id`) VALUES (%s)", "complaints_complaint"),
        ('insert into "stats_statcomplaint" values (1)', "stats_statcomplaint"),
        ("UPDATE `administration_unitcounter` SET `value` = 2", "administration_unitcounter"),
        ("DELETE FROM `django_session` WHERE 1", "django_session"),
        ("REPLACE INTO `t` VALUES (1)", "t"),
        ("TRUNCATE `analysis_matchcandidate`", "analysis_matchcandidate"),
        ("SELECT * FROM `complaints_complaint` WHERE `id` IN (SELECT 1)", None),
        ("SAVEPOINT `s1`", None),
        ("RELEASE SAVEPOINT `s1`", None),
        ("SET FOREIGN_KEY_CHECKS = 0", None),
        ("SELECT ... FOR UPDATE", None),
    ],
)
def test_written_table(sql: str, table: str | None) -> None:
    assert db_router.written_table(sql) == table


def _execute(sql: str, params: Any, many: bool, context: dict) -> str:
    return "done"


def test_a_write_pins_the_rest_of_the_request_to_the_primary(with_replica: None) -> None:
    with routing(replica=True, pinned=False) as tracker:
        assert read_alias() == REPLICA
        assert tracker(_execute, "UPDATE `django_session` SET `expire_date` = %s", [], False, {}) == "done"
        assert tracker(_execute, "INSERT INTO `audit_auditevent` (`event`) VALUES (%s)", [], False, {}) == "done"
        assert not tracker.wrote and read_alias() == REPLICA  # the session row and the audit trail
        tracker(_execute, "INSERT INTO `analysis_matchdecision` (`id`) VALUES (%s)", [], False, {})
        assert tracker.wrote and read_alias() == DEFAULT_DB_ALIAS
        with replica_reads(), primary_reads():
            pass
        assert read_alias() == DEFAULT_DB_ALIAS  # a nested context does not undo the pin
    assert read_alias() == DEFAULT_DB_ALIAS
    with routing(replica=True, pinned=True):
        assert read_alias() == DEFAULT_DB_ALIAS
    with routing(replica=False, pinned=False):
        assert read_alias() == DEFAULT_DB_ALIAS


class _View:
    """A stand-in for the rest of the stack: records where the view's reads would go, and writes
    when told to."""

    def __init__(self, write: str | None = None) -> None:
        self.write = write
        self.read_alias: str | None = None

    def __call__(self, request: Any) -> HttpResponse:
        if self.write:
            with connection.cursor() as cursor:
                cursor.execute(self.write)
        self.read_alias = read_alias()
        return HttpResponse("ok")


def _request(method: str, path: str, cookie: str | None = None) -> Any:
    request = getattr(RequestFactory(), method)(path)
    if cookie is not None:
        request.COOKIES[PRIMARY_COOKIE] = cookie
    return request


def _served(view: Any, request: Any) -> HttpResponse:
    """`request` through the middleware as Django's handler runs it, last in MIDDLEWARE: inside
    its call the URL is resolved (once: request.resolver_match), then its process_view, then the
    view."""

    def handler(request: Any) -> HttpResponse:
        try:
            request.resolver_match = resolve(request.path_info)
        except Resolver404:
            return view(request)  # the 404 page: no match, no process_view
        middleware.process_view(request, request.resolver_match.func, (), {})
        return view(request)

    middleware = ReplicaRoutingMiddleware(handler)
    return middleware(request)


@pytest.mark.parametrize(
    ("path", "routed"),
    [
        (lambda: reverse("stats:overview"), True),
        (lambda: reverse("stats:table_export", args=["cases_by_unit_year", "csv"]), True),
        (lambda: reverse("htcds:download", args=["csv"]), True),
        (lambda: reverse("analysis:candidates"), True),
        (lambda: reverse("analysis:network_graphml"), True),
        (lambda: reverse("investigations:compliance_export", args=["csv"]), True),
        (lambda: reverse("audit:event_export"), True),
        (lambda: reverse("complaints:complaint_export"), True),
        (lambda: reverse("complaints:complaint_list"), False),
        (lambda: reverse("investigations:compliance"), False),
        (lambda: "/no/such/page/", False),
    ],
)
def test_the_middleware_routes_the_statistics_analysis_and_exports(with_replica: None, path: Any, routed: bool) -> None:
    view = _View()
    response = _served(view, _request("get", path()))
    assert view.read_alias == (REPLICA if routed else DEFAULT_DB_ALIAS)
    assert PRIMARY_COOKIE not in response.cookies


def test_a_post_reads_the_primary_and_pins_the_browser_for_a_while(with_replica: None, settings: Any) -> None:
    settings.RETA_REPLICA_PIN_SECONDS = 20
    view = _View()
    response = _served(view, _request("post", reverse("analysis:candidates")))
    assert view.read_alias == DEFAULT_DB_ALIAS
    cookie = response.cookies[PRIMARY_COOKIE]
    assert cookie["max-age"] == 20 and cookie["httponly"]
    assert abs(int(cookie.value) - (time.time() + 20)) < 3

    view = _View()
    _served(view, _request("get", reverse("stats:overview"), cookie=cookie.value))
    assert view.read_alias == DEFAULT_DB_ALIAS  # the next page: read-your-own-writes


@pytest.mark.parametrize(
    "cookie",
    [lambda: str(int(time.time()) - 1), lambda: str(int(time.time()) + 3600), lambda: "", lambda: "soon"],
    ids=["ended", "beyond-the-window", "empty", "malformed"],
)
def test_an_ended_or_forged_pin_is_ignored(with_replica: None, settings: Any, cookie: Any) -> None:
    settings.RETA_REPLICA_PIN_SECONDS = 15
    view = _View()
    _served(view, _request("get", reverse("stats:overview"), cookie=cookie()))
    assert view.read_alias == REPLICA


@pytest.mark.django_db(transaction=True)
def test_a_get_that_writes_pins_too_but_not_for_its_session_or_audit_rows(with_replica: None) -> None:
    view = _View(write="UPDATE django_content_type SET model = model WHERE id = 0")
    response = _served(view, _request("get", reverse("stats:overview")))
    assert view.read_alias == DEFAULT_DB_ALIAS and PRIMARY_COOKIE in response.cookies

    view = _View(write="DELETE FROM django_session WHERE session_key = 'none'")
    response = _served(view, _request("get", reverse("stats:overview")))
    assert view.read_alias == REPLICA and PRIMARY_COOKIE not in response.cookies


def test_a_lagging_stopped_or_unreachable_replica_is_left_out(
    with_replica: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 30
    settings.RETA_REPLICA_CHECK_SECONDS = 5
    settings.RETA_REPLICA_RETRY_SECONDS = 60
    answers = [(False, "it is 45 seconds behind (more than 30)"), (True, "")]
    asked = []

    def status(max_lag: int) -> tuple[bool, str]:
        asked.append(max_lag)
        return answers[len(asked) - 1]

    monkeypatch.setattr(db_router, "replica_status", status)
    clock = [1000.0]
    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock[0])
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS  # 45 s behind: the primary
        clock[0] += 4
        assert read_alias() == DEFAULT_DB_ALIAS and asked == [30]  # not asked again within 5 s
        clock[0] += 55
        assert read_alias() == DEFAULT_DB_ALIAS and asked == [30]  # nor, after a failure, within 60 s
        clock[0] += 1
        assert read_alias() == REPLICA and asked == [30, 30]  # caught up
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 0
    with replica_reads():
        assert read_alias() == REPLICA and len(asked) == 2  # the check is off


def test_an_unreachable_replica_is_asked_again_only_after_the_back_off(
    with_replica: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the replica is down, each probe costs a request a connect timeout: after a failed one
    routed reads go to the primary without asking for RETA_REPLICA_RETRY_SECONDS; once it answers,
    every RETA_REPLICA_CHECK_SECONDS again."""
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 30
    settings.RETA_REPLICA_CHECK_SECONDS = 5
    settings.RETA_REPLICA_RETRY_SECONDS = 60
    down = [False]
    asked: list[float] = []
    clock = [1000.0]

    def status(max_lag: int) -> tuple[bool, str]:
        asked.append(clock[0])
        return (False, "cannot ask it (2003, Can't connect)") if down[0] else (True, "")

    monkeypatch.setattr(db_router, "replica_status", status)
    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock[0])
    with replica_reads():
        assert read_alias() == REPLICA and asked == [1000.0]  # first asked: healthy
        clock[0] += 5
        down[0] = True
        assert read_alias() == DEFAULT_DB_ALIAS and asked == [1000.0, 1005.0]  # down: the primary
        for _ in range(59):  # a request every second for the next 59 s: none asks
            clock[0] += 1
            assert read_alias() == DEFAULT_DB_ALIAS
        assert asked == [1000.0, 1005.0]
        clock[0] += 1
        assert read_alias() == DEFAULT_DB_ALIAS and asked == [1000.0, 1005.0, 1065.0]  # still down: again 60 s
        down[0] = False
        clock[0] += 59
        assert read_alias() == DEFAULT_DB_ALIAS and len(asked) == 3
        clock[0] += 1
        assert read_alias() == REPLICA and asked[-1] == 1125.0  # back
        clock[0] += 5
        assert read_alias() == REPLICA and asked[-1] == 1130.0  # healthy: every 5 s again


class _Cursor:
    def __init__(self, row: tuple | None, error: Exception | None = None) -> None:
        self.row, self.error = row, error
        self.description = [(name,) for name in ("Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master")]

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *args: Any) -> None:
        return None

    def execute(self, sql: str) -> None:
        assert sql == "SHOW SLAVE STATUS"
        if self.error:
            raise self.error

    def fetchone(self) -> tuple | None:
        return self.row


class _Replica:
    vendor = "mysql"

    def __init__(self, cursor: _Cursor) -> None:
        self._cursor = cursor

    def cursor(self) -> _Cursor:
        return self._cursor


@pytest.mark.parametrize(
    ("row", "error", "usable"),
    [
        (("Yes", "Yes", 0), None, True),
        (("Yes", "Yes", 30), None, True),
        (("Yes", "Yes", 31), None, False),
        (("Yes", "Yes", None), None, False),
        (("Yes", "No", None), None, False),
        (("Connecting", "Yes", 0), None, False),
        (None, None, False),
        (None, db_router.DatabaseError(2003, "Can't connect"), False),
    ],
)
def test_what_the_replica_answers(monkeypatch: pytest.MonkeyPatch, row: Any, error: Any, usable: bool) -> None:
    monkeypatch.setattr(db_router, "connections", {REPLICA: _Replica(_Cursor(row, error))})
    healthy, reason = db_router.replica_status(30)
    assert healthy is usable and bool(reason) is not usable


def test_a_streamed_export_reads_its_rows_from_the_replica_too(with_replica: None) -> None:
    """reta.exports.csv_response streams: its rows are read after the middleware returned."""
    seen: list[str] = []

    def rows() -> Any:
        for number in range(3):
            seen.append(read_alias())
            yield f"{number}\n".encode()

    def view(request: Any) -> StreamingHttpResponse:
        return StreamingHttpResponse(rows())

    response = _served(view, _request("get", reverse("complaints:complaint_export")))
    assert seen == [] and read_alias() == DEFAULT_DB_ALIAS
    assert b"".join(response.streaming_content) == b"0\n1\n2\n"
    assert seen == [REPLICA, REPLICA, REPLICA]
    assert read_alias() == DEFAULT_DB_ALIAS  # nothing leaks into what runs next

    seen.clear()
    response = _served(view, _request("get", reverse("complaints:complaint_list")))
    assert b"".join(response.streaming_content) == b"0\n1\n2\n" and seen == [DEFAULT_DB_ALIAS] * 3


@pytest.mark.django_db
def test_django_resolves_each_url_once_and_the_middleware_routes_from_its_match(
    with_replica: None, settings: Any, personas: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real handler: the middleware reads request.resolver_match in process_view
    instead of resolving the URL again."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    from tests.conftest import signed_in_client

    if "reta.middleware.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "reta.middleware.ReplicaRoutingMiddleware"]
    root = get_resolver()
    resolved: list[str] = []
    routed: list[bool] = []
    original = URLResolver.resolve

    def counting(self: URLResolver, path: str) -> Any:
        if self is root:
            resolved.append(path)
        return original(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counting)
    monkeypatch.setattr(db_router, "replica_reads_from_here", lambda: routed.append(True))
    client = signed_in_client(personas["national_admin"])
    for name, replica in (("stats:overview", True), ("complaints:complaint_list", False)):
        resolved.clear()
        routed.clear()
        assert client.get(reverse(name)).status_code == 200
        assert resolved == [reverse(name)] and routed == ([True] if replica else [])
