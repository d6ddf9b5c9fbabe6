"""The unit tree over time (issue 13, item 1): national administrators create, rename, move,
merge and split units, dated; access follows the current tree at once; a placement history keeps
where each unit stood before."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from administration import tree
from administration.access import scope_of
from administration.models import Jurisdiction, Unit, UnitPlacement
from administration.selectors import units_in_scope
from audit.models import AuditEvent
from tests.factories.administration import UserFactory

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _split(personas: dict, tree_units: dict, **overrides: object) -> Unit:
    arguments = {
        "actor": personas["national_admin"],
        "directorate": tree_units["DIRTEPOL-CUSCO"],
        "code": "DIRTEPOL-CUSCO-SUR",
        "name": "DIRTEPOL Cusco Sur",
        "units": [tree_units["DIRTEPOL-CUSCO-CPNP-1"]],
        "on": _days_ago(30),
    }
    arguments.update(overrides)
    return tree.directorate_split(**arguments)


def test_split_moves_the_chosen_units_and_keeps_where_they_stood(personas: dict, units: dict) -> None:
    on = _days_ago(30)
    new = _split(personas, units)
    station = Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1")
    assert new.kind == Unit.Kind.TERRITORIAL_DIRECTORATE and new.parent == units["PNP"] and new.valid_from == on
    assert station.parent == new and station.directorate == new
    assert station.path == "MININTER/PNP/DIRTEPOL-CUSCO-SUR/DIRTEPOL-CUSCO-CPNP-1/"
    old, current = UnitPlacement.objects.filter(unit=station).order_by("valid_to")
    # ordering by valid_to puts NULL first on SQLite and last on MariaDB: sort by hand
    old, current = sorted((old, current), key=lambda p: p.valid_from or datetime.date.min)
    assert (old.directorate, old.valid_to) == (units["DIRTEPOL-CUSCO"], on - datetime.timedelta(days=1))
    assert (current.directorate, current.valid_from, current.valid_to) == (new, on, None)
    # the old directorate keeps its other units and its dates
    assert Unit.objects.get(code="DIRTEPOL-CUSCO-TRATA").directorate == units["DIRTEPOL-CUSCO"]
    event = AuditEvent.objects.get(event="unit_tree_changed", details__operation="split")
    assert event.details["units"] == ["DIRTEPOL-CUSCO-CPNP-1"]
    # The new directorate has its trafficking unit, as every directorate of the reference data.
    specialised = Unit.objects.get(parent=new, kind=Unit.Kind.REGIONAL_SPECIALISED)
    assert specialised.code == "DIRTEPOL-CUSCO-SUR-TRATA" and specialised.directorate == new
    assert specialised.name == "Departamento de Investigación de Trata de Personas — DIRTEPOL Cusco Sur"
    assert (specialised.valid_from, specialised.is_active) == (on, True)
    assert event.details["specialised_unit"] == "DIRTEPOL-CUSCO-SUR-TRATA"
    assert AuditEvent.objects.filter(
        event="unit_tree_changed", object_repr=specialised.code, details__operation="create"
    ).exists()


def test_alerts_of_the_new_directorates_jurisdiction_reach_its_trafficking_unit(personas: dict, units: dict) -> None:
    from complaints.alerts import alert_receivers
    from tests.factories.complaints import bar_in_madre_de_dios

    cusco = units["DIRTEPOL-CUSCO"].district
    data = bar_in_madre_de_dios(place_district=cusco)
    # The sample's facts are of 2026-11-20: a fixed day after them, whatever today is.
    with time_machine.travel(datetime.datetime(2026, 11, 25, 15, 0, tzinfo=datetime.UTC), tick=False):
        assert "DIRTEPOL-CUSCO-TRATA" in [receiver.unit.code for receiver in alert_receivers(data)]
        _split(personas, units, departments=[cusco.department])
        codes = [receiver.unit.code for receiver in alert_receivers(data)]
    assert "DIRTEPOL-CUSCO-SUR-TRATA" in codes and "DIRTEPOL-CUSCO-TRATA" not in codes


def test_access_follows_the_current_tree_at_once(personas: dict, units: dict) -> None:
    """The regional investigator of Cusco no longer sees the station that passed to the new
    directorate; an account of the new directorate sees it."""
    investigator = personas["regional_investigator"]
    cusco_boss = UserFactory(username="jefe.cusco", unit=units["DIRTEPOL-CUSCO"], role="regional_investigator")
    station = units["DIRTEPOL-CUSCO-CPNP-1"]
    assert units_in_scope(scope_of(cusco_boss)).filter(pk=station.pk).exists()
    new = _split(personas, units)
    assert not units_in_scope(scope_of(cusco_boss)).filter(pk=station.pk).exists()
    south_boss = UserFactory(username="jefe.sur", unit=new, role="regional_investigator")
    assert units_in_scope(scope_of(south_boss)).filter(pk=station.pk).exists()
    assert not units_in_scope(scope_of(investigator)).filter(pk=station.pk).exists()


def test_moving_a_subtree_updates_every_descendant_path(personas: dict, units: dict) -> None:
    child = tree.unit_create(
        actor=personas["national_admin"],
        code="DIRTEPOL-CUSCO-CPNP-1-PUESTO",
        name="Puesto de auxilio",
        kind=Unit.Kind.STATION,
        parent=units["DIRTEPOL-CUSCO-CPNP-1"],
        valid_from=_days_ago(100),
    )
    tree.unit_move(
        actor=personas["national_admin"],
        unit=units["DIRTEPOL-CUSCO-CPNP-1"],
        parent=units["DIRTEPOL-LIMA"],
        on=_days_ago(10),
    )
    child.refresh_from_db()
    assert child.path == "MININTER/PNP/DIRTEPOL-LIMA/DIRTEPOL-CUSCO-CPNP-1/DIRTEPOL-CUSCO-CPNP-1-PUESTO/"
    assert child.directorate == units["DIRTEPOL-LIMA"]
    assert UnitPlacement.objects.filter(unit=child, directorate=units["DIRTEPOL-CUSCO"]).exists()


def test_rename_keeps_the_old_name_in_the_history(personas: dict, units: dict) -> None:
    unit = tree.unit_rename(
        actor=personas["national_admin"], unit=units["DIRTEPOL-LIMA"], name="Región Policial Lima", on=_days_ago(1)
    )
    assert unit.name == "Región Policial Lima"
    names = list(unit.history.order_by("history_date").values_list("name", flat=True))
    assert names[-2:] == ["VII DIRTEPOL Lima", "Región Policial Lima"]
    assert "was: VII DIRTEPOL Lima" in unit.history.latest("history_date").history_change_reason


def test_merge_ends_the_absorbed_unit_and_moves_its_children(personas: dict, units: dict) -> None:
    on = _days_ago(5)
    tree.unit_merge(
        actor=personas["national_admin"], absorbed=units["DIRTEPOL-MADRE-DE-DIOS"], into=units["DIRTEPOL-CUSCO"], on=on
    )
    absorbed = Unit.objects.get(code="DIRTEPOL-MADRE-DE-DIOS")
    assert (absorbed.is_active, absorbed.valid_to) == (False, on - datetime.timedelta(days=1))
    station = Unit.objects.get(code="DIRTEPOL-MADRE-DE-DIOS-CPNP-1")
    assert station.directorate == units["DIRTEPOL-CUSCO"]
    assert set(units["DIRTEPOL-CUSCO"].jurisdiction.values_list("pk", flat=True)) == {"08", "17"}
    assert Jurisdiction.objects.get(directorate=units["DIRTEPOL-CUSCO"], department_id="17").valid_from == on


def test_merge_refuses_a_unit_with_active_accounts(personas: dict, units: dict) -> None:
    with pytest.raises(ValidationError) as raised:
        tree.unit_merge(
            actor=personas["national_admin"],
            absorbed=units["DIRTEPOL-LIMA-CPNP-1"],
            into=units["DIRTEPOL-LIMA-TRATA"],
            on=_days_ago(1),
        )
    assert "todavía tiene cuentas activas" in str(raised.value)
    assert Unit.objects.get(code="DIRTEPOL-LIMA-CPNP-1").is_active


def test_bad_split_saves_nothing_and_says_why_in_spanish(personas: dict, units: dict) -> None:
    before = Unit.objects.count()
    with translation.override("es"), pytest.raises(ValidationError) as raised:
        _split(personas, units, code="DIRTEPOL-LIMA", units=[units["DIRTEPOL-LIMA-CPNP-1"]], on=_days_ago(-3))
    messages = raised.value.message_dict
    assert "ya está en uso" in messages["code"][0]
    assert "dependen directamente" in messages["units"][0]
    assert "no puede ser futura" in messages["on"][0]
    assert Unit.objects.count() == before and not UnitPlacement.objects.exists()


def test_only_a_national_administrator_may_change_the_tree(personas: dict, units: dict) -> None:
    with pytest.raises(PermissionDenied):
        _split(personas, units, actor=personas["regional_investigator"])


def test_a_second_change_must_come_after_the_first(personas: dict, units: dict) -> None:
    _split(personas, units, on=_days_ago(30))
    with pytest.raises(ValidationError) as raised:
        tree.unit_move(
            actor=personas["national_admin"],
            unit=units["DIRTEPOL-CUSCO-CPNP-1"],
            parent=units["DIRTEPOL-LIMA"],
            on=_days_ago(40),
        )
    assert "indique una fecha posterior" in str(raised.value)


def test_records_keep_their_registering_unit(personas: dict, units: dict, complaints: dict) -> None:
    frozen = complaints["frozen"]
    _split(personas, units)
    frozen.refresh_from_db()
    assert frozen.registering_unit == units["DIRTEPOL-CUSCO-CPNP-1"]


def test_split_screen(clients: dict, personas: dict, units: dict) -> None:
    url = reverse("administration:directorate_split", kwargs={"pk": units["DIRTEPOL-CUSCO"].pk})
    page = clients["national_admin"].get(url)
    assert page.status_code == 200 and b'<label for="id_code"' in page.content
    response = clients["national_admin"].post(
        url,
        {
            "code": "DIRTEPOL-CUSCO-SUR",
            "name": "DIRTEPOL Cusco Sur",
            "units": [units["DIRTEPOL-CUSCO-CPNP-1"].pk],
            "on": _days_ago(30).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1").directorate.code == "DIRTEPOL-CUSCO-SUR"


def test_split_screen_bad_input_saves_nothing(clients: dict, units: dict) -> None:
    url = reverse("administration:directorate_split", kwargs={"pk": units["DIRTEPOL-CUSCO"].pk})
    with translation.override("es"):
        response = clients["national_admin"].post(url, {"code": "x", "name": "", "on": ""}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "Elija las unidades" in response.content.decode()
    assert not Unit.objects.filter(code="X").exists()


def test_a_complaint_of_a_moved_station_follows_the_current_tree(personas: dict, units: dict, complaints: dict) -> None:
    """The complaint keeps its station; who sees it follows the tree now: an account of the
    Lima directorate sees it once the station depends on Lima."""
    from complaints.models import Complaint

    lima_boss = UserFactory(username="jefe.lima", unit=units["DIRTEPOL-LIMA"], role="regional_investigator")
    frozen = complaints["frozen"]
    assert not Complaint.objects.visible_to(lima_boss).filter(pk=frozen.pk).exists()
    tree.unit_move(
        actor=personas["national_admin"],
        unit=units["DIRTEPOL-CUSCO-CPNP-1"],
        parent=units["DIRTEPOL-LIMA"],
        on=_days_ago(1),
    )
    assert Complaint.objects.visible_to(lima_boss).filter(pk=frozen.pk).exists()
    frozen.refresh_from_db()
    assert frozen.registering_unit_id == units["DIRTEPOL-CUSCO-CPNP-1"].pk


def test_the_unit_page_shows_the_tree_over_time(clients: dict, personas: dict, units: dict) -> None:
    tree.unit_merge(
        actor=personas["national_admin"],
        absorbed=units["DIRTEPOL-MADRE-DE-DIOS"],
        into=units["DIRTEPOL-CUSCO"],
        on=_days_ago(5),
    )
    station = units["DIRTEPOL-MADRE-DE-DIOS-CPNP-1"]
    page = clients["national_admin"].get(reverse("administration:unit_detail", kwargs={"pk": station.pk}))
    body = page.content.decode()
    assert "Lugar en el árbol a lo largo del tiempo" in body and "DIRTEPOL Madre de Dios" in body
    cusco = clients["national_admin"].get(
        reverse("administration:unit_detail", kwargs={"pk": units["DIRTEPOL-CUSCO"].pk})
    )
    assert "Jurisdicción a lo largo del tiempo" in cusco.content.decode()
    assert "Dividir esta dirección en dos" in cusco.content.decode()
    own = units["DIRTEPOL-CUSCO-CPNP-1"]
    officer_view = clients["station_officer"].get(reverse("administration:unit_detail", kwargs={"pk": own.pk}))
    assert officer_view.status_code == 200 and "Modificar el árbol" not in officer_view.content.decode()
