"""A paper form records the day it was received and the unit that took it (issue 10, item 6):
the serial's unit by default, another unit only within the officer's scope; timeliness counts
from the facts to the paper's date and the statistics count the complaint under that unit."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.catalogues import Origin
from complaints.freeze import FrozenRecordError
from complaints.models import Complaint
from paperforms.models import PaperFormSerial
from paperforms.services import paper_form_batch_issue
from stats.models import StatComplaint
from tests.complaints.test_form import post_data, register
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

STATION = "DIRTEPOL-CUSCO-CPNP-1"
TRATA = "DIRTEPOL-CUSCO-TRATA"


def issued(units: dict, personas: dict, code: str) -> PaperFormSerial:
    batch = paper_form_batch_issue(actor=personas["national_admin"], unit=units[code], count=2)
    return batch.serials.order_by("number").first()


def paper_case(serial: str, **overrides: object) -> services.ComplaintData:
    return bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial, **overrides)


def received(case: services.ComplaintData, days: int) -> datetime.date:
    return case.facts_date + datetime.timedelta(days=days)


# ---------------------------------------------------------------- the service


def test_the_unit_that_took_it_is_the_serials_by_default(units: dict, personas: dict) -> None:
    serial = issued(units, personas, TRATA)  # issued to the directorate's specialised unit
    case = paper_case(serial.serial)
    case.paper_received_on = received(case, 3)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    assert complaint.registering_unit == units[STATION]
    assert complaint.paper_receiving_unit == units[TRATA]
    assert complaint.paper_received_on == received(case, 3)
    # Timeliness: from the facts to the paper's date, not to the day it was typed in.
    assert complaint.registration_delay_days == 3
    assert (timezone.localdate(complaint.submitted_at) - complaint.facts_date).days != 3


def test_without_a_received_date_timeliness_counts_to_the_registration(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    assert complaint.paper_receiving_unit == units[STATION] and complaint.paper_received_on is None
    assert complaint.registration_delay_days == (timezone.localdate(complaint.submitted_at) - case.facts_date).days


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "anterior a la fecha de los hechos"), (None, "posterior a hoy")],
)
def test_a_received_date_before_the_facts_or_after_today_is_refused(
    units: dict, personas: dict, days: int | None, message: str
) -> None:
    case = paper_case(issued(units, personas, STATION).serial)
    case.paper_received_on = received(case, days) if days is not None else timezone.localdate() + datetime.timedelta(1)
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=case)
    assert error.value.field == "paper_received_on" and message in error.value.message
    assert Complaint.objects.count() == 0


def test_a_unit_outside_the_officers_scope_is_refused(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial, paper_receiving_unit=units[TRATA])
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=case)
    assert error.value.field == "paper_receiving_unit" and "de su ámbito" in error.value.message
    assert Complaint.objects.count() == 0


def test_a_unit_of_another_directorate_is_refused_even_in_scope(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial, paper_receiving_unit=units["DIRTEPOL-LIMA-CPNP-1"])
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["regional_investigator"], data=case)
    assert error.value.field == "paper_receiving_unit"
    # The regional investigator does not see Lima; DIVINTRAP does, and is refused all the same.
    assert "de su ámbito" in error.value.message
    admin_case = dataclasses.replace(case)
    with pytest.raises(services.ComplaintError) as error:
        services._check_paper_details(
            admin_case, issued(units, personas, STATION), actor=personas["national_investigator"]
        )
    assert "de la dirección" in error.value.message


def test_an_investigator_records_the_station_that_took_it(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, TRATA).serial, paper_receiving_unit=units[STATION])
    complaint = services.complaint_file(actor=personas["regional_investigator"], data=case)
    assert complaint.registering_unit == units[TRATA] and complaint.paper_receiving_unit == units[STATION]


def test_the_paper_details_freeze_with_the_complaint(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial)
    case.paper_received_on = received(case, 2)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    complaint.paper_received_on = received(case, 5)
    with pytest.raises(FrozenRecordError):
        complaint.save()
    assert Complaint.objects.get(pk=complaint.pk).paper_received_on == received(case, 2)


def test_an_amendment_of_the_received_date_moves_timeliness(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial)
    case.paper_received_on = received(case, 2)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    data = services.complaint_data_of(complaint)
    data.paper_received_on = received(case, 9)
    amended = services.complaint_amend(actor=admin, complaint=complaint, data=data, reason="Fecha", expected_version=1)
    assert amended.registration_delay_days == 9
    bad = dataclasses.replace(services.complaint_data_of(amended), paper_received_on=received(case, -4))
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_amend(actor=admin, complaint=amended, data=bad, reason="Fecha", expected_version=2)
    assert error.value.field == "paper_received_on"


# ---------------------------------------------------------------- the statistics


def test_the_statistics_count_it_under_the_unit_that_took_it(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, TRATA).serial)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    screen = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    counted = dict(StatComplaint.objects.values_list("complaint_id", "registering_unit_id"))
    assert counted == {complaint.pk: units[TRATA].pk, screen.pk: units[STATION].pk}
    call_command("statistics", "--rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert dict(StatComplaint.objects.values_list("complaint_id", "registering_unit_id")) == counted


# ---------------------------------------------------------------- the form and the pages


def test_the_form_records_them_and_the_pages_show_them(units: dict, personas: dict) -> None:
    serial = issued(units, personas, TRATA)
    case = paper_case(serial.serial)
    client = signed_in_client(personas["regional_investigator"])
    form = client.get(reverse("complaints:complaint_create")).content.decode()
    assert 'for="id_paper_received_on"' in form and 'for="id_paper_receiving_unit"' in form
    data = post_data(case, paper_received_on=received(case, 4).isoformat(), paper_receiving_unit=units[STATION].pk)
    response = register(client, reverse("complaints:complaint_create"), data)  # the review, then confirm
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert complaint.paper_receiving_unit == units[STATION] and complaint.registration_delay_days == 4
    for name in ("complaints:complaint_detail", "complaints:complaint_print"):
        page = client.get(reverse(name, args=[complaint.pk])).content.decode()
        assert received(case, 4).strftime("%d/%m/%Y") in page and STATION in page, name


def test_the_form_explains_a_bad_date_and_a_unit_out_of_scope_in_spanish(units: dict, personas: dict) -> None:
    case = paper_case(issued(units, personas, STATION).serial)
    client = signed_in_client(personas["station_officer"])
    data = post_data(case, paper_received_on=received(case, -2).isoformat(), paper_receiving_unit=units[TRATA].pk)
    page = client.post(reverse("complaints:complaint_create"), data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "no puede ser anterior a la fecha de los hechos" in page
    assert "Elija una unidad de su ámbito." in page
    future = post_data(case, paper_received_on=(timezone.localdate() + datetime.timedelta(2)).isoformat())
    assert (
        "no puede ser posterior a hoy" in client.post(reverse("complaints:complaint_create"), future).content.decode()
    )
    assert Complaint.objects.count() == 0


@pytest.mark.mysql
def test_the_database_refuses_to_change_the_paper_details_of_a_frozen_complaint(units: dict, personas: dict) -> None:
    from django.db import connection, transaction

    if connection.vendor != "mysql":
        pytest.skip("The freeze triggers exist on MySQL/MariaDB only (SQLite is the try-out database).")
    case = paper_case(issued(units, personas, STATION).serial)
    complaint = services.complaint_file(actor=personas["station_officer"], data=case)
    for sql, value in (
        ("UPDATE complaints_complaint SET paper_received_on = %s WHERE id = %s", received(case, 1)),
        ("UPDATE complaints_complaint SET paper_receiving_unit_id = %s WHERE id = %s", units[TRATA].pk),
    ):
        with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [value, complaint.pk])
        assert "frozen complaint" in str(error.value)
