"""Places and things of a case file, and its route (issue 11, items 3 and 6): the service
(investigations.things), the pages, the route on the map (investigations.route_map)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from administration.models import District
from audit.models import AuditEvent
from investigations import services, things
from investigations.models import CasePhone, CasePlace, CaseVehicle, PlaceKind, RouteLeg
from investigations.route_map import route_svg
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

CUSCO, TAMBOPATA, LIMA = "080101", "170101", "150101"


def _leg(actor: Any, case_file: Any, stage: str, district: str, **data: Any) -> RouteLeg:
    return things.leg_save(
        actor=actor, case_file=case_file, data={"stage": stage, "district": District.objects.get(pk=district), **data}
    )


def _sequences(case_file: Any) -> list[tuple[int, str]]:
    return list(RouteLeg.objects.filter(case_file=case_file).order_by("sequence").values_list("sequence", "stage"))


# ---------------------------------------------------------------- identifiers


def test_plates_typed_differently_have_the_same_key(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    first = things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "car", "plate": "abc-123"})
    second = things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "car", "plate": "ABC123"})
    assert (first.plate, second.plate) == ("abc-123", "ABC123")
    assert first.plate_key == second.plate_key == "ABC123"
    assert AuditEvent.objects.filter(event="case_vehicle_added", object_id=str(case_file.pk)).count() == 2


def test_a_bad_plate_is_refused_unless_foreign(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    with pytest.raises(services.CaseFileError) as refused:
        things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "truck", "plate": "1234567"})
    assert refused.value.field == "plate"
    vehicle = things.vehicle_save(
        actor=actor, case_file=case_file, data={"kind": "truck", "plate": "bo-1234567", "foreign": True}
    )
    assert vehicle.plate_key == "BO1234567"


def test_a_phone_is_kept_in_e164(case_file: Any, personas: dict) -> None:
    phone = things.phone_save(
        actor=personas["regional_investigator"], case_file=case_file, data={"number": "987 654 321"}
    )
    assert phone.number == "+51987654321"


def test_an_invalid_phone_is_refused_in_spanish_and_nothing_saved(case_file: Any, personas: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    url = reverse("investigations:case_thing_add", args=[case_file.pk, "telefono"])
    with translation.override("es"):
        response = client.post(url, {"number": "12345", "notes": "Celular del captador"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "No es un número peruano válido" in response.content.decode()
    assert CasePhone.objects.count() == 0
    with pytest.raises(services.CaseFileError):
        things.phone_save(actor=personas["regional_investigator"], case_file=case_file, data={"number": "12345"})
    assert CasePhone.objects.count() == 0
    assert not AuditEvent.objects.filter(event="case_phone_added").exists()


def test_an_account_link_becomes_its_handle(case_file: Any, personas: dict) -> None:
    account = things.account_save(
        actor=personas["regional_investigator"],
        case_file=case_file,
        data={"network": "instagram", "handle": "https://www.instagram.com/Maria.Q/?hl=es"},
    )
    assert account.handle == "maria.q"


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(("latitude", "longitude"), [("-91", "-71"), ("-13", "-181"), ("90.5", "0")])
def test_coordinates_out_of_range_are_refused(case_file: Any, personas: dict, latitude: str, longitude: str) -> None:
    with pytest.raises(services.CaseFileError):
        things.place_save(
            actor=personas["regional_investigator"],
            case_file=case_file,
            data={"kind": "bar", "name": "Bar", "latitude": Decimal(latitude), "longitude": Decimal(longitude)},
        )
    client = signed_in_client(personas["regional_investigator"])
    response = client.post(
        reverse("investigations:case_thing_add", args=[case_file.pk, "lugar"]),
        {"kind": "bar", "name": "Bar", "latitude": latitude, "longitude": longitude},
    )
    assert response.status_code == 200
    assert CasePlace.objects.count() == 0


def test_a_private_home_address_is_withheld_until_the_logged_reveal(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    things.place_save(
        actor=actor,
        case_file=case_file,
        data={"kind": PlaceKind.PRIVATE_HOME, "name": "Casa", "address": "Jr. Los Incas 123"},
    )
    things.place_save(actor=actor, case_file=case_file, data={"kind": "nightclub", "address": "Av. Madre de Dios 9"})
    client = signed_in_client(actor)
    url = reverse("investigations:case_things", args=[case_file.pk])
    page = client.get(url).content.decode()
    assert "Av. Madre de Dios 9" in page and "Jr. Los Incas 123" not in page
    revealed = client.post(url).content.decode()
    assert "Jr. Los Incas 123" in revealed
    assert AuditEvent.objects.filter(event="identity_shown").count() == 1
    home = CasePlace.objects.get(kind=PlaceKind.PRIVATE_HOME)
    edit = client.get(reverse("investigations:case_thing_edit", args=[case_file.pk, "lugar", home.pk]))
    assert "Jr. Los Incas 123" in edit.content.decode()
    assert AuditEvent.objects.filter(event="identity_shown").count() == 2


def test_a_place_or_vehicle_a_leg_uses_is_not_removed(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    place = things.place_save(actor=actor, case_file=case_file, data={"kind": "bar", "name": "Bar La Pampa"})
    vehicle = things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "bus", "plate": "ABC-123"})
    leg = things.leg_save(
        actor=actor, case_file=case_file, data={"stage": "destination", "place": place, "vehicle": vehicle}
    )
    with translation.override("es"):
        with pytest.raises(services.CaseFileError) as refused:
            things.thing_remove(actor=actor, case_file=case_file, kind="place", pk=place.pk)
        assert "tramo" in refused.value.message
        with pytest.raises(services.CaseFileError):
            things.thing_remove(actor=actor, case_file=case_file, kind="vehicle", pk=vehicle.pk)
    things.thing_remove(actor=actor, case_file=case_file, kind="leg", pk=leg.pk)
    things.thing_remove(actor=actor, case_file=case_file, kind="place", pk=place.pk)
    assert not CasePlace.objects.filter(pk=place.pk).exists()
    assert CasePlace.history.filter(id=place.pk, history_type="-").count() == 1
    assert AuditEvent.objects.filter(event="case_place_removed").count() == 1


def test_a_change_is_audited_and_kept_in_the_history(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    vehicle = things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "car", "plate": "ABC-123"})
    things.vehicle_save(actor=actor, case_file=case_file, pk=vehicle.pk, data={"colour": "Rojo"})
    assert CaseVehicle.objects.get(pk=vehicle.pk).colour == "Rojo"
    assert CaseVehicle.history.filter(id=vehicle.pk).count() == 2
    event = AuditEvent.objects.get(event="case_vehicle_changed")
    assert event.details["fields"] == ["colour"]


def test_records_of_another_case_file_are_refused(case_file: Any, personas: dict, complaints: dict) -> None:
    from tests.investigations.conftest import open_case

    other = open_case(personas, complaints["frozen"])
    actor = personas["regional_investigator"]
    place = things.place_save(actor=actor, case_file=other, data={"kind": "bar", "name": "Otro"})
    with pytest.raises(services.CaseFileError):
        things.leg_save(actor=actor, case_file=case_file, data={"stage": "transit", "place": place})
    with pytest.raises(services.CaseFileError):
        things.thing_remove(actor=actor, case_file=case_file, kind="place", pk=place.pk)


def test_an_officer_outside_the_scope_cannot_write(case_file: Any, personas: dict) -> None:
    with pytest.raises(services.NotAllowedError):
        things.phone_save(actor=personas["outsider"], case_file=case_file, data={"number": "987654321"})


# ---------------------------------------------------------------- the route


def test_legs_are_ordered_and_reordered(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    first = _leg(actor, case_file, "recruitment", CUSCO)
    second = _leg(actor, case_file, "transit", LIMA)
    third = _leg(actor, case_file, "destination", TAMBOPATA)
    assert _sequences(case_file) == [(1, "recruitment"), (2, "transit"), (3, "destination")]
    things.leg_move(actor=actor, case_file=case_file, pk=third.pk, direction="up")
    assert _sequences(case_file) == [(1, "recruitment"), (2, "destination"), (3, "transit")]
    things.leg_move(actor=actor, case_file=case_file, pk=first.pk, direction="down")
    assert _sequences(case_file) == [(1, "destination"), (2, "recruitment"), (3, "transit")]
    with pytest.raises(services.CaseFileError):
        things.leg_move(actor=actor, case_file=case_file, pk=second.pk, direction="down")
    things.thing_remove(actor=actor, case_file=case_file, kind="leg", pk=first.pk)
    assert _sequences(case_file) == [(1, "destination"), (2, "transit")]
    assert AuditEvent.objects.filter(event="route_leg_moved").count() == 2


def test_moving_a_leg_through_the_page(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    _leg(actor, case_file, "recruitment", CUSCO)
    second = _leg(actor, case_file, "destination", TAMBOPATA)
    client = signed_in_client(actor)
    response = client.post(
        reverse("investigations:route_leg_move", args=[case_file.pk, second.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert _sequences(case_file) == [(1, "destination"), (2, "recruitment")]


def test_a_leg_needs_a_place_or_a_district_and_arrives_after_it_departs(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    with pytest.raises(services.CaseFileError):
        things.leg_save(actor=actor, case_file=case_file, data={"stage": "transit"})
    day = datetime.date(2026, 3, 10)
    with pytest.raises(services.CaseFileError) as refused:
        _leg(actor, case_file, "transit", CUSCO, departed_on=day, arrived_on=day - datetime.timedelta(days=1))
    assert refused.value.field == "arrived_on"
    assert RouteLeg.objects.count() == 0


def test_the_route_svg_contains_the_departments_of_the_legs(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    _leg(actor, case_file, "recruitment", CUSCO)
    _leg(actor, case_file, "destination", TAMBOPATA)
    svg = str(route_svg(RouteLeg.objects.filter(case_file=case_file).select_related("district")))
    assert 'role="img"' in svg and 'aria-labelledby="route-title route-desc"' in svg
    assert '<g class="route-leg" data-department="08" data-sequence="1">' in svg
    assert '<g class="route-leg" data-department="17" data-sequence="2">' in svg
    assert svg.count('class="route-arrow"') == 1
    assert "Cusco" in svg and "Madre de Dios" in svg
    # Plain dicts work too (the report PDF), and a leg without a department is described only.
    from_dicts = str(route_svg([{"stage": "recruitment", "department": "08"}, {"stage": "transit"}], id_prefix="pdf"))
    assert 'data-department="08"' in from_dicts and 'aria-labelledby="pdf-title pdf-desc"' in from_dicts
    assert from_dicts.count('class="route-leg"') == 1


def test_the_route_page_shows_the_map_and_the_legs_in_order(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    _leg(actor, case_file, "recruitment", CUSCO)
    _leg(actor, case_file, "destination", TAMBOPATA)
    page = signed_in_client(actor).get(reverse("investigations:case_route", args=[case_file.pk])).content.decode()
    assert 'class="chart chart-map chart-route"' in page
    table = page[page.index('id="legs-table"') :]
    assert table.index('<th scope="row">1</th>') < table.index("Cusco") < table.index('<th scope="row">2</th>')
    assert table.index('<th scope="row">2</th>') < table.index("Madre de Dios")


# ---------------------------------------------------------------- bounded queries


def test_the_pages_run_a_bounded_number_of_queries(
    case_file: Any, personas: dict, django_assert_max_num_queries: Any
) -> None:
    actor = personas["regional_investigator"]
    services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    holder = case_file.persons.first()
    districts = [CUSCO, LIMA, TAMBOPATA]
    for index in range(12):
        place = things.place_save(
            actor=actor,
            case_file=case_file,
            data={"kind": "bar", "name": f"Bar {index}", "district": District.objects.get(pk=districts[index % 3])},
        )
        vehicle = things.vehicle_save(
            actor=actor, case_file=case_file, data={"kind": "car", "plate": f"ABC{100 + index}", "owner_person": holder}
        )
        things.phone_save(actor=actor, case_file=case_file, data={"number": f"98765{4300 + index}", "holder": holder})
        things.account_save(
            actor=actor, case_file=case_file, data={"network": "tiktok", "handle": f"@cuenta{index}", "holder": holder}
        )
        things.leg_save(
            actor=actor,
            case_file=case_file,
            data={"stage": "transit", "place": place, "vehicle": vehicle, "district": None},
        )
    client = signed_in_client(actor)
    # Session, user, units, the case file with its links (case_files._readable), the four lists,
    # the alerts' badge, the session's save: the same with 1 or 12 of each. The audit event's hash
    # chain (audit.chain: its head read and moved) and the editable catalogues (one read per
    # request, administration.catalogues) come on top.
    with django_assert_max_num_queries(21):
        things_page = client.get(reverse("investigations:case_things", args=[case_file.pk]))
    assert things_page.content.decode().count("Bar 11") >= 1
    with django_assert_max_num_queries(19):
        route_page = client.get(reverse("investigations:case_route", args=[case_file.pk]))
    assert route_page.content.decode().count('class="route-leg"') == 12


# ---------------------------------------------------------------- concurrency (MariaDB)

CONCURRENT = 8


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_and_moves_keep_the_sequences_unique(personas: dict, complaints: dict) -> None:
    import threading

    from django.db import connection, connections

    from tests.investigations.conftest import open_case

    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    actor = personas["regional_investigator"]
    case_file = open_case(personas, complaints["frozen"])
    first = _leg(actor, case_file, "recruitment", CUSCO)
    barrier = threading.Barrier(CONCURRENT)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            if index % 2:
                things.leg_move(actor=actor, case_file=case_file.pk, pk=first.pk, direction="down")
            else:
                _leg(actor, case_file, "transit", LIMA)
        except services.CaseFileError:
            pass  # the first leg was already last: refused, nothing changed
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = sorted(RouteLeg.objects.filter(case_file=case_file).values_list("sequence", flat=True))
    assert sequences == list(range(1, CONCURRENT // 2 + 2))


def test_each_edit_page_shows_the_record_and_saves_a_change(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    records = {
        "vehiculo": things.vehicle_save(actor=actor, case_file=case_file, data={"kind": "car", "plate": "abc-123"}),
        "telefono": things.phone_save(actor=actor, case_file=case_file, data={"number": "987654321"}),
        "cuenta": things.account_save(
            actor=actor, case_file=case_file, data={"network": "tiktok", "handle": "@captador"}
        ),
    }
    client = signed_in_client(actor)
    shown = {"vehiculo": "abc-123", "telefono": "+51987654321", "cuenta": "captador"}
    for slug, record in records.items():
        page = client.get(reverse("investigations:case_thing_edit", args=[case_file.pk, slug, record.pk]))
        assert shown[slug] in page.content.decode()
    response = client.post(
        reverse("investigations:case_thing_edit", args=[case_file.pk, "vehiculo", records["vehiculo"].pk]),
        {"kind": "car", "plate": "ABC 123", "colour": "Blanco"},
    )
    assert response.status_code == 302
    vehicle = CaseVehicle.objects.get(pk=records["vehiculo"].pk)
    assert (vehicle.plate, vehicle.plate_key, vehicle.colour) == ("ABC 123", "ABC123", "Blanco")
    leg = _leg(actor, case_file, "recruitment", CUSCO)
    page = client.get(reverse("investigations:route_leg_edit", args=[case_file.pk, leg.pk])).content.decode()
    assert 'value="080101" selected' in page
