"""The Investigation module's "done when" journey (issue 11), entirely through the pages, as
investigador.cusco (Cusco's specialised unit): a complaint like the Madre de Dios one — registered
by the Cusco station, facts in a bar of Tambopata, the victim recruited in Cusco, so the Cusco
specialised unit is alerted — is opened as a case file from the alert ("Abrir carpeta" on the alerts
page); the case file goes under investigation, gets the complaint's persons, the alleged trafficker
with a phone and a vehicle, the route in two legs (Cusco → Madre de Dios), an operation, an exhibit
seized in it with two custody hand-overs, the exhibit linked in the proof matrix, the conclusions;
the report is generated and transmitted. The transmission package downloaded from the page is
checked here against the documented schema (docs/schema/case-package-v1.schema.json) and against
the case file: exactly its persons, legs and exhibit. Then oficial.cusco and oficial.lima get 404 on
the case file, and oficial.cusco sees its number and status on her complaint's page.

Every date is computed from the clock (the facts nine days ago), never a literal day."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.utils import timezone

from administration.models import District, Role
from complaints.models import Alert, PlaceRole
from complaints.services import PlaceData, complaint_file
from investigations.models import (
    CaseFile,
    CasePerson,
    CaseReport,
    CaseStatus,
    CustodyTransfer,
    Exhibit,
    ProofLink,
    RouteLeg,
)
from tests.browser.conftest import shot, sign_in
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema" / "case-package-v1.schema.json"
OFFICE = "Fiscalía Provincial Especializada en Delitos de Trata de Personas de Madre de Dios"


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _nav(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator(".case-file-nav a", has_text=name).click()


def _other(browser: Any, page: Any, username: str, password: str) -> Any:
    other = browser.new_context(locale="es-PE").new_page()
    other.base_url = page.base_url
    sign_in(other, username, password)
    other.locator(".user-box").wait_for()
    return other


def test_investigador_cusco_from_the_alert_to_the_report_sent(
    browser: Any, page: Any, units: dict, password: str
) -> None:
    lead = UserFactory(
        username="investigador.cusco",
        first_name="Julio",
        last_name="Mamani Condori",
        unit=units["DIRTEPOL-CUSCO-TRATA"],
        role=Role.REGIONAL_INVESTIGATOR,
    )
    station = UserFactory(username="oficial.cusco", unit=units["DIRTEPOL-CUSCO-CPNP-1"], role=Role.STATION_OFFICER)
    UserFactory(username="oficial.lima", unit=units["DIRTEPOL-LIMA-CPNP-1"], role=Role.STATION_OFFICER)
    today = timezone.localdate()
    facts = today - datetime.timedelta(days=9)
    complaint = complaint_file(
        actor=station,
        data=bar_in_madre_de_dios(
            facts_date=facts,
            places=[
                PlaceData(
                    role=PlaceRole.RECRUITMENT,
                    district=District.objects.get(code="080101"),
                    address="Paradero de la Av. El Sol (aviso de empleo en un diario)",
                )
            ],
        ),
        form_token="journey-madre-de-dios",
    )
    alert = Alert.objects.get(complaint=complaint, unit=units["DIRTEPOL-CUSCO-TRATA"])

    # From the alert: "Abrir carpeta"
    sign_in(page, "investigador.cusco", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/denuncias/alertas/")
    assert complaint.number in page.locator(f"#alert-{alert.pk}").inner_text()
    _submit(page, f"#open-case-file-{alert.pk}")
    assert page.get_by_label("Números de denuncia").input_value() == complaint.number
    page.get_by_label("Título").fill("Bar «El Dorado» — Tambopata")
    page.get_by_label("Resumen").fill("Menor captada en Cusco con una falsa oferta de trabajo.")
    _submit(page, "#open-submit")
    case_file = CaseFile.objects.get()
    assert case_file.lead == lead and case_file.owning_unit == units["DIRTEPOL-CUSCO-TRATA"]
    assert page.locator("#case-file-heading").inner_text().endswith(case_file.number)

    _submit(page, "#status-link")
    page.get_by_label("Nuevo estado").select_option("under_investigation")
    _submit(page, "#status-submit")
    assert page.locator("#case-file-status").inner_text() == "En investigación"

    # Persons: the complaint's (the victim), then the alleged trafficker with a phone
    _nav(page, "Personas")
    _submit(page, "#persons-from-complaints")
    assert CasePerson.objects.filter(case_file=case_file, role="victim").count() == 1
    _submit(page, "#add-person-link")
    page.locator("#id_role").select_option("alleged_trafficker")
    page.locator("#id_first_names").fill("Marleni")
    page.locator("#id_last_names").fill("Huallpa Ccori")
    page.locator("#id_alias").fill("La Tía")
    page.locator("#id_phone").fill("984 555 123")
    page.locator("#id_organisation_role").select_option("recruiter")
    _submit(page, "#person-submit")
    trafficker = CasePerson.objects.get(case_file=case_file, role="alleged_trafficker")

    # Places and things: the trafficker's phone and car, the bar
    _nav(page, "Lugares y cosas")
    _submit(page, "#add-phone")
    page.locator("#id_number").fill("984 555 123")
    page.locator("#id_holder").select_option(str(trafficker.pk))
    _submit(page, "#thing-submit")
    _submit(page, "#add-vehicle")
    page.locator("#id_kind").select_option("car")
    page.locator("#id_plate").fill("bdf 482")
    page.locator("#id_make").fill("Toyota")
    page.locator("#id_owner_person").select_option(str(trafficker.pk))
    _submit(page, "#thing-submit")
    assert "+51984555123" in page.locator("#phones-table").inner_text()
    assert "BDF482" in page.locator("#vehicles-table").inner_text()
    _submit(page, "#add-place")
    page.locator("#id_kind").select_option("bar")
    page.locator("#id_name").fill("Bar «El Dorado»")
    page.locator("#id_address").fill("Av. León Velarde 1020")
    page.locator("#id_district").select_option("170101")
    _submit(page, "#thing-submit")

    # The route: recruitment in Cusco, destination in Tambopata
    _nav(page, "Ruta")
    for stage, district, departed, arrived in (
        ("recruitment", "080101", facts - datetime.timedelta(days=2), facts - datetime.timedelta(days=1)),
        ("destination", "170101", facts - datetime.timedelta(days=1), facts - datetime.timedelta(days=1)),
    ):
        _submit(page, "#add-leg")
        page.locator("#id_stage").select_option(stage)
        page.locator("#id_district").select_option(district)
        page.locator("#id_departed_on").fill(departed.isoformat())
        page.locator("#id_arrived_on").fill(arrived.isoformat())
        page.locator("#id_transport").select_option("bus")
        _submit(page, "#thing-submit")
    assert page.locator("#legs-table tbody tr").count() == 2
    shot(page, "journey-route")

    # The work: an operation, an exhibit seized in it, two hand-overs
    now = timezone.now()
    operation_at = now - datetime.timedelta(days=2)
    _nav(page, "Trabajo")
    _submit(page, "#operation-add-link")
    page.locator("#id_occurred_at").fill(local(operation_at))
    page.locator("#id_place").fill("Bar «El Dorado», Av. León Velarde 1020")
    page.locator("#id_district").fill("170101")
    page.locator("#id_persons_rescued").fill("1")
    page.locator("#id_persons_arrested").fill("1")
    _submit(page, "#work-submit")
    assert "El Dorado" in page.locator("#operations").inner_text()
    _submit(page, "#exhibit-add-link")
    page.locator("#id_description").fill("Cuaderno de cuentas del bar con pagos a «La Tía»")
    page.locator("#id_kind").select_option("document")
    page.locator("#id_seized_on").fill(timezone.localtime(operation_at).date().isoformat())
    page.locator("#id_operation").select_option(index=1)
    page.locator("#id_initial_holder").fill("SO2 PNP Carlos Mamani Torres")
    _submit(page, "#work-submit")
    exhibit = Exhibit.objects.get(case_file=case_file)
    with page.expect_navigation():
        page.locator("#exhibits a", has_text="EV-001").click()
    for giver, receiver, hours in (
        ("SO2 PNP Carlos Mamani Torres", "Perito Juan Quispe", 24),
        ("Perito Juan Quispe", "Almacén de evidencias DIRTEPOL Madre de Dios", 2),
    ):
        assert page.get_by_label("Entregada por").input_value() == giver
        page.get_by_label("Recibida por").fill(receiver)
        page.get_by_label("Entrega (fecha y hora)").fill(local(now - datetime.timedelta(hours=hours)))
        page.get_by_label("Motivo").fill("Pericia." if hours == 24 else "Custodia en almacén.")
        _submit(page, "#transfer-submit")
    assert page.locator("#custody-chain .custody-transfer").count() == 2
    assert CustodyTransfer.objects.filter(exhibit=exhibit).count() == 2

    # The proof matrix: the exhibit supports the recruitment and the purpose
    _nav(page, "Matriz de prueba")
    for element in ("conduct:recruitment", "purpose:prostitution"):
        page.get_by_label("Elemento típico:", exact=True).select_option(element)
        page.get_by_label("Sustento:", exact=True).select_option(f"exhibit:{exhibit.pk}")
        page.get_by_label("Qué acredita:", exact=True).fill("Pagos de pasajes desde Cusco y de «servicios».")
        _submit(page, "#proof-link-submit")
    assert "EV-001" in page.locator("#element-conductrecruitment").inner_text()
    assert ProofLink.objects.filter(case_file=case_file, exhibit=exhibit).count() == 2
    shot(page, "journey-proof")

    # The report: conclusions, generated, transmitted
    _nav(page, "Informe policial")
    page.get_by_label("Conclusiones:", exact=True).fill("Se acredita la captación mediante engaño en Cusco.")
    _submit(page, "#conclusions-submit")
    _submit(page, "#report-generate")
    page.get_by_label("Fiscalía:", exact=True).fill(OFFICE)
    _submit(page, "#report-transmit-submit")
    assert page.locator(".case-report-transmitted .report-status").inner_text() == "Remitido a la Fiscalía"
    shot(page, "journey-report-sent")
    report = CaseReport.objects.get(case_file=case_file)
    assert report.status == "transmitted" and report.transmitted_version == 2
    with page.expect_download() as download:  # the versions are listed newest first
        page.locator("#reports .report-package").first.click()
    assert download.value.suggested_filename == f"{report.number}-v2-paquete-1.0.0.zip".lower()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))

    # The package: valid against the documented schema, exactly the case's persons, legs, exhibit
    names = archive.namelist()
    assert "case-package-v1.schema.json" in names and any(name.endswith(".pdf") for name in names)
    [json_name] = [name for name in names if name.endswith(".json") and name != "case-package-v1.schema.json"]
    assert ".case-package-" in json_name, names
    document = json.loads(archive.read(json_name))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert json.loads(archive.read("case-package-v1.schema.json")) == schema
    persons = CasePerson.objects.filter(case_file=case_file)
    assert len(document["persons"]) == persons.count() == 2
    assert {p["id"] for p in document["persons"]} == set(persons.values_list("pk", flat=True))
    assert {p["role"] for p in document["persons"]} == {"victim", "alleged_trafficker"}
    legs = RouteLeg.objects.filter(case_file=case_file).order_by("sequence")
    assert [(leg["sequence"], leg["stage"], leg["district"]) for leg in document["route"]] == [
        (leg.sequence, leg.stage, leg.district.code) for leg in legs
    ]
    assert [leg["stage"] for leg in document["route"]] == ["recruitment", "destination"]
    assert [(e["id"], e["code"]) for e in document["exhibits"]] == [(exhibit.pk, "EV-001")]
    assert [c["to_holder"] for c in document["exhibits"][0]["custody"]] == [
        "Perito Juan Quispe",
        "Almacén de evidencias DIRTEPOL Madre de Dios",
    ]
    assert document["case_file"]["number"] == case_file.number
    assert document["report"]["status"] == "transmitted" and document["report"]["prosecutor_office"] == OFFICE
    assert document["report"]["version"] == 2 and document["case_file"]["status"] == "report_sent"
    assert "Lucía" not in json.dumps(document, ensure_ascii=False)  # the minor victim is protected
    case_file.refresh_from_db()
    assert case_file.status == CaseStatus.REPORT_SENT
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    assert page.locator("#case-file-status").inner_text() == "Informe remitido a la Fiscalía"

    # The stations: 404 on the case file; the Cusco station sees its number and status only
    for username in ("oficial.cusco", "oficial.lima"):
        other = _other(browser, page, username, password)
        assert other.goto(f"{page.base_url}/carpetas/{case_file.pk}/").status == 404
        assert other.goto(f"{page.base_url}/carpetas/{case_file.pk}/informe/").status == 404
        if username == "oficial.cusco":
            other.goto(f"{page.base_url}/denuncias/{complaint.pk}/")
            summary = other.locator("#case-file-summary").inner_text()
            assert case_file.number in summary and "Informe remitido a la Fiscalía" in summary
            assert other.locator("#case-file-summary a").count() == 0
        other.context.close()
