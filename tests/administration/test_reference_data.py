"""The reference data: the INEI geography and the unit tree, loaded from the project's own fixtures
(fixtures/ubigeo/*.json, fixtures/units.json) by `manage.py load_reference_data`."""

from __future__ import annotations

import os
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import F

from administration.models import Department, District, Province, Unit
from administration.selectors import (
    competent_directorate,
    directorates,
    national_specialised_unit,
    specialised_unit_of,
)
from administration.services import reference_data_load

# The source table (jmcastagnetto/ubigeo-peru-aumentado) holds 1,893 districts. Its SOURCE.md says
# 1,895 because it counts lines: two rows of the CSV wrap over two lines (a quoted capital).
DEPARTMENTS, PROVINCES, DISTRICTS = 25, 196, 1893
UNITS_BY_KIND = {
    Unit.Kind.MINISTRY: 1,
    Unit.Kind.MONITORING: 1,
    Unit.Kind.HOTLINE: 1,
    Unit.Kind.POLICE: 1,
    Unit.Kind.DIRECTORATE: 1,
    Unit.Kind.NATIONAL_SPECIALISED: 1,
    Unit.Kind.TERRITORIAL_DIRECTORATE: 24,
    Unit.Kind.REGIONAL_SPECIALISED: 24,
    Unit.Kind.STATION: PROVINCES,
}
UNITS = sum(UNITS_BY_KIND.values())

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict:
    return reference_data_load()


def run_command() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


# --- geography ------------------------------------------------------------------------------------


def test_it_loads_every_department_province_and_district(loaded: dict) -> None:
    assert (loaded["departments"], loaded["provinces"], loaded["districts"]) == (DEPARTMENTS, PROVINCES, DISTRICTS)
    assert Department.objects.count() == DEPARTMENTS
    assert Province.objects.count() == PROVINCES
    assert District.objects.count() == DISTRICTS
    assert not District.objects.exclude(province__department=F("department")).exists()


def test_it_keys_places_by_inei_code_so_callao_is_07(loaded: dict) -> None:
    assert Department.objects.get(code="07").name == "Callao"
    assert Department.objects.get(code="15").name == "Lima"
    assert District.objects.get(code="070101").name == "Callao"
    assert Province.objects.get(code="0801").department_id == "08"
    assert District.objects.get(code="080101").province_id == "0801"


def test_it_shows_names_in_spanish_case_and_keeps_the_accented_capitals(loaded: dict) -> None:
    assert Department.objects.get(code="17").name == "Madre de Dios"
    assert Department.objects.get(code="13").name == "La Libertad"
    assert Department.objects.get(code="22").name == "San Martín"
    assert Department.objects.get(code="02").name == "Áncash"
    assert Province.objects.get(code="1006").capital == "Tingo María"
    assert District.objects.get(code="010102").name == "Asunción"
    assert District.objects.get(code="100601").name == "Rupa-Rupa"


def test_districts_without_known_coordinates_take_their_province_capitals(loaded: dict) -> None:
    # San Antonio (Mariscal Nieto, Moquegua): no INEI code nor coordinates in the source table.
    district = District.objects.select_related("province").get(code="180107")
    assert district.name == "San Antonio"
    assert (district.latitude, district.longitude) == (district.province.latitude, district.province.longitude)


# --- the unit tree ----------------------------------------------------------------------------------


def test_it_loads_the_unit_tree(loaded: dict) -> None:
    assert loaded["units"] == UNITS
    assert loaded["units_by_kind"] == UNITS_BY_KIND
    assert dict(Counter(Unit.objects.values_list("kind", flat=True))) == UNITS_BY_KIND


def test_every_district_has_exactly_one_competent_directorate(loaded: dict) -> None:
    competent = {}
    for code in District.objects.values_list("code", flat=True):
        directorate = competent_directorate(code)  # .get(): raises unless exactly one
        assert directorate.kind == Unit.Kind.TERRITORIAL_DIRECTORATE
        competent[code] = directorate.code
    assert len(competent) == DISTRICTS
    assert competent["080101"] == "DIRTEPOL-CUSCO"
    assert competent["010101"] == "DIRTEPOL-TARAPOTO"  # Amazonas counts under Tarapoto
    assert competent["070101"] == "DIRTEPOL-CALLAO"
    assert competent_directorate(District.objects.get(code="150101")).code == "DIRTEPOL-LIMA"


def test_every_directorate_has_exactly_one_specialised_unit_at_its_seat(loaded: dict) -> None:
    assert directorates().count() == 24
    for directorate in directorates().prefetch_related("jurisdiction"):
        unit = specialised_unit_of(directorate)
        assert unit.code == f"{directorate.code}-TRATA"
        assert unit.directorate == directorate
        assert unit.district_id == directorate.district_id
        assert unit.district.department_id in {d.code for d in directorate.jurisdiction.all()}


def test_every_province_has_exactly_one_representative_station_in_it(loaded: dict) -> None:
    stations = Unit.objects.filter(kind=Unit.Kind.STATION, is_representative=True).select_related("district", "parent")
    per_province = Counter(station.district.province_id for station in stations)
    assert set(per_province) == set(Province.objects.values_list("code", flat=True))
    assert set(per_province.values()) == {1}
    for station in stations:
        assert station.parent.kind == Unit.Kind.TERRITORIAL_DIRECTORATE
        assert station.parent.jurisdiction.filter(code=station.district.department_id).exists()
        assert station.name.startswith("Comisaría PNP ")


def test_stations_are_numbered_in_province_order(loaded: dict) -> None:
    cusco = Unit.objects.select_related("district").get(code="DIRTEPOL-CUSCO-CPNP-1")
    assert (cusco.district.province_id, cusco.district_id, cusco.name) == ("0801", "080101", "Comisaría PNP Cusco")
    lima = Unit.objects.select_related("district").get(code="DIRTEPOL-LIMA-CPNP-1")
    assert (lima.district.province_id, lima.district_id, lima.name) == ("1501", "150101", "Comisaría PNP Lima")
    # The capital's district found through the districts' capitals when names differ.
    maldonado = Unit.objects.get(code="DIRTEPOL-MADRE-DE-DIOS-CPNP-1")
    assert (maldonado.district_id, maldonado.name) == ("170101", "Comisaría PNP Puerto Maldonado")


def test_a_station_lies_in_its_directorates_subtree(loaded: dict) -> None:
    cusco = Unit.objects.get(code="DIRTEPOL-CUSCO")
    assert cusco.path == "MININTER/PNP/DIRTEPOL-CUSCO/"
    assert cusco.directorate == cusco
    station = Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1")
    assert station.path == "MININTER/PNP/DIRTEPOL-CUSCO/DIRTEPOL-CUSCO-CPNP-1/"
    assert station.directorate == cusco
    assert station.is_in_subtree_of(cusco)
    for unit in Unit.objects.filter(kind__in=[Unit.Kind.STATION, Unit.Kind.REGIONAL_SPECIALISED]).select_related(
        "directorate", "parent"
    ):
        assert unit.directorate_id == unit.parent_id
        assert unit.path == f"{unit.directorate.path}{unit.code}/"


def test_divintrap_lies_under_dirincri(loaded: dict) -> None:
    divintrap = national_specialised_unit()
    assert divintrap.code == "DIVINTRAP"
    assert divintrap.parent.code == "DIRINCRI"
    assert divintrap.path == "MININTER/PNP/DIRINCRI/DIVINTRAP/"
    assert divintrap.directorate.code == "DIRINCRI"
    assert not divintrap.jurisdiction.exists()  # national by its kind
    hotline = Unit.objects.get(code="LINEA-0800")
    assert hotline.path == "MININTER/SPDH/LINEA-0800/"
    assert hotline.directorate is None


# --- the command ------------------------------------------------------------------------------------


def test_the_command_prints_the_counts() -> None:
    output = run_command()
    assert "Departamentos: 25 · Provincias: 196 · Distritos: 1,893" in output
    assert f"Unidades: {UNITS} (ministerio 1," in output
    assert "direcciones territoriales 24" in output
    assert "comisarías 196)" in output
    assert "Escritos:" in output


def test_a_second_load_writes_nothing(django_assert_max_num_queries) -> None:  # noqa: ANN001
    first = run_command()
    history = Unit.history.count()
    assert history == UNITS
    tree = list(Unit.objects.values_list("code", "path", "directorate_id", "parent_id"))

    with django_assert_max_num_queries(15):  # reads and counts only
        second = run_command()

    assert Unit.history.count() == history
    assert list(Unit.objects.values_list("code", "path", "directorate_id", "parent_id")) == tree
    assert second.splitlines()[:2] == first.splitlines()[:2]
    assert "Sin cambios" in second
    assert reference_data_load()["written"] == {
        "departments": 0,
        "provinces": 0,
        "districts": 0,
        "units": 0,
        "catalogue_entries": 0,
    }


def test_it_restores_what_drifted_and_only_that(loaded: dict) -> None:
    station = Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1")
    station.name = "Renamed"
    station.save()
    District.objects.filter(code="080101").update(name="CUZCO")
    Unit.objects.get(code="DIRTEPOL-CUSCO").jurisdiction.add("17")
    history = Unit.history.count()

    result = reference_data_load()

    assert result["written"] == {"departments": 0, "provinces": 0, "districts": 1, "units": 2, "catalogue_entries": 0}
    assert Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1").name == "Comisaría PNP Cusco"
    assert District.objects.get(code="080101").name == "Cusco"
    assert competent_directorate("170101").code == "DIRTEPOL-MADRE-DE-DIOS"
    assert Unit.history.count() == history + 1  # the station; a jurisdiction change has no row history


# --- self-contained: nothing outside the project ------------------------------------------------------

_opened: list[str] | None = None
_hook_installed = False


def _record_open(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


def test_it_reads_only_the_projects_own_fixtures() -> None:
    global _opened, _hook_installed  # noqa: PLW0603
    if not _hook_installed:
        sys.addaudithook(_record_open)  # audit hooks cannot be removed: it records only when asked
        _hook_installed = True
    _opened = []
    try:
        run_command()
        opened = [Path(path).resolve() for path in _opened if path.endswith((".json", ".csv"))]
    finally:
        _opened = None

    base_dir = Path(settings.BASE_DIR).resolve()
    assert {path.name for path in opened} >= {"departments.json", "provinces.json", "districts.json", "units.json"}
    assert all(path.is_relative_to(base_dir / "fixtures") for path in opened), opened
    assert reference_data_load()["source"] == str(Path(settings.BASE_DIR) / "fixtures")


def test_it_fails_loudly_without_the_fixtures(tmp_path: Path, settings) -> None:  # noqa: ANN001
    with pytest.raises(FileNotFoundError):
        reference_data_load(base_dir=tmp_path)
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="Reference data not found"):
        run_command()
    assert not Unit.objects.exists()
