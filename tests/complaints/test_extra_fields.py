"""New variables for research (issue 13, item 2): an administrator defines a typed field of the
complaint form with its labels and validation; it appears from its date onwards, is validated with
Spanish messages, stored beside the complaint and frozen with it, and shown on the detail page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from administration import services
from administration.models import CatalogueCodeError, ExtraField
from audit.models import AuditEvent
from complaints.freeze import FrozenRecordError
from complaints.models import Complaint, ComplaintExtraValue
from tests.complaints.test_form import CREATE, post_data, register
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


def _define(personas: dict, **overrides: Any) -> ExtraField:
    values: dict[str, Any] = {
        "actor": personas["national_admin"],
        "code": "debt_bondage",
        "kind": "yes_no",
        "valid_from": timezone.localdate(),
        "label_es": "¿Servidumbre por deudas?",
        "label_en": "Debt bondage?",
    }
    values.update(overrides)
    return services.extra_field_add(**values)


@pytest.fixture
def variables(personas: dict) -> dict[str, ExtraField]:
    return {
        "debt": _define(personas),
        "hours": _define(
            personas,
            code="hours_per_day",
            kind="number",
            label_es="Horas de trabajo por día",
            label_en="Working hours per day",
            min_value=Decimal("0"),
            max_value=Decimal("24"),
        ),
        "sector": _define(
            personas,
            code="sector",
            kind="choice",
            label_es="Sector económico",
            label_en="Economic sector",
            required=True,
            choices=[["mining", "Minería", "Mining"], ["farming", "Agricultura", "Farming"]],
        ),
        "later": _define(
            personas,
            code="future_question",
            kind="text",
            label_es="Pregunta futura",
            label_en="Future question",
            valid_from=timezone.localdate() + datetime.timedelta(days=10),
        ),
    }


def test_the_form_shows_the_variables_in_force_and_not_those_of_a_later_date(personas: dict, variables: dict) -> None:
    page = signed_in_client(personas["station_officer"]).get(CREATE).content.decode()
    assert "¿Servidumbre por deudas?" in page and 'name="extra-hours_per_day"' in page
    assert '<option value="mining">Minería</option>' in page
    assert "Pregunta futura" not in page


def test_bad_values_are_refused_in_spanish_and_nothing_is_saved(personas: dict, variables: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    data = post_data(bar_in_madre_de_dios(), action="save_draft", **{"extra-hours_per_day": "30"})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Asegúrese de que este valor es menor o igual a 24." in html
    assert "Este campo es obligatorio." in html  # the sector is required
    assert Complaint.objects.count() == 0


def test_values_are_saved_shown_and_frozen_with_the_complaint(personas: dict, variables: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    extra = {"extra-debt_bondage": "yes", "extra-hours_per_day": "14", "extra-sector": "mining"}
    response = register(client, CREATE, post_data(bar_in_madre_de_dios(), **extra))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.is_frozen
    stored = {row.field.code: row.value for row in complaint.extra_values.select_related("field")}
    assert stored == {"debt_bondage": "yes", "hours_per_day": "14", "sector": "mining"}
    detail = client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert "Horas de trabajo por día" in detail and "Minería" in detail
    english = signed_in_client(personas["station_officer"])
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "Economic sector" in english.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    )
    row = complaint.extra_values.get(field=variables["hours"])
    row.value = "2"
    with pytest.raises(FrozenRecordError):
        row.save()
    with pytest.raises(FrozenRecordError):
        ComplaintExtraValue.objects.filter(pk=row.pk).update(value="2")
    with pytest.raises(FrozenRecordError):
        row.delete()
    assert row.history.count() == 1
    if connection.vendor == "mysql":  # and in the database (complaints 0022): by SQL too
        for sql in (
            "UPDATE complaints_complaintextravalue SET value = '2' WHERE id = %s",
            "DELETE FROM complaints_complaintextravalue WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="frozen complaint"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [row.pk])
        assert ComplaintExtraValue.objects.get(pk=row.pk).value == "14"


def test_a_variable_keeps_its_code_and_type_and_its_changes_are_audited(personas: dict, variables: dict) -> None:
    variable = variables["debt"]
    variable.kind = "text"
    with pytest.raises(CatalogueCodeError):
        variable.save()
    services.extra_field_update(
        actor=personas["national_admin"],
        variable=variables["debt"],
        valid_from=timezone.localdate(),
        active=False,
        order=3,
        label_es="¿Deuda impuesta?",
        label_en="Imposed debt?",
    )
    assert AuditEvent.objects.filter(event="extra_field_changed").count() == 1
    page = signed_in_client(personas["station_officer"]).get(CREATE).content.decode()
    assert "Deuda impuesta" not in page  # no longer on the forms


def test_an_administrator_defines_a_variable_on_screen(personas: dict) -> None:
    client = signed_in_client(personas["national_admin"])
    response = client.post(
        reverse("administration:extra_field_add"),
        {
            "code": "sector",
            "label_es": "Sector económico",
            "label_en": "Economic sector",
            "kind": "choice",
            "target": "complaint",
            "choices": "mining | Minería | Mining\nfarming | Agricultura",
            "valid_from": timezone.localdate().isoformat(),
            "order": "1",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Línea 2" in response.content.decode()
    assert not ExtraField.objects.exists()
    response = client.post(
        reverse("administration:extra_field_add"),
        {
            "code": "sector",
            "label_es": "Sector económico",
            "label_en": "Economic sector",
            "kind": "choice",
            "target": "complaint",
            "choices": "mining | Minería | Mining\nfarming | Agricultura | Farming",
            "valid_from": timezone.localdate().isoformat(),
            "order": "1",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ExtraField.objects.get().choices == [["mining", "Minería", "Mining"], ["farming", "Agricultura", "Farming"]]
    assert AuditEvent.objects.filter(event="extra_field_added", object_repr="complaint:sector").exists()
    assert "Sector económico" in client.get(reverse("administration:extra_field_list")).content.decode()


def _registered_with(personas: dict, **extra: str) -> Complaint:
    client = signed_in_client(personas["station_officer"])
    before = set(Complaint.objects.values_list("pk", flat=True))
    response = register(client, CREATE, post_data(bar_in_madre_de_dios(), token=f"token-{len(before)}", **extra))
    assert response.status_code == 302
    return Complaint.objects.exclude(pk__in=before).get()


def test_a_list_or_yes_no_variable_groups_the_cross_tabulation(personas: dict, variables: dict) -> None:
    from administration.access import scope_of
    from stats.crosstab import crosstab

    _registered_with(personas, **{"extra-sector": "mining", "extra-debt_bondage": "yes"})
    year = timezone.localdate().year
    table = crosstab(
        scope=scope_of(personas["national_admin"]),
        rows="extra_sector",
        columns="extra_debt_bondage",
        year_from=year,
        year_to=year,
    )
    cells = {row.label: row.cells for row in table.rows}
    assert [column.label for column in table.columns][:2] == ["Sí", "No"]
    assert cells["Minería"][0] == 1 and cells["Minería"][-1] == 1  # yes, and the row's total
    assert cells["Agricultura"][-1] == 0 and table.total.cells[-1] == 1
    page = signed_in_client(personas["national_admin"]).get(
        reverse("stats:crosstab"), {"rows": "extra_sector", "year_from": year, "year_to": year}
    )
    assert page.status_code == 200 and "Sector económico" in page.content.decode()


def test_the_complaints_export_has_a_column_per_variable_but_no_free_text(personas: dict, variables: dict) -> None:
    import csv
    import io

    complaint = _registered_with(personas, **{"extra-sector": "farming", "extra-hours_per_day": "12.5"})
    client = signed_in_client(personas["national_investigator"])
    response = client.get(reverse("complaints:complaint_export"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    row = next(row for row in rows if row["number"] == complaint.number)
    assert (row["extra_sector"], row["extra_hours_per_day"], row["extra_debt_bondage"]) == ("farming", "12.5", "")
    assert "extra_future_question" not in row  # a text variable never leaves in an export


def test_the_cross_tabulation_page_reads_the_variables_once_per_request(personas: dict, variables: dict) -> None:
    """The form's selects, the table and the labels of both research variables share one read."""
    from django.test.utils import CaptureQueriesContext

    _registered_with(personas, **{"extra-sector": "mining", "extra-debt_bondage": "yes"})
    year = timezone.localdate().year
    client = signed_in_client(personas["national_admin"])
    query = {"rows": "extra_sector", "columns": "extra_debt_bondage", "year_from": year, "year_to": year}
    for _ in range(2):  # a second request reads them again (nothing is held between requests)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("stats:crosstab"), query)
        assert page.status_code == 200 and "Minería" in page.content.decode()
        reads = [q for q in captured.captured_queries if re.search(r"FROM [`\"]administration_extrafield", q["sql"])]
        assert len(reads) == 1
