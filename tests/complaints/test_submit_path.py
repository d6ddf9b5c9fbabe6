"""The cost of the submit path (issue 14.3): the confirmation of a draft with one victim and one
identified suspect runs a bounded number of queries (the on-commit work of the match index, the
candidate queue and the alert e-mails included) and writes exactly the rows it wrote before the
path was made cheaper: every history, audit, statistics and index row (bench/submit_probe.py
measures the same path on MariaDB). With `RETA_MATCH_INDEX=worker` the request leaves the index
work in its table (issue 14, the submit path) and runs about fifty queries fewer; the worker then
writes the same index rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from analysis.index_work import drain
from analysis.models import IndexWork, MatchKey
from audit.chain import verify
from complaints.models import Complaint
from complaints.services import SuspectData, complaint_save_draft
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

# The rows one submit adds, table by table: the snapshot taken on the path before it was made
# cheaper (main at 9b95162). The complainant, the victim and the suspect each get an identity
# (names, alias and documents, each with its history row and the identity's audit event); the
# complaint its history row; 3 alerts (the specialised unit of Madre de Dios has no account: its
# directorate and DIVINTRAP are alerted too) with theirs; the statistics read model one row per
# complaint, victim and suspect; the match index the keys of the 3 identities (the key of the
# place was written when the draft was saved, and is written again).
ROWS_WRITTEN = {
    "administration_unitcounter": 1,  # the unit's first complaint of the year
    "analysis_matchkey": 25,
    "audit_auditevent": 4,
    "complaints_alert": 3,
    "complaints_historicalalert": 3,
    "complaints_historicalcomplaint": 1,
    "complaints_historicalperson": 3,
    "people_historicalidentity": 3,
    "people_historicalidentitydocument": 2,
    "people_historicalidentityname": 4,
    "people_identity": 3,
    "people_identitydocument": 2,
    "people_identityname": 4,
    "stats_statcomplaint": 1,
    "stats_statsuspect": 1,
    "stats_statvictim": 1,
}
# SQLite and MariaDB alike (171 before issue 14.3; 130 after it, +3 since the competent directorate
# is read from the dated jurisdiction rows, district, province or department, valid on the day: 133;
# 115 since issue 14: the alerts and their history rows in one INSERT each (-4), the audit events in
# one INSERT and one move of the chain head (-6), the place of the facts' directorate, the unit and
# the district read once (-4), no savepoint of their own for the identities and the number (-4);
# +11 since the index work is left in a table in the transaction, 7 INSERTs, and drained on commit
# by the worker's code: the claim, the DELETE and the savepoints of its transaction: 126. Then two
# changes, merged together:
# - the identities and their links written in bulk and the index work in one INSERT: the 3
#   identities, 4 names and 2 documents one INSERT per table and one per history table (6 instead
#   of 18), the 3 links one guarded UPDATE and one history INSERT (2 instead of 9: no EXISTS of the
#   freeze guard per person), the 7 work rows one INSERT (-6): -25;
# - the lean submit: the review's fingerprint compared by the service on the rows it loads, not on
#   a read of the view's own (-3), the draft locked with its complainant (-1), the statistics rows
#   from the loaded victims and suspects, nothing being linked to a complaint being registered
#   (-3), the alert e-mails from the alerts just written (-1), the specialised units and DIVINTRAP
#   in one query (-1), the victim rows of the duplicate check's two person criteria read together
#   (-1): 91 together.
MAX_QUERIES = 91
# RETA_MATCH_INDEX=worker: the request's own queries (the 7 work rows written in one INSERT,
# nothing done): 83 before both changes, 48 since.
MAX_QUERIES_WORKER = 48
# The index work the submit leaves: its 3 identities, its 3 recorded persons and the complaint (its place).
WORK_ROWS = 7


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _draft(officer: Any) -> Complaint:
    suspect = SuspectData(
        first_names="Marco",
        last_names="Rojas Ccama",
        alias="El Tío",
        sex="M",
        approximate_age=45,
        nationality="PE",
        relation_to_victim="desconocido",
    )
    return complaint_save_draft(actor=officer, data=bar_in_madre_de_dios(suspects=[suspect]))


def _written(before: dict[str, int]) -> dict[str, int]:
    after = _counts()
    return {table: after[table] - before[table] for table in after if after[table] != before.get(table, 0)}


def _confirm(officer: Any, capture: Any) -> tuple[Any, Complaint, dict[str, Any]]:
    """A draft saved by a request of its own (its index work done, as its commit or the worker
    would), and the confirmation of its review page, ready to post."""
    client = signed_in_client(officer)
    with capture(execute=True):
        draft = _draft(officer)
    drain()
    url = reverse("complaints:complaint_review", kwargs={"pk": draft.pk})
    review = client.get(url)
    return client, draft, {"url": url, "data": {"action": "confirm", "fingerprint": review.context["fingerprint"]}}


def test_the_submit_of_one_victim_and_one_suspect_is_bounded_and_writes_every_row(
    personas: dict, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client, draft, confirm = _confirm(personas["station_officer"], django_capture_on_commit_callbacks)
    before = _counts()
    with django_assert_max_num_queries(MAX_QUERIES), django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm["url"], confirm["data"])
    assert response.status_code == 302
    assert "/resultado/" in response["Location"]
    assert _written(before) == ROWS_WRITTEN  # the index work rows were written and done (deleted)
    draft.refresh_from_db()
    assert draft.is_frozen
    assert verify()[0] is None  # the audit chain is whole


def test_with_the_index_worker_the_submit_leaves_the_index_work_and_the_worker_writes_the_same_rows(
    personas: dict, settings: Any, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RETA_MATCH_INDEX = "worker"
    client, draft, confirm = _confirm(personas["station_officer"], django_capture_on_commit_callbacks)
    before = _counts()
    with (
        django_assert_max_num_queries(MAX_QUERIES_WORKER) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(confirm["url"], confirm["data"])
    assert response.status_code == 302
    work_inserts = [
        q for q in captured.captured_queries if q["sql"].startswith("INSERT") and "analysis_indexwork" in q["sql"]
    ]
    assert len(work_inserts) == 1  # the submit's batch: its 7 work rows in one statement
    expected = {table: count for table, count in ROWS_WRITTEN.items() if table != "analysis_matchkey"}
    assert _written(before) == {**expected, "analysis_indexwork": WORK_ROWS}
    assert not MatchKey.objects.filter(complaint=draft, identity__isnull=False).exists()  # its persons: not yet
    report = drain()
    assert (report.done, report.failed) == (WORK_ROWS, 0)
    assert _written(before) == ROWS_WRITTEN  # the same keys as in the request, the work rows gone
    assert not IndexWork.objects.exists()
