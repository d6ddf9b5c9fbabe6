"""Alerts and amendments as people do them: a DIVINTRAP investigator sees the high-priority alert
counted in the navigation bar and acknowledges it; a national administrator signs in with the
second factor, amends the registered complaint with a reason and reads the difference in its
history. Elements are found by id or name, so the test holds in either interface language."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from complaints.models import Alert
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_the_national_investigator_sees_the_high_priority_alert_and_acknowledges_it(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    frozen = complaints["frozen"]
    alert = Alert.objects.get(complaint=frozen, unit__code="DIVINTRAP")
    sign_in(page, "national.investigator", password)
    page.locator(".user-box").wait_for()
    badge = page.locator("#nav-badge-unread_alerts")
    assert badge.inner_text().strip().startswith("1")

    with page.expect_navigation():
        page.locator(".main-nav a[href='/denuncias/alertas/']").click()
    row = page.locator(f"#alert-{alert.pk}")
    assert "alert-unread" in row.get_attribute("class") and "alert-high" in row.get_attribute("class")
    assert row.locator(".priority-high").is_visible()
    assert frozen.number in row.inner_text()
    assert "consistente con trata de personas" in row.inner_text()
    shot(page, "alerts-inbox-unread")
    page.set_viewport_size(PHONE)
    shot(page, "alerts-inbox-phone")
    page.set_viewport_size({"width": 1024, "height": 768})

    # Keyboard: the acknowledgement button is reachable and pressed with Enter.
    page.locator(f"#acknowledge-{alert.pk}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#nav-badge-unread_alerts").count() == 0
    assert page.locator(f"#acknowledge-{alert.pk}").count() == 0
    assert "alert-unread" not in page.locator(f"#alert-{alert.pk}").get_attribute("class")
    assert page.locator(".messages").is_visible()
    shot(page, "alerts-inbox-acknowledged")
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas["national_investigator"] and alert.acknowledged_at is not None
    assert AuditEvent.objects.filter(event="alert_acknowledged", user_name="national.investigator").exists()


def test_the_national_admin_amends_the_complaint_and_the_history_shows_the_difference(
    page: Any, personas: dict, complaints: dict, password: str
) -> None:
    frozen = complaints["frozen"]
    sign_in(page, "national.admin", password)
    page.wait_for_url("**/acceso/verificacion/**")
    device = TOTPDevice.objects.get(user=personas["national_admin"], confirmed=True)
    page.locator("#id_token").fill(current_code(device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator(".user-box").wait_for()

    page.goto(f"{page.base_url}/denuncias/{frozen.pk}/enmendar/")
    assert page.locator("#opened-version").inner_text().strip() == "1"
    assert page.locator("#id_victims-0-age").input_value() == "16"
    narrative = "La menor, de 13 años según su partida de nacimiento, fue captada en Cusco y trasladada a un bar."
    page.locator("#id_narrative").fill(narrative)
    page.locator("#id_victims-0-age").fill("13")
    reason = "Partida de nacimiento: la víctima tiene 13 años"

    # Without a reason the browser does not even send the form (the server refuses it too:
    # tests/complaints/test_amend.py); what was typed stays.
    url = page.url
    page.locator("#save-amendment").click()
    assert page.locator("#id_reason").evaluate("field => field.validity.valueMissing")
    assert page.url == url and page.locator("#id_narrative").input_value() == narrative
    frozen.refresh_from_db()
    assert frozen.version == 1

    page.locator("#id_reason").fill(reason)
    shot(page, "amend-form")
    with page.expect_navigation():
        page.locator("#save-amendment").click()
    assert f"/denuncias/{frozen.pk}/historial/" in page.url
    assert page.locator(".messages").is_visible()
    assert page.locator("#current-version").inner_text().strip() == "2"
    section = page.locator("#version-2")
    text = section.inner_text()
    assert reason in text and "national.admin" in text
    assert narrative in text
    assert "16" in text and "13" in text
    assert "menor de catorce años" in text  # the new aggravating circumstance
    assert "Lucía" not in page.locator("main").inner_text()  # a minor: masked even for the administrator
    shot(page, "complaint-history-amended")
    page.set_viewport_size(PHONE)
    shot(page, "complaint-history-phone")

    frozen.refresh_from_db()
    assert frozen.version == 2 and frozen.narrative == narrative and frozen.victims.get().age == 13
    assert frozen.history.filter(history_change_reason=reason, history_user=personas["national_admin"]).exists()
