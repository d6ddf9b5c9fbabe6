"""The statistics screens and their exports: what each role sees, the charts and the map, CSV, XLSX
and PDF with what they cover, audit events, and never a name."""

# ruff: noqa: F811 - tests take the fixtures imported above as arguments

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from administration.models import District
from audit.models import AuditEvent
from tests.conftest import signed_in_client
from tests.stats.test_statistics import at, register, sample  # noqa: F401 - the fixtures of the sample complaints

pytestmark = pytest.mark.django_db

PERIOD = {"year_from": "2010", "year_to": "2011"}
# Names and free text of the sample complaints: none may appear in any statistic.
PERSONAL = ("Lucía", "Condori", "Apaza", "Juana", "Mamani", "Pedro", "Ramos", "La Tía", "León Velarde", "76543210")


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _assert_anonymous(text: str) -> None:
    found = [word for word in PERSONAL if word in text]
    assert not found, f"personal data in a statistic: {found}"


def english(client: Client) -> Client:
    """The interface in English (the source strings), whatever the Spanish catalogue says."""
    client.cookies["reta_language"] = "en"
    return client


@pytest.fixture
def monitor(personas: dict) -> Client:
    return english(signed_in_client(personas["monitor"]))


# ---------------------------------------------------------------- pages


def test_the_overview_shows_the_charts_the_map_and_their_tables(monitor: Client, sample: dict) -> None:
    response = monitor.get(reverse("stats:overview"), PERIOD)
    assert response.status_code == 200
    text = _text(response)
    assert text.count("<svg") == 4  # outcomes, purposes, victims, the map
    assert (
        'role="img"' in text
        and "style=" not in text.split("<main", 1)[1]
        and "<script" not in text.split("<main", 1)[1]
    )
    for name in ("outcomes_by_year", "purposes_by_year", "victims_by_sex_age", "complaints_by_department"):
        assert f'id="table-{name}"' in text
    # The map links each department to the complaint list of that department and period.
    assert 'data-department="17"' in text
    links = re.findall(r'href="([^"]*department=17[^"]*)"', text)
    assert links and "registered_from=2010-01-01" in links[0] and "registered_to=2011-12-31" in links[0]
    _assert_anonymous(text)


@pytest.mark.parametrize("name", ["cases_by_unit_year", "persons_by_year", "purposes_by_year"])
def test_each_published_table_has_its_page(monitor: Client, sample: dict, name: str) -> None:
    response = monitor.get(reverse("stats:table", kwargs={"name": name}), PERIOD)
    assert response.status_code == 200
    table = response.context["figure"]["table"]
    assert table.name == name and table.year_from == 2010
    text = _text(response)
    assert "<svg" in text and f'id="table-{name}"' in text
    _assert_anonymous(text)


def test_the_cusco_investigator_sees_only_cusco_on_screen(personas: dict, sample: dict) -> None:
    client = english(signed_in_client(personas["regional_investigator"]))
    response = client.get(reverse("stats:table", kwargs={"name": "cases_by_unit_year"}), PERIOD)
    table = response.context["figure"]["table"]
    assert table.cell("total", "total") == 3 == table.cell("total", "DIRTEPOL-CUSCO")
    assert "X DIRTEPOL Cusco" in _text(response)


def test_a_wrong_period_is_explained_not_a_500(monitor: Client, sample: dict) -> None:
    response = monitor.get(reverse("stats:overview"), {"year_from": "2012", "year_to": "2010"})
    assert response.status_code == 200 and response.context["figures"] == []
    assert "The first year is after the last one." in _text(response)
    response = monitor.get(reverse("stats:overview"), {"year_from": "dos mil"})
    assert response.status_code == 200
    export = reverse("stats:table_export", kwargs={"name": "cases_by_unit_year", "fmt": "csv"})
    assert monitor.get(export, {"year_from": "1200"}).status_code == 400


def test_an_unknown_table_or_format_is_not_found(monitor: Client) -> None:
    assert monitor.get(reverse("stats:table", kwargs={"name": "names"})).status_code == 404
    url = reverse("stats:table_export", kwargs={"name": "persons_by_year", "fmt": "docx"})
    assert monitor.get(url).status_code == 404


def test_the_crosstab_builds_purpose_by_directorate(monitor: Client, sample: dict) -> None:
    url = reverse("stats:crosstab")
    first = monitor.get(url)
    assert first.status_code == 200 and first.context["figure"] is None
    response = monitor.get(url, {"rows": "category", "columns": "directorate", "measure": "complaints", **PERIOD})
    assert response.status_code == 200
    table = response.context["figure"]["table"]
    assert table.cell("sexual_exploitation", "DIRTEPOL-CUSCO") == 2
    assert table.cell("total", "total") == 7
    text = _text(response)
    assert "<svg" in text and "explotación sexual" in text
    _assert_anonymous(text)


def test_the_crosstab_form_explains_its_errors(monitor: Client, sample: dict) -> None:
    url = reverse("stats:crosstab")
    response = monitor.get(url, {"rows": "category", "columns": "category"})
    assert response.status_code == 200 and response.context["figure"] is None
    assert response.context["form"].errors["columns"]
    response = monitor.get(url, {"rows": "narrative"})
    assert response.status_code == 200 and response.context["form"].errors["rows"]


def test_the_crosstab_filters_come_from_the_query(monitor: Client, sample: dict) -> None:
    url = reverse("stats:crosstab")
    params = {"rows": "directorate", "category": ["sexual_exploitation"], "victim_sex": ["F"], **PERIOD}
    table = monitor.get(url, params).context["figure"]["table"]
    assert table.total.cells == [4]
    assert dict(table.filters) == {"Purpose category": "explotación sexual", "Victim's sex": "Female"}


def test_pages_run_a_bounded_number_of_queries(monitor: Client, sample: dict, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(14):
        monitor.get(reverse("stats:overview"), PERIOD)
    with django_assert_max_num_queries(10):
        monitor.get(reverse("stats:table", kwargs={"name": "cases_by_unit_year"}), PERIOD)
    with django_assert_max_num_queries(14):
        monitor.get(
            reverse("stats:crosstab"),
            {"rows": "category", "columns": "victim_sex", "department": ["17"], **PERIOD},
        )


# ---------------------------------------------------------------- exports


def _export(client: Client, name: str, fmt: str, **params: Any) -> Any:
    url = reverse("stats:table_export", kwargs={"name": name, "fmt": fmt})
    return client.get(url, {**PERIOD, **params})


def test_the_csv_export_carries_what_it_covers(monitor: Client, sample: dict) -> None:
    response = _export(monitor, "cases_by_unit_year", "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reta-cases-by-unit-year-2010-2011.csv"'
    text = _text(response).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    flat = "\n".join(",".join(row) for row in rows)
    assert "2010–2011" in flat and "monitor" in flat
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "year")
    assert rows[header_at][:3] == ["year", "LINEA-0800", "DIRINCRI"]
    assert rows[-1][0] == "total" and rows[-1][-1] == "7"
    _assert_anonymous(text)
    event = AuditEvent.objects.get(event="export")
    assert event.details["table"] == "cases_by_unit_year" and event.details["format"] == "csv"
    assert event.user_name == "monitor"


def test_the_xlsx_export_opens_with_openpyxl(monitor: Client, sample: dict) -> None:
    response = _export(monitor, "persons_by_year", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Alleged traffickers and victims by year"
    flat = " ".join(str(cell) for row in values for cell in row if cell is not None)
    assert "2010–2011" in flat
    assert values[-1][-1] == 8  # total victims
    _assert_anonymous(flat)
    assert AuditEvent.objects.filter(event="export", details__format="xlsx").count() == 1


def test_the_xlsx_export_stores_numbers_as_numbers(monitor: Client, sample: dict) -> None:
    """A spreadsheet sums the cells: years and counts are numbers (cell type n), not text."""
    response = _export(monitor, "persons_by_year", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    year_rows = [row for row in rows if row[0].value in (2010, 2011)]
    assert [row[0].value for row in year_rows] == [2010, 2011]
    for row in year_rows:
        assert all(cell.data_type == "n" and isinstance(cell.value, int) for cell in row), [c.value for c in row]
    total = rows[-1]
    assert total[0].data_type == "s" and all(cell.data_type == "n" for cell in total[1:])
    # The sheet XML itself: no count is written as a string (t="s" / inlineStr) in the data rows.
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    first_data_row = year_rows[0][0].row
    row_xml = re.search(rf'<row r="{first_data_row}"[^>]*>(.*?)</row>', xml).group(1)
    assert 't="s"' not in row_xml and "inlineStr" not in row_xml and "<v>2010</v>" in row_xml


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_the_pdf_export_has_the_title_the_chart_and_the_table(monitor: Client, sample: dict) -> None:
    response = _export(monitor, "purposes_by_year", "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "Purpose of trafficking by year" in text
    assert "explotación sexual" in text  # the table (category labels are Spanish legal terms)
    assert "2010–2011" in text
    _assert_anonymous(text)


def test_the_crosstab_exports_in_every_format(monitor: Client, sample: dict) -> None:
    params = {"rows": "category", "columns": "directorate", "category": ["sexual_exploitation"], **PERIOD}
    for fmt in ("csv", "xlsx", "pdf"):
        response = monitor.get(reverse("stats:crosstab_export", kwargs={"fmt": fmt}), params)
        assert response.status_code == 200, fmt
    pdf = _pdf_text(response.content)
    assert "explotación sexual" in pdf
    _assert_anonymous(pdf)
    events = AuditEvent.objects.filter(event="export")
    assert events.count() == 3
    assert all(event.details["filters"] == {"category": ["sexual_exploitation"]} for event in events)


def test_the_map_exports_as_pdf(monitor: Client, sample: dict) -> None:
    response = _export(monitor, "complaints_by_department", "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "Madre de Dios" in _pdf_text(response.content)


def test_the_map_counts_what_the_list_shows(personas: dict, register: Any) -> None:
    """A complaint registered in Lima about facts in Cusco: on the map of the Cusco investigator
    (its competent directorate) and of the Lima station (its registering unit), Cusco counts 1,
    and following Cusco's symbol opens a list that holds it."""
    complaint = register("DIRTEPOL-LIMA-CPNP-1", at(2011, 5), place_district=District.objects.get(code="080101"))
    for persona in ("regional_investigator", "outsider"):
        client = english(signed_in_client(personas[persona]))
        page = _text(client.get(reverse("stats:overview"), {"year_from": "2011", "year_to": "2011"}))
        found = re.search(
            r'<a href="([^"]+)" aria-label="Cusco: 1 complaint" class="map-link" data-department="08">', page
        )
        assert found, persona
        listed = _text(client.get(found.group(1).replace("&amp;", "&")))
        assert complaint.number in listed, persona


@pytest.mark.parametrize("persona", ["station_officer", "hotline_operator", "auditor", "outsider"])
def test_roles_without_the_export_permission_see_no_export(personas: dict, sample: dict, persona: str) -> None:
    client = signed_in_client(personas[persona])
    page = client.get(reverse("stats:overview"), PERIOD)
    assert page.status_code == 200 and "exportar." not in _text(page)
    assert _export(client, "cases_by_unit_year", "csv").status_code == 403
    assert not AuditEvent.objects.filter(event="export").exists()


def test_the_crosstab_form_keeps_what_was_chosen(monitor: Client, sample: dict) -> None:
    url = reverse("stats:crosstab")
    params = {"rows": "outcome", "columns": "victim_sex", "department": ["17", "08"], "category": ["none"], **PERIOD}
    text = _text(monitor.get(url, params))
    assert '<option value="outcome" selected>' in text and '<option value="victim_sex" selected>' in text
    assert '<option value="17" selected>' in text and '<option value="08" selected>' in text
    assert '<option value="15">' in text
    assert re.search(r'<select name="category" [^>]*multiple[^>]*>', text)
    assert '<label for="id_department">' in text and 'id="id_department"' in text
    assert '<details class="stat-filters" open>' in text


def test_the_default_period_is_the_years_that_have_data(monitor: Client, sample: dict) -> None:
    """Without a period asked for, every page and export covers the first to the last year with
    registrations in the scope (the sample: 2010-2011), not a fixed year nor the current one."""
    response = monitor.get(reverse("stats:overview"))
    assert response.status_code == 200
    periods = {(f["table"].year_from, f["table"].year_to) for f in response.context["figures"]}
    assert periods == {(2010, 2011)}
    text = _text(response)
    assert re.search(r'name="year_from"[^>]*value="2010"', text) and re.search(r'name="year_to"[^>]*value="2011"', text)
    table = monitor.get(reverse("stats:table", kwargs={"name": "persons_by_year"})).context["figure"]["table"]
    assert [row.code for row in table.rows] == [2010, 2011]
    export = monitor.get(reverse("stats:table_export", kwargs={"name": "cases_by_unit_year", "fmt": "csv"}))
    assert 'filename="reta-cases-by-unit-year-2010-2011.csv"' in export["Content-Disposition"]
