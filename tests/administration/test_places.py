"""Place names as users see them: accents restored where the source lost them, and every list of
places in Spanish order ("Áncash" among the A's), whatever the database's collation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from administration.models import Department, District, Province
from administration.places import department_choices, spanish_key
from administration.services import reference_data_load
from tests.complaints.test_form import post_data
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(personas: dict) -> dict:
    return reference_data_load()


def test_spanish_order_ignores_accents_and_case_and_puts_enye_after_n() -> None:
    names = ["Zarumilla", "Ñahuimpuquio", "Áncash", "Nunez", "amazonas", "Apurímac", "Oyón", "Ámbar"]
    assert sorted(names, key=spanish_key) == [
        "amazonas",
        "Ámbar",
        "Áncash",
        "Apurímac",
        "Nunez",
        "Ñahuimpuquio",
        "Oyón",
        "Zarumilla",
    ]


def test_accents_lost_by_the_source_are_restored(loaded: dict) -> None:
    assert Province.objects.get(code="0809").name == "La Convención"  # Cusco
    assert Province.objects.get(code="0204").name == "Asunción"
    assert Province.objects.get(code="1309").name == "Sánchez Carrión"
    assert District.objects.get(code="150135").name == "San Martín de Porres"
    assert District.objects.get(code="190109").name == "Simón Bolívar"
    assert District.objects.get(code="120432").name == "Tunán Marca"  # from the source's own capitals
    assert District.objects.get(code="020101").name == "Huaraz"  # untouched
    assert Department.objects.get(code="02").name == "Áncash"


def test_a_second_load_restores_a_name_that_lost_its_accent_again(loaded: dict) -> None:
    Province.objects.filter(code="0809").update(name="La Convencion")
    assert reference_data_load()["written"]["provinces"] == 1
    assert Province.objects.get(code="0809").name == "La Convención"


def test_a_correction_that_no_longer_matches_its_name_stops_the_load(tmp_path: Any, settings: Any) -> None:
    import shutil
    from pathlib import Path

    fixtures = tmp_path / "fixtures"
    shutil.copytree(Path(settings.BASE_DIR) / "fixtures", fixtures)
    path = fixtures / "ubigeo" / "name_corrections.csv"
    path.write_text("code,name_in_source,corrected_name,source\n0809,La Convenzion,La Convención,x\n", "utf-8")
    with pytest.raises(ValueError, match="0809"):
        reference_data_load(base_dir=tmp_path)
    assert not Province.objects.filter(code="0809").exists()  # nothing partial


def test_the_department_list_puts_ancash_among_the_a(loaded: dict) -> None:
    names = [name for _code, name in department_choices()]
    assert names[:4] == ["Amazonas", "Áncash", "Apurímac", "Arequipa"]
    assert names[-1] == "Ucayali"


def test_the_complaint_form_offers_places_in_spanish_order(loaded: dict, personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    page = officer.get(reverse("complaints:complaint_create"))
    departments = [name for code, name in page.context["form"].fields["department"].choices if code]
    assert departments.index("Áncash") == 1
    # The districts of Huaura (Lima): "Ámbar" first, not after "Vegueta".
    data = post_data(bar_in_madre_de_dios(), action="refresh", department="15", province="1508", place_district="")
    response = officer.post(reverse("complaints:complaint_create"), data)
    districts = [name for code, name in response.context["form"].fields["place_district"].choices if code]
    assert districts[0] == "Ámbar"
    assert districts == sorted(districts, key=spanish_key)


def test_the_place_lists_of_the_script_are_in_spanish_order(loaded: dict, personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    huaura = officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "1508"})).json()["children"]
    assert huaura[0]["name"] == "Ámbar"
    response = officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "0907"}))  # Tayacaja
    tayacaja = [row["name"] for row in response.json()["children"]]
    assert tayacaja == sorted(tayacaja, key=spanish_key)
    after_n = tayacaja[tayacaja.index("Ñahuimpuquio") + 1 :]
    assert after_n and all(name[0] > "N" for name in after_n)


def test_the_complaint_list_and_statistics_filters_offer_departments_in_spanish_order(
    loaded: dict, personas: dict
) -> None:
    client = signed_in_client(personas["monitor"])
    page = client.get(reverse("complaints:complaint_list")).content.decode()
    assert page.index(">Áncash<") < page.index(">Apurímac<") < page.index(">Ucayali<")
    stats = client.get(reverse("stats:crosstab")).content.decode()
    filters = stats[stats.index('name="department"') :]
    assert filters.index(">Áncash<") < filters.index(">Apurímac<") < filters.index(">Ucayali<")
