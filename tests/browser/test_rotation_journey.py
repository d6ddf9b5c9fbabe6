"""Rotation as people live it: the national administrator moves an officer of the Cusco station
to Lima with a hand-over to a named colleague; the officer, signed in elsewhere, loses the Cusco
complaint on her next request; the colleague finds the draft and the hand-over on her home page."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.models import HandOver
from complaints.models import Complaint
from tests.browser.conftest import shot, sign_in
from tests.factories.administration import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_the_admin_moves_an_officer_with_a_hand_over_to_a_colleague(
    browser: Any, page: Any, live_server: Any, personas: dict, units: dict, complaints: dict, password: str
) -> None:
    officer = personas["station_officer"]
    colleague = UserFactory(
        username="colega.cusco", first_name="Rosa", last_name="Huamán", unit=units["DIRTEPOL-CUSCO-CPNP-1"]
    )
    old_complaint_url = f"{live_server.url}/denuncias/{complaints['frozen'].pk}/"

    # The officer is signed in, in her own browser, and reads her station's complaint.
    officer_context = browser.new_context(locale="es-PE")
    officer_page = officer_context.new_page()
    officer_page.base_url = live_server.url
    sign_in(officer_page, "station.officer", password)
    officer_page.locator(".user-box").wait_for()
    officer_page.goto(old_complaint_url)
    assert complaints["frozen"].number in officer_page.locator("main").inner_text()

    # The national administrator moves her to Lima, handing over to her colleague of Cusco.
    sign_in(page, "national.admin", password)
    page.wait_for_url("**/acceso/verificacion/**")
    device = TOTPDevice.objects.get(user=personas["national_admin"], confirmed=True)
    page.locator("#id_token").fill(current_code(device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/administracion/usuarios/{officer.pk}/")
    page.get_by_role("link", name="Trasladar a otra unidad").click()
    page.get_by_role("heading", name="Trasladar a station.officer a otra unidad").wait_for()
    page.get_by_label("Unidad nueva").select_option(label="Comisaría PNP Lima")
    page.get_by_label("Motivo").fill("Rotación anual, RD 123-2026")
    page.get_by_label("Colega que recibe la entrega de cargo").select_option(label="Rosa Huamán (colega.cusco)")
    shot(page, "rotation-move-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Trasladar y entregar el cargo").click()
    assert "pertenece ahora a Comisaría PNP Lima" in page.locator(".messages").inner_text()
    handovers = page.locator("#handovers").inner_text()
    assert "colega.cusco" in handovers and "Denuncias en borrador: 1" in handovers
    shot(page, "rotation-officer-account")

    # Her next request: the session opened before the move has ended; signed in again, the
    # Cusco complaint is not found.
    officer_page.goto(old_complaint_url)
    assert "/acceso/" in officer_page.url
    sign_in(officer_page, "station.officer", password)
    officer_page.locator(".user-box").wait_for()
    assert "Comisaría PNP Lima" in officer_page.locator(".user-box").inner_text()
    response = officer_page.goto(old_complaint_url)
    assert response.status == 404
    officer_context.close()

    # The colleague finds the hand-over and the draft on her home page, and opens the draft.
    colleague_context = browser.new_context(locale="es-PE")
    colleague_page = colleague_context.new_page()
    colleague_page.base_url = live_server.url
    sign_in(colleague_page, "colega.cusco", password)
    notice = colleague_page.locator("#home-handovers")
    notice.wait_for()
    assert "Se le entregó" in notice.inner_text() and "Denuncias en borrador: 1" in notice.inner_text()
    shot(colleague_page, "rotation-colleague-home")
    draft = complaints["draft"]
    colleague_page.locator("#home-drafts").get_by_role("link", name=f"Borrador de denuncia n.º {draft.pk}").click()
    assert f"/denuncias/{draft.pk}/editar/" in colleague_page.url
    colleague_context.close()

    assert Complaint.objects.get(pk=draft.pk).author == colleague
    assert HandOver.objects.get().officer == officer
