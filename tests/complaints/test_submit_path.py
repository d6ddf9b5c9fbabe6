"""The cost of the submit path (issue 14.3): the confirmation of a draft with one victim and one
identified suspect runs a bounded number of queries (the on-commit work of the match index, the
candidate queue and the alert e-mails included) and writes exactly the rows it wrote before the
path was made cheaper: every history, audit, statistics and index row (bench/submit_probe.py
measures the same path on MariaDB)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

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
# complaint, victim and suspect; the match index the keys of the 3 identities and of the place.
ROWS_WRITTEN = {
    "administration_unitcounter": 1,  # the unit's first complaint of the year
    "analysis_matchkey": 26,
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
# the district read once (-4), no savepoint of their own for the identities and the number (-4)).
MAX_QUERIES = 115


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


def test_the_submit_of_one_victim_and_one_suspect_is_bounded_and_writes_every_row(
    personas: dict, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = personas["station_officer"]
    client = signed_in_client(officer)
    draft = _draft(officer)
    url = reverse("complaints:complaint_review", kwargs={"pk": draft.pk})
    review = client.get(url)
    confirm = {"action": "confirm", "fingerprint": review.context["fingerprint"]}
    before = _counts()
    with django_assert_max_num_queries(MAX_QUERIES), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, confirm)
    assert response.status_code == 302
    assert "/resultado/" in response["Location"]
    after = _counts()
    written = {table: after[table] - before[table] for table in after if after[table] != before.get(table, 0)}
    assert written == ROWS_WRITTEN
    draft.refresh_from_db()
    assert draft.is_frozen
    assert verify()[0] is None  # the audit chain is whole
