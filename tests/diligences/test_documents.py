"""The generated documents of the preliminary investigation: Spanish PDFs pre-filled from the
complaint, numbered per unit and year, minors cited by initials only, kept and served again
byte for byte."""

from __future__ import annotations

import datetime
import hashlib
import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from administration.models import UnitCounter
from audit.models import AppendOnlyError, AuditEvent
from complaints.services import NotAllowedError, VictimData, complaint_file
from diligences import pdf as documents
from diligences import services as register
from diligences.models import Diligence, DocumentKind, GeneratedDocument
from reta.private_media import private_storage
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
MINOR_FULL_NAME = "Lucía Condori Apaza"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

# What an officer fills in for each document (the form's cleaned data).
FIELDS: dict[str, dict[str, Any]] = {
    DocumentKind.FORENSIC_EXAM: {
        "addressee": documents.DEFAULT_ADDRESSEES[DocumentKind.FORENSIC_EXAM],
        "city": "Cusco",
        "victim": "1",
        "examinations": ["physical", "sexual", "age"],
    },
    DocumentKind.SEARCH_WARRANT: {
        "addressee": documents.DEFAULT_ADDRESSEES[DocumentKind.SEARCH_WARRANT],
        "city": "Cusco",
        "place_address": "Av. León Velarde 1020, bar «El Dorado»",
        "place_description": "Bar de dos pisos con cuartos en la parte posterior",
        "grounds": "La víctima refiere que otras adolescentes permanecen retenidas en el local.",
    },
    DocumentKind.RENIEC: {
        "addressee": documents.DEFAULT_ADDRESSEES[DocumentKind.RENIEC],
        "city": "Cusco",
        "person": "Mujer de unos 45 años, alias «La Tía», natural de Puerto Maldonado",
        "purpose": "Identificar a la presunta tratante.",
    },
    DocumentKind.MIGRACIONES: {
        "addressee": documents.DEFAULT_ADDRESSEES[DocumentKind.MIGRACIONES],
        "city": "Cusco",
        "person": "Alias «La Tía»",
        "nationality": "peruana",
        "period_from": datetime.date(2026, 1, 1),
        "period_to": datetime.date(2026, 11, 20),
        "purpose": "",
    },
    DocumentKind.NOTIFICATION: {
        "addressee": "",
        "city": "Cusco",
        "person_notified": "Juana Mamani Huallpa",
        "capacity": "legal_representative",
        "address": "Jr. Tres Cruces 140, Cusco",
        "appear_at": datetime.datetime(2026, 12, 3, 10, 30, tzinfo=datetime.UTC),
        "appear_place": "Comisaría PNP Cusco",
        "purpose": "rendir su manifestación en relación con los hechos denunciados",
    },
    DocumentKind.STATEMENT: {
        "addressee": "",
        "city": "Cusco",
        "deponent": "victim:1",
        "deponent_name": "",
        "capacity": "victim",
        "taken_at": datetime.datetime(2026, 11, 29, 15, 0, tzinfo=datetime.UTC),
        "prosecutor": "Dra. Carmen Rojas, Fiscalía Especializada de Trata de Personas",
        "statement": "",
    },
}


def pdf_text(data: bytes, tmp_path: Path, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def generate(complaint: Any, actor: Any, kind: str, **overrides: Any) -> GeneratedDocument:
    return register.document_generate(actor=actor, complaint=complaint, kind=kind, fields={**FIELDS[kind], **overrides})


def year_of(document: GeneratedDocument) -> int:
    """The year of Peru when the document was generated: the year of its number."""
    return timezone.localdate(document.created_at).year


# ---------------------------------------------------------------- content of each document


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_document_cites_the_complaint_the_unit_the_article_and_only_the_initials(
    complaints: dict, personas: dict, tmp_path: Path, kind: str
) -> None:
    complaint = complaints["frozen"]
    document = generate(complaint, personas["station_officer"], kind)
    text = pdf_text(document.read_pdf(), tmp_path, kind)
    flat = " ".join(text.split())
    assert complaint.number in flat
    assert "L.C.A." in flat
    assert "Comisaría PNP Cusco" in flat
    assert "artículo 129-A del Código Penal" in flat
    assert f"N° {document.number}" in flat and document.number == f"0001-{year_of(document)}-DIRTEPOL-CUSCO-CPNP-1"
    assert "Ana Quispe" in flat  # the officer who generated it
    assert MINOR_FULL_NAME not in flat and "Lucía" not in flat and "Condori" not in flat
    assert "76543210" not in flat  # nor her document number
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"document-{kind}.pdf").write_bytes(document.read_pdf())


def test_the_forensic_request_names_the_examinations_and_the_minor_protection(
    complaints: dict, personas: dict, tmp_path: Path
) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.FORENSIC_EXAM)
    flat = " ".join(pdf_text(document.read_pdf(), tmp_path).split())
    assert f"OFICIO N° 0001-{year_of(document)}-DIRTEPOL-CUSCO-CPNP-1" in flat
    assert "reconocimiento médico legal" in flat
    assert "integridad física" in flat and "estimación de edad" in flat
    assert "de iniciales L.C.A. (mujer, 16 años, menor de edad)" in flat
    assert "X DIRTEPOL Cusco" in flat
    assert f"Cusco, {documents.long_date(timezone.localdate(document.created_at))}" in flat


def test_the_fonts_are_embedded(complaints: dict, personas: dict, tmp_path: Path) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is missing")
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.NOTIFICATION)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(document.read_pdf())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("DejaVu" in row and " yes " in row for row in rows), fonts


def test_a_minors_name_typed_into_a_document_is_refused(complaints: dict, personas: dict) -> None:
    with pytest.raises(register.DiligenceError) as error:
        generate(
            complaints["frozen"],
            personas["station_officer"],
            DocumentKind.NOTIFICATION,
            person_notified="LUCIA CONDORI",
        )
    assert "iniciales" in error.value.message and error.value.field == "person_notified"
    assert not GeneratedDocument.objects.exists() and not UnitCounter.objects.filter(series="document").exists()


def test_an_adults_full_name_needs_a_role_that_may_see_identities(
    personas: dict, tmp_path: Path, settings: Any
) -> None:
    adult = VictimData(first_names="Rosa", last_names="Vargas Ccori", sex="F", age=24, nationality="PE")
    officer, investigator = personas["station_officer"], personas["regional_investigator"]
    complaint = complaint_file(actor=officer, data=bar_in_madre_de_dios(victims=[adult]))
    by_officer = register.document_generate(
        actor=officer, complaint=complaint, kind=DocumentKind.RENIEC, fields=FIELDS["reniec"], show_adult_names=True
    )
    assert "Rosa Vargas Ccori" not in pdf_text(by_officer.read_pdf(), tmp_path, "a")
    assert "R.V.C." in pdf_text(by_officer.read_pdf(), tmp_path, "a")
    by_investigator = register.document_generate(
        actor=investigator,
        complaint=complaint,
        kind=DocumentKind.RENIEC,
        fields=FIELDS["reniec"],
        show_adult_names=True,
    )
    assert "Rosa Vargas Ccori" in " ".join(pdf_text(by_investigator.read_pdf(), tmp_path, "b").split())
    event = AuditEvent.objects.get(event="document_generated", object_id=str(by_investigator.pk))
    assert event.details["adult_names_shown"] is True


# ---------------------------------------------------------------- numbering, register, audit


@pytest.fixture
def new_years_eve() -> Iterator[Any]:
    """23:59:30 on 31 December of this year in Lima, already 1 January in UTC, the clock held.
    Asked for before the accounts and the complaint, so that they are made then (an account made
    today could have expired by that day)."""
    year = timezone.localdate().year
    moment = datetime.datetime(year, 12, 31, 23, 59, 30, tzinfo=LIMA).astimezone(datetime.UTC)
    with time_machine.travel(moment, tick=False) as clock:
        yield clock


def test_documents_are_numbered_per_unit_and_year(new_years_eve: Any, complaints: dict, personas: dict) -> None:
    complaint = complaints["frozen"]
    officer = personas["station_officer"]
    year = timezone.localdate().year  # still this year in Peru
    numbers = [generate(complaint, officer, kind).number for kind in ("forensic_exam", "reniec", "notification")]
    assert numbers == [f"{n:04d}-{year}-DIRTEPOL-CUSCO-CPNP-1" for n in (1, 2, 3)]
    # Another unit keeps its own count.
    other = generate(complaint, personas["regional_investigator"], "migraciones")
    assert other.number == f"0001-{year}-DIRTEPOL-CUSCO-TRATA"
    # A minute later the year changes in Peru: the count starts again at 0001.
    new_years_eve.shift(datetime.timedelta(minutes=1))
    assert generate(complaint, officer, "reniec").number == f"0001-{year + 1}-DIRTEPOL-CUSCO-CPNP-1"
    assert UnitCounter.objects.filter(series="document").get(unit=officer.unit, year=year).last_number == 3
    assert UnitCounter.objects.filter(series="document").get(unit=officer.unit, year=year + 1).last_number == 1


def test_generating_records_a_diligence_of_the_matching_type_and_an_audit_event(
    complaints: dict, personas: dict
) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.SEARCH_WARRANT)
    entry = Diligence.objects.get(document=document)
    assert entry.kind == "search_warrant_request" and entry.complaint_id == complaints["frozen"].pk
    assert entry.document_number == f"Oficio N° {document.number}"
    assert entry.addressee == documents.DEFAULT_ADDRESSEES[DocumentKind.SEARCH_WARRANT]
    event = AuditEvent.objects.get(event="document_generated")
    assert event.object_id == str(document.pk)
    assert event.details["number"] == document.number and event.details["diligence"] == entry.sequence
    assert event.details["sha256"] == hashlib.sha256(document.read_pdf()).hexdigest()
    assert document.history.count() == 1


def test_a_generated_document_refuses_edits_and_deletes(complaints: dict, personas: dict) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.RENIEC)
    document.addressee = "otro"
    with pytest.raises(AppendOnlyError):
        document.save()
    with pytest.raises(AppendOnlyError):
        document.delete()
    with pytest.raises(AppendOnlyError):
        GeneratedDocument.objects.update(addressee="x")
    with pytest.raises(AppendOnlyError):
        GeneratedDocument.objects.all().delete()


def test_read_only_roles_cannot_generate(complaints: dict, personas: dict) -> None:
    for persona in ("monitor", "auditor", "national_admin"):
        with pytest.raises(NotAllowedError):
            generate(complaints["frozen"], personas[persona], DocumentKind.RENIEC)
    assert not GeneratedDocument.objects.exists()


# ---------------------------------------------------------------- screens and downloads


def test_the_officer_generates_the_forensic_request_on_screen(complaints: dict, clients: dict) -> None:
    complaint = complaints["frozen"]
    url = reverse("diligences:diligence_document_create", args=[complaint.pk, "forensic_exam"])
    page = clients["station_officer"].get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "L.C.A." in html and MINOR_FULL_NAME not in html
    assert 'name="show_adult_names"' not in html  # a station officer may not print adults' names
    response = clients["station_officer"].post(
        url,
        {
            "addressee": documents.DEFAULT_ADDRESSEES["forensic_exam"],
            "city": "Cusco",
            "victim": "1",
            "examinations": ["physical", "age"],
            "notes": "",
        },
    )
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#document-{document.pk}")
    assert document.fields["examinations"] == ["physical", "age"]


def test_a_bad_document_form_shows_errors_and_generates_nothing(complaints: dict, clients: dict) -> None:
    url = reverse("diligences:diligence_document_create", args=[complaints["frozen"].pk, "notification"])
    response = clients["station_officer"].post(url, {"addressee": "", "city": "Cusco", "person_notified": ""})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_an_unknown_document_is_404(complaints: dict, clients: dict) -> None:
    url = reverse("diligences:diligence_document_create", args=[complaints["frozen"].pk, "carta-notarial"])
    assert clients["station_officer"].get(url).status_code == 404


def test_the_second_download_is_byte_identical_and_each_is_audited(
    complaints: dict, personas: dict, clients: dict
) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.FORENSIC_EXAM)
    url = reverse("diligences:diligence_document_download", args=[complaints["frozen"].pk, document.pk])
    first = clients["station_officer"].get(url)
    second = clients["station_officer"].get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == document.read_pdf()
    assert hashlib.sha256(second.content).hexdigest() == document.pdf_sha256
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == f'attachment; filename="forensic_exam-{document.number.lower()}.pdf"'
    assert first["X-Content-Type-Options"] == "nosniff" and "no-store" in first["Cache-Control"]


# ---------------------------------------------------------------- the PDF is a file of the private storage


@pytest.fixture
def own_folder(settings: Any, tmp_path: Path) -> Path:
    """The private storage in a folder of this test alone (the session's one is shared)."""
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.RETA_PRIVATE_MEDIA_ROOT


def test_the_pdf_is_a_file_of_the_private_storage_named_by_the_number_only(
    own_folder: Path, complaints: dict, personas: dict
) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.FORENSIC_EXAM)
    document = GeneratedDocument.objects.get(pk=document.pk)
    year = year_of(document)
    assert document.pdf.name == f"documentos_generados/{year}/{document.number.lower()}.pdf"
    assert (own_folder / document.pdf.name).is_file()
    data = document.read_pdf()
    assert data.startswith(b"%PDF") and len(data) == document.pdf_size
    assert hashlib.sha256(data).hexdigest() == document.pdf_sha256
    # The row holds the name, not the bytes; the name says nothing about the victim.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf FROM complaints_generateddocument WHERE id = %s", [document.pk])
        (stored,) = cursor.fetchone()
    assert stored == document.pdf.name
    assert "condori" not in stored.lower() and "lucia" not in stored.lower()


def test_a_failed_generation_leaves_no_file_behind(
    own_folder: Path, complaints: dict, personas: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(complaints["frozen"], personas["station_officer"], DocumentKind.NOTIFICATION)
    before = sorted(own_folder.rglob("*.pdf"))
    assert len(before) == 1

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(register, "audit_record", broken)
    with pytest.raises(RuntimeError):
        generate(complaints["frozen"], personas["station_officer"], DocumentKind.RENIEC)
    assert GeneratedDocument.objects.count() == 1
    assert sorted(own_folder.rglob("*.pdf")) == before


@pytest.mark.parametrize("change", ["tampered", "missing"])
def test_a_changed_or_missing_file_is_never_served(
    complaints: dict, personas: dict, clients: dict, caplog: pytest.LogCaptureFixture, change: str
) -> None:
    complaint = complaints["frozen"]
    document = generate(complaint, personas["station_officer"], DocumentKind.FORENSIC_EXAM)
    storage = private_storage()
    storage.delete(document.pdf.name)
    if change == "tampered":  # same name, same size, other bytes
        original = document.pdf_size
        storage.save(document.pdf.name, ContentFile(b"%PDF-1.7 forged".ljust(original, b" ")))
    url = reverse("diligences:diligence_document_download", args=[complaint.pk, document.pk])
    with caplog.at_level(logging.ERROR, logger="diligences.services"):
        response = clients["station_officer"].get(url)
    assert response.status_code == 302 and response["Location"].endswith(f"#document-{document.pk}")
    page = clients["station_officer"].get(response["Location"])
    assert "no se entrega" in page.content.decode()
    assert any(document.number in record.getMessage() for record in caplog.records)
    event = AuditEvent.objects.get(event="document_downloaded")
    assert event.outcome == "failure"
    assert event.details["reason"] == ("sha256" if change == "tampered" else "missing")
    with pytest.raises(register.DocumentIntegrityError):
        register.document_pdf(actor=personas["station_officer"], document=document)
    assert AuditEvent.objects.filter(event="document_downloaded", object_id=str(document.pk)).count() == 2


def test_a_document_download_is_404_for_an_outsider_and_200_for_the_authors_unit(
    complaints: dict, personas: dict, clients: dict
) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.RENIEC)
    url = reverse("diligences:diligence_document_download", args=[complaints["frozen"].pk, document.pk])
    assert clients["outsider"].get(url).status_code == 404
    assert clients["station_officer"].get(url).status_code == 200
    assert clients["regional_investigator"].get(url).status_code == 200
    wrong = reverse("diligences:diligence_document_download", args=[complaints["draft"].pk, document.pk])
    assert clients["station_officer"].get(wrong).status_code == 404
    assert AuditEvent.objects.filter(event="document_downloaded").count() == 2


def test_the_register_links_the_document_to_its_entry(complaints: dict, personas: dict, clients: dict) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.FORENSIC_EXAM)
    html = clients["station_officer"].get(reverse("diligences:diligence_list", args=[complaints["frozen"].pk]))
    text = html.content.decode()
    assert f'id="document-download-{document.pk}"' in text and document.number in text
    assert (
        text.count(reverse("diligences:diligence_document_download", args=[complaints["frozen"].pk, document.pk])) == 2
    )  # in the entry and in the list of documents


# ---------------------------------------------------------------- concurrency (MariaDB)


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_generations_get_distinct_numbers_and_entries(personas: dict) -> None:
    """Documents of one unit for different complaints queue behind the lock of the unit's row;
    entries of one complaint behind the lock of the complaint's row (SECURITY.md 25)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    officer = personas["station_officer"]
    complaints = [complaint_file(actor=officer, data=bar_in_madre_de_dios()) for _ in range(6)]
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    entry = register.DiligenceData(kind="rescue", date=timezone.localdate(), officer="S3 PNP Rosa Huamán Quispe")
    jobs = [lambda c=c: generate(c, officer, DocumentKind.RENIEC) for c in complaints] + [
        lambda: register.diligence_record(actor=officer, complaint=complaints[0], data=entry) for _ in range(6)
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = sorted(GeneratedDocument.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    first = Diligence.objects.filter(complaint=complaints[0]).order_by("sequence")
    assert [d.sequence for d in first] == list(range(1, 8))  # 1 document entry + 6 entries


def test_a_document_its_entry_and_their_history_share_one_request_id(complaints: dict, personas: dict) -> None:
    document = generate(complaints["frozen"], personas["station_officer"], DocumentKind.RENIEC)
    event = AuditEvent.objects.get(event="document_generated")
    entry = Diligence.objects.get(document=document)
    assert event.request_id
    assert document.history.get().request_id == event.request_id
    assert entry.history.get().request_id == event.request_id
