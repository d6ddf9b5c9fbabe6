"""The police report and its transmission package (investigations.reporting, package, report_pdf):
numbering, conclusions by the lead only, versions, the JSON package against its schema, privacy of
minors in the PDF and the JSON, the freeze of a transmitted report (ORM and MariaDB trigger),
downloads audited."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent
from complaints.freeze import FrozenRecordError
from investigations import package, reporting
from investigations.models import CaseFile, CaseReport, CaseReportVersion, CaseStatus
from investigations.services import CaseFileError, NotAllowedError
from reta.private_media import private_storage
from tests.investigations.report_data import MINOR_NAMES, build_case

pytestmark = pytest.mark.django_db

OFFICE = "Fiscalía Provincial Especializada en Delitos de Trata de Personas de Madre de Dios"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "informe.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _ready(personas: dict, complaints: dict) -> Any:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    reporting.proof_link_add(
        actor=lead,
        case_file=data.case_file,
        element_code="conduct:recruitment",
        support=f"exhibit:{data.exhibits[0].pk}",
    )
    reporting.report_write_conclusions(actor=lead, case_file=data.case_file, conclusions="Se acredita la captación.")
    return data


def test_generate_numbers_the_report_and_the_package_is_exactly_the_case(
    personas: dict, complaints: dict, tmp_path: Path
) -> None:
    data = _ready(personas, complaints)
    version = reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    report = version.report
    assert re.fullmatch(rf"{data.case_file.owning_unit.code}-IP-\d{{4}}-000001", report.number)
    assert version.version == 1 and report.status == "draft"
    document = json.loads(version.read_package())
    package.validate(document)  # what was stored follows the schema
    assert package.sha256(version.read_package().encode()) == version.package_sha256
    assert package.sha256(version.read_pdf()) == version.pdf_sha256
    assert {p["id"] for p in document["persons"]} == {data.victim.pk, data.trafficker.pk}
    assert [leg["stage"] for leg in document["route"]] == ["recruitment", "destination"]
    assert [e["code"] for e in document["exhibits"]] == ["EV-001", "EV-002"]
    assert [len(e["custody"]) for e in document["exhibits"]] == [2, 0]
    assert document["case_file"]["number"] == data.case_file.number
    assert document["complaints"] == [
        {
            "number": complaints["frozen"].number,
            "law_profile": "PE-2021",
            "outcome": complaints["frozen"].outcome,
            "facts_date": "2026-11-20",
        }
    ]
    victim = next(p for p in document["persons"] if p["role"] == "victim")
    assert victim["protected"] is True and victim["name"] is None
    assert victim["victim_results"][0]["result"] == "rescued"
    trafficker = next(p for p in document["persons"] if p["role"] == "alleged_trafficker")
    assert trafficker["name"] == "Rosa Elvira Quispe Mamani" and trafficker["organisation_role"] == "recruiter"
    recruitment = next(row for row in document["proof_matrix"] if row["element"] == "conduct:recruitment")
    assert recruitment["supports"] == [{"kind": "exhibit", "id": data.exhibits[0].pk, "note": ""}]
    # Minors' names: never in the JSON, never in the PDF.
    text = pdf_text(version.read_pdf(), tmp_path)
    for name in MINOR_NAMES:
        assert name not in version.read_package()
        assert name not in text
    flat = " ".join(text.split())
    assert "Menor de edad" in flat
    assert "Rosa Elvira" in flat and "Quispe Mamani" in flat
    assert "EV-001" in flat and "Almacén" in flat
    assert "Se acredita la captación." in text
    assert AuditEvent.objects.filter(event="case_report_generated").count() == 1

    again = reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    assert (again.report_id, again.version) == (report.pk, 2)
    assert CaseReportVersion.objects.filter(report=report).count() == 2


def test_an_invalid_package_is_refused_and_nothing_is_kept(
    personas: dict, complaints: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _ready(personas, complaints)
    original = package.case_document

    def broken(*args: Any, **kwargs: Any) -> dict:
        document = original(*args, **kwargs)
        document["exhibits"][0]["code"] = "no es un código"
        return document

    monkeypatch.setattr(package, "case_document", broken)
    with pytest.raises(CaseFileError, match="exhibits/0/code"):
        reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    assert not CaseReportVersion.objects.exists()


def test_only_the_lead_writes_the_conclusions_and_transmits(client: Any, personas: dict, complaints: dict) -> None:
    data = _ready(personas, complaints)
    other = personas["national_investigator"]  # works the case file, is not its lead
    with pytest.raises(NotAllowedError):
        reporting.report_write_conclusions(actor=other, case_file=data.case_file, conclusions="Otra cosa.")
    client.force_login(other)
    url = reverse("investigations:case_report_conclusions", args=[data.case_file.pk])
    assert client.post(url, {"conclusions": "Otra cosa."}).status_code == 403
    assert CaseReport.objects.get().conclusions == "Se acredita la captación."
    version = reporting.report_generate(actor=other, case_file=data.case_file)  # any worker may generate
    with pytest.raises(NotAllowedError):
        reporting.report_transmit(
            actor=other, case_file=data.case_file, report_id=version.report_id, prosecutor_office=OFFICE
        )


def test_transmission_freezes_the_report_and_sends_the_case_file(personas: dict, complaints: dict) -> None:
    data = _ready(personas, complaints)
    lead = personas["regional_investigator"]
    version = reporting.report_generate(actor=lead, case_file=data.case_file)
    with pytest.raises(CaseFileError):  # the office is required
        reporting.report_transmit(
            actor=lead, case_file=data.case_file, report_id=version.report_id, prosecutor_office=" "
        )
    report = reporting.report_transmit(
        actor=lead, case_file=data.case_file, report_id=version.report_id, prosecutor_office=OFFICE
    )
    report = CaseReport.objects.get(pk=report.pk)
    assert (report.status, report.prosecutor_office, report.transmitted_by) == ("transmitted", OFFICE, lead)
    assert report.transmitted_version == 2
    final = json.loads(CaseReportVersion.objects.get(report=report, version=2).read_package())
    assert final["report"]["status"] == "transmitted" and final["report"]["prosecutor_office"] == OFFICE
    assert final["case_file"]["status"] == "report_sent"  # the package sent says so, not "under investigation"
    first = json.loads(CaseReportVersion.objects.get(report=report, version=1).read_package())
    assert (first["report"]["status"], first["case_file"]["status"]) == ("draft", "under_investigation")
    assert CaseFile.objects.get(pk=data.case_file.pk).status == CaseStatus.REPORT_SENT
    assert AuditEvent.objects.filter(event="case_report_transmitted").count() == 1

    report.conclusions = "Cambiadas."
    with pytest.raises(FrozenRecordError):
        report.save()
    with pytest.raises(FrozenRecordError):
        report.delete()
    with pytest.raises(FrozenRecordError):
        CaseReport.objects.filter(pk=report.pk).update(conclusions="Cambiadas.")
    with pytest.raises(FrozenRecordError):
        CaseReport.objects.filter(pk=report.pk).delete()
    assert CaseReport.objects.get(pk=report.pk).conclusions == "Se acredita la captación."
    with pytest.raises(CaseFileError):  # no second transmission, no regeneration of a sent case file
        reporting.report_transmit(actor=lead, case_file=data.case_file, report_id=report.pk, prosecutor_office=OFFICE)
    with pytest.raises(CaseFileError):
        reporting.report_generate(actor=lead, case_file=data.case_file)


@pytest.mark.mysql
def test_the_database_refuses_to_change_a_transmitted_report(personas: dict, complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The freeze trigger of migration 0007 exists on MySQL/MariaDB only; SQLite has the ORM guard.")
    data = _ready(personas, complaints)
    lead = personas["regional_investigator"]
    version = reporting.report_generate(actor=lead, case_file=data.case_file)
    draft_id = version.report_id
    with connection.cursor() as cursor:  # a draft may change
        cursor.execute("UPDATE investigations_casereport SET conclusions = %s WHERE id = %s", ["Borrador.", draft_id])
    reporting.report_transmit(actor=lead, case_file=data.case_file, report_id=draft_id, prosecutor_office=OFFICE)
    for sql in (
        "UPDATE investigations_casereport SET conclusions = 'x' WHERE id = %s",
        "DELETE FROM investigations_casereport WHERE id = %s",
        "UPDATE investigations_casereportversion SET package = 'x.json' WHERE report_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [draft_id])
    assert CaseReport.objects.get(pk=draft_id).status == "transmitted"


def test_downloads_serve_the_stored_bytes_and_are_audited(client: Any, personas: dict, complaints: dict) -> None:
    data = _ready(personas, complaints)
    version = reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    client.force_login(personas["national_investigator"])
    args = [data.case_file.pk, version.report_id]
    response = client.get(reverse("investigations:case_report_pdf", args=args))
    assert response.status_code == 200 and response.content == version.read_pdf()
    response = client.get(reverse("investigations:case_report_package", args=args))
    assert response.status_code == 200
    assert "paquete-1.0.0.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == sorted(
        [
            f"{version.report.number.lower()}-v1.pdf",
            f"{version.report.number.lower()}-v1.case-package-1.0.0.json",
            "case-package-v1.schema.json",
        ]
    )
    stored = archive.read(f"{version.report.number.lower()}-v1.case-package-1.0.0.json").decode()
    assert stored == version.read_package()
    package.validate(json.loads(stored))
    assert AuditEvent.objects.filter(event="case_report_downloaded").count() == 2
    bad = reverse("investigations:case_report_pdf", args=args) + "?version=9"
    assert client.get(bad).status_code == 404


def test_the_report_page_in_bounded_queries(
    client: Any, personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    data = _ready(personas, complaints)
    for _n in range(3):
        reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    client.force_login(personas["regional_investigator"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("investigations:case_report", args=[data.case_file.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="conclusions-form"' in text and 'id="report-transmit"' in text
    assert text.count('class="report-pdf"') == 3


def test_the_report_draws_the_route_on_the_map(personas: dict, complaints: dict) -> None:
    from investigations import report_pdf
    from investigations.package import load_content

    data = build_case(personas, complaints)
    svg = str(report_pdf._route_map(load_content(data.case_file).legs))
    assert svg.startswith("<svg") and "report-route" in svg
    assert report_pdf._route_map([]) == ""


def test_a_reopened_case_file_drafts_a_new_report_with_the_next_number(personas: dict, complaints: dict) -> None:
    from investigations import services

    data = _ready(personas, complaints)
    lead = personas["regional_investigator"]
    first = reporting.report_generate(actor=lead, case_file=data.case_file).report
    reporting.report_transmit(actor=lead, case_file=data.case_file, report_id=first.pk, prosecutor_office=OFFICE)
    services.case_file_change_status(
        actor=lead, case_file=data.case_file, to_status="under_investigation", reason="Nuevos hechos."
    )
    second = reporting.report_write_conclusions(actor=lead, case_file=data.case_file, conclusions="Ampliación.")
    assert second.pk != first.pk and second.status == "draft"
    assert second.number.endswith("-000002")
    assert CaseReport.objects.get(pk=first.pk).status == "transmitted"


def test_a_minor_named_in_typed_text_is_cleaned_from_the_pdf_and_the_package(
    personas: dict, complaints: dict, tmp_path: Path
) -> None:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    reporting.proof_link_add(
        actor=lead,
        case_file=data.case_file,
        element_code="conduct:recruitment",
        support=f"exhibit:{data.exhibits[0].pk}",
        note="Pasaje a nombre de Lucía Condori Apaza, DNI 76543210.",
    )
    reporting.report_write_conclusions(
        actor=lead, case_file=data.case_file, conclusions="La menor Lucía Condori Apaza fue captada en Cusco."
    )
    version = reporting.report_generate(actor=lead, case_file=data.case_file)
    text = " ".join(pdf_text(version.read_pdf(), tmp_path).split())
    stored = version.read_package()
    for private in (*MINOR_NAMES, "Condori", "76543210"):
        assert private not in stored
        assert private not in text
    assert "L. C. A. fue captada en Cusco" in text or "L. C. A." in stored


# ---------------------------------------------------------------- the PDF and the package are stored files


@pytest.fixture
def own_folder(settings: Any, tmp_path: Path) -> Path:
    """The private storage in a folder of this test alone (the session's one is shared)."""
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.RETA_PRIVATE_MEDIA_ROOT


def test_the_pdf_and_the_package_are_files_named_by_the_report_number_only(
    own_folder: Path, personas: dict, complaints: dict
) -> None:
    data = _ready(personas, complaints)
    version = reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    version = CaseReportVersion.objects.select_related("report").get(pk=version.pk)
    base = f"informes_policiales/{version.report.year}/{version.report.number.lower()}-v1"
    assert (version.pdf.name, version.package.name) == (f"{base}.pdf", f"{base}.json")
    assert (own_folder / version.pdf.name).is_file() and (own_folder / version.package.name).is_file()
    pdf, stored = version.read_pdf(), version.read_package()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == version.pdf_sha256
    assert hashlib.sha256(stored.encode()).hexdigest() == version.package_sha256
    # The row holds the names, not the bytes; the names say nothing about a person.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf, package FROM investigations_casereportversion WHERE id = %s", [version.pk])
        row = cursor.fetchone()
    assert tuple(row) == (version.pdf.name, version.package.name)
    for name in (*MINOR_NAMES, "Quispe", "Rosa"):
        assert name.lower() not in version.pdf.name and name.lower() not in version.package.name


def test_a_failed_generation_leaves_no_file_behind(
    own_folder: Path, personas: dict, complaints: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _ready(personas, complaints)
    reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    before = sorted(own_folder.rglob("*.*"))
    assert len(before) == 2

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(reporting, "audit_record", broken)
    with pytest.raises(RuntimeError):
        reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    assert CaseReportVersion.objects.count() == 1
    assert sorted(own_folder.rglob("*.*")) == before


@pytest.mark.parametrize(("which", "change"), [("pdf", "tampered"), ("pdf", "missing"), ("package", "tampered")])
def test_a_changed_or_missing_file_is_never_served(
    client: Any, personas: dict, complaints: dict, caplog: pytest.LogCaptureFixture, which: str, change: str
) -> None:
    data = _ready(personas, complaints)
    version = reporting.report_generate(actor=personas["regional_investigator"], case_file=data.case_file)
    field = getattr(version, which)
    storage = private_storage()
    original = storage.open(field.name).read()
    storage.delete(field.name)
    if change == "tampered":  # same name, same size, other bytes
        storage.save(field.name, ContentFile(original[:-1] + bytes([original[-1] ^ 0x01])))
    client.force_login(personas["national_investigator"])
    args = [data.case_file.pk, version.report_id]
    url = reverse(
        "investigations:case_report_package" if which == "package" else "investigations:case_report_pdf", args=args
    )
    with caplog.at_level(logging.ERROR, logger="investigations.reporting"):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("investigations:case_report", args=[data.case_file.pk])
    page = client.get(response["Location"])
    assert "no se entrega" in page.content.decode()
    assert any(version.report.number in record.getMessage() for record in caplog.records)
    event = AuditEvent.objects.get(event="case_report_downloaded")
    assert event.outcome == "failure"
    assert event.details["reason"] == ("sha256" if change == "tampered" else "missing")
    assert event.details["file"] == which
    with pytest.raises(reporting.ReportIntegrityError):
        reporting.report_version_files(actor=personas["national_investigator"], version=version, what="package")
    if which == "package":  # the PDF alone is still intact and served
        pdf_url = reverse("investigations:case_report_pdf", args=args)
        assert client.get(pdf_url).content == version.read_pdf()
