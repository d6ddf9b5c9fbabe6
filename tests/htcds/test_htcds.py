"""The HTCDS export (issue 13 item 6): only values of the HTCDS v2 picklists, k-anonymity (k ≥ 5)
on age band, sex, nationality, department and year, no names, documents or free text, the scope
of the statistics, and an audit event per download."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from complaints.catalogues import PlaceKind, Sex
from complaints.rules.codes import PURPOSES
from complaints.services import VictimData, complaint_file
from htcds import exports, mapping, records, standard
from htcds.anonymity import (
    LADDERS,
    MAX_SUPPRESSED_SHARE,
    QUASI_COLUMNS,
    K,
    Period,
    anonymise,
    quasi_facts,
    quasi_key,
    summarise,
)
from htcds.records import VictimFacts
from investigations.models import CaseStatus, RecruitmentMethod
from stats.codes import AGE_BAND_CODES, CATEGORY_CODES, MEANS_CODES, NATIONALITY_CODES, OUTCOME_CODES
from tests.factories.complaints import bar_in_madre_de_dios

# ---------------------------------------------------------------- helpers


def _csv_records(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The notes (label → value) and the records of an exported CSV."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows.index(list(mapping.COLUMN_NAMES))
    notes = {row[0]: row[1] for row in rows[:header] if len(row) == 2}
    return notes, [dict(zip(mapping.COLUMN_NAMES, row, strict=True)) for row in rows[header + 1 :]]


def _xlsx_records(content: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["records"]
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == mapping.COLUMN_NAMES
    notes = {label: value for label, value in workbook["notes"].iter_rows(values_only=True)}
    return notes, [dict(zip(mapping.COLUMN_NAMES, row, strict=True)) for row in rows[1:]]


def _csv_text(result: Any, covered: exports.Covered) -> str:
    first, lines = exports.csv_lines(result, covered)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(first)
    writer.writerows(lines)
    return buffer.getvalue()


def _extra_domain(name: str) -> set[str]:
    """The values RETA's extras may take, at any level of generalisation."""
    if name == "reta_AgeBand":
        return {value for level in mapping.AGE_LEVELS for value in level.values()} | {
            mapping.MINOR_BAND,
            mapping.ADULT_BAND,
        }
    if name == "reta_DepartmentOfFacts":
        return {value for pair in mapping.DEPARTMENTS.values() for value in pair}
    raise AssertionError(name)


def assert_conforms(records: list[dict[str, str]]) -> None:
    """Every value of every HTCDS column is in the field's picklist (or blank); RETA's extras hold
    their own documented values."""
    lists = standard.picklists()
    for record in records:
        for column in mapping.COLUMNS:
            cell = record[column.name]
            if cell == "":
                continue
            values = cell.split(mapping.SEPARATOR) if column.multi else [cell]
            if column.picklist:
                assert set(values) <= set(lists[column.picklist]), (column.name, values)
            elif column.name == "reta_YearOfRegistration":
                assert all(part.isdigit() and len(part) == 4 for part in cell.split("-")), cell
            else:
                assert set(values) <= _extra_domain(column.name), (column.name, values)


def assert_k_anonymous(records: list[dict[str, str]], k: int = K) -> None:
    counts = Counter(quasi_key(record) for record in records)
    rare = {key: count for key, count in counts.items() if count < k}
    assert rare == {}


# ---------------------------------------------------------------- the standard and the mapping


def test_the_copied_standard_has_its_37_core_fields_and_its_picklists() -> None:
    fields = standard.core_fields()
    assert len(fields) == 37
    assert fields["vic_TypeOfExploitation"] == "Type of Exploitation"
    lists = standard.picklists()
    assert len(lists["Country"]) == len(lists["Country Code"]) == 249
    assert "Debt bondage " in lists["Methods of Control"]  # kept exactly as published
    assert standard.country_names()["PE"] == "Peru"
    assert "CC BY 4.0" in standard.ATTRIBUTION and "IOM" in standard.ATTRIBUTION


def test_every_htcds_column_is_a_core_field_and_every_extra_is_marked() -> None:
    fields = standard.core_fields()
    for column in mapping.COLUMNS:
        if column.htcds:
            assert column.name in fields
        else:
            assert column.name.startswith("reta_") and column.name not in fields


@pytest.mark.parametrize(
    ("table", "codes", "picklist"),
    [
        (mapping.SEX_TO_GENDER, [*Sex.values, ""], "Gender"),
        (mapping.NATIONALITY_TO_COUNTRY_CODE, [*NATIONALITY_CODES, ""], "Country Code"),
        (mapping.PURPOSE_TO_EXPLOITATION, [purpose.code for purpose in PURPOSES], "Type of Exploitation"),
        (mapping.PURPOSE_TO_SEX_EXPLOITATION, [purpose.code for purpose in PURPOSES], "Type of Sex Exploitation"),
        (mapping.CATEGORY_TO_EXPLOITATION, CATEGORY_CODES, "Type of Exploitation"),
        (mapping.PLACE_KIND_TO_INDUSTRY, [*PlaceKind.values, ""], "Forced Labour Industry"),
        (mapping.MEANS_TO_CONTROL, MEANS_CODES, "Methods of Control"),
        (mapping.RECRUITMENT_TO_METHOD, RecruitmentMethod.values, "Method of Recruitment"),
        (mapping.CASE_STATUS_TO_STATUS, CaseStatus.values, "Status"),
        (mapping.OUTCOME_TO_TRAFFICKING_STATUS, OUTCOME_CODES, "Trafficking Status"),
    ],
)
def test_every_reta_code_is_mapped_explicitly_to_a_picklist_value_or_blank(
    table: dict[str, str | None], codes: list[str], picklist: str
) -> None:
    assert set(table) == set(codes)
    mapped = {value for value in table.values() if value is not None}
    assert mapped <= set(standard.picklist(picklist)), mapped - set(standard.picklist(picklist))


def test_the_fixed_values_and_the_generalisations_stay_in_their_domains() -> None:
    assert mapping.DECISION_ORGANISATION in standard.picklist("Trafficking Status Decision Making Organization")
    assert set(mapping.STATUS_PRECEDENCE) == set(standard.picklist("Status"))
    assert all(set(level) == set(AGE_BAND_CODES) for level in mapping.AGE_LEVELS)
    assert mapping.KEPT_NATIONALITIES <= set(standard.picklist("Country Code"))
    assert len(mapping.DEPARTMENTS) == 25


def test_the_documentation_lists_every_column_and_every_mapped_code() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "htcds.md").read_text(encoding="utf-8")
    for name in mapping.COLUMN_NAMES:
        assert f"`{name}`" in text
    for table in (
        mapping.PURPOSE_TO_EXPLOITATION,
        mapping.MEANS_TO_CONTROL,
        mapping.RECRUITMENT_TO_METHOD,
        mapping.PLACE_KIND_TO_INDUSTRY,
        mapping.CASE_STATUS_TO_STATUS,
    ):
        for code in table:
            if code:
                assert f"`{code}`" in text, code
    assert "Human Trafficking Case Data Standard (HTCDS) by IOM" in text


# ---------------------------------------------------------------- k-anonymity on synthetic data


def _facts(count: int, **values: Any) -> list[VictimFacts]:
    base: dict[str, Any] = {
        "year": 2010,
        "department": "15",
        "sex": "F",
        "age_band": "18-24",
        "minor": False,
        "nationality": "PE",
        "outcome": "trafficking",
        "purposes": ("prostitution",),
        "means": ("deception",),
    }
    return [VictimFacts(**{**base, **values}) for _ in range(count)]


def test_common_combinations_are_kept_as_recorded() -> None:
    facts = _facts(10) + _facts(6, department="08", year=2011)
    result = anonymise(facts, period=Period(2010, 2011))
    assert result.suppressed == 0 and result.generalised == []
    assert {row["reta_DepartmentOfFacts"] for row in result.rows} == {"Lima", "Cusco"}
    assert_k_anonymous(result.rows)


def test_rare_combinations_are_generalised_then_suppressed_and_reported() -> None:
    # Groups of four women in ten departments (each too small alone, enough by macro-region), and
    # two lone men: a Chinese man in Puno and a Venezuelan boy of 14 in Loreto.
    facts: list[VictimFacts] = []
    for department in ("15", "07", "08", "21", "04", "03", "05", "16", "17", "25"):
        facts += _facts(4, department=department)
    facts += _facts(1, sex="M", nationality="CN", department="21", age_band="35+")
    facts += _facts(1, sex="M", nationality="VE", department="16", age_band="14-17", minor=True)
    result = anonymise(facts, period=Period(2010, 2010))

    assert_k_anonymous(result.rows)
    assert result.total == 42
    assert result.generalised == ["department"]  # generalised first, to the macro-region...
    assert result.level_names()["department"] == "macro_region"
    assert {row["reta_DepartmentOfFacts"] for row in result.rows} == {"Lima y Callao", "Sur", "Oriente"}
    assert result.suppressed == 2 and len(result.rows) == 40  # ... then the two men suppressed
    assert result.level_names()["sex"] == "sex"  # sex is never generalised
    # The notes of the export say both.
    notes, records = _csv_records(_csv_text(result, exports.Covered(2010, 2010, "todo el país")))
    assert len(records) == 40
    assert notes["Registros suprimidos (k-anonimato)"] == "2"
    assert notes["Generalizado: Departamento de los hechos"].startswith("generalizado a la macrorregión")
    assert_conforms(records)


def test_fewer_victims_than_k_exports_nothing_and_says_so() -> None:
    result = anonymise(_facts(4), period=Period(2010, 2010))
    assert result.rows == [] and result.suppressed == 4


def test_every_combination_of_a_random_set_is_seen_at_least_k_times() -> None:
    import random

    chance = random.Random(13)  # noqa: S311 - test data
    departments = list(mapping.DEPARTMENTS)
    facts = [
        VictimFacts(
            year=chance.randint(2004, 2011),
            department=chance.choice(departments),
            sex=chance.choice(["F", "F", "F", "M", ""]),
            age_band=chance.choice([*AGE_BAND_CODES, ""]),
            minor=None,
            nationality=chance.choice(["PE", "PE", "PE", "VE", "CO", "other", ""]),
            outcome="trafficking",
            purposes=(chance.choice([purpose.code for purpose in PURPOSES]),),
            means=tuple(chance.sample(MEANS_CODES, 2)),
            place_kind=chance.choice(PlaceKind.values),
        )
        for _ in range(400)
    ]
    result = anonymise(facts, period=Period(2004, 2011))
    assert_k_anonymous(result.rows)
    assert_conforms(result.rows)
    at_top = all(result.levels[qi] == ladder.top for qi, ladder in LADDERS.items())
    assert result.suppressed <= int(400 * MAX_SUPPRESSED_SHARE) or at_top
    assert set(QUASI_COLUMNS) <= set(mapping.COLUMN_NAMES)
    _assert_summary_matches(facts, Period(2004, 2011), result)


def _assert_summary_matches(facts: list[VictimFacts], period: Period, result: Any) -> None:
    """The page's figures (`summarise`, from counts of victims alike on the quasi-identifiers)
    are the export's."""
    groups = Counter(quasi_facts(item) for item in facts)
    first = {quasi_facts(item): item for item in reversed(facts)}
    summary = summarise([(first[key], count) for key, count in groups.items()], period=period)
    assert (summary.levels, summary.total, summary.suppressed, summary.k) == (
        result.levels,
        result.total,
        result.suppressed,
        result.k,
    )
    assert summary.exported == len(result.rows)


def test_the_summary_from_counts_is_the_exports() -> None:
    """Generalisation and suppression both happen here (the set of the test above), and a set
    where no generalisation is needed and one where everything is suppressed."""
    facts: list[VictimFacts] = []
    for department in ("15", "07", "08", "21", "04", "03", "05", "16", "17", "25"):
        facts += _facts(4, department=department)
    facts += _facts(1, sex="M", nationality="CN", department="21", age_band="35+")
    facts += _facts(1, sex="M", nationality="VE", department="16", age_band="14-17", minor=True)
    result = anonymise(facts, period=Period(2010, 2010))
    assert result.suppressed == 2 and result.generalised == ["department"]
    _assert_summary_matches(facts, Period(2010, 2010), result)
    for facts in (_facts(10) + _facts(6, department="08", year=2011), _facts(4)):
        _assert_summary_matches(facts, Period(2010, 2011), anonymise(facts, period=Period(2010, 2011)))


# ---------------------------------------------------------------- through the pages


def _victims(prefix: str, count: int) -> list[VictimData]:
    return [
        VictimData(first_names=f"{prefix}{index}", last_names="Zzyzxquiroga", sex="F", age=20, nationality="PE")
        for index in range(count)
    ]


PLANTED_NAME = "Zzyzxquiroga"
PLANTED_NARRATIVE = "Relato inconfundible de la yunga ardiente"
PLANTED_DOCUMENT = "99887766"


@pytest.fixture
def planted(personas: dict) -> Any:
    """A complaint of the Cusco station (facts in Madre de Dios) with six adult women: enough to be
    exported; names, a document and a narrative that must never reach the export."""
    victims = _victims("Wendolyne", 6)
    victims[0].document_type, victims[0].document_number = "dni", PLANTED_DOCUMENT
    return complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(victims=victims, narrative=PLANTED_NARRATIVE),
    )


@pytest.mark.django_db
def test_no_name_document_or_free_text_reaches_either_file(planted: Any, clients: dict) -> None:
    client = clients["monitor"]
    response = client.get(reverse("htcds:download", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    notes, records = _csv_records(content.decode("utf-8"))
    assert len(records) == 6  # the planted victims are exported...
    xlsx = client.get(reverse("htcds:download", kwargs={"fmt": "xlsx"})).content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        unpacked = b"".join(archive.read(name) for name in archive.namelist())
    for raw in (content, unpacked):  # ... and nothing of who they are
        for secret in (PLANTED_NAME, "Wendolyne", PLANTED_NARRATIVE, PLANTED_DOCUMENT, "La Tía", "León Velarde"):
            assert secret.encode() not in raw
    assert_conforms(records)
    assert {record["vic_TypeOfSexExploitation"] for record in records} == {"Prostitution"}
    assert {record["vic_MethodsOfControl"] for record in records} == {"False promises"}


@pytest.mark.django_db
def test_a_regional_investigator_exports_her_directorate_only(planted: Any, personas: dict, clients: dict) -> None:
    lima = bar_in_madre_de_dios(victims=_victims("Lima", 5))
    from administration.models import District

    lima.place_district = District.objects.get(code="150101")
    complaint_file(actor=personas["outsider"], data=lima)

    def exported(name: str) -> int:
        response = clients[name].get(reverse("htcds:download", kwargs={"fmt": "csv"}))
        return len(_csv_records(b"".join(response.streaming_content).decode("utf-8"))[1])

    assert exported("national_investigator") == 11
    assert exported("monitor") == 11
    assert exported("regional_investigator") == 6  # Cusco's complaint, not Lima's
    assert clients["station_officer"].get(reverse("htcds:download", kwargs={"fmt": "csv"})).status_code == 403
    assert clients["auditor"].get(reverse("htcds:export")).status_code == 403


@pytest.mark.django_db
def test_each_download_is_audited_with_scope_period_rows_and_suppressed(planted: Any, clients: dict) -> None:
    year = planted.submitted_at.astimezone(timezone.get_current_timezone()).year
    before = AuditEvent.objects.count()
    response = clients["regional_investigator"].get(
        reverse("htcds:download", kwargs={"fmt": "xlsx"}), {"year_from": year, "year_to": year}
    )
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.event == "export" and event.user_name == "regional.investigator"
    details = event.details
    assert details["export"] == "htcds" and details["format"] == "xlsx"
    assert (details["year_from"], details["year_to"]) == (year, year)
    assert details["rows"] == 6 and details["suppressed"] == 0
    assert "Cusco" in details["scope"]


@pytest.mark.django_db
def test_the_page_shows_what_the_export_holds_in_spanish(planted: Any, clients: dict) -> None:
    response = clients["monitor"].get(reverse("htcds:export"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Exportación en el estándar HTCDS" in page
    assert "Registros suprimidos (k-anonimato)" in page
    assert reverse("htcds:download", kwargs={"fmt": "xlsx"}) in page
    assert "Human Trafficking Case Data Standard (HTCDS) by IOM" in page
    assert PLANTED_NAME not in page
    before = AuditEvent.objects.count()
    bad = clients["monitor"].get(reverse("htcds:download", kwargs={"fmt": "csv"}), {"year_from": "dos mil"})
    assert bad.status_code == 400
    assert "Introduzca un número entero" in bad.content.decode()
    assert AuditEvent.objects.count() == before  # nothing exported, nothing audited
    assert clients["monitor"].get(reverse("htcds:download", kwargs={"fmt": "pdf"})).status_code == 404


# ---------------------------------------------------------------- catalogue additions


def test_entries_added_to_the_catalogues_map_to_other_or_blank_never_outside_the_picklists() -> None:
    """A kind of place or a recruitment method an administrator added since the mapping was
    written: the picklist's "Other" where the field has one (Method of Recruitment), else blank
    (Forced Labour Industry has no "Other" or "Unknown": docs/htcds.md)."""
    assert mapping.RECRUITMENT_ADDED in standard.picklist("Method of Recruitment")
    assert mapping.PLACE_KIND_ADDED is None
    assert "Other" not in standard.picklist("Forced Labour Industry")
    assert "Unknown" not in standard.picklist("Forced Labour Industry")
    labour = _facts(
        K, purposes=("forced_labour",), place_kind="fishing_camp", recruitment=("job_fair", "social_network")
    )
    values = records.coded_values(labour[0])
    assert values["vic_ForcedLabourIndustry"] == ""
    assert values["vic_MethodOfRecruitment"] == "Other | Through online social networks"
    known = records.coded_values(_facts(1, purposes=("forced_labour",), place_kind="mine")[0])
    assert known["vic_ForcedLabourIndustry"] == "Mining and quarrying"  # the table still wins
    result = anonymise(labour, period=Period(2010, 2010))
    assert len(result.rows) == K
    assert_conforms(result.rows)


@pytest.mark.django_db
def test_a_kind_of_place_added_by_an_administrator_reaches_the_export_as_its_own_code(
    personas: dict, clients: dict
) -> None:
    from administration.access import Scope
    from administration.models import Catalogue
    from administration.services import catalogue_entry_add, catalogues_seed
    from htcds.selectors import victim_facts

    catalogues_seed()
    catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.PLACE_KIND,
        code="fishing_camp",
        label_es="Campamento pesquero",
        label_en="Fishing camp",
        order=1,
    )
    complaint = complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(victims=_victims("Pesca", 6), place_kind="fishing_camp", purposes=["forced_labour"]),
    )
    year = complaint.submitted_at.astimezone(timezone.get_current_timezone()).year
    facts = victim_facts(scope=Scope.national(), year_from=year, year_to=year)
    assert [fact.place_kind for fact in facts] == ["fishing_camp"] * 6
    response = clients["monitor"].get(
        reverse("htcds:download", kwargs={"fmt": "csv"}), {"year_from": year, "year_to": year}
    )
    _notes, exported = _csv_records(b"".join(response.streaming_content).decode("utf-8"))
    assert len(exported) == 6
    assert_conforms(exported)
    assert {record["vic_TypeOfExploitation"] for record in exported} == {"Forced labour"}
    assert {record["vic_ForcedLabourIndustry"] for record in exported} == {""}


@pytest.mark.django_db
def test_the_page_shows_the_figures_of_the_export_without_building_it(
    planted: Any, personas: dict, clients: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six women (kept) and a lone man (suppressed): the page's figures are those of the file and
    of its audit event; the page reads counts only, never the records nor the case files."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htcds import selectors

    man = bar_in_madre_de_dios(victims=[VictimData(first_names="Hugo", last_names="Solo", sex="M", age=50)])
    complaint_file(actor=personas["station_officer"], data=man)
    response = clients["monitor"].get(reverse("htcds:download", kwargs={"fmt": "csv"}))
    notes, records = _csv_records(b"".join(response.streaming_content).decode("utf-8"))
    event = AuditEvent.objects.filter(event="export").latest("pk").details
    assert (event["victims"], event["rows"], event["suppressed"]) == (7, 6, 1) == (7, len(records), 1)

    def no_records(**_kwargs: Any) -> None:
        raise AssertionError("the page built the export")

    monkeypatch.setattr(selectors, "victim_facts", no_records)
    with CaptureQueriesContext(connection) as few:
        page = clients["monitor"].get(reverse("htcds:export"))
    result = page.context["result"]
    assert (result.total, result.exported, result.suppressed) == (7, 6, 1)
    assert result.level_names() == event["generalised"]
    body = page.content.decode()
    assert "<dd>7</dd>" in body and "<dd>6</dd>" in body and "<dd>1</dd>" in body
    assert notes["Registros suprimidos (k-anonimato)"] == "1" and notes["Registros exportados"] == "6"
    # As many queries with ten times the victims: the page's cost does not grow with them.
    for _ in range(3):
        complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(victims=_victims("Otra", 20)))
    with CaptureQueriesContext(connection) as many:
        again = clients["monitor"].get(reverse("htcds:export"))
    assert again.context["result"].total == 67
    assert len(many.captured_queries) == len(few.captured_queries)
    victim_reads = [q["sql"] for q in many.captured_queries if "stats_statvictim" in q["sql"].lower()]
    assert len(victim_reads) == 1 and "GROUP BY" in victim_reads[0].upper()
