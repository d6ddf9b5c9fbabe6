"""A registration's identities and the links of its persons are written in bulk (issue 14, the
submit path: people.services.identities_from_records, complaints.services._link_identities):
the historical rows are the ones each save wrote before (type, user, change reason, request id),
and the links go through the freeze guard: one UPDATE whose WHERE leaves frozen rows out, a
frozen person among them refused (FrozenGuardQuerySet.bulk_update_guarded)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from audit.events import AuditEventType
from audit.models import AuditEvent
from complaints.freeze import FrozenRecordError, amendment
from complaints.models import Complaint, Person
from complaints.services import _link_identities, complaint_amend, complaint_data_of, complaint_save_draft
from people import services
from people.models import Identity, IdentityDocument, IdentityName
from tests.complaints.test_submit_path import _confirm
from tests.factories.complaints import bar_in_madre_de_dios
from tests.people.test_identities import people_of

pytestmark = pytest.mark.django_db


def _history(row: Any) -> list[Any]:
    return list(row.history.order_by("history_date", "history_id"))


@pytest.mark.mysql  # also on MariaDB: the bulk INSERTs give the pks back there too
def test_the_history_rows_of_a_registration_are_the_ones_its_saves_wrote(
    personas: dict, django_capture_on_commit_callbacks: Any
) -> None:
    officer = personas["station_officer"]
    client, draft, confirm = _confirm(officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm["url"], confirm["data"])
    assert response.status_code == 302
    submitted = AuditEvent.objects.get(event=AuditEventType.COMPLAINT_SUBMITTED, object_id=str(draft.pk))
    request_id = submitted.request_id
    assert request_id
    number = Complaint.objects.get(pk=draft.pk).number

    identities = list(Identity.objects.order_by("pk"))
    assert len(identities) == 3  # the complainant, the victim and the suspect
    for identity in identities:
        (version,) = _history(identity)
        assert (version.history_type, version.history_user, version.history_change_reason) == ("+", officer, None)
        assert version.request_id == request_id
        assert (version.first_names, version.last_names, version.name_key) == (
            identity.first_names,
            identity.last_names,
            identity.name_key,
        )
        assert version.name_key  # the key Identity.save() writes, written by the bulk path too
        assert version.created_in_id == officer.unit_id
    rows = [*IdentityName.objects.all(), *IdentityDocument.objects.all()]
    assert len(rows) == 6  # 4 names (one alias) and 2 documents
    for row in rows:
        (version,) = _history(row)
        assert (version.history_type, version.history_user, version.history_change_reason) == ("+", officer, None)
        assert version.request_id == request_id
        assert (version.identity_id, version.key, version.source_reference) == (row.identity_id, row.key, number)
        assert row.key and row.recorded_by == officer

    people = [person for person in people_of(draft).values() if person is not None]
    assert len(people) == 3 and all(person.identity_id for person in people)
    for person in people:
        link = _history(person)[-1]  # the draft's saves wrote the versions before
        assert (link.history_type, link.history_user, link.history_change_reason) == ("~", officer, "submitted")
        assert (link.request_id, link.identity_id) == (request_id, person.identity_id)
        assert link.search_name == person.search_name and link.document_number == person.document_number
        assert person.history.filter(request_id=request_id).count() == 1
    # One audit event per identity, as before, in the registration's request.
    created = AuditEvent.objects.filter(event=AuditEventType.IDENTITY_CREATED).order_by("pk")
    assert [event.object_id for event in created] == [str(identity.pk) for identity in identities]
    assert {event.request_id for event in created} == {request_id}


def test_an_amendments_link_carries_its_reason(complaints: dict, personas: dict) -> None:
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    complaint = complaints["frozen"]
    data = complaint_data_of(complaint)
    data.suspects = [dataclasses.replace(data.suspects[0], first_names="Rosa", last_names="Tello")]
    reason = "Identificada la tratante"
    complaint_amend(actor=admin, complaint=complaint, data=data, reason=reason, expected_version=1)
    suspect = people_of(complaint)["suspect1"]
    link = _history(suspect)[-1]
    assert (link.history_type, link.history_change_reason, link.identity_id) == ("~", reason, suspect.identity_id)
    (created,) = _history(suspect.identity)
    assert (created.history_type, created.history_change_reason) == ("+", None)
    assert suspect.identity.names.get(kind=IdentityName.Kind.NAME).key == "rosa tello"


def test_identities_from_records_writes_them_all_in_order() -> None:
    records = [
        Person(
            first_names="Ana", last_names="Quispe", alias="La Flaca", document_type="dni", document_number="40102030"
        ),
        Person(first_names="", last_names="", document_type="ce", document_number="000123456"),
        Person(first_names="Iván", last_names="Soto"),
    ]
    identities = services.identities_from_records(records, reference="X-1")
    assert [identity.full_name for identity in identities] == ["Ana Quispe", "", "Iván Soto"]
    assert [i.pk for i in identities] == sorted(i.pk for i in identities) and None not in [i.pk for i in identities]
    stored = {identity.pk: identity for identity in Identity.objects.all()}
    assert stored[identities[0].pk].name_key == "ana quispe"
    assert sorted(identities[0].names.values_list("kind", "key")) == [("alias", "la flaca"), ("name", "ana quispe")]
    assert not identities[1].names.exists()  # no name, a document only
    assert identities[1].documents.get().key == "000123456"
    assert not identities[2].documents.exists()
    assert AuditEvent.objects.filter(event=AuditEventType.IDENTITY_CREATED).count() == 3


def test_a_record_without_name_nor_document_writes_none_of_the_others() -> None:
    records = [Person(first_names="Ana", last_names="Quispe"), Person(alias="El Chato")]
    with pytest.raises(ValueError), transaction.atomic():
        services.identities_from_records(records)
    assert not Identity.objects.exists()


# ---------------------------------------------------------------- the freeze guard of the links


@pytest.mark.mysql  # also under the MariaDB triggers
def test_a_frozen_person_is_not_linked_by_the_bulk_path(personas: dict) -> None:
    officer = personas["station_officer"]
    draft = complaint_save_draft(actor=officer, data=bar_in_madre_de_dios())
    Complaint.objects.filter(pk=draft.pk).update(frozen_at=timezone.now())  # frozen behind the service's back
    frozen = Complaint.objects.get(pk=draft.pk)
    with pytest.raises(FrozenRecordError), transaction.atomic():
        _link_identities(frozen, actor=officer, reason="submitted")
    people = [person for person in people_of(frozen).values() if person is not None]
    assert people and all(person.identity_id is None for person in people)
    assert not Identity.objects.exists()  # rolled back with the refusal
    assert not Person.history.filter(history_change_reason="submitted").exists()


@pytest.mark.mysql
def test_the_guarded_bulk_update_refuses_a_frozen_row_among_others_and_writes_none(
    complaints: dict, personas: dict
) -> None:
    free = people_of(complaints["draft"])["victim1"]
    frozen = people_of(complaints["frozen"])["victim1"]
    first, second = Identity.objects.create(first_names="Una"), Identity.objects.create(first_names="Otra")
    free.identity, frozen.identity = first, second
    with pytest.raises(FrozenRecordError), transaction.atomic():
        Person.objects.bulk_update_guarded([free, frozen], ["identity"])
    assert Person.objects.get(pk=free.pk).identity_id is None  # the unfrozen row's UPDATE rolled back
    assert Person.objects.get(pk=frozen.pk).identity_id not in (None, second.pk)
    # The amendment lifts the guard (and, on MariaDB, the triggers through its lease).
    with amendment(complaints["frozen"].pk):
        assert Person.objects.bulk_update_guarded([free, frozen], ["identity"]) == 2
    assert Person.objects.get(pk=frozen.pk).identity_id == second.pk
    assert Person.objects.get(pk=free.pk).identity_id == first.pk


def test_the_guarded_bulk_update_refuses_one_row_given_twice(complaints: dict) -> None:
    person = people_of(complaints["draft"])["victim1"]
    twin = Person.objects.get(pk=person.pk)
    first, second = Identity.objects.create(first_names="Una"), Identity.objects.create(first_names="Otra")
    person.identity, twin.identity = first, second
    with pytest.raises(ValueError, match="each row once"):
        Person.objects.bulk_update_guarded([person, twin], ["identity"])
    assert Person.objects.get(pk=person.pk).identity_id is None  # neither value written
