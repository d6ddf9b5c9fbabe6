"""The match index written two ways gives the same rows: live (the signals, on commit, as officers
save) and whole (`rebuild()`, read in chunks as plain values); one refresh per identity when a
complaint is saved; the places of complaints indexed and met by the places of case files."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from administration.models import District
from analysis import index_work, indexing, keys
from analysis.candidates import thing_matches
from analysis.indexing import COLUMNS
from analysis.models import KeyKind, MatchKey
from complaints.services import PlaceData, SuspectData, VictimData, complaint_file
from investigations import things
from investigations.models import CasePerson
from people.models import Identity, IdentityAddress, IdentityDocument, IdentityName, IdentityPhone
from tests.factories.complaints import bar_in_madre_de_dios
from tests.investigations.conftest import open_case

pytestmark = pytest.mark.django_db

CUSCO, TAMBOPATA, LIMA = "080101", "170101", "150101"


@pytest.mark.parametrize("number", ["41234567", "76543210", "11111111", "00000001", "10000000", "99999998"])
def test_the_fast_key_of_an_8_digit_dni_is_the_validators_key(number: str) -> None:
    # Valid, placeholder or failing the check: the canonical number and the lenient key agree.
    assert keys.document_number_key("dni", number) == keys._document_number_key("dni", number) == number


@pytest.mark.parametrize("number", ["984555111", "900000000", "999999999", "912345678", "901234567"])
def test_the_fast_key_of_a_9_digit_mobile_is_the_phone_librarys_key(number: str) -> None:
    assert keys.phone_e164_key(number) == keys._phone_e164_key(number) == f"+51{number}"


def _rows() -> Counter:
    """Every row of the index, without its id (a multiset: a row written twice counts twice)."""
    return Counter(MatchKey.objects.values_list(*COLUMNS))


def _district(code: str) -> District:
    return District.objects.get(code=code)


@pytest.fixture
def varied(personas: dict, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """Identities with names, aliases, documents, phones and addresses; recorded persons of
    complaints as victims (with ages), suspects (approximate ages, aliases) and complainants;
    places of complaints; the phones, vehicles, accounts and places of case files, some held by a
    person of the case. Written as officers write it: the index follows by the signals."""
    officer, investigator = personas["station_officer"], personas["regional_investigator"]
    with django_capture_on_commit_callbacks(execute=True):
        rosa = Identity.objects.create(
            first_names="Rosa María", last_names="de la Cruz Huamán", date_of_birth=datetime.date(1984, 2, 29)
        )
        IdentityName.objects.create(identity=rosa, name="Rosa María de la Cruz Huamán", source="complaint")
        IdentityName.objects.create(identity=rosa, name="Rosa Cruz", source="investigation")
        IdentityName.objects.create(identity=rosa, kind="alias", name="La Tía Rosa", source="investigation")
        IdentityDocument.objects.create(identity=rosa, document_type="dni", number="41.234.567", source="complaint")
        IdentityDocument.objects.create(identity=rosa, document_type="passport", number="ab-12345", source="complaint")
        IdentityDocument.objects.create(identity=rosa, document_type="ce", number="---", source="complaint")
        IdentityPhone.objects.create(identity=rosa, number="984 555 111", source="complaint")
        IdentityPhone.objects.create(identity=rosa, number="01 4275060", source="complaint")
        IdentityAddress.objects.create(
            identity=rosa, district=_district(CUSCO), address="Jr. Túpac Amaru 120", source="complaint"
        )
        IdentityAddress.objects.create(identity=rosa, district=None, address="sin distrito", source="complaint")
        bare = Identity.objects.create(first_names="", last_names="")  # no name: no keys
        unborn = Identity.objects.create(first_names="Wilber", last_names="Quispe Mamani")  # no birth date
        IdentityName.objects.create(identity=unborn, kind="alias", name="El Chato", source="complaint")
    complaints = []
    for district, victim_age, suspect in (
        (TAMBOPATA, 16, SuspectData(first_names="Wilber", last_names="Kispe", alias="Chato", sex="M")),
        (CUSCO, None, SuspectData(alias="La Tía", sex="F", approximate_age=45)),
        (LIMA, 30, SuspectData(first_names="Rosa", last_names="Cruz Huaman", sex="F", approximate_age=40)),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            data = bar_in_madre_de_dios(
                place_district=_district(district),
                victims=[
                    VictimData(
                        first_names="Lucía",
                        last_names="Condori Apaza",
                        sex="F",
                        age=victim_age,
                        nationality="PE",
                        document_type="dni",
                        document_number="76543210",
                    ),
                    VictimData(first_names="Yesenia", last_names="Ccama", sex="F", age=17, nationality="PE"),
                ],  # fmt: skip
                suspects=[suspect],
                places=[
                    PlaceData(role="recruitment", district=_district(CUSCO), address="Plaza de Armas s/n"),
                    PlaceData(role="transit", district=_district(LIMA), address="", kind="port"),
                ],
            )
            complaints.append(complaint_file(actor=officer, data=data))
    case = open_case(personas, complaints[0])
    with django_capture_on_commit_callbacks(execute=True):
        holder = CasePerson.objects.create(
            case_file=case, identity=rosa, role="alleged_trafficker", added_by=investigator
        )
        owner = CasePerson.objects.create(
            case_file=case, identity=unborn, role="alleged_trafficker", added_by=investigator
        )
        things.phone_save(actor=investigator, case_file=case, data={"number": "+51 984-555-111", "holder": holder})
        things.phone_save(actor=investigator, case_file=case, data={"number": "987 000 111"})
        things.vehicle_save(
            actor=investigator, case_file=case, data={"kind": "car", "plate": "abo-123", "owner_person": owner}
        )
        things.account_save(
            actor=investigator, case_file=case, data={"network": "whatsapp", "handle": "+51984555111", "holder": holder}
        )
        things.account_save(actor=investigator, case_file=case, data={"network": "instagram", "handle": "@La.Tia"})
        things.place_save(
            actor=investigator,
            case_file=case,
            data={
                "kind": "bar",
                "name": "El Dorado",
                "district": _district(CUSCO),
                "address": "PLAZA DE ARMAS S/N",
                "latitude": Decimal("-13.516700"),
                "longitude": Decimal("-71.978800"),
            },  # fmt: skip
        )
    return {"rosa": rosa, "bare": bare, "unborn": unborn, "complaints": complaints, "case": case}


def test_the_live_index_and_the_rebuild_write_the_same_rows(varied: dict) -> None:
    live = _rows()
    kinds = {row[0] for row in live}
    # The fixture exercises every kind and every source.
    assert kinds == {kind.value for kind in KeyKind}
    assert {row[9] for row in live} == {
        "people.identity", "people.identityname", "people.identitydocument", "people.identityphone",
        "people.identityaddress", "complaints.person", "complaints.complaint", "complaints.complaintplace",
        "investigations.casephone", "investigations.casevehicle", "investigations.caseaccount",
        "investigations.caseplace",
    }  # fmt: skip
    report = indexing.rebuild(chunk_size=2)  # chunks of two identities or rows: every boundary crossed
    assert _rows() == live
    assert report.total == sum(live.values())
    assert report.places == 3 + 6  # three complaints' places of the facts, two places of each route
    # And the live functions called on everything again give the same rows.
    MatchKey.objects.all().delete()
    indexing.index_identities(Identity.objects.values_list("pk", flat=True))
    for label in [*indexing.THING_SOURCES, *indexing.PLACE_SOURCES]:
        from django.apps import apps

        indexing.index_records(label, apps.get_model(label)._base_manager.values_list("pk", flat=True))
    assert _rows() == live


def test_the_keys_of_a_recorded_person_carry_the_complaint_and_the_year_of_birth(varied: dict) -> None:
    lima = varied["complaints"][2]
    suspect = lima.suspects.get().person
    rows = MatchKey.objects.filter(source_model="complaints.person", source_pk=suspect.pk)
    assert set(rows.values_list("complaint_id", flat=True)) == {lima.pk}
    assert rows.filter(kind=KeyKind.BIRTH_YEAR, key="1986").exists()  # 40 on 2026-11-20
    # The held phone is a key of its holder's identity in the case file.
    phone = MatchKey.objects.get(source_model="investigations.casephone", key="+51984555111", kind=KeyKind.PHONE)
    assert (phone.identity_id, phone.case_file_id) == (varied["rosa"].pk, varied["case"].pk)
    assert not MatchKey.objects.filter(identity=varied["bare"]).exists()


def test_a_rebuild_after_a_change_of_holder_matches_the_live_index(
    varied: dict, personas: dict, django_capture_on_commit_callbacks: Any
) -> None:
    holder = CasePerson.objects.get(case_file=varied["case"], identity=varied["rosa"])
    with django_capture_on_commit_callbacks(execute=True):
        holder.identity = varied["bare"]
        holder.save()
    phone = MatchKey.objects.get(source_model="investigations.casephone", key="+51984555111", kind=KeyKind.PHONE)
    assert phone.identity_id == varied["bare"].pk
    live = _rows()
    indexing.rebuild()
    assert _rows() == live


# ---------------------------------------------------------------- one refresh per identity


def test_saving_a_complaint_indexes_each_identity_once(
    personas: dict, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    calls: list[set[int]] = []
    real = indexing.index_identities

    def counting(identity_ids: Any) -> int:
        ids = set(identity_ids)
        calls.append(ids)
        return real(ids)

    monkeypatch.setattr(indexing, "index_identities", counting)
    recorded: list[tuple[str, int]] = []
    real_record = index_work.record

    def recording(label: str, pk: Any) -> None:
        recorded.append((label, pk))
        real_record(label, pk)

    monkeypatch.setattr(index_work, "record", recording)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complaint = complaint_file(
            actor=personas["station_officer"],
            data=bar_in_madre_de_dios(
                suspects=[SuspectData(first_names="Wilber", last_names="Quispe", sex="M", approximate_age=30)]
            ),
        )
    identities = {
        person.identity_id
        for person in (
            complaint.complainant,
            *(v.person for v in complaint.victims.all()),
            *(s.person for s in complaint.suspects.all()),
        )
    }
    assert len(identities) == 3 and None not in identities
    # Several signals fired (persons, victim and suspect rows, identities), collected by the
    # registration's batch: one drain on commit...
    assert len(recorded) > len(set(recorded)) > 3
    drains = [callback for callback in callbacks if getattr(callback, "__func__", None) is index_work._Pending.flush]
    assert len(drains) == 1
    indexed = Counter(pk for ids in calls for pk in ids)
    assert set(indexed) == identities
    assert set(indexed.values()) == {1}  # ...and each identity was indexed once
    assert len(calls) == 1
    assert MatchKey.objects.filter(identity_id__in=identities, complaint=complaint).exists()


def test_a_rolled_back_write_leaves_the_index_alone(personas: dict, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            Identity.objects.create(first_names="Nadie", last_names="Rollback", date_of_birth=datetime.date(2000, 1, 1))
            raise RuntimeError
        kept = Identity.objects.create(first_names="Alguien", last_names="Commit")
    assert not MatchKey.objects.filter(key__contains="rollback").exists()
    assert MatchKey.objects.filter(identity=kept, kind=KeyKind.NAME, key="alguien|commit").exists()


# ---------------------------------------------------------------- places of complaints


def test_a_place_of_a_complaint_and_of_a_case_file_written_differently_meet(
    personas: dict, django_capture_on_commit_callbacks: Any
) -> None:
    officer, investigator = personas["station_officer"], personas["national_investigator"]
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_file(
            actor=officer,
            data=bar_in_madre_de_dios(
                place_district=_district(TAMBOPATA),
                place_address="Av. León Velarde 1020, bar «El Dorado»",
                places=[PlaceData(role="recruitment", district=_district(CUSCO), address="Calle Plateros 345")],
            ),
        )
    from investigations import services

    with django_capture_on_commit_callbacks(execute=True):
        other = services.case_file_open(
            actor=investigator,
            data=services.OpenData(title="Red en Lima", agency_name="Fiscalía de Lima", agency_reference="F-9"),
        )
        things.place_save(
            actor=investigator,
            case_file=other,
            data={"kind": "bar", "district": _district(TAMBOPATA), "address": "AV LEON VELARDE 1020 BAR EL DORADO"},
        )
        things.place_save(
            actor=investigator,
            case_file=other,
            data={"kind": "hotel", "district": _district(CUSCO), "address": "calle PLATÉROS 345"},
        )
    shared = thing_matches(complaint_id=complaint.pk)
    assert {(s.kind, s.key) for s in shared} == {
        ("place", f"{TAMBOPATA}:av leon velarde 1020 bar el dorado"),
        ("place", f"{CUSCO}:calle plateros 345"),
    }
    for item in shared:
        assert item.reason == "same_place"  # the code, "mismo lugar" on screen
        assert item.complaint_ids == {complaint.pk}
        assert item.case_file_ids == {other.pk}
        assert all(record.identity_id is None for record in item.records)
    # The same in a rebuilt index; and a place in another district is another place.
    indexing.rebuild()
    assert len(thing_matches(complaint_id=complaint.pk)) == 2
    hotel = other.places.get(kind="hotel")
    with django_capture_on_commit_callbacks(execute=True):
        things.place_save(actor=investigator, case_file=other, pk=hotel.pk, data={"district": _district(LIMA)})
    assert {s.key for s in thing_matches(complaint_id=complaint.pk)} == {
        f"{TAMBOPATA}:av leon velarde 1020 bar el dorado"
    }


# ---------------------------------------------------------------- the bulk rebuild (MariaDB)


@pytest.mark.django_db(transaction=True)
def test_the_bulk_rebuild_outside_a_transaction_writes_the_same_rows_and_keeps_the_indexes() -> None:
    """Outside a transaction (the command, the benchmark) MariaDB empties the table by TRUNCATE
    and builds three indexes after the load: the same rows, and the indexes are back."""
    born = datetime.date(1979, 7, 28)
    for number in range(7):  # committed one by one: the signals index each on commit
        identity = Identity.objects.create(
            first_names=["José Luis", "Ñusta", "Óscar"][number % 3], last_names=f"Quispe D'Ángelo {number}",
            date_of_birth=born if number % 2 else None,
        )  # fmt: skip
        IdentityName.objects.create(identity=identity, kind="alias", name="El Gringo", source="complaint")
        IdentityDocument.objects.create(
            identity=identity, document_type="dni", number=f"4123456{number}", source="complaint"
        )
        IdentityPhone.objects.create(identity=identity, number=f"98455511{number}", source="complaint")
    live = _rows()
    assert sum(live.values()) > 7 * 5
    report = indexing.rebuild(chunk_size=3, batch_size=4)
    assert _rows() == live
    assert report.identities == 7
    assert {index.name for index in MatchKey._meta.indexes} <= indexing._present_indexes()
