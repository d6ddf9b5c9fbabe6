"""Identities (people app): the registration links every identified recorded person to one; an
identity grows while the complaint stays frozen and unchanged; the data migration links the
people of complaints registered before."""

from __future__ import annotations

import dataclasses
import importlib
import json
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from administration.models import District
from audit.models import AuditEvent
from complaints.freeze import FrozenRecordError, amendment
from complaints.history import complaint_versions
from complaints.importing import complaints_import
from complaints.models import Complaint, Person
from complaints.services import SuspectData, VictimData, complaint_amend, complaint_data_of, complaint_file
from people import services
from people.models import Identity, IdentityAddress, IdentityDocument, IdentityName, IdentityPhone, Source
from tests.complaints.test_import import line
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

MIGRATION = "0010_identities_of_registered_people"


def people_of(complaint: Complaint) -> dict[str, Person]:
    """The complaint's recorded people by role, fresh from the database."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    found = {"complainant": complaint.complainant}
    found.update({f"victim{v.position}": v.person for v in complaint.victims.select_related("person")})
    found.update({f"suspect{s.position}": s.person for s in complaint.suspects.select_related("person")})
    return found


# ---------------------------------------------------------------- the registration


@pytest.mark.mysql  # also on MariaDB: the link is written before the freeze triggers apply
def test_the_registration_gives_every_identified_person_an_identity(personas: dict) -> None:
    officer = personas["station_officer"]
    data = bar_in_madre_de_dios(
        suspects=[
            SuspectData(alias="La Tía", sex="F"),  # an alias alone does not identify
            SuspectData(first_names="Rómulo", last_names="Paucar", alias="El Chato", sex="M"),
        ]
    )
    complaint = complaint_file(actor=officer, data=data)
    people = people_of(complaint)

    victim = people["victim1"].identity
    assert (victim.first_names, victim.last_names) == ("Lucía", "Condori Apaza")
    assert (victim.sex, victim.nationality) == ("F", "PE")
    assert victim.created_in == officer.unit and victim.name_key == "lucia condori apaza"
    document = victim.documents.get()
    assert (document.document_type, document.number, document.key) == ("dni", "76543210", "76543210")
    assert (document.source, document.source_reference) == (Source.COMPLAINT, complaint.number)
    assert list(victim.names.values_list("kind", "name")) == [("name", "Lucía Condori Apaza")]

    suspect = people["suspect2"].identity
    assert sorted(suspect.names.values_list("kind", "name")) == [("alias", "El Chato"), ("name", "Rómulo Paucar")]
    assert not suspect.documents.exists()
    assert people["complainant"].identity.documents.get().key == "41234567"

    assert people["suspect1"].identity is None
    assert Identity.objects.count() == 3  # never one identity for two records: no matching yet
    assert Identity.objects.filter(pk=victim.pk).get().history.count() == 1
    assert AuditEvent.objects.filter(event="identity_created").count() == 3
    assert Complaint.objects.get(pk=complaint.pk).is_frozen


def test_unidentified_and_anonymous_people_get_no_identity(personas: dict) -> None:
    data = bar_in_madre_de_dios(
        complainant_anonymous=True,
        complainant_first_names="",
        complainant_last_names="",
        complainant_document_number="",
        complainant_contact="",
        victims=[VictimData(sex="F", age=15)],
        suspects=[SuspectData(sex="M", approximate_age=40)],
    )
    complaint = complaint_file(actor=personas["station_officer"], data=data)
    people = people_of(complaint)
    assert people["complainant"] is None
    assert people["victim1"].identity is None and people["suspect1"].identity is None
    assert not Identity.objects.exists()


def test_a_draft_has_no_identity_until_it_is_registered(complaints: dict) -> None:
    draft = people_of(complaints["draft"])
    assert all(person.identity_id is None for person in draft.values() if person is not None)


def test_the_legacy_import_links_identities_too(personas: dict) -> None:
    report = complaints_import(actor=personas["national_admin"], lines=[line()])
    assert report.errors == [] and len(report.imported) == 1
    complaint = Complaint.objects.get(number="DIRTEPOL-CUSCO-CPNP-1-2010-000012")
    people = people_of(complaint)
    assert people["suspect1"].identity.names.get().name == "Juan Carlos Pérez Quispe"
    assert people["suspect1"].identity.documents.count() == 0
    assert people["suspect2"].identity is None and people["victim1"].identity is None  # no name recorded


def test_an_amendment_links_a_person_it_identifies(complaints: dict, personas: dict) -> None:
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    complaint = complaints["frozen"]
    before = people_of(complaint)
    data = complaint_data_of(complaint)
    data.suspects = [dataclasses.replace(data.suspects[0], first_names="Rosa", last_names="Tello")]
    complaint_amend(actor=admin, complaint=complaint, data=data, reason="Identificada la tratante", expected_version=1)
    after = people_of(complaint)
    assert after["suspect1"].identity.full_name == "Rosa Tello"
    assert after["victim1"].identity_id == before["victim1"].identity_id  # the others keep theirs


# ---------------------------------------------------------------- an identity grows, the record stays frozen


def test_an_identity_grows_while_the_complaint_stays_frozen_and_unchanged(complaints: dict, personas: dict) -> None:
    investigator = personas["regional_investigator"]
    complaint = complaints["frozen"]
    victim = people_of(complaint)["victim1"]
    identity = victim.identity
    versions = len(complaint_versions(complaint))
    person_history = victim.history.count()
    complaint_history = Complaint.objects.get(pk=complaint.pk).history.count()
    snapshot = Person.objects.filter(pk=victim.pk).values().get()

    services.identity_add_name(
        actor=investigator, identity=identity, name="Lucy", kind=IdentityName.Kind.ALIAS, source=Source.INVESTIGATION
    )
    services.identity_add_phone(
        actor=investigator, identity=identity, number="+51 984-555-111", source=Source.INVESTIGATION, reference="CF-1"
    )
    services.identity_add_address(
        actor=investigator,
        identity=identity,
        district=District.objects.get(code="170101"),
        address="Jr. Piura 12",
        source=Source.INVESTIGATION,
        valid_from=None,
    )
    services.identity_add_document(
        actor=investigator,
        identity=identity,
        document_type="passport",
        number="pe-123 456",
        source=Source.OFFICIAL_RECORD,
        issuing_country="PE",
    )

    assert sorted(identity.names.values_list("kind", "name")) == [("alias", "Lucy"), ("name", "Lucía Condori Apaza")]
    phone = IdentityPhone.objects.get(identity=identity)
    assert (phone.key, phone.source_reference, phone.recorded_by) == ("984555111", "CF-1", investigator)
    assert IdentityAddress.objects.get(identity=identity).district.code == "170101"
    assert IdentityDocument.objects.get(identity=identity, document_type="passport").key == "PE123456"
    assert AuditEvent.objects.filter(event="identity_changed", object_id=str(identity.pk)).count() == 4
    for event in AuditEvent.objects.filter(event__startswith="identity_"):
        assert "Lucy" not in str(event.details) and "984" not in str(event.details)

    # The recorded person and the complaint: not one byte, not one history row more.
    assert Person.objects.filter(pk=victim.pk).values().get() == snapshot
    assert victim.history.count() == person_history
    assert Complaint.objects.get(pk=complaint.pk).history.count() == complaint_history
    assert len(complaint_versions(complaint)) == versions
    assert Complaint.objects.get(pk=complaint.pk).version == 1
    assert identity.history.count() == 1 and IdentityPhone.history.count() == 1


def test_the_recorded_persons_link_is_frozen_with_it(complaints: dict) -> None:
    victim = people_of(complaints["frozen"])["victim1"]
    other = Identity.objects.create(first_names="Otra")
    victim.identity = other
    with pytest.raises(FrozenRecordError):
        victim.save()
    with pytest.raises(FrozenRecordError):
        Person.objects.filter(pk=victim.pk).update(identity=other)


@pytest.mark.mysql
def test_the_database_refuses_to_relink_a_frozen_person(complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The freeze triggers exist on MySQL/MariaDB only (SQLite is the try-out database).")
    victim = people_of(complaints["frozen"])["victim1"]
    with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_person SET identity_id = NULL WHERE id = %s", [victim.pk])
    assert "frozen complaint" in str(error.value)


def test_an_identity_needs_a_name_or_a_document() -> None:
    record = SimpleNamespace(
        first_names="", last_names="", alias="El Chato", sex="M", nationality="", document_type="", document_number=""
    )
    with pytest.raises(ValueError):
        services.identity_from_record(record)


# ---------------------------------------------------------------- the data migration


def run_data_migration() -> None:
    migration = importlib.import_module(f"complaints.migrations.{MIGRATION}")
    state = MigrationLoader(connection).project_state(("complaints", MIGRATION))
    migration.link_identities(state.apps, SimpleNamespace(connection=connection))


@pytest.mark.mysql  # on MariaDB under the freeze triggers: the migration sets @reta_amendment for itself
def test_the_data_migration_links_the_people_of_registered_complaints(complaints: dict, personas: dict) -> None:
    complaint = complaints["frozen"]
    with amendment():  # as before this change: registered people without identities
        Person.objects.update(identity=None)
    Identity.objects.all().delete()
    draft_people = [p for p in people_of(complaints["draft"]).values() if p is not None]
    history = {p.pk: p.history.count() for p in Person.objects.all()}

    run_data_migration()

    people = people_of(complaint)
    victim = people["victim1"].identity
    assert victim.full_name == "Lucía Condori Apaza" and victim.name_key == "lucia condori apaza"
    assert victim.created_in == complaint.registering_unit
    document = victim.documents.get()
    assert (document.key, document.source, document.source_reference) == ("76543210", "complaint", complaint.number)
    assert victim.names.get().key == "lucia condori apaza"
    assert victim.history.get().history_type == "+" and document.history.get().history_type == "+"
    assert people["complainant"].identity.documents.get().number == "41234567"
    assert people["suspect1"].identity is None  # an alias only
    assert all(Person.objects.get(pk=p.pk).identity_id is None for p in draft_people)
    assert Identity.objects.count() == 2
    assert {p.pk: p.history.count() for p in Person.objects.all()} == history  # no new version of the records
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT @reta_amendment")
            assert cursor.fetchone()[0] is None  # cleared after its own statements

    run_data_migration()  # a second run finds nothing to do
    assert Identity.objects.count() == 2


def test_the_identity_events_carry_no_personal_data(complaints: dict) -> None:
    events = AuditEvent.objects.filter(event="identity_created")
    assert events.count() == 2
    for event in events:
        text = json.dumps(event.details, ensure_ascii=False) + event.object_repr
        for secret in ("Lucía", "Condori", "76543210", "Juana", "41234567"):
            assert secret not in text
