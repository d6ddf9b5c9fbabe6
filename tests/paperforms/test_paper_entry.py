"""Entering a paper form: the serial must have been issued to the unit's directorate, once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import services
from complaints.catalogues import Origin
from complaints.models import Complaint
from paperforms.models import PaperFormSerial
from paperforms.services import paper_form_batch_issue
from tests.complaints.test_form import post_data
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


def issued(units: dict, personas: dict, code: str) -> PaperFormSerial:
    batch = paper_form_batch_issue(actor=personas["national_admin"], unit=units[code], count=2)
    return batch.serials.order_by("number").first()


def paper_case(serial: str):  # noqa: ANN201
    return bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial)


def test_a_paper_form_of_the_station_is_entered_and_its_serial_marked(units: dict, personas: dict) -> None:
    serial = issued(units, personas, "DIRTEPOL-CUSCO-CPNP-1")
    typed = serial.serial.lower().replace("-", " ")  # typed carelessly
    complaint = services.complaint_file(actor=personas["station_officer"], data=paper_case(typed))
    serial.refresh_from_db()
    assert complaint.paper_serial == serial.serial
    assert serial.entered_complaint == complaint


def test_the_same_serial_cannot_be_entered_twice(units: dict, personas: dict) -> None:
    serial = issued(units, personas, "DIRTEPOL-CUSCO-CPNP-1")
    services.complaint_file(actor=personas["station_officer"], data=paper_case(serial.serial))
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=paper_case(serial.serial))
    assert error.value.field == "paper_serial" and "ya fue registrado" in error.value.message
    assert Complaint.objects.count() == 1


def test_a_lima_serial_is_refused_in_cusco(units: dict, personas: dict) -> None:
    serial = issued(units, personas, "DIRTEPOL-LIMA-CPNP-1")
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=paper_case(serial.serial))
    assert "fue entregado" in error.value.message
    assert Complaint.objects.count() == 0


def test_a_serial_never_issued_is_refused(units: dict, personas: dict) -> None:
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=paper_case("RETA-999999-9"))
    assert error.value.field == "paper_serial"
    with pytest.raises(services.ComplaintError):
        services.complaint_file(actor=personas["station_officer"], data=paper_case(""))
    assert Complaint.objects.count() == 0


def test_the_form_shows_the_refusal_next_to_the_serial_and_saves_nothing(units: dict, personas: dict) -> None:
    serial = issued(units, personas, "DIRTEPOL-LIMA-CPNP-1")
    client = signed_in_client(personas["station_officer"])
    response = client.post(reverse("complaints:complaint_create"), post_data(paper_case(serial.serial)))
    assert response.status_code == 200
    assert "fue entregado" in response.content.decode()
    assert Complaint.objects.count() == 0
