"""The legacy import (`import_complaints`, complaints.importing): every line checked first, bad lines
named, all or nothing unless --skip-invalid, the same file twice imports once, and each record
registered through the legacy service (its date's profile, frozen, its own time, no alert)."""

from __future__ import annotations

import copy
import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from administration.models import UnitCounter
from audit.models import AuditEvent
from complaints import importing
from complaints.importing import Catalogue, RecordError, complaints_import, parse_record, split_name
from complaints.models import Alert, Complaint
from complaints.services import ComplaintData, VictimData, complaint_file

pytestmark = pytest.mark.django_db

BASE: dict[str, Any] = {
    "number": "DIRTEPOL-CUSCO-CPNP-1-2010-000012",
    "registering_unit": "DIRTEPOL-CUSCO-CPNP-1",
    "origin": "station",
    "registered_at": "2010-05-03T10:15:00",
    "date_of_facts": "2010-04-28",
    "place": {"ubigeo": "170101", "address": "Av. León Velarde 1020"},
    "victims": [{"sex": "F", "age": 16, "minor": None, "nationality": "PE"}],
    "suspects": [
        {"sex": "M", "identified": True, "name": "Juan Carlos Pérez Quispe"},
        {"sex": "F", "identified": False, "name": None},
    ],
    "conducts": ["recruitment", "transfer"],
    "means": ["deception"],
    "purposes": ["prostitution"],
    "case_facts": [],
    "related_facts": [],
    "narrative": "Captada en Cusco con una falsa oferta de trabajo.",
}


def record(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def line(**changes: Any) -> str:
    return json.dumps(record(**changes), ensure_ascii=False)


def numbered(n: int, year: int = 2010) -> str:
    return line(number=f"DIRTEPOL-CUSCO-CPNP-1-{year}-{n:06d}")


@pytest.fixture
def admin(personas: dict) -> Any:
    return personas["national_admin"]


def run(tmp_path: Path, lines: list[str], *args: str, user: str = "national.admin") -> tuple[int, str, str]:
    """The command as an operator runs it: (exit status, stdout, stderr)."""
    path = tmp_path / "denuncias.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_complaints", str(path), "--user", user, *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the file


def test_a_bad_line_is_named_and_nothing_is_imported(tmp_path: Path, admin: Any) -> None:
    status, out, err = run(tmp_path, [numbered(1), line(number="X-2", registering_unit="NO-EXISTE"), numbered(3)])

    assert status == 2
    assert "Línea 2: unidad desconocida" in err and "NO-EXISTE" in err
    assert "no se importó nada" in err
    assert "Importadas: 0" in out and "Con errores: 1" in out
    assert Complaint.objects.count() == 0


def test_skip_invalid_imports_the_valid_lines_and_lists_the_bad_ones(tmp_path: Path, admin: Any) -> None:
    status, out, err = run(tmp_path, [numbered(1), "{no es json", numbered(3)], "--skip-invalid")

    assert status == 0
    assert "Línea 2: JSON inválido" in err
    assert "Importadas: 2" in out and "Con errores: 1" in out
    assert set(Complaint.objects.values_list("number", flat=True)) == {
        "DIRTEPOL-CUSCO-CPNP-1-2010-000001",
        "DIRTEPOL-CUSCO-CPNP-1-2010-000003",
    }


def test_the_same_file_twice_imports_once(tmp_path: Path, admin: Any) -> None:
    lines = [numbered(1), numbered(2)]
    first = run(tmp_path, lines)
    second = run(tmp_path, lines)

    assert first[0] == 0 and "Importadas: 2" in first[1]
    assert second[0] == 0 and "Importadas: 0" in second[1] and "Ya existentes (omitidas): 2" in second[1]
    assert Complaint.objects.count() == 2
    assert AuditEvent.objects.filter(event="complaints_import").count() == 1  # the second run changed nothing


def test_blank_lines_are_ignored_and_line_numbers_count_them(tmp_path: Path, admin: Any) -> None:
    status, _out, err = run(tmp_path, [numbered(1), "", line(number="X-3", origin="fax")])

    assert status == 2
    assert "Línea 3: «origin» desconocido" in err


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path, admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importing.complaint_register_imported
    calls = []

    def fail_on_the_second(**kwargs: Any) -> Complaint:
        calls.append(kwargs["number"])
        if len(calls) == 2:
            raise importing.ComplaintError("La denuncia ya existe.", field="number")
        return real(**kwargs)

    monkeypatch.setattr(importing, "complaint_register_imported", fail_on_the_second)
    status, _out, err = run(tmp_path, [numbered(1), numbered(2), numbered(3)])

    assert status == 2
    assert "Línea 2: La denuncia ya existe." in err and "no se importó nada" in err
    assert Complaint.objects.count() == 0


def test_only_an_active_national_administrator_may_import(tmp_path: Path, personas: dict) -> None:
    status, _out, err = run(tmp_path, [numbered(1)], user="station.officer")
    assert status == 2 and "no es de administrador nacional" in err
    status, _out, err = run(tmp_path, [numbered(1)], user="nadie")
    assert status == 2 and "No existe la cuenta nadie" in err
    assert Complaint.objects.count() == 0


def test_a_missing_file_is_reported(personas: dict) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_complaints", "/no/existe.jsonl", "--user", "national.admin", stderr=err)
    assert exit_.value.code == 2
    assert "No existe el archivo /no/existe.jsonl" in err.getvalue()


# ---------------------------------------------------------------- each field


BAD_LINES = [
    ("not an object", "[1, 2]", "cada línea debe ser un objeto JSON"),
    ("unknown field", line(color="rojo"), "campo desconocido «color»"),
    ("missing number", line(number=""), "falta «number»"),
    ("number with spaces", line(number="A 1"), "no puede estar vacío ni tener espacios"),
    ("unknown unit", line(registering_unit="DIRTEPOL-MARTE"), "unidad desconocida en «registering_unit»"),
    ("unit that does not register", line(registering_unit="MININTER"), "no registra denuncias"),
    ("bad origin", line(origin="email"), "«origin» desconocido"),
    ("bad registration time", line(registered_at="03/05/2010"), "no es una fecha y hora ISO 8601"),
    ("registration in the future", line(registered_at="2999-01-01T00:00:00"), "posterior a este momento"),
    ("place not an object", line(place="Cusco"), "«place» debe ser un objeto"),
    ("unknown place field", line(place={"ubigeo": "170101", "city": "x"}), "«place»: campo desconocido «city»"),
    ("unknown ubigeo", line(place={"ubigeo": "999999", "address": ""}), "ubigeo desconocido"),
    ("bad kind of place", line(place={"ubigeo": "170101", "kind": "castle"}), "«place.kind» desconocido"),
    ("address too long", line(place={"ubigeo": "170101", "address": "x" * 301}), "el máximo es 300"),
    ("unknown conduct", line(conducts=["kidnapping"]), "Código desconocido en «conducts»"),
    ("unknown purpose", line(purposes=["fun"]), "Código desconocido en «purposes»"),
    ("codes not a list", line(means="deception"), "«means» debe ser una lista"),
    ("bad date of facts", line(date_of_facts="2010-02-30"), "no existe"),
    ("malformed date of facts", line(date_of_facts="28/04/2010"), "debe ser una fecha AAAA-MM-DD"),
    ("facts in the future", line(date_of_facts="2999-01-01", registered_at="2010-05-03T10:00:00"), "posterior a hoy"),
    ("registered before the facts", line(date_of_facts="2010-05-04"), "es anterior a la fecha de los hechos"),
    ("no victim", line(victims=[]), "Registre al menos una víctima."),
    ("victims not a list", line(victims={"sex": "F"}), "«victims» debe ser una lista"),
    ("bad victim sex", line(victims=[{"sex": "X"}]), "Víctima 1: «sex» debe ser"),
    ("bad victim age", line(victims=[{"age": 200}]), "Víctima 1: «age» debe ser un número entero"),
    ("bad nationality", line(victims=[{"nationality": "Perú"}]), "«nationality» debe ser un código de país"),
    ("age against minor", line(victims=[{"age": 25, "minor": True}]), "la edad (25) contradice «minor»"),
    ("unknown victim field", line(victims=[{"name": "Ana"}]), "Víctima 1: campo desconocido «name»"),
    (
        "identified suspect with no name",
        line(suspects=[{"sex": "M", "identified": True}]),
        "Presunto tratante 1: «identified» es verdadero pero falta «name»",
    ),
    (
        "unidentified suspect with a name",
        line(suspects=[{"identified": False, "name": "Ana"}]),
        "«identified» es falso pero tiene nombre",
    ),
    (
        "suspect name too long",
        line(suspects=[{"identified": True, "name": "x" * 130}]),
        "Presunto tratante 1: «name» es demasiado largo",
    ),
    ("other agency with no name", line(origin="other_agency"), "Indique el nombre de la entidad"),
    ("narrative not text", line(narrative=12), "«narrative» debe ser un texto"),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_LINES], ids=[case[0] for case in BAD_LINES])
def test_each_field_is_checked(units: dict, text: str, expected: str) -> None:
    records, errors, count = importing.read_records([numbered(1), text], catalogue=Catalogue.load())

    assert count == 2 and len(records) == 1
    assert [error.line for error in errors] == [2]
    assert expected in errors[0].message, errors[0].message


def test_a_number_repeated_in_the_file_names_the_first_line(units: dict) -> None:
    _records, errors, _count = importing.read_records(
        [numbered(1), numbered(2), numbered(1)], catalogue=Catalogue.load()
    )

    assert [str(error) for error in errors] == [
        "Línea 3: el número DIRTEPOL-CUSCO-CPNP-1-2010-000001 está repetido: ya aparece en la línea 1."
    ]


def test_optional_fields_are_read(units: dict) -> None:
    number, unit, registered_at, data = parse_record(
        record(
            origin="other_agency",
            other_agency_name="Ministerio Público",
            paper_serial="F-000123",
            responsible_officer="S3 PNP Ana Ríos",
            place={"ubigeo": "170101", "address": " Jr. Puno 5 ", "kind": "bar_nightclub"},
            victims=[{"sex": "F", "age": None, "minor": True, "nationality": "bo", "consented": True}],
            conducts=["transfer", "recruitment", "transfer"],
        ),
        catalogue=Catalogue.load(),
    )

    assert (number, unit.code) == ("DIRTEPOL-CUSCO-CPNP-1-2010-000012", "DIRTEPOL-CUSCO-CPNP-1")
    assert (data.other_agency_name, data.paper_serial, data.responsible_officer) == (
        "Ministerio Público",
        "F-000123",
        "S3 PNP Ana Ríos",
    )
    assert (data.place_address, data.place_kind) == ("Jr. Puno 5", "bar_nightclub")
    assert data.conducts == ["transfer", "recruitment"]  # the file's order, once each
    victim = data.victims[0]
    assert (victim.age, victim.minor, victim.nationality, victim.consented) == (None, True, "BO", True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("QUISPE MAMANI, Juan Carlos", ("Juan Carlos", "QUISPE MAMANI")),
        ("Juan Carlos Pérez Quispe", ("Juan Carlos", "Pérez Quispe")),
        ("Rosa María Elena Huamán Condori", ("Rosa María Elena", "Huamán Condori")),
        ("Juan Pérez Quispe", ("Juan Pérez Quispe", "")),  # one given name or two? unsure
        ("Juan Pérez", ("Juan Pérez", "")),
        ("María de la Cruz Flores", ("María de la Cruz Flores", "")),  # a particle: unsure
        ("  «El Chato»  ", ("«El Chato»", "")),
        ("Pérez,", ("Pérez", "")),
    ],
)
def test_a_name_is_split_only_when_it_is_clear(name: str, expected: tuple[str, str]) -> None:
    assert split_name(name) == expected


# ---------------------------------------------------------------- what is written


def test_a_record_is_registered_like_the_original_with_its_dates_profile(units: dict, admin: Any) -> None:
    report = complaints_import(
        actor=admin,
        lines=[
            numbered(1),
            line(number="B-1", date_of_facts="2016-03-01", registered_at="2016-03-10T09:00:00-05:00"),
            line(number="B-2", date_of_facts="2022-06-01", registered_at="2022-06-02T14:30:00Z"),
            line(number="B-3", date_of_facts="2005-06-01", registered_at="2005-06-02T08:00:00"),
        ],
    )
    assert len(report.imported) == 4

    old = Complaint.objects.get(number="DIRTEPOL-CUSCO-CPNP-1-2010-000001")
    assert (old.law_profile, old.outcome, old.purpose_categories) == ("PE-2007", "trafficking", ["sexual_exploitation"])
    assert old.is_frozen and old.status == Complaint.Status.SUBMITTED
    lima = datetime.timezone(datetime.timedelta(hours=-5))
    assert old.submitted_at == datetime.datetime(2010, 5, 3, 10, 15, tzinfo=lima)  # naive: Lima time
    assert old.created_at == old.submitted_at
    assert old.registration_delay_days == 5
    assert old.author == admin and old.registering_unit == units["DIRTEPOL-CUSCO-CPNP-1"]
    assert old.competent_directorate == units["DIRTEPOL-MADRE-DE-DIOS"]
    assert old.classification["law"] == "PE-2007"
    assert Complaint.objects.get(number="B-1").law_profile == "PE-2014"
    latest = Complaint.objects.get(number="B-2")
    assert latest.law_profile == "PE-2021" and latest.classification["article"] == "129-A"
    assert latest.submitted_at == datetime.datetime(2022, 6, 2, 14, 30, tzinfo=datetime.UTC)
    assert "facts_before_law_28950" in Complaint.objects.get(number="B-3").classification["warnings"]

    assert Alert.objects.count() == 0  # imported records raise no alert
    assert old.history.filter(history_change_reason="imported").exists()
    assert AuditEvent.objects.filter(event="complaint_imported").count() == 4
    event = AuditEvent.objects.get(event="complaints_import")
    assert event.user == admin and event.details["imported"] == 4


def test_people_are_written_as_the_file_says(units: dict, admin: Any) -> None:
    complaints_import(actor=admin, lines=[numbered(1)])
    complaint = Complaint.objects.get()

    victim = complaint.victims.select_related("person").get()
    assert (victim.age, victim.minor, victim.person.sex, victim.person.nationality) == (16, None, "F", "PE")
    assert victim.person.full_name == ""
    identified, unidentified = complaint.suspects.select_related("person").order_by("position")
    assert (identified.person.first_names, identified.person.last_names) == ("Juan Carlos", "Pérez Quispe")
    assert identified.identified and identified.person.sex == "M"
    assert unidentified.person.full_name == "" and not unidentified.identified
    assert "perez quispe" in complaint.search_text


@pytest.mark.usefixtures("clock_stopped")  # the year is read here, by the import and by the filing
def test_an_imported_number_moves_the_units_counter_past_it(units: dict, personas: dict) -> None:
    year = timezone.localdate().year
    complaints_import(
        actor=personas["national_admin"],
        lines=[
            line(
                number=f"DIRTEPOL-CUSCO-CPNP-1-{year}-000050",
                registered_at=timezone.now().isoformat(),
                date_of_facts=timezone.localdate().isoformat(),
            )
        ],
    )
    counters = UnitCounter.objects.filter(series="complaint")
    assert counters.get(unit=units["DIRTEPOL-CUSCO-CPNP-1"], year=year).last_number == 50

    data = ComplaintData(
        facts_date=timezone.localdate(),
        place_district=units["DIRTEPOL-CUSCO-CPNP-1"].district,
        narrative="Relato.",
        responsible_officer="S3 PNP Rosa Huamán",
        conducts=["recruitment"],
        victims=[VictimData(sex="F", age=15)],
    )
    filed = complaint_file(actor=personas["station_officer"], data=data)
    assert filed.number == f"DIRTEPOL-CUSCO-CPNP-1-{year}-000051"


def test_counters_move_forward_never_back(units: dict, admin: Any) -> None:
    unit = units["DIRTEPOL-CUSCO-CPNP-1"]
    UnitCounter.objects.create(unit=unit, year=2010, series="complaint", last_number=70)
    UnitCounter.objects.create(unit=unit, year=2011, series="complaint", last_number=10)
    complaints_import(actor=admin, lines=[numbered(50, 2010), numbered(50, 2011), numbered(49, 2011)])

    counters = UnitCounter.objects.filter(series="complaint", unit=unit)
    assert dict(counters.values_list("year", "last_number")) == {2010: 70, 2011: 50}


def test_a_number_in_another_format_leaves_the_counters_alone(units: dict, admin: Any) -> None:
    complaints_import(actor=admin, lines=[line(number="RETA-2010-0042")])
    assert not UnitCounter.objects.filter(series="complaint").exists()


def test_a_record_that_breaks_a_rule_raises_record_error(units: dict) -> None:
    with pytest.raises(RecordError) as error:
        parse_record(record(victims=[{"age": 25, "minor": True}]), catalogue=Catalogue.load())
    assert error.value.message == "Víctima 1: la edad (25) contradice «minor» (true)."
