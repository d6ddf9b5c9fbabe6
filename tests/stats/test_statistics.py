"""Statistics (issue 5): each published table's cells from factory-made complaints, scope, the
cross-tabulation and its totals, the `statistics` command, and the read model kept by the services."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from administration.access import Scope, scope_of
from administration.models import District
from complaints import services
from complaints.models import Complaint
from complaints.services import SuspectData, VictimData
from stats import codes, selectors
from stats.crosstab import crosstab, crosstab_query
from stats.models import PERSON_COUNTERS, StatComplaint, StatSuspect, StatVictim
from stats.scope import scoped
from stats.services import statistics_rebuild
from stats.tables import PeriodError
from stats.variables import VARIABLES, mask_values
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

NATIONAL = Scope.national()

LIMA = ZoneInfo("America/Lima")
UTC = datetime.UTC
NOW_YEAR = timezone.localdate().year


def at(year: int, month: int = 6, day: int = 15, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LIMA)


@pytest.fixture
def register(personas: dict, units: dict) -> Callable[..., Complaint]:
    """Registers a complaint of the original system at `when` (the legacy-import service)."""
    numbers = itertools.count(1)

    def make(unit_code: str, when: datetime.datetime, **overrides: Any) -> Complaint:
        overrides.setdefault("facts_date", when.astimezone(LIMA).date() - datetime.timedelta(days=10))
        return services.complaint_register_imported(
            actor=personas["national_admin"],
            registering_unit=units[unit_code],
            number=f"TEST-{next(numbers):05d}",
            registered_at=when,
            data=bar_in_madre_de_dios(**overrides),
        )

    return make


@pytest.fixture
def sample(register: Callable[..., Complaint]) -> dict[str, Complaint]:
    """Seven complaints of 2010-2011 across the tree (see each comment for what it tests)."""
    cusco = District.objects.get(code="080101")
    lima = District.objects.get(code="150101")
    return {
        # 1: Cusco station, a 16-year-old girl, an unidentified woman (alias only); sexual exploitation.
        "c1": register("DIRTEPOL-CUSCO-CPNP-1", at(2010, 3)),
        # 2: Cusco station, facts in Cusco: a Venezuelan man of 30 and a girl of unknown age known to be
        # a minor; an identified man; forced labour.
        "c2": register(
            "DIRTEPOL-CUSCO-CPNP-1",
            at(2010, 7),
            place_district=cusco,
            purposes=["forced_labour"],
            victims=[VictimData(sex="M", age=30, nationality="VE"), VictimData(sex="F", minor=True)],
            suspects=[SuspectData(first_names="Pedro", last_names="Ramos", sex="M")],
        ),
        # 3: Cusco's specialised unit: prostitution and begging (two categories).
        "c3": register("DIRTEPOL-CUSCO-TRATA", at(2011, 2), purposes=["prostitution", "begging"]),
        # 4: Lima station, facts in Lima: no purpose (unassigned), a victim and a suspect of unknown sex.
        "c4": register(
            "DIRTEPOL-LIMA-CPNP-1",
            at(2011, 5),
            place_district=lima,
            purposes=[],
            victims=[VictimData()],
            suspects=[SuspectData()],
        ),
        # 5: the hotline: a related crime only, no category; an adult woman of 19.
        "c5": register(
            "LINEA-0800",
            at(2010, 9),
            origin="hotline",
            conducts=[],
            means=[],
            purposes=[],
            related_facts=["promotes_prostitution"],
            victims=[VictimData(sex="F", age=19, nationality="PE")],
        ),
        # 6: DIVINTRAP (counts under DIRINCRI), the last evening of 2011 in Lima.
        "c6": register("DIVINTRAP", at(2011, 12, 31, 23)),
        # 7: Madre de Dios station, 2012-01-01 02:00 UTC = 2011-12-31 21:00 in Lima: year 2011.
        "c7": register("DIRTEPOL-MADRE-DE-DIOS-CPNP-1", datetime.datetime(2012, 1, 1, 2, tzinfo=UTC)),
    }


# ---------------------------------------------------------------- the read model


def test_registering_writes_the_read_model_without_personal_data(sample: dict) -> None:
    c2 = sample["c2"]
    record = StatComplaint.objects.get(pk=c2.pk)
    assert (record.year, record.month, record.department) == (2010, 7, 8)
    assert record.outcome == codes.code_of(codes.OUTCOME_CODES, "trafficking") == 1
    assert record.categories == codes.mask_of(codes.CATEGORY_CODES, ["labour_exploitation"]) == 0b10
    assert record.conducts == codes.mask_of(codes.CONDUCT_CODES, ["recruitment", "transfer"]) == 0b101
    assert record.means == 1 << codes.MEANS_CODES.index("deception")
    # Bit 0 of the victims' masks: not recorded (the girl's age, her nationality).
    assert record.victim_sexes == 0b110  # F (code 1) and M (code 2)
    assert record.victim_ages == (1 << 0) | (1 << 4)  # unknown, 25-34
    assert record.victim_nationalities == (1 << 0) | (1 << 2)  # unknown, VE
    victims = set(StatVictim.objects.filter(record=record).values_list("sex", "age_band", "minor", "nationality"))
    assert victims == {(2, 4, False, 2), (1, 0, True, 0)}
    assert list(StatSuspect.objects.filter(record=record).values_list("sex", "identified")) == [(2, True)]
    counts = {name: getattr(record, name) for name in PERSON_COUNTERS if getattr(record, name)}
    assert counts == {"victims_adult_m": 1, "victims_minor_f": 1, "suspects_identified_m": 1}
    # Every row carries the complaint's variables (no join to count victims by outcome).
    assert set(StatVictim.objects.filter(record=record).values_list("outcome", "categories", "year")) == {(1, 2, 2010)}


def test_the_year_is_the_year_of_registration_in_lima(sample: dict) -> None:
    assert StatComplaint.objects.get(pk=sample["c7"].pk).year == 2011
    assert StatComplaint.objects.get(pk=sample["c6"].pk).month == 12


def test_an_amendment_rewrites_the_read_model(sample: dict, personas: dict) -> None:
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    c1 = Complaint.objects.get(pk=sample["c1"].pk)
    data = services.complaint_data_of(c1)
    data.purposes = ["forced_labour"]
    data.narrative = data.narrative or "Relato."
    data.responsible_officer = data.responsible_officer or "S3 PNP"
    services.complaint_amend(actor=admin, complaint=c1, data=data, reason="Fin mal registrado", expected_version=1)
    assert StatComplaint.objects.get(pk=c1.pk).categories == codes.mask_of(
        codes.CATEGORY_CODES, ["labour_exploitation"]
    )
    assert StatVictim.objects.get(record_id=c1.pk).categories == 0b10
    assert StatSuspect.objects.filter(record_id=c1.pk).count() == 1


def test_rebuilding_the_read_model_gives_the_same_tables(sample: dict) -> None:
    before = [
        selectors.table(name, scope=NATIONAL, year_from=2010, year_to=2011).records() for name in selectors.TABLES
    ]
    StatVictim.objects.all().delete()
    StatSuspect.objects.all().delete()
    StatComplaint.objects.all().delete()
    assert statistics_rebuild(batch_size=3) == 7
    after = [selectors.table(name, scope=NATIONAL, year_from=2010, year_to=2011).records() for name in selectors.TABLES]
    assert after == before


# ---------------------------------------------------------------- published table 1


def test_cases_by_unit_year_has_the_published_columns(sample: dict) -> None:
    table = selectors.cases_by_unit_year(scope=NATIONAL, year_from=2010, year_to=2011)
    assert table.header() == [
        "year",
        "LINEA-0800",
        "DIRINCRI",
        *(
            f"DIRTEPOL-{seat}"
            for seat in "PIURA CHICLAYO TRUJILLO TARAPOTO IQUITOS PUCALLPA LIMA HUANCAVELICA HUANCAYO AYACUCHO "
            "MADRE-DE-DIOS CUSCO AREQUIPA PUNO HUARAZ CAJAMARCA ICA APURIMAC PASCO TUMBES HUANUCO CALLAO "
            "MOQUEGUA TACNA".split()
        ),
        "total",
    ]
    assert [row.code for row in table.all_rows()] == [2010, 2011, "total"]


def test_cases_by_unit_year_counts_each_complaint_under_the_directorate_of_its_unit(sample: dict) -> None:
    table = selectors.cases_by_unit_year(scope=NATIONAL, year_from=2010, year_to=2011)
    assert table.cell(2010, "DIRTEPOL-CUSCO") == 2
    assert table.cell(2010, "LINEA-0800") == 1
    assert table.cell(2010, "total") == 3
    assert table.cell(2011, "DIRTEPOL-CUSCO") == 1  # the specialised unit counts under its directorate
    assert table.cell(2011, "DIRINCRI") == 1  # DIVINTRAP
    assert table.cell(2011, "DIRTEPOL-LIMA") == 1
    assert table.cell(2011, "DIRTEPOL-MADRE-DE-DIOS") == 1
    assert table.cell(2011, "total") == 4
    assert table.cell("total", "DIRTEPOL-CUSCO") == 3
    assert table.cell("total", "total") == 7
    for row in table.all_rows():
        assert row.cells[-1] == sum(row.cells[:-1])


def test_a_year_without_complaints_is_a_row_of_zeros(sample: dict) -> None:
    table = selectors.cases_by_unit_year(scope=NATIONAL, year_from=2009, year_to=2011)
    assert table.rows[0].code == 2009 and not any(table.rows[0].cells)


def test_drafts_do_not_count(sample: dict, personas: dict) -> None:
    services.complaint_save_draft(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    this_year = timezone.localdate().year  # the draft's year: the period must include it
    assert selectors.cases_by_unit_year(scope=NATIONAL, year_from=2010, year_to=this_year).cell("total", "total") == 7


# ---------------------------------------------------------------- published table 2


def test_persons_by_year_has_the_published_columns(sample: dict) -> None:
    assert selectors.persons_by_year(scope=NATIONAL, year_from=2010, year_to=2011).header() == [
        "year",
        "suspects_identified_m",
        "suspects_identified_f",
        "suspects_identified_total",
        "suspects_unidentified_m",
        "suspects_unidentified_f",
        "suspects_unidentified_total",
        "victims_adult_m",
        "victims_adult_f",
        "victims_adult_total",
        "victims_minor_m",
        "victims_minor_f",
        "victims_minor_total",
        "victims_unknown_age",
        "victims_total",
    ]


def test_persons_by_year_counts_suspects_and_victims(sample: dict) -> None:
    table = selectors.persons_by_year(scope=NATIONAL, year_from=2010, year_to=2011)
    row_2010 = dict(zip(table.header()[1:], table.rows[0].cells, strict=True))
    assert row_2010 == {
        "suspects_identified_m": 1,  # Pedro Ramos
        "suspects_identified_f": 0,
        "suspects_identified_total": 1,
        "suspects_unidentified_m": 0,
        "suspects_unidentified_f": 2,  # "La Tía" twice: an alias does not identify
        "suspects_unidentified_total": 2,
        "victims_adult_m": 1,  # 30 years old
        "victims_adult_f": 1,  # 19 years old
        "victims_adult_total": 2,
        "victims_minor_m": 0,
        "victims_minor_f": 2,  # 16 years old, and age unknown but known to be a minor
        "victims_minor_total": 2,
        "victims_unknown_age": 0,
        "victims_total": 4,
    }
    row_2011 = dict(zip(table.header()[1:], table.rows[1].cells, strict=True))
    assert row_2011["suspects_unidentified_f"] == 3
    assert row_2011["suspects_unidentified_total"] == 4  # with the suspect of unknown sex
    assert row_2011["victims_minor_f"] == 3
    assert row_2011["victims_adult_total"] == 0
    assert row_2011["victims_unknown_age"] == 1  # the victim whose age and minority are unknown
    assert row_2011["victims_total"] == 4
    # Every row adds up: adults + minors + age unknown = total victims.
    for row in table.all_rows():
        cell = dict(zip(table.header()[1:], row.cells, strict=True))
        assert (
            cell["victims_adult_total"] + cell["victims_minor_total"] + cell["victims_unknown_age"]
            == (cell["victims_total"])
        ), row.code
    assert table.total.cells[-1] == 8


# ---------------------------------------------------------------- published table 3


def test_purposes_by_year_counts_a_complaint_under_each_of_its_categories(sample: dict) -> None:
    table = selectors.purposes_by_year(scope=NATIONAL, year_from=2010, year_to=2011)
    assert table.header() == [
        "year",
        "sexual_exploitation",
        "labour_exploitation",
        "sale_of_children",
        "begging",
        "organ_trafficking",
        "unassigned",
    ]
    assert table.records() == [
        [2010, 1, 1, 0, 0, 0, 0],
        [2011, 3, 0, 0, 1, 0, 1],
        ["total", 4, 1, 0, 1, 0, 1],
    ]


# ---------------------------------------------------------------- scope


def test_a_cusco_investigator_sees_only_cusco(sample: dict, personas: dict) -> None:
    user = personas["regional_investigator"]
    table = selectors.cases_by_unit_year(scope=scope_of(user), year_from=2010, year_to=2011)
    assert table.cell("total", "DIRTEPOL-CUSCO") == 3
    assert table.cell("total", "total") == 3
    assert "Cusco" in table.scope
    persons = selectors.persons_by_year(scope=scope_of(user), year_from=2010, year_to=2011)
    assert persons.cell("total", "victims_total") == 4  # c1 (1), c2 (2), c3 (1)
    purposes = selectors.purposes_by_year(scope=scope_of(user), year_from=2010, year_to=2011)
    assert purposes.total.cells == [2, 1, 0, 1, 0, 0]
    by_directorate = crosstab(scope=scope_of(user), rows="directorate", year_from=2010, year_to=2011)
    assert [row.code for row in by_directorate.rows] == ["DIRTEPOL-CUSCO"]


@pytest.mark.parametrize(
    ("persona", "total"),
    [
        ("station_officer", 2),  # its own station: c1, c2
        ("outsider", 1),  # the Lima station: c4
        ("hotline_operator", 1),  # c5
        ("national_investigator", 7),
        ("national_admin", 7),
        ("monitor", 7),
        ("auditor", 7),
    ],
)
def test_each_role_sees_the_figures_of_its_scope(sample: dict, personas: dict, persona: str, total: int) -> None:
    for name in ("cases_by_unit_year", "outcomes_by_year"):
        table = selectors.table(name, scope=scope_of(personas[persona]), year_from=2010, year_to=2011)
        assert table.total.cells[-1] == total


def test_the_statistics_count_what_the_complaint_list_shows(register: Callable[..., Complaint], personas: dict) -> None:
    """One meaning of "my complaints": a complaint registered in Lima about facts in Cusco is in the
    list of the Cusco regional investigator (its competent directorate) and of the Lima station
    officer (its registering unit), and counts once in the statistics and on the map of both."""
    complaint = register("DIRTEPOL-LIMA-CPNP-1", at(2011, 5), place_district=District.objects.get(code="080101"))
    assert complaint.competent_directorate.code == "DIRTEPOL-CUSCO"
    for persona, sees in (("regional_investigator", 1), ("outsider", 1), ("station_officer", 0)):
        user = personas[persona]
        assert Complaint.objects.visible_to(user).filter(pk=complaint.pk).count() == sees, persona
        scope = scope_of(user)
        assert selectors.default_period(scope) == ((2011, 2011) if sees else (NOW_YEAR, NOW_YEAR))
        tables = {name: selectors.table(name, scope=scope, year_from=2011, year_to=2011) for name in selectors.TABLES}
        assert tables["cases_by_unit_year"].cell(2011, "DIRTEPOL-LIMA") == sees, persona
        assert tables["cases_by_unit_year"].cell("total", "total") == sees, persona
        assert tables["persons_by_year"].cell("total", "victims_total") == sees, persona  # one victim
        assert sum(tables["purposes_by_year"].total.cells) == sees, persona
        assert tables["outcomes_by_year"].total.cells[-1] == sees, persona
        assert tables["victims_by_sex_age"].total.cells[-1] == sees, persona
        points = {point["code"]: point["count"] for point in tables["complaints_by_department"].extra["points"]}
        assert points["08"] == sees and sum(points.values()) == sees, persona  # the map
        overview = {table.name: table for table in selectors.overview_tables(scope=scope, year_from=2011, year_to=2011)}
        assert (
            overview["complaints_by_department"].extra["points"] == tables["complaints_by_department"].extra["points"]
        )
        for measure, counted in (("complaints", 1), ("victims", 1), ("suspects", 1)):
            table = crosstab(scope=scope, rows="department", measure=measure, year_from=2011, year_to=2011)
            assert table.total.cells == [counted * sees], (persona, measure)


PERSONAS = (
    "station_officer",
    "hotline_operator",
    "regional_investigator",
    "national_investigator",
    "national_admin",
    "monitor",
    "auditor",
    "outsider",
)


@pytest.fixture
def spread(sample: dict, register: Callable[..., Complaint], personas: dict) -> dict[str, Complaint]:
    """The sample, plus complaints whose registering unit and competent directorate differ in
    both directions, and a draft in each of two stations."""
    cusco, lima = District.objects.get(code="080101"), District.objects.get(code="150101")
    return {
        **sample,
        "lima_about_cusco": register("DIRTEPOL-LIMA-CPNP-1", at(2011, 4), place_district=cusco),
        "cusco_about_lima": register("DIRTEPOL-CUSCO-TRATA", at(2010, 4), place_district=lima),
        "draft_cusco": services.complaint_save_draft(actor=personas["station_officer"], data=bar_in_madre_de_dios()),
        "draft_lima": services.complaint_save_draft(actor=personas["outsider"], data=bar_in_madre_de_dios()),
    }


def _listed_and_counted(user: Any) -> tuple[set[int], set[int]]:
    """The ids of the submitted complaints the complaint list shows the user, and the ids the
    statistics count in the user's scope."""
    listed = set(
        Complaint.objects.visible_to(user).filter(status=Complaint.Status.SUBMITTED).values_list("pk", flat=True)
    )
    counted = set(scoped(StatComplaint.objects.all(), scope_of(user)).values_list("complaint_id", flat=True))
    return listed, counted


def test_for_every_persona_the_statistics_count_the_complaints_the_list_shows(spread: dict, personas: dict) -> None:
    """One meaning of "my complaints" (Complaint.scope_fields): for each persona the submitted
    complaints of the list are exactly the complaints the statistics count; drafts are listed
    in their own unit and never counted."""
    drafts = {spread["draft_cusco"].pk, spread["draft_lima"].pk}
    sizes = {}
    for persona in PERSONAS:
        user = personas[persona]
        listed, counted = _listed_and_counted(user)
        assert listed == counted, persona
        assert not counted & drafts, persona
        table = selectors.table("cases_by_unit_year", scope=scope_of(user), year_from=2010, year_to=2011)
        assert table.total.cells[-1] == len(counted), persona
        sizes[persona] = len(counted)
    # Not a vacuous equality: the scopes differ, and each takes in what the other unit registered.
    assert sizes["regional_investigator"] == 5  # c1, c2, c3, cusco_about_lima, lima_about_cusco
    assert sizes["outsider"] == 2 and sizes["station_officer"] == 2 and sizes["hotline_operator"] == 1
    assert sizes["monitor"] == 9
    listed_drafts = set(Complaint.objects.visible_to(personas["station_officer"]).values_list("pk", flat=True)) & drafts
    assert listed_drafts == {spread["draft_cusco"].pk}


def test_the_list_and_the_statistics_read_one_declaration(
    spread: dict, personas: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Change the complaint's declaration and both follow: with the registering unit alone, the
    Cusco investigator no longer sees nor counts the Lima complaint about Cusco."""
    investigator = personas["regional_investigator"]
    moved = spread["lima_about_cusco"].pk
    listed, counted = _listed_and_counted(investigator)
    assert moved in listed and moved in counted
    monkeypatch.setattr(Complaint, "scope_fields", ("registering_unit",))
    listed, counted = _listed_and_counted(investigator)
    assert moved not in listed and moved not in counted
    assert listed == counted


def test_national_scope_is_said_explicitly(sample: dict) -> None:
    assert selectors.cases_by_unit_year(scope=NATIONAL, year_from=2010, year_to=2011).scope in ("National", "Nacional")
    with pytest.raises(TypeError):  # no scope is not national: there is no default
        selectors.cases_by_unit_year(year_from=2010, year_to=2011)
    with pytest.raises(TypeError):
        crosstab(rows="year", year_from=2010, year_to=2011)


def test_a_user_without_a_place_in_the_tree_sees_nothing(sample: dict, personas: dict) -> None:
    lapsed = personas["station_officer"]
    lapsed.is_active = False
    assert scope_of(lapsed) == Scope.nothing()
    assert selectors.cases_by_unit_year(scope=Scope.nothing(), year_from=2010, year_to=2011).total.cells[-1] == 0
    assert crosstab(scope=Scope.nothing(), rows="year", year_from=2010, year_to=2011).total.cells == [0]


# ---------------------------------------------------------------- cross-tabulation


def test_crosstab_category_by_directorate_has_distinct_totals(sample: dict) -> None:
    table = crosstab(scope=NATIONAL, rows="category", columns="directorate", year_from=2010, year_to=2011)
    assert table.cell("sexual_exploitation", "DIRTEPOL-CUSCO") == 2
    assert table.cell("sexual_exploitation", "DIRINCRI") == 1
    assert table.cell("sexual_exploitation", "DIRTEPOL-MADRE-DE-DIOS") == 1
    assert table.cell("sexual_exploitation", "total") == 4
    assert table.cell("labour_exploitation", "DIRTEPOL-CUSCO") == 1
    assert table.cell("unassigned", "DIRTEPOL-LIMA") == 1
    assert table.cell(codes.NONE, "LINEA-0800") == 1  # the related crime has no category
    # Cusco's three complaints fill four cells (c3 has two categories): the total counts three.
    assert table.cell("total", "DIRTEPOL-CUSCO") == 3
    assert table.cell("total", "total") == 7
    assert [c.code for c in table.columns] == [
        "LINEA-0800",
        "DIRINCRI",
        "DIRTEPOL-LIMA",
        "DIRTEPOL-MADRE-DE-DIOS",
        "DIRTEPOL-CUSCO",
        "total",
    ]
    assert table.notes  # says that a complaint may count under several categories


def test_crosstab_counts_victims_and_suspects(sample: dict) -> None:
    victims = crosstab(
        scope=NATIONAL, rows="victim_age", columns="victim_sex", measure="victims", year_from=2010, year_to=2011
    )
    assert victims.cell("14-17", "F") == 4
    assert victims.cell("25-34", "M") == 1
    assert victims.cell("18-24", "F") == 1
    assert victims.cell(codes.NONE, "F") == 1
    assert victims.cell(codes.NONE, codes.NONE) == 1
    assert victims.cell("total", "total") == 8
    assert victims.cell("0-13", "total") == 0  # a complete variable lists every band

    suspects = crosstab(scope=NATIONAL, rows="year", measure="suspects", year_from=2010, year_to=2011)
    assert suspects.records() == [[2010, 3], [2011, 4], ["total", 7]]


def test_a_complaint_with_victims_of_both_sexes_counts_once_in_the_total(sample: dict) -> None:
    table = crosstab(scope=NATIONAL, rows="victim_sex", year_from=2010, year_to=2011)
    assert table.cell("F", "total") == 6
    assert table.cell("M", "total") == 1
    assert table.cell(codes.NONE, "total") == 1
    assert table.total.cells == [7]


def test_crosstab_filters(sample: dict) -> None:
    sexual = crosstab(
        scope=NATIONAL, rows="directorate", year_from=2010, year_to=2011, filters={"category": ["sexual_exploitation"]}
    )
    assert sexual.records() == [["DIRINCRI", 1], ["DIRTEPOL-MADRE-DE-DIOS", 1], ["DIRTEPOL-CUSCO", 2], ["total", 4]]
    assert sexual.filters[0][1] == "explotación sexual"
    uncategorised = crosstab(
        scope=NATIONAL, rows="outcome", year_from=2010, year_to=2011, filters={"category": ["none"]}
    )
    assert uncategorised.cell("related_crime", "total") == 1 and uncategorised.total.cells == [1]
    with_male_victim = crosstab(
        scope=NATIONAL, rows="year", measure="suspects", year_from=2010, year_to=2011, filters={"victim_sex": ["M"]}
    )
    assert with_male_victim.total.cells == [1]
    female_minors = crosstab(
        scope=NATIONAL,
        rows="victim_age",
        measure="victims",
        year_from=2010,
        year_to=2011,
        filters={"victim_sex": ["F"], "department": ["17"]},
    )
    assert female_minors.cell("14-17", "total") == 4  # c1, c3, c6, c7 (facts in Madre de Dios)
    by_unit = crosstab(
        scope=NATIONAL, rows="unit", columns="origin", year_from=2010, year_to=2011, filters={"month": ["12"]}
    )
    assert {row.code for row in by_unit.rows} == {"DIVINTRAP", "DIRTEPOL-MADRE-DE-DIOS-CPNP-1"}
    # Counting complaints, a victim filter keeps the complaints with such a victim; their other
    # victims still count under their own values (c2: the man of 30 and the girl of unknown age).
    ages = crosstab(scope=NATIONAL, rows="victim_age", year_from=2010, year_to=2011, filters={"victim_sex": ["M"]})
    assert ages.cell("25-34", "total") == 1 and ages.cell(codes.NONE, "total") == 1
    assert ages.total.cells == [1]
    # Counting victims, the filter applies to each victim.
    male = crosstab(
        scope=NATIONAL,
        rows="victim_age",
        measure="victims",
        year_from=2010,
        year_to=2011,
        filters={"victim_sex": ["M"]},
    )
    assert male.records()[-1] == ["total", 1] and male.cell("25-34", "total") == 1


def test_crosstab_refuses_unknown_variables_and_filters(sample: dict) -> None:
    with pytest.raises(ValueError):
        crosstab(scope=NATIONAL, rows="name", year_from=2010, year_to=2011)
    with pytest.raises(ValueError):
        crosstab(scope=NATIONAL, rows="year", year_from=2010, year_to=2011, filters={"narrative": ["x"]})
    with pytest.raises(ValueError):
        crosstab(scope=NATIONAL, rows="year", columns="year", year_from=2010, year_to=2011)
    with pytest.raises(PeriodError):
        crosstab(scope=NATIONAL, rows="year", year_from=2012, year_to=2010)


def test_the_department_table_lists_every_department_with_its_capital(sample: dict) -> None:
    table = selectors.complaints_by_department(scope=NATIONAL, year_from=2010, year_to=2011)
    counts = {row.code: row.cells[0] for row in table.rows}
    assert counts == {"08": 1, "15": 1, "17": 5}
    points = {point["code"]: point for point in table.extra["points"]}
    assert points["17"]["count"] == 5 and points["08"]["latitude"] == pytest.approx(-12.0)


def test_each_table_runs_a_bounded_number_of_queries(
    sample: dict, personas: dict, django_assert_max_num_queries
) -> None:
    scope = scope_of(personas["regional_investigator"])  # the user's directorate, read once per request
    # The units of the scope's subtree, then one GROUP BY per table (two for the persons:
    # victims and suspects); the units again to name or map them; the departments for the map.
    for name, most in (
        ("cases_by_unit_year", 3),
        ("persons_by_year", 2),
        ("purposes_by_year", 2),
        ("outcomes_by_year", 2),
        ("victims_by_sex_age", 2),
        ("complaints_by_department", 3),
    ):
        with django_assert_max_num_queries(most):
            selectors.table(name, scope=scope, year_from=2010, year_to=2011)
    with django_assert_max_num_queries(2):
        crosstab(rows="category", columns="victim_sex", scope=scope, year_from=2010, year_to=2011)
    with django_assert_max_num_queries(3):
        crosstab(rows="category", columns="directorate", scope=scope, year_from=2010, year_to=2011)
    with django_assert_max_num_queries(1):  # national: no unit to read
        crosstab(scope=NATIONAL, rows="category", columns="means", year_from=2010, year_to=2011)


def test_a_crosstab_is_one_group_by_on_one_table(sample: dict) -> None:
    for rows, columns, table in (
        ("year", "outcome", "stats_statcomplaint"),
        ("category", "directorate", "stats_statcomplaint"),  # grouped by the categories' bitmask
        ("category", "means", "stats_statcomplaint"),
        ("victim_age", "outcome", "stats_statvictim"),
    ):
        measure = "victims" if table.endswith("victim") else "complaints"
        query = crosstab_query(
            scope=NATIONAL, rows=rows, columns=columns, measure=measure, year_from=2010, year_to=2011
        )
        sql = selectors.sql_of(query.queryset)
        assert sql.count("SELECT") == 1 and "GROUP BY" in sql and table in sql and "JOIN" not in sql, sql


def test_scope_is_a_filter_on_the_units_of_the_subtree(sample: dict, personas: dict, units: dict) -> None:
    query = crosstab_query(scope=scope_of(personas["regional_investigator"]), rows="year", year_from=2010, year_to=2011)
    sql = selectors.sql_of(query.queryset)
    cusco = sorted(unit.pk for code, unit in units.items() if code.startswith("DIRTEPOL-CUSCO"))
    assert f"IN ({', '.join(map(str, cusco))})" in sql and "JOIN" not in sql


# ---------------------------------------------------------------- the command


def test_the_command_prints_the_published_table_as_csv(sample: dict) -> None:
    out = io.StringIO()
    call_command("statistics", "cases_by_unit_year", "--from", "2010", "--to", "2011", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["year", "LINEA-0800", "DIRINCRI"] and rows[0][-1] == "total" and len(rows[0]) == 28
    assert [row[0] for row in rows[1:]] == ["2010", "2011", "total"]
    assert rows[-1][-1] == "7"
    assert rows[1][rows[0].index("DIRTEPOL-CUSCO")] == "2"


def test_the_command_prints_json(sample: dict) -> None:
    out = io.StringIO()
    call_command("statistics", "purposes_by_year", "--from", "2010", "--to", "2011", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["columns"][0] == "year" and document["scope"] == "national"
    assert document["rows"][-1] == {
        "year": "total",
        "sexual_exploitation": 4,
        "labour_exploitation": 1,
        "sale_of_children": 0,
        "begging": 1,
        "organ_trafficking": 0,
        "unassigned": 1,
    }


def test_the_command_persons_table_has_the_issue_columns(sample: dict) -> None:
    out = io.StringIO()
    call_command("statistics", "persons_by_year", "--from", "2010", "--to", "2011", stdout=out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header == ["year", *selectors.PERSONS_COLUMNS]


def test_the_command_rebuilds_the_read_model(sample: dict) -> None:
    StatComplaint.objects.all().delete()
    call_command("statistics", "--rebuild", stderr=io.StringIO())
    assert StatComplaint.objects.count() == 7


def test_the_command_refuses_a_wrong_period(sample: dict) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("statistics", "cases_by_unit_year", "--from", "2011", "--to", "2010", stdout=io.StringIO())


# ---------------------------------------------------------------- the codes of the read model


def test_every_catalogue_value_has_a_stored_code() -> None:
    from administration.catalogues import Catalogue, catalogue_stat_codes
    from complaints.catalogues import COMMON_NATIONALITIES, Origin, PlaceKind, Sex
    from complaints.rules.codes import CATEGORIES, CONDUCTS, MEANS, OUTCOMES

    assert set(codes.ORIGIN_CODES) == set(Origin.values)
    # Kinds of place: the catalogue entries' own statistics codes (tests/stats/test_catalogue_codes.py).
    assert set(catalogue_stat_codes(Catalogue.PLACE_KIND)) >= set(PlaceKind.values)
    assert set(codes.SEX_CODES) == set(Sex.values)
    assert set(codes.OUTCOME_CODES) == {term.code for term in OUTCOMES}
    assert set(codes.CATEGORY_CODES) == {term.code for term in CATEGORIES}
    assert set(codes.CONDUCT_CODES) == {element.code for element in CONDUCTS}
    assert set(codes.MEANS_CODES) == {element.code for element in MEANS}
    assert codes.NATIONALITY_CODES[:-1] == tuple(code for code, _label in COMMON_NATIONALITIES)
    # One byte holds the codes and the masks stored in one byte; two bytes the others.
    assert len(codes.CATEGORY_CODES) <= 8 and len(codes.CONDUCT_CODES) <= 8
    assert len(codes.AGE_BAND_CODES) + 1 <= 8 and len(codes.SEX_CODES) + 1 <= 8
    assert len(codes.MEANS_CODES) <= 16 and len(codes.NATIONALITY_CODES) + 1 <= 16


def test_codes_and_masks() -> None:
    assert codes.code_of(codes.ORIGIN_CODES, "hotline") == 2 and codes.code_of(codes.ORIGIN_CODES, "") == 0
    assert codes.code_of(codes.ORIGIN_CODES, "carrier pigeon") == 0
    assert codes.mask_of(codes.CATEGORY_CODES, ["begging", "sexual_exploitation", "nonsense"]) == 0b1001
    assert codes.nationality_code("ve") == 2 and codes.nationality_code("FR") == len(codes.NATIONALITY_CODES)
    assert codes.nationality_code("") == 0
    assert codes.department_code("080101") == 8 and codes.department_code(None) == 0
    assert [codes.age_band(age) for age in (None, 0, 13, 14, 17, 18, 24, 25, 34, 35, 90)] == [
        "",
        "0-13",
        "0-13",
        "14-17",
        "14-17",
        "18-24",
        "18-24",
        "25-34",
        "25-34",
        "35+",
        "35+",
    ]
    assert codes.victim_is_minor(None, True) is True and codes.victim_is_minor(17, False) is True
    assert codes.victim_is_minor(None, None) is None
    category = VARIABLES["category"]
    assert mask_values(category, 0) == [codes.NONE]
    assert mask_values(category, 0b101) == ["sexual_exploitation", "sale_of_children"]
    sexes = VARIABLES["victim_sex"]
    assert mask_values(sexes, 0b011) == ["F", codes.NONE]


def test_the_overview_reads_the_same_figures_in_fewer_queries(
    sample: dict, personas: dict, django_assert_max_num_queries
) -> None:
    scope = scope_of(personas["monitor"])
    with django_assert_max_num_queries(5):  # outcomes and departments in one query
        overview = selectors.overview_tables(scope=scope, year_from=2010, year_to=2011)
    assert [table.name for table in overview] == list(selectors.CHART_TABLES)
    for table in overview:
        alone = selectors.table(table.name, scope=scope, year_from=2010, year_to=2011)
        assert table.records() == alone.records() and table.header() == alone.header(), table.name
        assert table.extra.get("points") == alone.extra.get("points")


def _read_model_values() -> list[list[dict[str, Any]]]:
    return [
        sorted(
            ({name: value for name, value in row.items() if name != "id"} for row in model.objects.values()),
            key=repr,
        )
        for model in (StatComplaint, StatVictim, StatSuspect)
    ]


def test_a_registration_writes_from_the_rows_it_loaded_what_a_rebuild_reads(personas: dict) -> None:
    """stats.services.statistics_record takes the victims and suspects the registration loaded
    (complaints.services._load_rows) instead of reading them again: the same rows as a rebuild."""
    officer = personas["station_officer"]
    victims = [
        VictimData(first_names="Rosa", last_names="Quispe", sex="F", age=15, nationality="PE"),
        VictimData(first_names="Ana", sex="F", age=None, minor=True, nationality="VE"),
        VictimData(last_names="Flores", sex="M", age=34, nationality=""),
    ]
    suspects = [
        SuspectData(first_names="Marco", last_names="Rojas", sex="M"),
        SuspectData(alias="La Tía", sex="F"),
        SuspectData(sex=""),
    ]
    for index in range(2):
        draft = services.complaint_save_draft(
            actor=officer,
            data=bar_in_madre_de_dios(
                victims=victims[index:], suspects=suspects[: index + 2], place_address=f"Jr. Loreto {index}"
            ),
        )
        services.complaint_submit(actor=officer, complaint=draft, duplicate_decision="not_same")
    written = _read_model_values()
    assert [len(rows) for rows in written] == [2, 5, 5]
    assert statistics_rebuild() == 2
    assert _read_model_values() == written
