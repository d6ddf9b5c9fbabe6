"""Research variables of case files (issue 13, item 2): defined by an administrator, edited by the
investigators who work the case file from the variable's date, validated in Spanish, historised,
audited and shown on the case file's page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from administration import services
from audit.models import AuditEvent
from investigations import services as case_services
from investigations.models import CaseFileExtraValue
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_file(complaints: dict, personas: dict) -> object:
    data = case_services.OpenData(title="Bar en Madre de Dios", complaint_ids=[complaints["frozen"].pk])
    return case_services.case_file_open(actor=personas["regional_investigator"], data=data)


@pytest.fixture
def arrests(personas: dict) -> object:
    return services.extra_field_add(
        actor=personas["national_admin"],
        target="case_file",
        code="arrests",
        kind="number",
        valid_from=timezone.localdate(),
        label_es="Detenidos en flagrancia",
        label_en="Arrests in flagrante",
        min_value=Decimal("0"),
        max_value=Decimal("50"),
    )


def test_an_investigator_records_a_case_file_variable_and_the_page_shows_it(
    case_file: object, arrests: object, personas: dict
) -> None:
    services.extra_field_add(
        actor=personas["national_admin"],
        target="case_file",
        code="next_year_only",
        kind="text",
        valid_from=timezone.localdate() + datetime.timedelta(days=30),
        label_es="Pregunta del próximo año",
        label_en="Next year's question",
    )
    client = signed_in_client(personas["regional_investigator"])
    url = reverse("investigations:case_file_variables", args=[case_file.pk])
    page = client.get(url).content.decode()
    assert "Detenidos en flagrancia" in page and "Pregunta del próximo año" not in page
    refused = client.post(url, {"extra-arrests": "-3"})
    assert refused.status_code == 200
    assert "Asegúrese de que este valor es mayor o igual a 0." in refused.content.decode()
    assert not CaseFileExtraValue.objects.exists()
    assert client.post(url, {"extra-arrests": "4"}).status_code == 302
    row = CaseFileExtraValue.objects.get()
    assert (row.value, row.history.count()) == ("4", 1)
    event = AuditEvent.objects.get(event="case_file_variables_changed")
    assert event.details == {"variables": ["arrests"]}
    detail = client.get(reverse("investigations:case_file_detail", args=[case_file.pk])).content.decode()
    assert "Detenidos en flagrancia" in detail and "<dd>4</dd>" in detail


def test_a_complaint_variable_is_not_offered_on_a_case_file(case_file: object, personas: dict) -> None:
    services.extra_field_add(
        actor=personas["national_admin"],
        code="debt_bondage",
        kind="yes_no",
        valid_from=timezone.localdate(),
        label_es="¿Servidumbre por deudas?",
        label_en="Debt bondage?",
    )
    client = signed_in_client(personas["regional_investigator"])
    page = client.get(reverse("investigations:case_file_variables", args=[case_file.pk])).content.decode()
    assert "Servidumbre" not in page
