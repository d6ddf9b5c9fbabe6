"""The durable queue of the match index's work (issue 14, the submit path): a write leaves its index
work as rows of `analysis.IndexWork` inside its own transaction; with `RETA_MATCH_INDEX=worker` the
request does nothing more and `manage.py match_index_worker` does the work later (keys, then the
candidate queue); with `commit` (the default) the same request does it right after its commit.
A rolled-back write leaves no row; a failure keeps the rows for the next pass; two workers on
MariaDB never take the same row (SELECT ... FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import datetime
import io
import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis import index_work, indexing, signals
from analysis.models import CandidatePair, IndexWork, KeyKind, MatchKey
from complaints.models import Complaint
from complaints.services import VictimData, complaint_file
from people.models import Identity, IdentityDocument
from tests.analysis.conftest import DNI
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_mode(settings: Any) -> None:
    settings.RETA_MATCH_INDEX = "worker"


def _victim_with(dni: str) -> VictimData:
    return VictimData(
        first_names="Julio", last_names="Huamán Quispe", sex="M", age=30, nationality="PE",
        document_type="dni", document_number=dni,
    )  # fmt: skip


def _file(officer: Any, dni: str, capture: Any) -> Any:
    with capture(execute=True):  # the officer's request commits
        return complaint_file(actor=officer, data=bar_in_madre_de_dios(victims=[_victim_with(dni)]))


def _pairs_of(identity: Identity) -> set[tuple[int, int]]:
    rows = CandidatePair.objects.filter(identity_a=identity) | CandidatePair.objects.filter(identity_b=identity)
    return set(rows.values_list("identity_a", "identity_b"))


def _worker(*options: str) -> str:
    out = io.StringIO()
    call_command("match_index_worker", *options, stdout=out)
    return out.getvalue()


def test_in_worker_mode_a_registration_leaves_its_work_and_the_worker_brings_its_candidates(
    personas: dict, two_cases: dict, worker_mode: None, django_capture_on_commit_callbacks: Any
) -> None:
    first = two_cases["first"].identity  # DNI 44556677, in a Cusco case file
    complaint = _file(personas["station_officer"], DNI, django_capture_on_commit_callbacks)
    victim = complaint.victims.get().person.identity
    work = set(IndexWork.objects.values_list("source_model", "source_pk"))
    assert ("people.identity", victim.pk) in work
    assert ("complaints.person", complaint.victims.get().person.pk) in work
    assert ("complaints.complaint", complaint.pk) in work
    assert len(work) == IndexWork.objects.count()  # each piece of work written once
    # Committed, but not indexed: no key, no candidate yet.
    assert not MatchKey.objects.filter(identity=victim).exists()
    assert not MatchKey.objects.filter(complaint=complaint).exists()
    assert not _pairs_of(victim)

    output = _worker("--once")

    assert f"{len(work)} rows done, 0 failed" in output
    assert not IndexWork.objects.exists()
    assert MatchKey.objects.filter(identity=victim, kind=KeyKind.DOCUMENT, key=DNI, complaint=complaint).exists()
    assert MatchKey.objects.filter(complaint=complaint, identity=None, kind=KeyKind.PLACE).exists()  # the place
    pair = tuple(sorted((first.pk, victim.pk)))
    assert pair in _pairs_of(victim)
    assert "same_dni" in CandidatePair.objects.get(identity_a=pair[0], identity_b=pair[1]).reasons
    assert "0 rows done" in _worker("--once")  # nothing left


def test_the_worker_writes_the_index_the_request_would_have_written(
    personas: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = personas["station_officer"]
    settings.RETA_MATCH_INDEX = "commit"
    at_once = _file(officer, "41112223", django_capture_on_commit_callbacks)
    assert not IndexWork.objects.exists()  # commit mode: done and deleted in the same request
    settings.RETA_MATCH_INDEX = "worker"
    later = _file(officer, "41112224", django_capture_on_commit_callbacks)
    assert IndexWork.objects.exists()
    _worker("--once")

    def keys(complaint: Any) -> list[tuple]:
        rows = MatchKey.objects.filter(complaint=complaint).exclude(kind__in=[KeyKind.DOCUMENT])
        return sorted(rows.values_list("kind", "key", "source_model", "qualifier"))

    assert keys(at_once) == keys(later) != []


def test_commit_mode_indexes_at_once_and_leaves_no_work(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _file(personas["station_officer"], DNI, django_capture_on_commit_callbacks)
    victim = complaint.victims.get().person.identity
    assert not IndexWork.objects.exists()
    assert MatchKey.objects.filter(identity=victim, kind=KeyKind.DOCUMENT, key=DNI).exists()
    assert tuple(sorted((two_cases["first"].identity.pk, victim.pk))) in _pairs_of(victim)


def test_a_rolled_back_transaction_leaves_no_work(
    personas: dict, worker_mode: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
            assert IndexWork.objects.count() >= 4  # written inside the transaction...
            raise RuntimeError("the registration fails after its rows were written")
    assert not IndexWork.objects.exists()  # ...and gone with it
    # A savepoint rolled back inside a transaction that commits: the work written after it is
    # recorded again (the pending set of the transaction is not trusted past a rollback).
    identity = Identity.objects.create(first_names="Rosa", last_names="Ccama")
    index_work.drain()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            IdentityDocument.objects.create(identity=identity, document_type="dni", number="70809010")
            raise RuntimeError
        IdentityDocument.objects.create(identity=identity, document_type="dni", number="70809011")
    assert list(IndexWork.objects.values_list("source_model", "source_pk")) == [("people.identity", identity.pk)]
    index_work.drain()
    assert set(MatchKey.objects.filter(identity=identity, kind=KeyKind.DOCUMENT).values_list("key", flat=True)) == {
        "70809011"
    }


@pytest.mark.mysql  # also on MariaDB: its bulk INSERT gives the ids back
def test_a_registration_writes_its_index_work_in_one_insert_and_the_drain_writes_the_rebuilds_keys(
    personas: dict, worker_mode: None, django_capture_on_commit_callbacks: Any
) -> None:
    with CaptureQueriesContext(connection) as queries:
        complaint = _file(personas["station_officer"], "41112227", django_capture_on_commit_callbacks)
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT") and "analysis_indexwork" in q["sql"]
    ]
    assert len(inserts) == 1  # the registration's batch (complaint_file: the draft's rows and the submit's)
    complaint = Complaint.objects.get(pk=complaint.pk)
    people = [
        complaint.complainant,
        *(row.person for row in complaint.victims.all()),
        *(row.person for row in complaint.suspects.all()),
    ]
    expected = {("complaints.complaint", complaint.pk), *(("complaints.person", person.pk) for person in people)}
    expected |= {("people.identity", person.identity_id) for person in people if person.identity_id}
    work = list(IndexWork.objects.values_list("source_model", "source_pk"))
    assert len(work) == len(set(work)) and set(work) >= expected
    assert {label for label, _pk in set(work) - expected} <= {"complaints.complaintplace"}  # its places' own keys

    report = index_work.drain()
    assert (report.done, report.failed) == (len(work), 0)

    def keys() -> list[tuple]:
        fields = ("kind", "key", "qualifier", "strength", "source_model", "source_pk", "identity", "complaint")
        return sorted(MatchKey.objects.values_list(*fields))

    drained = keys()
    assert any(row[6] == complaint.victims.get().person.identity_id for row in drained)
    call_command("rebuild_match_index", stdout=io.StringIO())  # the index written again from every record
    assert keys() == drained


def test_a_batch_writes_its_work_at_its_end_and_an_exception_writes_none(worker_mode: None) -> None:
    with transaction.atomic():
        with index_work.batched():
            first = Identity.objects.create(first_names="Rosa", last_names="Ccama")
            IdentityDocument.objects.create(identity=first, document_type="dni", number="70809012")
            second = Identity.objects.create(first_names="Inés", last_names="Apaza")
            assert not IndexWork.objects.exists()  # collected, not written
        written = list(IndexWork.objects.order_by("pk").values_list("source_model", "source_pk"))
        assert written == [("people.identity", first.pk), ("people.identity", second.pk)]
        Identity.objects.filter(pk=first.pk).get().save()  # after the block: already written, not again
        assert IndexWork.objects.count() == 2
    with transaction.atomic():
        with pytest.raises(RuntimeError), index_work.batched():
            Identity.objects.create(first_names="Carmen", last_names="Flores")
            raise RuntimeError("the writer fails inside the batch")
        # The identity is written but not its work: the block dooms its transaction.
        assert transaction.get_rollback()
    assert not Identity.objects.filter(first_names="Carmen").exists()
    assert IndexWork.objects.count() == 2


def test_in_commit_mode_a_batch_drains_the_rows_it_wrote_on_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), index_work.batched():
        identity = Identity.objects.create(first_names="Rosa", last_names="Ccama")
        IdentityDocument.objects.create(identity=identity, document_type="dni", number="70809013")
    assert not IndexWork.objects.exists()  # written by the batch, drained after the commit
    assert MatchKey.objects.filter(identity=identity, kind=KeyKind.DOCUMENT, key="70809013").exists()


def test_paused_signals_leave_no_work(worker_mode: None) -> None:
    with signals.paused():
        Identity.objects.create(first_names="Carga", last_names="Masiva")
    assert not IndexWork.objects.exists()


def test_a_failure_keeps_the_rows_and_a_later_pass_does_them(
    personas: dict, worker_mode: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _file(personas["station_officer"], "41112225", django_capture_on_commit_callbacks)
    victim = complaint.victims.get().person.identity
    rows = IndexWork.objects.count()
    real = indexing.index_identities

    def broken(identity_ids: Any) -> int:
        real(identity_ids)  # writes keys, then fails: they must be rolled back
        raise RuntimeError("the index is broken")

    monkeypatch.setattr(indexing, "index_identities", broken)
    with pytest.raises(CommandError, match=r"\d+ rows done, \d+ failed"):
        _worker("--once")
    kept = IndexWork.objects.filter(attempts=1)
    # The identities' part failed: its rows stay, to be tried again later; the place was done.
    assert kept.count() == rows - 1
    assert not IndexWork.objects.filter(source_model="complaints.complaint").exists()
    assert not MatchKey.objects.filter(identity=victim).exists()
    assert all(row.retry_at > timezone.now() for row in kept)
    assert "0 rows done" in _worker("--once")  # not due yet: nothing taken

    monkeypatch.setattr(indexing, "index_identities", real)
    IndexWork.objects.update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    assert f"{rows - 1} rows done, 0 failed" in _worker("--once")
    assert not IndexWork.objects.exists()
    assert MatchKey.objects.filter(identity=victim, kind=KeyKind.DOCUMENT, key="41112225").exists()


def test_a_failure_after_the_commit_is_not_the_writers_and_keeps_the_rows(
    personas: dict, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(identity_ids: Any) -> int:
        raise RuntimeError("the index is broken")

    monkeypatch.setattr(indexing, "index_identities", broken)
    complaint = _file(personas["station_officer"], "41112226", django_capture_on_commit_callbacks)  # no error
    assert complaint.pk
    assert IndexWork.objects.filter(attempts=1).exists()


def test_the_rebuild_deletes_the_work_it_did(worker_mode: None) -> None:
    identity = Identity.objects.create(first_names="Rosa", last_names="Ccama")
    assert IndexWork.objects.count() == 1
    out = io.StringIO()
    call_command("rebuild_match_index", stdout=out)
    assert "1 rows deleted" in out.getvalue()
    assert not IndexWork.objects.exists()
    assert MatchKey.objects.filter(identity=identity).exists()


def test_the_setting_takes_commit_or_worker_only(settings: Any) -> None:
    settings.RETA_MATCH_INDEX = "later"
    with pytest.raises(ValueError, match="commit or worker"):
        Identity.objects.create(first_names="Rosa", last_names="Ccama")


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_row(worker_mode: None, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "mysql":
        pytest.skip(
            "Needs MariaDB's SELECT ... FOR UPDATE SKIP LOCKED; SQLite has no row locks (one writer at a "
            "time), so two workers there prove nothing."
        )
    for number in range(12):
        with transaction.atomic():  # one officer's write: the identity and its document, one work row
            identity = Identity.objects.create(first_names="Persona", last_names=f"Número {number}")
            IdentityDocument.objects.create(identity=identity, document_type="dni", number=f"4000000{number:02d}")
    ids = set(IndexWork.objects.values_list("pk", flat=True))
    assert len(ids) == 12  # one per identity (the document is the identity's work)
    # Both workers hold their claim at the same time: each waits for the other inside its batch.
    meeting = threading.Barrier(2)
    met: set[int] = set()
    real = indexing.index_identities

    def meet_then_index(identity_ids: Any) -> int:
        if threading.get_ident() not in met:  # once (a batch run again after a deadlock goes on)
            met.add(threading.get_ident())
            meeting.wait(timeout=30)
        return real(identity_ids)

    monkeypatch.setattr(indexing, "index_identities", meet_then_index)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            reports.append(index_work.drain(batch_size=6))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    first, second = (set(report.claimed) for report in reports)
    assert len(first) == len(second) == 6
    assert not first & second  # a row claimed by one is skipped by the other, never waited for
    assert first | second == ids
    assert not IndexWork.objects.exists()
    assert MatchKey.objects.filter(kind=KeyKind.DOCUMENT).count() == 12
