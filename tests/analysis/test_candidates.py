"""Candidate matches (issue 12, item 1; done-when): a planted data set whose links are all found,
with their reasons, and no candidate from common surnames alone; the Spanish phonetic key; the
index kept current when records are saved."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.core.management import call_command

from administration.models import District
from analysis import indexing
from analysis.candidates import candidate_between, candidates_for, register_exclusion, thing_matches
from analysis.keys import phonetic_name, spanish_phonetic
from analysis.models import KeyKind, MatchKey
from complaints.services import VictimData, complaint_file
from investigations import things
from people.models import Identity, IdentityDocument, IdentityName
from tests.factories.complaints import bar_in_madre_de_dios
from tests.investigations.conftest import open_case

pytestmark = pytest.mark.django_db

CUSCO, TAMBOPATA, LIMA = "080101", "170101", "150101"
PLANTED_DNI = "45872136"
COMMON_SURNAMES = ["Quispe", "Mamani", "Huamán", "Flores", "Rodríguez", "Sánchez", "García", "Chávez",
                   "Ramos", "Torres", "Condori", "Vargas", "Mendoza", "Díaz", "Castillo", "Espinoza"]  # fmt: skip
FIRST_NAMES = ["María", "Juan", "Rosa", "José", "Luis", "Ana", "Carlos", "Carmen", "Jorge", "Elena", "Pedro",
               "Sonia", "Víctor", "Julia", "Miguel", "Gloria", "César", "Nelly", "Raúl", "Teresa"]  # fmt: skip


# ---------------------------------------------------------------- the phonetic key


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Huamán", "Guaman", "Wamán", "HUAMAN"], "waman"),
        (["Quispe", "Kispe", "Qispe"], "kispe"),
        (["Yupanqui", "Llupanki"], "yupanki"),
        (["Cecilia", "Sesilia", "Zezilia"], "sesilia"),
        (["Valdez", "Baldes", "Váldez"], "baldes"),
        (["Hernández", "Ernandes"], "ernandes"),
        (["Jiménez", "Gimenez", "Jimenes"], "jimenes"),
        (["Rodríguez", "Rodrigues"], "rodriges"),
        (["Miguel", "MIGUEL", "Miguél"], "migel"),
        (["Gimena", "Jimena", "Jiména"], "jimena"),
    ],
)
def test_the_spanish_phonetic_key_folds_spellings_people_confuse(spellings: list[str], key: str) -> None:
    assert {spanish_phonetic(spelling) for spelling in spellings} == {key}


def test_the_phonetic_key_keeps_different_names_apart() -> None:
    assert spanish_phonetic("Rosa") != spanish_phonetic("Rosi")
    assert spanish_phonetic("Mamani") != spanish_phonetic("Mamami")
    assert spanish_phonetic("Chávez") != spanish_phonetic("Cávez")  # ch is one sound
    assert phonetic_name("María de la Cruz Quispe") == phonetic_name("QUISPE, Maria Cruz")


# ---------------------------------------------------------------- the planted data set


def _identity(first: str, last: str, *, born: datetime.date | None = None, dni: str = "") -> Identity:
    identity = Identity.objects.create(first_names=first, last_names=last, date_of_birth=born)
    IdentityName.objects.create(identity=identity, name=f"{first} {last}", source="complaint")
    if dni:
        IdentityDocument.objects.create(identity=identity, document_type="dni", number=dni, source="complaint")
    return identity


def _victim_identity(complaint: Any, document: str) -> Identity:
    person = complaint.victims.get().person
    assert person.document_number == document
    return person.identity


@pytest.fixture
def planted(personas: dict) -> dict[str, Any]:
    officer, investigator = personas["station_officer"], personas["regional_investigator"]
    # One DNI in three regions: three complaints with facts in Cusco, Madre de Dios and Lima (three
    # competent directorates), the victim's DNI typed three ways.
    complaints = {}
    for district, number, first in ((CUSCO, "45872136", "Lucía"), (TAMBOPATA, "45.872.136", "Lucia"),
                                    (LIMA, "45872136-", "LUCÍA")):  # fmt: skip
        victim = VictimData(first_names=first, last_names="Condori Apaza", sex="F", age=17, nationality="PE",
                            document_type="dni", document_number=number)  # fmt: skip
        complaints[district] = complaint_file(
            actor=officer,
            data=bar_in_madre_de_dios(
                place_district=District.objects.get(code=district),
                victims=[victim],
                complainant_document_number="",
                complainant_first_names="",
                complainant_last_names="",
                complainant_anonymous=True,
            ),
        )
    dni = [
        _victim_identity(complaints[district], number)
        for district, number in ((CUSCO, "45872136"), (TAMBOPATA, "45.872.136"), (LIMA, "45872136-"))
    ]
    # One phone shared by two case files; a plate reused in a third.
    first_case = open_case(personas, complaints[CUSCO])
    second_case = open_case(personas, complaints[TAMBOPATA])
    third_case = open_case(personas, complaints[LIMA])
    phone_one = things.phone_save(actor=investigator, case_file=first_case, data={"number": "984 555 111"})
    phone_two = things.phone_save(actor=investigator, case_file=second_case, data={"number": "+51 984-555-111"})
    plate_one = things.vehicle_save(actor=investigator, case_file=first_case, data={"kind": "car", "plate": "abo-123"})
    plate_two = things.vehicle_save(actor=investigator, case_file=third_case, data={"kind": "car", "plate": "AB0 123"})
    # A name with and without accents and with a typo, the same birth date.
    born = datetime.date(1988, 3, 14)
    accents = _identity("María Elena", "Huamán Quispe", born=born)
    plain = _identity("Maria Elena", "Huaman Quispe", born=born)
    typo = _identity("Maria Elena", "Huamna Quispe", born=born)
    # 200 unrelated people with the commonest surnames, many born the same day as the planted
    # ones or one another: no first name in common with the planted name.
    rng = random.Random(12)
    crowd = []
    for index in range(200):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        if first == "María":
            first = "Marcelina"
        crowd.append(
            _identity(
                f"{first} {rng.choice(['', 'del Pilar', 'Alberto', 'Isabel'])}".strip(),
                f"{rng.choice(COMMON_SURNAMES)} {rng.choice(COMMON_SURNAMES)}",
                born=born if index % 3 == 0 else datetime.date(1960 + index % 40, 1 + index % 12, 1 + index % 28),
            )
        )
    indexing.rebuild()
    return {
        "dni": dni,
        "phones": (phone_one, phone_two),
        "plates": (plate_one, plate_two),
        "cases": (first_case, second_case, third_case),
        "name": (accents, plain, typo),
        "crowd": crowd,
        "complaints": complaints,
    }


def _pairs(identity: Identity) -> dict[int, Any]:
    return {candidate.other_id: candidate for candidate in candidates_for(identity.pk, limit=None)}


def test_one_dni_in_three_regions_is_found(planted: dict) -> None:
    first, second, third = planted["dni"]
    assert len({first.pk, second.pk, third.pk}) == 3
    directorates = {planted["complaints"][d].competent_directorate_id for d in (CUSCO, TAMBOPATA, LIMA)}
    assert len(directorates) == 3
    for identity in planted["dni"]:
        found = _pairs(identity)
        others = {first.pk, second.pk, third.pk} - {identity.pk}
        assert others <= set(found)
        for other in others:
            assert found[other].strong
            assert found[other].reasons[0] == "same_dni"
            assert found[other].score >= 0.95


def test_a_phone_shared_by_two_case_files_and_a_reused_plate_are_found(planted: dict) -> None:
    first_case, second_case, third_case = planted["cases"]
    shared = {(s.kind, s.key): s for s in thing_matches(limit=None)}
    phone = shared[(KeyKind.PHONE, "+51984555111")]
    assert phone.case_file_ids == {first_case.pk, second_case.pk}
    assert phone.reason == "same_phone"
    plate = shared[(KeyKind.PLATE, "AB0123")]
    assert plate.case_file_ids == {first_case.pk, third_case.pk}
    assert plate.reason == "same_plate"
    # From one case file: its keys found elsewhere.
    mine = {(s.kind, s.key) for s in thing_matches(case_file_id=second_case.pk)}
    assert (KeyKind.PHONE, "+51984555111") in mine
    assert (KeyKind.PLATE, "AB0123") not in mine


def test_a_name_with_and_without_accents_and_with_a_typo_is_found(planted: dict) -> None:
    accents, plain, typo = planted["name"]
    found = _pairs(accents)
    assert found[plain.pk].reasons == ["same_name_same_birth_date"]
    assert found[typo.pk].reasons == ["similar_name_same_birth_date"]
    assert not found[typo.pk].strong
    assert found[plain.pk].score > found[typo.pk].score > 0.5
    assert accents.pk in _pairs(typo)


def test_common_surnames_alone_never_make_a_candidate(planted: dict) -> None:
    crowd_ids = {identity.pk for identity in planted["crowd"]}
    planted_ids = {i.pk for i in planted["name"]} | {i.pk for i in planted["dni"]}
    for identity in planted["crowd"]:
        for candidate in candidates_for(identity.pk, limit=None):
            # Only the same first name, similar whole name and the same birth date may link two
            # of the crowd; never a surname alone, never one of the planted people.
            assert candidate.other_id not in planted_ids
            other = Identity.objects.get(pk=candidate.other_id)
            assert candidate.other_id in crowd_ids
            assert other.first_names.split()[0] == identity.first_names.split()[0]
            assert other.date_of_birth == identity.date_of_birth
            assert not candidate.strong
    for identity in planted["name"]:
        assert not set(_pairs(identity)) & crowd_ids


def test_the_crowd_shares_surnames_and_birth_dates_so_the_rule_is_exercised(planted: dict) -> None:
    """The test above cannot pass vacuously: the crowd does share surname keys and dates with the
    planted name (the blocking finds them) and the scoring drops them."""
    accents = planted["name"][0]
    own = set(MatchKey.objects.filter(identity=accents, kind=KeyKind.NAME_DATE).values_list("key", flat=True))
    crowd_ids = {identity.pk for identity in planted["crowd"]}
    sharing = set(
        MatchKey.objects.filter(kind=KeyKind.NAME_DATE, key__in=own, identity_id__in=crowd_ids).values_list(
            "identity_id", flat=True
        )
    )
    assert len(sharing) >= 5


def test_excluded_pairs_and_hooks_are_not_proposed(planted: dict) -> None:
    first, second, third = planted["dni"]
    assert {c.other_id for c in candidates_for(first.pk, exclude_pairs=[(second.pk, first.pk)])} >= {third.pk}
    assert second.pk not in {c.other_id for c in candidates_for(first.pk, exclude_pairs=[(second.pk, first.pk)])}
    assert third.pk not in {c.other_id for c in candidates_for(first.pk, exclude_pairs=lambda a, b: b == third.pk)}
    from analysis import candidates

    hook = lambda identity_id: [third.pk] if identity_id == first.pk else []  # noqa: E731
    register_exclusion(hook)
    try:
        assert third.pk not in {c.other_id for c in candidates_for(first.pk)}
    finally:
        candidates._EXCLUSION_HOOKS.remove(hook)
    assert candidate_between(first.pk, third.pk).reasons[0] == "same_dni"


# ---------------------------------------------------------------- the index kept current


def test_the_index_follows_saves_and_deletes(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    born = datetime.date(1990, 5, 2)
    with django_capture_on_commit_callbacks(execute=True):
        one = _identity("Yesica", "Mamani Condori", born=born)
        two = _identity("Yessica", "Mamani Condory", born=born)
        three = _identity("Rocío", "Mamani Condori", born=born)
    found = _pairs(one)
    assert found[two.pk].reasons == ["similar_name_same_birth_date"]
    assert three.pk not in found  # the same surnames and birth date, another first name
    with django_capture_on_commit_callbacks(execute=True):
        IdentityDocument.objects.create(identity=three, document_type="dni", number="70112233", source="complaint")
        document = IdentityDocument.objects.create(
            identity=one, document_type="dni", number="70112233", source="investigation"
        )
    assert _pairs(one)[three.pk].reasons == ["same_dni"]
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert three.pk not in _pairs(one)
    with django_capture_on_commit_callbacks(execute=True):
        two.date_of_birth = datetime.date(1990, 5, 3)
        two.save()
    assert two.pk not in _pairs(one)


def test_case_things_are_indexed_on_save(
    personas: dict, complaints: dict, django_capture_on_commit_callbacks: Any
) -> None:
    investigator = personas["regional_investigator"]
    case = open_case(personas, complaints["frozen"])
    with django_capture_on_commit_callbacks(execute=True):
        phone = things.phone_save(actor=investigator, case_file=case, data={"number": "984 777 000"})
    row = MatchKey.objects.get(source_model="investigations.casephone", source_pk=phone.pk)
    assert (row.kind, row.key, row.case_file_id, row.thing_kind) == ("phone", "+51984777000", case.pk, "case_phone")


def test_the_rebuild_command_reports_counts(planted: dict, capsys: Any) -> None:
    before = MatchKey.objects.count()
    call_command("rebuild_match_index")
    output = capsys.readouterr().out
    assert "Match index rebuilt" in output
    assert f"{before} keys" in output
    assert MatchKey.objects.count() == before


def test_a_filed_complaint_indexes_its_persons_on_commit(
    personas: dict, django_capture_on_commit_callbacks: Any
) -> None:
    officer = personas["station_officer"]
    filed = []
    for district in (CUSCO, LIMA):
        with django_capture_on_commit_callbacks(execute=True):
            filed.append(
                complaint_file(
                    actor=officer, data=bar_in_madre_de_dios(place_district=District.objects.get(code=district))
                )
            )
    first, second = (complaint.victims.get().person.identity for complaint in filed)
    assert first.pk != second.pk
    rows = MatchKey.objects.filter(identity=first, kind=KeyKind.DOCUMENT, source_model="complaints.person")
    assert list(rows.values_list("key", "complaint_id")) == [("76543210", filed[0].pk)]
    # The victim's age (16 on the date of the facts) gives her year of birth.
    assert MatchKey.objects.filter(identity=first, kind=KeyKind.BIRTH_YEAR, key="2010").exists()
    candidate = candidate_between(first.pk, second.pk)
    assert candidate is not None
    assert candidate.reasons[0] == "same_dni"
