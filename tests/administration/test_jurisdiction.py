"""Jurisdiction below the department (issue 13): the competent directorate of a district is the
finest piece of jurisdiction valid on the day (district, else province, else department); a split
may pass provinces and districts; the split form refuses ambiguous or overlapping pieces; the new
directorate gets its trafficking unit, which receives the alerts of its territory."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from administration import tree
from administration.models import District, Jurisdiction, Province, Role, Unit
from administration.selectors import competent_directorate
from audit.context import request_id_scope
from audit.models import AuditEvent
from complaints import services
from complaints.alerts import alert_receivers
from complaints.models import Alert
from tests.factories.administration import DistrictFactory, ProvinceFactory, UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

# A fixed moment, whatever today is (the sample's facts are of 2026-11-20).
T0 = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=datetime.UTC)
HUAURA, HUARAL = "1508", "1506"
HUACHO, HUALMAY = "150801", "150806"  # districts of Huaura
CHANCAY = "150605"  # a district of Huaral


@pytest.fixture(autouse=True)
def at_t0() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def lima(personas: dict, units: dict) -> dict:
    """Lima's northern provinces (the small tree has Lima's capital only)."""
    department = units["DIRTEPOL-LIMA"].district.department
    places = {}
    for province_code, province_name, districts in (
        (HUAURA, "Huaura", ((HUACHO, "Huacho"), (HUALMAY, "Hualmay"))),
        (HUARAL, "Huaral", ((CHANCAY, "Chancay"),)),
    ):
        places[province_code] = ProvinceFactory(code=province_code, department=department, name=province_name)
        for code, name in districts:
            places[code] = DistrictFactory(code=code, province=places[province_code], name=name)
    station = tree.unit_create(
        actor=personas["national_admin"],
        code="DIRTEPOL-LIMA-CPNP-HUACHO",
        name="Comisaría PNP Huacho",
        kind=Unit.Kind.STATION,
        parent=units["DIRTEPOL-LIMA"],
        district=places[HUACHO],
        valid_from=_day(400),
    )
    places["station"] = station
    return places


def _day(ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=ago)


def _split_north(personas: dict, tree_units: dict, lima: dict, **overrides: object) -> Unit:
    arguments = {
        "actor": personas["national_admin"],
        "directorate": tree_units["DIRTEPOL-LIMA"],
        "code": "DIRTEPOL-LIMA-NORTE",
        "name": "XI DIRTEPOL Lima Norte",
        "units": [lima["station"]],
        "provinces": [lima[HUAURA], lima[HUARAL]],
        "on": _day(60),
    }
    arguments.update(overrides)
    return tree.directorate_split(**arguments)


# ---------------------------------------------------------------- the finest piece, dated


def test_a_district_of_huaura_belongs_to_the_new_directorate_from_the_split_on(
    personas: dict, units: dict, lima: dict
) -> None:
    north = _split_north(personas, units, lima)
    assert competent_directorate(HUACHO) == north
    assert competent_directorate(District.objects.get(code=CHANCAY)) == north
    assert competent_directorate("150101") == units["DIRTEPOL-LIMA"]  # Lima's capital stays
    # Before the split, Lima was competent for Huaura; from the day of the split, the new one.
    assert competent_directorate(HUACHO, on=_day(61)) == units["DIRTEPOL-LIMA"]
    assert competent_directorate(HUACHO, on=_day(60)) == north
    # The department stays with Lima (no department row moves): the province is the finer piece.
    assert set(units["DIRTEPOL-LIMA"].jurisdiction.values_list("pk", flat=True)) == {"15"}
    pieces = Jurisdiction.objects.filter(directorate=north).order_by("province_id")
    assert [(p.province_id, p.district_id, p.valid_from) for p in pieces] == [
        (HUARAL, None, _day(60)),
        (HUAURA, None, _day(60)),
    ]


def test_a_district_beats_its_province(personas: dict, units: dict, lima: dict) -> None:
    """A later split of the new directorate gives one district of Huaura to a third one."""
    north = _split_north(personas, units, lima)
    coast = tree.directorate_split(
        actor=personas["national_admin"],
        directorate=north,
        code="DIRTEPOL-HUALMAY",
        name="DIRTEPOL Hualmay",
        units=[Unit.objects.get(code="DIRTEPOL-LIMA-CPNP-HUACHO")],
        districts=[District.objects.get(code=HUALMAY)],
        on=_day(10),
    )
    assert competent_directorate(HUALMAY) == coast
    assert competent_directorate(HUACHO) == north  # the rest of the province
    assert competent_directorate(HUALMAY, on=_day(11)) == north
    assert competent_directorate(HUALMAY, on=_day(61)) == units["DIRTEPOL-LIMA"]


def test_a_merge_passes_the_provinces_of_the_absorbed_directorate(personas: dict, units: dict, lima: dict) -> None:
    north = _split_north(personas, units, lima)  # no accounts in it: it may be merged
    tree.unit_merge(actor=personas["national_admin"], absorbed=north, into=units["DIRTEPOL-LIMA"], on=_day(5))
    assert competent_directorate(HUACHO) == units["DIRTEPOL-LIMA"]
    assert competent_directorate(HUACHO, on=_day(6)) == north
    closed = Jurisdiction.objects.get(directorate=north, province_id=HUAURA)
    assert closed.valid_to == _day(6)


# ---------------------------------------------------------------- the callers


@pytest.fixture
def north_investigator(personas: dict, units: dict, lima: dict) -> Unit:
    north = _split_north(personas, units, lima)
    trafficking = Unit.objects.get(code="DIRTEPOL-LIMA-NORTE-TRATA")
    UserFactory(username="norte.investigator", unit=trafficking, role=Role.REGIONAL_INVESTIGATOR)
    return north


def test_a_complaint_in_huaura_alerts_the_new_directorates_trafficking_unit(
    personas: dict, north_investigator: Unit
) -> None:
    data = bar_in_madre_de_dios(place_district=District.objects.get(code=HUACHO))
    assert "DIRTEPOL-LIMA-NORTE-TRATA" in [receiver.unit.code for receiver in alert_receivers(data)]
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    assert complaint.competent_directorate == north_investigator
    alerted = sorted(Alert.objects.filter(complaint=complaint).values_list("unit__code", flat=True))
    assert alerted == ["DIRTEPOL-LIMA-NORTE-TRATA", "DIVINTRAP"]


def test_a_complaint_in_lima_still_alerts_lima(personas: dict, units: dict, north_investigator: Unit) -> None:
    UserFactory(username="lima.investigator", unit=units["DIRTEPOL-LIMA-TRATA"], role=Role.REGIONAL_INVESTIGATOR)
    data = bar_in_madre_de_dios(place_district=District.objects.get(code="150101"))
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    assert complaint.competent_directorate == units["DIRTEPOL-LIMA"]
    assert "DIRTEPOL-LIMA-TRATA" in complaint.alerts.values_list("unit__code", flat=True)


def test_an_imported_complaint_takes_the_directorate_of_its_registration_date(
    personas: dict, units: dict, lima: dict
) -> None:
    north = _split_north(personas, units, lima)
    data = bar_in_madre_de_dios(place_district=District.objects.get(code=HUACHO))
    registered = timezone.make_aware(datetime.datetime.combine(_day(90), datetime.time(10)))
    before = services.complaint_register_imported(
        actor=personas["national_admin"],
        registering_unit=units["DIRTEPOL-LIMA-CPNP-1"],
        number="OLD-2026-1",
        registered_at=registered,
        data=data,
    )
    assert before.competent_directorate == units["DIRTEPOL-LIMA"]
    after = services.complaint_register_imported(
        actor=personas["national_admin"],
        registering_unit=units["DIRTEPOL-LIMA-CPNP-1"],
        number="OLD-2026-2",
        registered_at=registered + datetime.timedelta(days=40),
        data=bar_in_madre_de_dios(place_district=District.objects.get(code=HUACHO)),
    )
    assert after.competent_directorate == north


# ---------------------------------------------------------------- the trafficking unit of a split


def test_the_split_creates_the_trafficking_unit_of_the_new_directorate(personas: dict, units: dict, lima: dict) -> None:
    north = _split_north(personas, units, lima)
    trafficking = Unit.objects.get(code="DIRTEPOL-LIMA-NORTE-TRATA")
    assert trafficking.parent == north and trafficking.directorate == north
    assert trafficking.kind == Unit.Kind.REGIONAL_SPECIALISED and trafficking.is_active
    assert trafficking.name == "Departamento de Investigación de Trata de Personas — DIRTEPOL Lima Norte"
    assert trafficking.valid_from == _day(60) and trafficking.district == north.district
    split = AuditEvent.objects.get(event="unit_tree_changed", details__operation="split")
    assert split.details["specialised_unit"] == "DIRTEPOL-LIMA-NORTE-TRATA"
    assert split.details["provinces"] == [HUARAL, HUAURA]
    created = AuditEvent.objects.get(event="unit_tree_changed", object_repr="DIRTEPOL-LIMA-NORTE-TRATA")
    assert created.details["operation"] == "create" and created.details["split_from"] == "DIRTEPOL-LIMA"


def test_the_trafficking_unit_stays_and_its_code_must_be_free(personas: dict, units: dict, lima: dict) -> None:
    with translation.override("es"), pytest.raises(ValidationError) as raised:
        _split_north(personas, units, lima, units=[units["DIRTEPOL-LIMA-TRATA"]])
    assert "se queda en VII DIRTEPOL Lima" in raised.value.message_dict["units"][0]
    tree.unit_create(
        actor=personas["national_admin"],
        code="DIRTEPOL-LIMA-NORTE-TRATA",
        name="Otra",
        kind=Unit.Kind.STATION,
        parent=units["DIRTEPOL-LIMA"],
        valid_from=_day(100),
    )
    with translation.override("es"), pytest.raises(ValidationError) as raised:
        _split_north(personas, units, lima)
    assert "DIRTEPOL-LIMA-NORTE-TRATA de su unidad de trata ya está en uso" in raised.value.message_dict["code"][0]
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-NORTE").exists()


def test_the_name_follows_the_reference_data() -> None:
    """Every directorate of fixtures/units.json has <code>-TRATA named as a split names it."""
    import json
    from pathlib import Path

    from django.conf import settings

    rows = {row["code"]: row for row in json.loads((Path(settings.BASE_DIR) / "fixtures/units.json").read_text())}
    directorates = [row for row in rows.values() if row["kind"] == "territorial_directorate"]
    assert len(directorates) == 24
    for row in directorates:
        specialised = rows[f"{row['code']}{tree.SPECIALISED_SUFFIX}"]
        assert (specialised["parent"], specialised["kind"]) == (row["code"], "regional_specialised")
        assert specialised["name"] == tree.specialised_unit_name(row["name"])


# ---------------------------------------------------------------- the form refuses


def _post(clients: dict, directorate: Unit, lima: dict, **data: object) -> str:
    form = {
        "code": "DIRTEPOL-LIMA-NORTE",
        "name": "DIRTEPOL Lima Norte",
        "units": [lima["station"].pk],
        "on": _day(60).isoformat(),
        **data,
    }
    url = reverse("administration:directorate_split", kwargs={"pk": directorate.pk})
    with translation.override("es"):
        response = clients["national_admin"].post(url, form, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, "refused: the form again"
    return response.content.decode()


def _nothing_saved() -> None:
    assert not Unit.objects.filter(code__startswith="DIRTEPOL-LIMA-NORTE").exists()
    assert not Jurisdiction.objects.exists()


def test_the_form_passes_provinces_and_districts(clients: dict, units: dict, lima: dict) -> None:
    url = reverse("administration:directorate_split", kwargs={"pk": units["DIRTEPOL-LIMA"].pk})
    page = clients["national_admin"].get(url).content.decode()
    assert "Huaura" in page and 'name="districts"' in page
    response = clients["national_admin"].post(
        url,
        {
            "code": "DIRTEPOL-LIMA-NORTE",
            "name": "DIRTEPOL Lima Norte",
            "units": [lima["station"].pk],
            "provinces": [HUAURA],
            "districts": CHANCAY,
            "on": _day(60).isoformat(),
        },
    )
    assert response.status_code == 302
    north = Unit.objects.get(code="DIRTEPOL-LIMA-NORTE")
    assert competent_directorate(HUALMAY) == north and competent_directorate(CHANCAY) == north
    assert Unit.objects.filter(code="DIRTEPOL-LIMA-NORTE-TRATA", parent=north).exists()


def test_the_form_refuses_a_province_inside_a_department_passing_whole(clients: dict, units: dict, lima: dict) -> None:
    body = _post(clients, units["DIRTEPOL-LIMA"], lima, departments=["15"], provinces=[HUAURA])
    assert "Huaura está en el departamento Lima, que ya pasa entero" in body
    _nothing_saved()


def test_the_form_refuses_a_district_inside_a_province_passing_whole(clients: dict, units: dict, lima: dict) -> None:
    body = _post(clients, units["DIRTEPOL-LIMA"], lima, provinces=[HUAURA], districts=f"{HUACHO}, {CHANCAY}")
    assert "El distrito Huacho está en la provincia Huaura, que ya pasa entera" in body
    _nothing_saved()


def test_the_form_refuses_unknown_or_repeated_districts(clients: dict, units: dict, lima: dict) -> None:
    assert "No son ubigeos de distrito del INEI: 999999, abc." in _post(
        clients, units["DIRTEPOL-LIMA"], lima, districts="999999 abc"
    )
    assert "Un distrito figura dos veces: 150605." in _post(
        clients, units["DIRTEPOL-LIMA"], lima, districts="150605,150605"
    )
    _nothing_saved()


def test_the_form_refuses_a_piece_of_another_directorate(
    clients: dict, personas: dict, units: dict, lima: dict
) -> None:
    """After the split, Huaura is Lima Norte's: Lima cannot give it again."""
    _split_north(personas, units, lima)
    other = tree.unit_create(
        actor=personas["national_admin"],
        code="DIRTEPOL-LIMA-CPNP-2",
        name="Comisaría 2",
        kind=Unit.Kind.STATION,
        parent=units["DIRTEPOL-LIMA"],
        valid_from=_day(400),
    )
    body = _post(clients, units["DIRTEPOL-LIMA"], lima, code="DIRTEPOL-LIMA-X", units=[other.pk], provinces=[HUAURA])
    assert "Huaura no es de la jurisdicción de VII DIRTEPOL Lima" in body
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-X").exists()


def test_the_form_refuses_a_piece_overlapping_in_time(clients: dict, personas: dict, units: dict, lima: dict) -> None:
    """Lima Norte got Huaura 60 days ago; Lima giving Huaura to another directorate from 90 days
    ago would make two pieces of the same place and level overlap; and Lima Norte cannot give away
    a district of Huaura from before it had it."""
    north = _split_north(personas, units, lima)
    other = tree.unit_create(
        actor=personas["national_admin"],
        code="DIRTEPOL-LIMA-CPNP-2",
        name="Comisaría 2",
        kind=Unit.Kind.STATION,
        parent=units["DIRTEPOL-LIMA"],
        valid_from=_day(400),
    )
    body = _post(
        clients,
        units["DIRTEPOL-LIMA"],
        lima,
        code="DIRTEPOL-LIMA-X",
        units=[other.pk],
        provinces=[HUAURA],
        on=_day(90).isoformat(),
    )
    date = _day(60).strftime("%d/%m/%Y")
    assert f"La jurisdicción sobre Huaura ya cambió el {date}: indique una fecha posterior." in body
    body = _post(
        clients,
        north,
        lima,
        code="DIRTEPOL-HUALMAY",
        units=[Unit.objects.get(code="DIRTEPOL-LIMA-CPNP-HUACHO").pk],
        districts=HUALMAY,
        on=_day(90).isoformat(),
    )
    assert "Hualmay no es de la jurisdicción de XI DIRTEPOL Lima Norte" in body
    assert not Unit.objects.filter(code__in=["DIRTEPOL-LIMA-X", "DIRTEPOL-HUALMAY"]).exists()
    assert Jurisdiction.objects.count() == 2  # the split's two provinces, nothing else


def test_an_ambiguous_jurisdiction_is_refused_and_never_guessed(
    clients: dict, personas: dict, units: dict, lima: dict
) -> None:
    """Two directorates holding one province on the same day (written behind the screens' back):
    the selector raises rather than pick one, and the form refuses to pass it."""
    Jurisdiction.objects.create(directorate=units["DIRTEPOL-LIMA"], department_id="15", province_id=HUAURA)
    Jurisdiction.objects.create(directorate=units["DIRTEPOL-CUSCO"], department_id="15", province_id=HUAURA)
    with pytest.raises(Unit.MultipleObjectsReturned):
        competent_directorate(HUACHO)
    body = _post(clients, units["DIRTEPOL-LIMA"], lima, provinces=[HUAURA])
    assert "La jurisdicción sobre Huaura es ambigua" in body
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-NORTE").exists()
    assert Province.objects.filter(code=HUAURA).exists()


# ---------------------------------------------------------------- one check, a constant number of queries


def test_the_jurisdiction_check_reads_a_constant_number_of_queries(units: dict, lima: dict) -> None:
    """However many pieces pass, the check reads the same few queries (it read two or three per
    piece), and finds nothing to refuse in pieces of Lima's own department."""
    lima_directorate = Unit.objects.get(code="DIRTEPOL-LIMA")
    on = _day(60)

    def count(pieces: tree.Pieces) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert tree.jurisdiction_errors(lima_directorate, pieces, on) == {}
        return len(queries)

    one = count(tree.Pieces(provinces=(lima[HUARAL],)))
    three = count(tree.Pieces(provinces=(lima[HUARAL],), districts=(lima[HUACHO], lima[HUALMAY])))
    assert one == three <= 3


def test_the_split_page_checks_once_and_shows_the_refusal_in_spanish(clients: dict, units: dict, lima: dict) -> None:
    """Two ambiguous provinces are refused with a Spanish message each, in as many queries as one."""
    for province in (HUAURA, HUARAL):
        for directorate in ("DIRTEPOL-LIMA", "DIRTEPOL-CUSCO"):
            Jurisdiction.objects.create(directorate=units[directorate], department_id="15", province_id=province)

    def refused(provinces: list[str]) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            body = _post(clients, units["DIRTEPOL-LIMA"], lima, provinces=provinces)
        return body, len(queries)

    body_one, one = refused([HUAURA])
    body_two, two = refused([HUAURA, HUARAL])
    assert "La jurisdicción sobre Huaura es ambigua" in body_one
    assert "La jurisdicción sobre Huaura es ambigua" in body_two
    assert "La jurisdicción sobre Huaral es ambigua" in body_two
    assert one == two
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-NORTE").exists()


# ---------------------------------------------------------------- read once per request


def _reads(call: object) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def test_the_competent_directorate_is_read_once_per_district_and_day_of_what_is_served(
    personas: dict, units: dict, lima: dict
) -> None:
    with request_id_scope():
        first, read = _reads(lambda: competent_directorate(HUACHO))
        again, read_again = _reads(lambda: competent_directorate(District.objects.get(code=HUACHO)))
        assert first == again == units["DIRTEPOL-LIMA"] and read > 0
        assert read_again == 1  # the district only
        _other_day, read_other_day = _reads(lambda: competent_directorate(HUACHO, on=_day(61)))
        assert read_other_day == read  # another day is another answer
    with request_id_scope():  # another service call, request or command run: read afresh
        assert _reads(lambda: competent_directorate(HUACHO)) == (units["DIRTEPOL-LIMA"], read)
    assert _reads(lambda: competent_directorate(HUACHO)) == (units["DIRTEPOL-LIMA"], read)  # nothing bound


def test_a_change_of_the_tree_in_the_same_request_is_seen_at_once(personas: dict, units: dict, lima: dict) -> None:
    with request_id_scope():
        assert competent_directorate(HUACHO) == units["DIRTEPOL-LIMA"]
        north = _split_north(personas, units, lima, on=_day(0))  # new pieces of jurisdiction, a new directorate
        assert competent_directorate(HUACHO) == north
        Jurisdiction.objects.filter(directorate=north).delete()
        assert competent_directorate(HUACHO) == units["DIRTEPOL-LIMA"]
        units["DIRTEPOL-LIMA"].jurisdiction.clear()  # Lima's departments: nobody holds Lima's
        with pytest.raises(Unit.DoesNotExist):
            competent_directorate(HUACHO)


def test_the_request_reads_the_directorate_once_and_the_next_request_afresh(
    personas: dict, units: dict, lima: dict
) -> None:
    """The memo lives on the request (audit.context.request_cache): two requests do not share it."""
    from audit.context import bind, unbind

    class Request:
        request_id = "a" * 32

    for _request in range(2):
        token = bind(Request())
        try:
            assert _reads(lambda: competent_directorate(HUACHO))[1] > 0
            assert _reads(lambda: competent_directorate(HUACHO))[1] == 0
        finally:
            unbind(token)
