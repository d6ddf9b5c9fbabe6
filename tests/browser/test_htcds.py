"""The HTCDS export as the monitor of the Permanent Secretariat uses it (issue 13 item 6): from
the statistics to the export's page, a period, what the export holds, the CSV downloaded without
the victims' names. Screenshot in tests/artifacts/."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from complaints.services import VictimData, complaint_file
from tests.browser.conftest import shot, sign_in
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def six_women(personas: dict) -> Any:
    victims = [
        VictimData(first_names=f"Wendolyne{index}", last_names="Zzyzxquiroga", sex="F", age=20, nationality="PE")
        for index in range(6)
    ]
    return complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(victims=victims))


def test_the_monitor_downloads_the_htcds_export_of_a_period(page: Any, six_women: Any, password: str) -> None:
    year = timezone.localtime(six_women.submitted_at).year  # the year of registration, in Lima
    sign_in(page, "monitor", password)
    page.goto(page.base_url + "/denuncias/estadisticas/")
    page.get_by_role("link", name="Exportación HTCDS").click()
    page.get_by_role("heading", name="Exportación en el estándar HTCDS").wait_for()
    page.get_by_label("Desde el año").fill(str(year - 1))
    page.get_by_label("Hasta el año").fill(str(year + 1))
    page.get_by_role("button", name="Mostrar").click()
    summary = page.locator("dl.htcds-summary")
    assert "Registros exportados" in summary.inner_text()
    assert summary.locator("dd").nth(1).inner_text() == "6"
    assert summary.locator("dd").nth(2).inner_text() == "0"  # nothing suppressed
    shot(page, "htcds-export")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == f"reta-htcds-{year - 1}-{year + 1}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "Zzyzxquiroga" not in text and "Wendolyne" not in text
    rows = list(csv.reader(io.StringIO(text)))
    header = next(index for index, row in enumerate(rows) if row and row[0] == "prs_Gender")
    assert len(rows) - header - 1 == 6
    assert {row[0] for row in rows[header + 1 :]} == {"Feminine"}
