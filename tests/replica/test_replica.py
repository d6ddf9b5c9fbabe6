"""The read replica against a real MariaDB primary and replica (README "Read replica").

`make test-replica` starts the pair (tools/replica.sh: primary 127.0.0.1:3316, replica :3317,
replicating by GTID) and runs this module with RETA_REPLICA_TEST=1, DATABASE_URL at the primary,
DATABASE_REPLICA_URL at the replica (the SELECT-only user `reta_reader`) and
RETA_REPLICA_ADMIN_URL (root on the replica, to pause and resume its SQL thread). Skipped
otherwise: the normal suite runs on one database.

The test database: pytest-django creates `test_<name>` on the primary only (the replica alias is a
TEST MIRROR of default, so Django creates nothing for it and only gives it the same NAME); the
CREATE DATABASE and every migration reach the replica by replication, so the `replica` connection
reads the same database on the second server. The tests are transactional: a row must be
committed to be replicated.

The proofs pause the replica's SQL thread (`STOP SLAVE SQL_THREAD`): a complaint filed then is on
the primary only, so a page that shows the old figure was read from the replica, and one that
shows the new figure from the primary.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import MySQLdb
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from administration.models import Unit
from complaints.models import Complaint
from reta.db_router import REPLICA, primary_reads, replica_healthy, replica_reads
from reta.middleware import PRIMARY_COOKIE
from tests.conftest import signed_in_client

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("RETA_REPLICA_TEST") != "1" or REPLICA not in settings.DATABASES,
        reason="needs a real MariaDB primary and replica: `make test-replica` (tools/replica.sh) sets "
        "RETA_REPLICA_TEST=1, DATABASE_URL and DATABASE_REPLICA_URL",
    ),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]

WAIT_SECONDS = 20


@pytest.fixture(autouse=True)
def _lag_check_off(settings: Any) -> None:
    """The proofs below pause the replica on purpose: the lag check (which would then send the
    reads to the primary) is off but in its own test."""
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 0


def _replica_admin() -> Any:
    url = urlparse(os.environ.get("RETA_REPLICA_ADMIN_URL", ""))
    replica = settings.DATABASES[REPLICA]
    return MySQLdb.connect(
        host=url.hostname or replica["HOST"],
        port=url.port or int(replica["PORT"]),
        user=url.username or "root",
        password=url.password or "",
        autocommit=True,
    )


def _one(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


@pytest.fixture
def replica_admin() -> Iterator[Any]:
    """Root on the replica; the SQL thread runs again after the test, whatever happened."""
    admin = _replica_admin()
    try:
        yield admin
    finally:
        with admin.cursor() as cursor:
            cursor.execute("START SLAVE SQL_THREAD")
        admin.close()


def caught_up(admin: Any) -> None:
    """Wait until the replica has applied everything the primary has committed so far."""
    (position,) = _one(DEFAULT_DB_ALIAS, "SELECT @@gtid_binlog_pos")
    with admin.cursor() as cursor:
        cursor.execute("SELECT MASTER_GTID_WAIT(%s, %s)", [position, WAIT_SECONDS])
        (result,) = cursor.fetchone()
    assert result == 0, f"the replica did not reach {position} in {WAIT_SECONDS} s"


def paused(admin: Any) -> None:
    """The replica stops applying what the primary commits (it still receives it)."""
    caught_up(admin)
    with admin.cursor() as cursor:
        cursor.execute("STOP SLAVE SQL_THREAD")


def resumed(admin: Any) -> None:
    with admin.cursor() as cursor:
        cursor.execute("START SLAVE SQL_THREAD")
    caught_up(admin)


def file_another(personas: dict) -> Complaint:
    from complaints.services import complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    return complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())


def export_total(client: Client) -> str:
    """The grand total of the CSV export of cases by unit and year, this year."""
    year = str(timezone.localdate().year)
    url = reverse("stats:table_export", kwargs={"name": "cases_by_unit_year", "fmt": "csv"})
    response = client.get(url, {"year_from": year, "year_to": year})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[-1][0] == "total"
    return rows[-1][-1]


def test_the_replica_alias_reads_the_second_server() -> None:
    primary_id, primary_read_only = _one(DEFAULT_DB_ALIAS, "SELECT @@server_id, @@read_only")
    replica_id, replica_read_only, database = _one(REPLICA, "SELECT @@server_id, @@read_only, DATABASE()")
    assert (primary_id, primary_read_only) == (1, 0)
    assert (replica_id, replica_read_only) == (2, 1)
    assert database == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]  # the test database, replicated
    with pytest.raises((OperationalError, ProgrammingError)):  # RETA's replica user only reads
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("UPDATE administration_unit SET name = name")


def test_writes_go_to_the_primary_and_arrive_on_the_replica(units: dict, replica_admin: Any) -> None:
    unit = units["DIRTEPOL-CUSCO-CPNP-1"]
    with (
        replica_reads(),
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        Unit.objects.filter(pk=unit.pk).update(name="Comisaría renombrada")
    assert any(q["sql"].startswith("UPDATE") for q in primary.captured_queries)
    assert not any(q["sql"].startswith("UPDATE") for q in replica.captured_queries)
    caught_up(replica_admin)
    assert Unit.objects.using(REPLICA).get(pk=unit.pk).name == "Comisaría renombrada"
    assert Unit.objects.using(REPLICA).count() == Unit.objects.using(DEFAULT_DB_ALIAS).count()


def test_a_statistics_export_is_read_from_the_replica_and_after_a_post_from_the_primary(
    personas: dict, complaints: dict, replica_admin: Any
) -> None:
    client = signed_in_client(personas["national_investigator"])
    client.cookies["reta_language"] = "en"
    paused(replica_admin)  # the first complaint is on both servers; what follows, on the primary only
    file_another(personas)
    assert Complaint.objects.filter(frozen_at__isnull=False).count() == 2  # the primary (not routed)
    assert export_total(client) == "1"  # the replica: it has not applied the second complaint
    with replica_reads():
        assert Complaint.objects.filter(frozen_at__isnull=False).count() == 1

    # Read-your-own-writes: a POST pins the browser to the primary for RETA_REPLICA_PIN_SECONDS.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert PRIMARY_COOKIE in response.cookies
    assert export_total(client) == "2"
    del client.cookies[PRIMARY_COOKIE]
    assert export_total(client) == "1"

    resumed(replica_admin)
    assert export_total(client) == "2"  # the replica caught up


def test_the_statistics_command_reads_the_replica(personas: dict, complaints: dict, replica_admin: Any) -> None:
    year = str(timezone.localdate().year)

    def table() -> str:
        out = io.StringIO()
        call_command("statistics", "cases_by_unit_year", "--from", year, "--to", year, "--format", "json", stdout=out)
        return out.getvalue()

    paused(replica_admin)
    before = table()
    file_another(personas)
    assert table() == before  # the replica, which has not applied the second complaint
    with primary_reads():
        after = table()
    assert after != before
    resumed(replica_admin)
    assert table() == after


def test_a_replica_that_stopped_applying_is_left_out(
    settings: Any, personas: dict, complaints: dict, replica_admin: Any
) -> None:
    settings.RETA_REPLICA_MAX_LAG_SECONDS = 30
    settings.RETA_REPLICA_CHECK_SECONDS = 0  # asked at every read here
    settings.RETA_REPLICA_RETRY_SECONDS = 0  # after a failed check too
    client = signed_in_client(personas["national_investigator"])
    client.cookies["reta_language"] = "en"
    caught_up(replica_admin)
    assert replica_healthy()  # RETA's replica user may ask SHOW SLAVE STATUS
    paused(replica_admin)
    file_another(personas)
    assert not replica_healthy()
    assert export_total(client) == "2"  # the primary, although the page is routed to the replica
    resumed(replica_admin)
    assert replica_healthy()
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert export_total(client) == "2"
    assert any("`stats_" in q["sql"] for q in replica.captured_queries)


def test_reads_inside_a_transaction_go_to_the_primary(personas: dict, complaints: dict, replica_admin: Any) -> None:
    paused(replica_admin)
    file_another(personas)
    with replica_reads():
        assert Complaint.objects.filter(frozen_at__isnull=False).count() == 1  # the replica
        with transaction.atomic():
            assert Complaint.objects.filter(frozen_at__isnull=False).count() == 2  # the primary
        assert Complaint.objects.filter(frozen_at__isnull=False).count() == 1


def test_the_analysis_pages_read_the_replica(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["national_investigator"])
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        for url in (reverse("analysis:candidates"), reverse("analysis:network"), reverse("analysis:routes")):
            assert client.get(url).status_code == 200
    on_replica = [q["sql"] for q in replica.captured_queries]
    on_primary = [q["sql"] for q in primary.captured_queries]
    assert any("`analysis_" in sql or "`people_" in sql or "`complaints_" in sql for sql in on_replica)
    # The primary served the session, the user and the audit trail the pages record, nothing else.
    reads_of_data = [
        sql
        for sql in on_primary
        if sql.startswith("SELECT") and ("`analysis_" in sql or "`people_identity" in sql or "`complaints_" in sql)
    ]
    assert reads_of_data == []


def test_migrations_never_run_on_the_replica(replica_admin: Any) -> None:
    caught_up(replica_admin)
    (applied_on_primary,) = _one(DEFAULT_DB_ALIAS, "SELECT COUNT(*) FROM django_migrations")
    (applied_on_replica,) = _one(REPLICA, "SELECT COUNT(*) FROM django_migrations")
    assert applied_on_replica == applied_on_primary > 0  # the schema came by replication
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        call_command("migrate", database=REPLICA, verbosity=0, interactive=False)
    changes = [
        q["sql"] for q in replica.captured_queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SHOW"))
    ]
    assert changes == []


def test_a_streamed_export_reads_its_rows_from_the_replica(personas: dict, replica_admin: Any) -> None:
    """The audit trail's CSV reads its rows while it is sent (reta.exports.csv_response), after
    the view returned: the middleware keeps those reads on the replica too."""
    from audit.events import AuditEventType
    from audit.services import audit_record

    client = signed_in_client(personas["auditor"])

    def exported() -> str:
        response = client.get(reverse("audit:event_export"))
        assert response.status_code == 200 and response.streaming
        return b"".join(response.streaming_content).decode("utf-8")

    paused(replica_admin)
    audit_record(event=AuditEventType.EXPORT, object_repr="only-on-the-primary", actor=personas["auditor"])
    assert "only-on-the-primary" not in exported()
    resumed(replica_admin)
    assert "only-on-the-primary" in exported()
