"""The investigation work as the regional investigator does it (issue 11 item 4): on the case
file's "Trabajo" page she records an operation, an exhibit seized in it, two custody hand-overs
on the exhibit's page, and a journal entry; the exhibit's page shows the chain of custody in
order and the work page the exhibit's current holder."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from investigations import services
from investigations.models import CustodyTransfer, Exhibit, JournalEntry, Operation
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_investigator_records_an_operation_an_exhibit_its_custody_and_a_journal_entry(
    page: Any, personas: dict, units: dict, complaints: dict, password: str
) -> None:
    case_file = services.case_file_open(
        actor=personas["regional_investigator"],
        data=services.OpenData(title="Bar La Pantera — Tambopata", complaint_ids=[complaints["frozen"].pk]),
    )
    now = timezone.now()
    operation_at = now - datetime.timedelta(hours=3)

    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    with page.expect_navigation():
        page.locator(".case-file-nav a", has_text="Trabajo").click()
    assert page.locator("#no-operations").is_visible()

    # The operation
    with page.expect_navigation():
        page.locator("#operation-add-link").click()
    page.locator("#id_occurred_at").fill(local(operation_at))
    page.locator("#id_place").fill("Bar La Pantera, Laberinto")
    page.get_by_label(units["DIRTEPOL-CUSCO-TRATA"].name, exact=True).check()
    page.get_by_label(units["DIRTEPOL-MADRE-DE-DIOS-TRATA"].name, exact=True).check()
    page.locator("#id_persons_rescued").fill("3")
    page.locator("#id_persons_arrested").fill("1")
    page.get_by_label("Bienes incautados").fill("Dos celulares y S/ 1,500 en efectivo")
    with page.expect_navigation():
        page.locator("#work-submit").click()
    operation = Operation.objects.get()
    assert operation.number == 1 and operation.units.count() == 2
    assert "Bar La Pantera, Laberinto" in page.locator("#operations").inner_text()

    # The exhibit seized in it
    with page.expect_navigation():
        page.locator("#exhibit-add-link").click()
    page.locator("#id_description").fill("Celular Samsung negro con chip Claro")
    page.locator("#id_kind").select_option("device")
    page.get_by_label("Fecha de incautación").fill(timezone.localtime(operation_at).date().isoformat())
    page.get_by_label("Incautada en el operativo").select_option(str(operation.pk))
    page.locator("#id_initial_holder").fill("S3 PNP Rosa Huamán")
    with page.expect_navigation():
        page.locator("#work-submit").click()
    exhibit = Exhibit.objects.get()
    assert exhibit.code == "EV-001" and exhibit.operation == operation
    assert page.locator("#exhibits .exhibit-holder").inner_text() == "S3 PNP Rosa Huamán"

    # Two hand-overs on the exhibit's page
    with page.expect_navigation():
        page.locator("#exhibits a", has_text="EV-001").click()
    assert page.locator("#no-transfers").is_visible()
    for giver, receiver, hours in (
        ("S3 PNP Rosa Huamán", "Perito Juan Quispe", 2),
        ("Perito Juan Quispe", "Almacén de evidencias DIRTEPOL Cusco", 1),
    ):
        assert page.get_by_label("Entregada por").input_value() == giver  # the current holder, filled in
        page.get_by_label("Recibida por").fill(receiver)
        page.get_by_label("Entrega (fecha y hora)").fill(local(now - datetime.timedelta(hours=hours)))
        page.get_by_label("Motivo").fill("Pericia del celular." if hours == 2 else "Devolución al almacén.")
        with page.expect_navigation():
            page.locator("#transfer-submit").click()
    rows = page.locator("#custody-chain .custody-transfer")
    assert rows.count() == 2
    assert "Perito Juan Quispe" in rows.nth(0).inner_text() and "S3 PNP Rosa Huamán" in rows.nth(0).inner_text()
    assert "Almacén de evidencias DIRTEPOL Cusco" in rows.nth(1).inner_text()
    assert page.locator("#exhibit-holder").inner_text() == "Almacén de evidencias DIRTEPOL Cusco"
    shot(page, "case-exhibit-chain")
    assert CustodyTransfer.objects.filter(exhibit=exhibit).count() == 2

    # A journal entry
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/trabajo/")
    assert page.locator("#exhibits .exhibit-holder").inner_text() == "Almacén de evidencias DIRTEPOL Cusco"
    with page.expect_navigation():
        page.locator("#journal-add-link").click()
    page.get_by_label("Fecha del hecho").fill(timezone.localdate().isoformat())
    page.locator("#id_kind").select_option("statement")
    page.get_by_label("Texto").fill("La víctima declaró que fue captada en Cusco con una oferta de trabajo.")
    with page.expect_navigation():
        page.locator("#work-submit").click()
    assert JournalEntry.objects.get().kind == "statement"
    assert "captada en Cusco" in page.locator("#journal").inner_text()
    shot(page, "case-work")
