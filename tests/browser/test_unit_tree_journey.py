"""The unit tree over time as an administrator lives it (issue 13, item 1): admin.nacional splits
the Cusco directorate in two from a date, the Cusco station passing to the new DIRTEPOL Cusco Sur;
then the statistics by directorate, with the tree in force today and with the tree of the
registration date, both add up to the same national total. With the tree of today every complaint
of the station counts under the new directorate; with the tree of the registration date those
registered before the split stay under the old one (README, "The unit tree over time")."""

from __future__ import annotations

import datetime
import itertools
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.models import Unit
from complaints import services
from tests.browser.conftest import shot, sign_in
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIMA = ZoneInfo("America/Lima")
TOTALS_JS = """() => {
  const codes = [...document.querySelectorAll('thead th[data-code]')].map((th) => th.dataset.code);
  const cells = [...document.querySelectorAll('tfoot tr.stat-total td')].map((td) => td.textContent.trim());
  return Object.fromEntries(codes.map((code, i) => [code, cells[i]]));
}"""


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _day(ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=ago)


def test_the_admin_splits_a_directorate_and_both_trees_add_up(
    page: Any, live_server: Any, personas: dict, units: dict, password: str
) -> None:
    numbers = itertools.count(1)
    split_day = _day(60)
    # Two complaints of the Cusco station before the split, one after it, one of Lima.
    for unit_code, day in (
        ("DIRTEPOL-CUSCO-CPNP-1", _day(90)),
        ("DIRTEPOL-CUSCO-CPNP-1", _day(70)),
        ("DIRTEPOL-CUSCO-CPNP-1", _day(30)),
        ("DIRTEPOL-LIMA-CPNP-1", _day(30)),
    ):
        when = datetime.datetime.combine(day, datetime.time(10), tzinfo=LIMA)
        services.complaint_register_imported(
            actor=personas["national_admin"],
            registering_unit=units[unit_code],
            number=f"JOURNEY-{next(numbers):03d}",
            registered_at=when,
            data=bar_in_madre_de_dios(facts_date=day - datetime.timedelta(days=5)),
        )

    sign_in(page, "national.admin", password)
    page.wait_for_url("**/acceso/verificacion/**")
    device = TOTPDevice.objects.get(user=personas["national_admin"], confirmed=True)
    page.locator("#id_token").fill(current_code(device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator(".user-box").wait_for()

    # The directorate's page: split it in two.
    page.goto(f"{page.base_url}/administracion/unidades/{units['DIRTEPOL-CUSCO'].pk}/")
    page.get_by_role("link", name="Dividir esta dirección en dos").click()
    page.get_by_role("heading", name="Dividir X DIRTEPOL Cusco en dos").wait_for()
    # A first try without units: a clear message, nothing saved.
    page.get_by_label("Código de la nueva dirección").fill("DIRTEPOL-CUSCO-SUR")
    page.get_by_label("Nombre de la nueva dirección").fill("DIRTEPOL Cusco Sur")
    page.get_by_label("Dividida desde").fill(split_day.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Dividir").click()
    assert "Elija las unidades que pasan a la nueva dirección." in page.locator("main").inner_text()
    assert not Unit.objects.filter(code="DIRTEPOL-CUSCO-SUR").exists()
    page.get_by_label("Comisaría PNP Cusco").check()
    shot(page, "unit-tree-split-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Dividir").click()
    assert "DIRTEPOL Cusco Sur recibe las unidades elegidas" in page.locator(".messages").inner_text()
    assert "Comisaría PNP Cusco" in page.locator("main").inner_text()

    # Statistics by directorate, with each tree.
    year_from, year_to = _day(90).year, timezone.localdate().year
    table_url = f"{page.base_url}/denuncias/estadisticas/cases_by_unit_year/?year_from={year_from}&year_to={year_to}"
    page.goto(table_url)
    page.get_by_label("Árbol vigente hoy").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar").click()
    now = page.evaluate(TOTALS_JS)
    assert "Direcciones del árbol vigente hoy." in page.locator("main").inner_text()
    page.get_by_label("Árbol de la fecha de registro").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Mostrar").click()
    then = page.evaluate(TOTALS_JS)
    shot(page, "unit-tree-statistics-registration-tree")
    assert "Direcciones del árbol de la fecha de registro de cada denuncia." in page.locator("main").inner_text()

    assert now["total"] == then["total"] == "4"
    assert (now["DIRTEPOL-CUSCO"], now["DIRTEPOL-CUSCO-SUR"]) == ("0", "3")
    assert (then["DIRTEPOL-CUSCO"], then["DIRTEPOL-CUSCO-SUR"]) == ("2", "1")
    assert now["DIRTEPOL-LIMA"] == then["DIRTEPOL-LIMA"] == "1"
