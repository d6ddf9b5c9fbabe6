"""History versions carry the request id (reta.history) and group by it; the amendment reason is
kept whole; an import reads as a note of the system, not as a typed reason."""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from administration.models import Unit, User
from administration.services import user_update
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.models import AuditEvent
from complaints import history, services
from complaints.importing import complaints_import
from complaints.models import Alert, Complaint, ComplaintSuspect, ComplaintVictim, Person
from tests.complaints.test_amend import amend_url, form_data, history_url
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

LONG_REASON = ("Oficio N.° 1234-2026-DIRTEPOL-CUSCO: la partida de nacimiento acredita otra edad. " * 20).strip()


@pytest.fixture
def admin(personas: dict) -> Client:
    return signed_in_client(personas["national_admin"])


@pytest.fixture
def verified_admin(personas: dict) -> User:
    """The national administrator as a service sees it after the second factor."""
    user = personas["national_admin"]
    user.is_verified = lambda: True
    return user


def _records_since(complaint: Complaint, history_id: dict[str, int]) -> list[Any]:
    """Every history record of the complaint, its rows and its people written after `history_id`."""
    people = set(complaint.victims.values_list("person_id", flat=True)) | {complaint.complainant_id}
    return [
        *complaint.history.filter(history_id__gt=history_id["complaint"]),
        *ComplaintVictim.history.filter(complaint_id=complaint.pk, history_id__gt=history_id["victim"]),
        *Person.history.filter(id__in=people, history_id__gt=history_id["person"]),
    ]


def _last_ids() -> dict[str, int]:
    return {
        "complaint": Complaint.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
        "victim": ComplaintVictim.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
        "person": Person.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
    }


def _amended_data(complaint: Complaint) -> services.ComplaintData:
    data = services.complaint_data_of(complaint)
    data.narrative = "Relato corregido por la enmienda."
    data.complainant_first_names = "Juana Rosa"
    data.victims[0].age = 13
    return data


# ---------------------------------------------------------------- the request id


def test_every_history_model_keeps_the_request_id_and_the_whole_reason() -> None:
    for model in (Unit, User, Person, Complaint, ComplaintVictim, ComplaintSuspect, Alert):
        historical = model.history.model
        assert historical._meta.get_field("request_id").max_length == 32, model
        assert historical._meta.get_field("history_change_reason").get_internal_type() == "TextField", model


def test_every_record_of_an_amendment_carries_the_id_of_its_request(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    before = _last_ids()
    page = admin.get(amend_url(frozen))
    sent = form_data(
        page,
        narrative="Otro relato.",
        complainant_first_names="Juana Rosa",
        reason="Datos corregidos",
        **{"victims-0-age": "13"},
    )
    response = admin.post(amend_url(frozen), sent)
    assert response.status_code == 302
    records = _records_since(frozen, before)
    assert {record.history_change_reason for record in records} == {"Datos corregidos"}
    assert {type(record).__name__ for record in records} >= {
        "HistoricalComplaint",
        "HistoricalComplaintVictim",
        "HistoricalPerson",
    }
    assert {record.request_id for record in records} == {response["X-Request-ID"]}
    event = AuditEvent.objects.get(event=AuditEventType.COMPLAINT_AMENDED)
    assert event.request_id == response["X-Request-ID"]


def test_an_amendment_outside_a_request_shares_one_generated_id(verified_admin: User, complaints: dict) -> None:
    frozen = complaints["frozen"]
    registered_ids = set(frozen.history.values_list("request_id", flat=True))
    before = _last_ids()
    services.complaint_amend(
        actor=verified_admin,
        complaint=frozen,
        data=_amended_data(frozen),
        reason="Edad corregida",
        expected_version=1,
    )
    ids = {record.request_id for record in _records_since(frozen, before)}
    assert len(ids) == 1
    (amendment_id,) = ids
    assert len(amendment_id) == 32 and amendment_id not in registered_ids
    assert AuditEvent.objects.get(event=AuditEventType.COMPLAINT_AMENDED).request_id == amendment_id


def test_a_draft_saved_and_registered_in_one_request_reads_as_two_versions(personas: dict) -> None:
    with request_id_scope() as request_id:
        complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert set(complaint.history.values_list("request_id", flat=True)) == {request_id}
    versions = history.complaint_versions(complaint)
    assert [version.kind for version in versions] == ["draft", "registered"]


# ---------------------------------------------------------------- grouping, pure


def _entry(model: str, seconds: int, values: dict, **extra: Any) -> history.Entry:
    base = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    return history.Entry(
        model=model,
        object_id=extra.pop("object_id", 1),
        history_id=seconds,
        date=base + datetime.timedelta(seconds=seconds),
        type=extra.pop("type", "~"),
        user_id=1,
        user_name="station.officer",
        reason=extra.pop("reason", None),
        values=values,
        **extra,
    )


def _complaint(**values: Any) -> dict[str, Any]:
    return {"version": 1, "frozen_at": None, "narrative": "Relato", **values}


def test_records_group_by_request_id_even_when_two_requests_interleave() -> None:
    """Two draft saves of one user whose records interleave in time: the old heuristics (same user,
    same reason, contiguous) made them one version; the request id tells them apart."""
    entries = [
        _entry("complaint", 1, _complaint(), type="+", request_id="a" * 32),
        _entry("person", 2, {"first_names": "Rosa"}, object_id=10, type="+", request_id="b" * 32),
        _entry("complaint", 3, _complaint(narrative="Relato 2"), request_id="b" * 32),
        _entry("person", 4, {"first_names": "Ana"}, object_id=11, type="+", request_id="a" * 32),
    ]
    groups = history.group_entries(entries)
    assert [[entry.history_id for entry in group.entries] for group in groups] == [[1, 4], [2, 3]]
    without_ids = [dataclasses.replace(entry, request_id="") for entry in entries]
    assert len(history.group_entries(without_ids)) == 1  # the fallback, for records written before


def test_records_written_before_the_request_id_still_group_by_the_old_rules() -> None:
    frozen = datetime.datetime(2026, 11, 20, 10, 0, 5, tzinfo=datetime.UTC)
    entries = [
        _entry("complaint", 1, _complaint(), type="+"),
        _entry("complaint", 2, _complaint(narrative="Relato 2")),
        _entry("complaint", 3, _complaint(frozen_at=frozen), reason="submitted"),
        _entry("complaint", 10, _complaint(frozen_at=frozen, version=2), reason="Edad", request_id="c" * 32),
        _entry("victim", 11, {"age": 13}, object_id=5, reason="Edad", request_id="c" * 32),
    ]
    with translation.override("en"):
        versions = history.build_versions(entries, history.Lookups())
    assert [(v.number, v.kind, v.reason) for v in versions] == [
        (1, "draft", ""),
        (1, "registered", ""),
        (2, "amended", "Edad"),
    ]


# ---------------------------------------------------------------- the reason, whole


def test_a_long_reason_is_kept_whole_in_the_history_and_shown_whole(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    assert 1500 < len(LONG_REASON) <= services.AMENDMENT_REASON_MAX_LENGTH
    response = admin.post(
        amend_url(frozen), form_data(admin.get(amend_url(frozen)), narrative="Otro.", reason=LONG_REASON)
    )
    assert response.status_code == 302
    frozen.refresh_from_db()
    assert frozen.version == 2
    assert frozen.history.filter(history_change_reason=LONG_REASON).exists()
    page = admin.get(history_url(frozen))
    assert page.context["versions"][0].reason == LONG_REASON
    assert LONG_REASON in page.content.decode()


def test_the_amendment_service_refuses_a_reason_over_its_limit_and_saves_nothing(
    verified_admin: User, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    records = Complaint.history.count()
    too_long = "x" * (services.AMENDMENT_REASON_MAX_LENGTH + 1)
    with pytest.raises(services.ComplaintError) as refused:
        services.complaint_amend(
            actor=verified_admin,
            complaint=frozen,
            data=_amended_data(frozen),
            reason=too_long,
            expected_version=1,
        )
    assert refused.value.field == "reason"
    assert "2000 caracteres" in refused.value.message and "no se guardó" in refused.value.message
    frozen.refresh_from_db()
    assert frozen.version == 1 and frozen.narrative != "Relato corregido por la enmienda."
    assert Complaint.history.count() == records
    assert not AuditEvent.objects.filter(event=AuditEventType.COMPLAINT_AMENDED).exists()


@pytest.mark.mysql
def test_the_database_keeps_a_reason_longer_than_100_characters(verified_admin: User, complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("SQLite does not enforce column lengths: the point is MariaDB's.")
    frozen = complaints["frozen"]
    services.complaint_amend(
        actor=verified_admin,
        complaint=frozen,
        data=_amended_data(frozen),
        reason=LONG_REASON,
        expected_version=1,
    )
    stored = set(frozen.history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True))
    assert LONG_REASON in stored


# ---------------------------------------------------------------- an import is a note, not a reason


def test_an_imported_complaint_shows_a_note_of_the_system_not_a_typed_reason(personas: dict, admin: Client) -> None:
    record = {
        "number": "DIRTEPOL-CUSCO-CPNP-1-2010-000012",
        "registering_unit": "DIRTEPOL-CUSCO-CPNP-1",
        "origin": "station",
        "registered_at": "2010-05-03T10:15:00",
        "date_of_facts": "2010-04-28",
        "place": {"ubigeo": "170101", "address": "Av. León Velarde 1020"},
        "victims": [{"sex": "F", "age": 30, "minor": None, "nationality": "PE"}],
        "suspects": [],
        "conducts": ["recruitment"],
        "means": ["deception"],
        "purposes": ["prostitution"],
        "case_facts": [],
        "related_facts": [],
        "narrative": "Captada con una falsa oferta de trabajo.",
    }
    report = complaints_import(actor=personas["national_admin"], lines=[json.dumps(record)], source="prueba")
    assert report.imported == [record["number"]]
    complaint = Complaint.objects.get(number=record["number"])

    page = admin.get(history_url(complaint))
    html = page.content.decode()
    (version,) = page.context["versions"]
    assert version.kind == "registered" and version.reason == "" and version.note == "Importado del sistema anterior"
    assert '<p class="note version-note">Importado del sistema anterior</p>' in html
    assert "version-reason" not in html and ">imported<" not in html


def test_a_typed_reason_that_looks_like_a_system_word_stays_a_reason(verified_admin: User, complaints: dict) -> None:
    frozen = complaints["frozen"]
    services.complaint_amend(
        actor=verified_admin,
        complaint=frozen,
        data=_amended_data(frozen),
        reason="imported",
        expected_version=1,
    )
    newest = history.complaint_versions(frozen)[-1]
    assert (newest.kind, newest.reason, newest.note) == ("amended", "imported", "")


def test_the_account_services_stamp_their_history_too(personas: dict) -> None:
    user = personas["station_officer"]
    with request_id_scope() as request_id:
        user_update(actor=personas["national_admin"], user=user, first_name="Otro")
    assert user.history.latest().request_id == request_id


def test_the_history_manager_class_is_built_once_and_bound_as_simple_history_binds_it(personas: dict) -> None:
    """reta.history.CachedHistoryDescriptor: one manager class per model, reused; the manager is
    still bound to the instance it is read from (its versions only) or to none (the class's)."""
    officer = personas["station_officer"]
    complaint = services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios())
    other = services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios())
    data = services.complaint_data_of(complaint)
    data.narrative = "Otro relato del borrador."
    services.complaint_save_draft(actor=officer, data=data, complaint=complaint)
    assert type(Complaint.history) is type(complaint.history) is type(Complaint.objects.get(pk=complaint.pk).history)
    assert Complaint.history.instance is None
    assert complaint.history.instance is complaint
    assert complaint.history.count() == 2  # its own versions only, not the other draft's
    assert Complaint.history.filter(id__in=[complaint.pk, other.pk]).count() == 3
    assert complaint.history.latest().narrative == "Otro relato del borrador."
