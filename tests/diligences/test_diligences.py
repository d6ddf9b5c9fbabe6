"""The preliminary investigation register: append-only beside the frozen complaint, corrections as
new entries, answers with scans checked by content, downloads only through access-checked views."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AppendOnlyError, AuditEvent
from complaints.models import Complaint
from complaints.services import NotAllowedError
from diligences import services as register
from diligences.models import Diligence, DiligenceAnswer, DiligenceType

pytestmark = pytest.mark.django_db

WRITERS = ("station_officer", "regional_investigator", "national_investigator")
READ_ONLY = ("monitor", "auditor", "national_admin")


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Scans go to a temporary MEDIA_ROOT, never into the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def entry_data(**overrides: Any) -> register.DiligenceData:
    values = {
        "kind": DiligenceType.RESCUE,
        "date": timezone.localdate(),
        "officer": "S3 PNP Rosa Huamán Quispe",
        "addressee": "",
        "document_number": "",
        "description": "Rescate de la víctima en el bar «El Dorado».",
    }
    values.update(overrides)
    return register.DiligenceData(**values)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Oficio de respuesta del RENIEC</p>").write_pdf()


@pytest.fixture
def entry(complaints: dict, personas: dict) -> Diligence:
    return register.diligence_record(
        actor=personas["station_officer"], complaint=complaints["frozen"], data=entry_data()
    )


def post_entry(client: Any, complaint: Complaint, **overrides: Any) -> Any:
    data = {
        "kind": DiligenceType.INSPECTION,
        "date": timezone.localdate().isoformat(),
        "officer": "S3 PNP Rosa Huamán Quispe",
        "description": "Inspección del local.",
        **overrides,
    }
    return client.post(reverse("diligences:diligence_create", args=[complaint.pk]), data)


def post_answer(client: Any, complaint: Complaint, diligence: Diligence, scan: Any = None, **overrides: Any) -> Any:
    data = {"received_on": timezone.localdate().isoformat(), "summary": "El RENIEC remite la ficha.", **overrides}
    if scan is not None:
        data["scan"] = scan
    return client.post(reverse("diligences:diligence_answer_create", args=[complaint.pk, diligence.pk]), data)


# ---------------------------------------------------------------- appending


def test_an_officer_appends_an_entry_with_its_history_and_audit_event(complaints: dict, personas: dict) -> None:
    complaint = complaints["frozen"]
    first = register.diligence_record(actor=personas["station_officer"], complaint=complaint, data=entry_data())
    second = register.diligence_record(
        actor=personas["regional_investigator"], complaint=complaint, data=entry_data(kind=DiligenceType.NOTIFICATION)
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.unit.code == "DIRTEPOL-CUSCO-CPNP-1" and first.created_by_name == "Ana Quispe"
    assert first.history.count() == 1 and first.history.first().history_user == personas["station_officer"]
    event = AuditEvent.objects.get(event="diligence_recorded", object_id=str(first.pk))
    assert event.details == {"complaint": complaint.number, "sequence": 1, "kind": "rescue"}
    assert "Lucía" not in str(event.details) and "Dorado" not in str(event.details)
    # The complaint itself is untouched: still frozen, same version.
    complaint.refresh_from_db()
    assert complaint.is_frozen and complaint.version == 1


def test_the_same_form_sent_twice_records_one_entry(complaints: dict, personas: dict) -> None:
    officer, complaint = personas["station_officer"], complaints["frozen"]
    first = register.diligence_record(actor=officer, complaint=complaint, data=entry_data(), form_token="tok-1")
    again = register.diligence_record(actor=officer, complaint=complaint, data=entry_data(), form_token="tok-1")
    assert first.pk == again.pk and Diligence.objects.count() == 1


def test_an_entry_dated_in_the_future_or_before_the_facts_is_refused(complaints: dict, personas: dict) -> None:
    complaint = complaints["frozen"]
    for date in (timezone.localdate() + datetime.timedelta(days=1), complaint.facts_date - datetime.timedelta(days=1)):
        with pytest.raises(register.DiligenceError) as error:
            register.diligence_record(
                actor=personas["station_officer"], complaint=complaint, data=entry_data(date=date)
            )
        assert error.value.field == "date"
    assert not Diligence.objects.exists()


def test_a_draft_has_no_register_yet(complaints: dict, personas: dict) -> None:
    with pytest.raises(NotAllowedError):
        register.diligence_record(actor=personas["station_officer"], complaint=complaints["draft"], data=entry_data())


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_cannot_write_the_register(complaints: dict, personas: dict, persona: str) -> None:
    with pytest.raises(NotAllowedError):
        register.diligence_record(actor=personas[persona], complaint=complaints["frozen"], data=entry_data())


# ---------------------------------------------------------------- append-only, at every level


def test_an_entry_refuses_to_be_edited_or_deleted(entry: Diligence) -> None:
    entry.description = "otra cosa"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    fresh = Diligence.objects.get(pk=entry.pk)
    assert fresh.description == "Rescate de la víctima en el bar «El Dorado»."


def test_querysets_refuse_bulk_updates_and_deletes(entry: Diligence, personas: dict) -> None:
    answer = register.answer_record(
        actor=personas["station_officer"],
        diligence=entry,
        data=register.AnswerData(received_on=timezone.localdate(), summary="Se rescató a la víctima."),
    )
    for model in (Diligence, DiligenceAnswer):
        with pytest.raises(AppendOnlyError):
            model.objects.all().update(created_by_name="x")
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk__gt=0)._raw_delete(model.objects.db)
    answer.summary = "cambiado"
    with pytest.raises(AppendOnlyError):
        answer.save()
    with pytest.raises(AppendOnlyError):
        answer.delete()
    assert Diligence.objects.count() == 1 and DiligenceAnswer.objects.count() == 1


@pytest.mark.mysql
def test_the_database_refuses_raw_updates_of_register_rows(entry: Diligence) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The append-only triggers exist on MySQL/MariaDB only (SQLite is the try-out database).")
    with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_diligence SET description = 'x' WHERE id = %s", [entry.pk])
    assert "append-only" in str(error.value)
    assert Diligence.objects.get(pk=entry.pk).description.startswith("Rescate")


# ---------------------------------------------------------------- corrections


def test_a_correction_is_a_new_entry_pointing_at_the_old_one(entry: Diligence, personas: dict) -> None:
    correction = register.diligence_correct(
        actor=personas["station_officer"],
        diligence=entry,
        data=entry_data(description="Rescate de la víctima en el bar «El Dorado» con apoyo de la Fiscalía."),
        reason="Faltaba mencionar a la Fiscalía.",
    )
    assert correction.pk != entry.pk and correction.sequence == 2
    assert correction.corrects == entry and correction.correction_reason == "Faltaba mencionar a la Fiscalía."
    old = Diligence.objects.get(pk=entry.pk)
    assert old.description == "Rescate de la víctima en el bar «El Dorado»." and old.corrects is None
    assert list(old.corrections.all()) == [correction]
    event = AuditEvent.objects.get(event="diligence_corrected")
    assert event.details["corrects"] == 1 and event.details["reason"] == "Faltaba mencionar a la Fiscalía."
    assert correction.history.first().history_change_reason.startswith("corrige la diligencia 1")


def test_a_correction_needs_a_reason_and_an_entry_is_corrected_once(entry: Diligence, personas: dict) -> None:
    officer = personas["station_officer"]
    with pytest.raises(register.DiligenceError) as error:
        register.diligence_correct(actor=officer, diligence=entry, data=entry_data(), reason="  ")
    assert error.value.field == "reason"
    register.diligence_correct(actor=officer, diligence=entry, data=entry_data(), reason="Fecha equivocada.")
    with pytest.raises(register.DiligenceError) as error:
        register.diligence_correct(actor=officer, diligence=entry, data=entry_data(), reason="Otra vez.")
    assert "ya fue corregida por la 2" in error.value.message


def test_an_answer_is_corrected_by_a_new_answer_that_keeps_the_scan(entry: Diligence, personas: dict) -> None:
    officer = personas["station_officer"]
    scan = SimpleUploadedFile("ficha.png", png_bytes(), content_type="image/png")
    answer = register.answer_record(
        actor=officer,
        diligence=entry,
        data=register.AnswerData(received_on=timezone.localdate(), summary="Ficha recibida."),
        scan=scan,
    )
    correction = register.answer_correct(
        actor=officer,
        answer=answer,
        data=register.AnswerData(received_on=timezone.localdate(), summary="Ficha RENIEC recibida completa."),
        reason="Resumen incompleto.",
    )
    assert correction.corrects == answer and correction.scan.name == answer.scan.name
    assert DiligenceAnswer.objects.get(pk=answer.pk).summary == "Ficha recibida."
    with pytest.raises(register.DiligenceError):
        register.answer_correct(
            actor=officer,
            answer=answer,
            data=register.AnswerData(received_on=timezone.localdate(), summary="x"),
            reason="y",
        )


def test_the_correction_screen_records_a_new_entry(entry: Diligence, complaints: dict, clients: dict) -> None:
    complaint = complaints["frozen"]
    url = reverse("diligences:diligence_correct", args=[complaint.pk, entry.pk])
    page = clients["station_officer"].get(url)
    assert page.status_code == 200 and "Rescate de la víctima" in page.content.decode()
    response = clients["station_officer"].post(
        url,
        {
            "kind": DiligenceType.RESCUE,
            "date": timezone.localdate().isoformat(),
            "officer": "S3 PNP Rosa Huamán Quispe",
            "description": "Rescate con la Fiscalía.",
            "reason": "Faltaba la Fiscalía.",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#diligence-2")
    assert Diligence.objects.get(sequence=2).corrects_id == entry.pk


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    ("make", "name", "expected"),
    [(png_bytes, "scan.png", "png"), (jpeg_bytes, "scan.jpg", "jpeg"), (pdf_bytes, "oficio.pdf", "pdf")],
)
def test_a_real_png_jpeg_or_pdf_is_accepted_and_stored_under_a_generated_name(
    entry: Diligence, complaints: dict, clients: dict, media_root: Path, make: Any, name: str, expected: str
) -> None:
    content = make()
    scan = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = post_answer(clients["station_officer"], complaints["frozen"], entry, scan=scan)
    assert response.status_code == 302
    answer = DiligenceAnswer.objects.get()
    assert answer.scan_type == expected and answer.scan_size == len(content)
    stored = Path(answer.scan.path)
    assert stored.is_relative_to(media_root) and stored.read_bytes() == content
    assert stored.parent.name == "diligencias" and name.split(".")[0] not in stored.name
    assert len(stored.stem) == 32  # a uuid, never the uploaded name


def test_a_text_file_renamed_pdf_is_refused_with_a_spanish_message(
    entry: Diligence, complaints: dict, clients: dict, media_root: Path
) -> None:
    scan = SimpleUploadedFile("oficio.pdf", b"Esto es texto, no un PDF.\n" * 20, content_type="application/pdf")
    response = post_answer(clients["station_officer"], complaints["frozen"], entry, scan=scan)
    assert response.status_code == 200
    assert "El archivo no es un PDF, JPEG ni PNG" in response.content.decode()
    assert not DiligenceAnswer.objects.exists()
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_a_png_named_pdf_is_recognised_by_its_content(entry: Diligence, personas: dict) -> None:
    scan = SimpleUploadedFile("oficio.pdf", png_bytes(), content_type="application/pdf")
    answer = register.answer_record(
        actor=personas["station_officer"],
        diligence=entry,
        data=register.AnswerData(received_on=timezone.localdate(), summary="x"),
        scan=scan,
    )
    assert answer.scan_type == "png" and answer.scan.name.endswith(".png")


def test_a_damaged_image_or_truncated_pdf_is_refused(entry: Diligence, personas: dict) -> None:
    for name, content in (("a.png", png_bytes()[:30]), ("a.pdf", pdf_bytes()[:200])):
        with pytest.raises(register.DiligenceError) as error:
            register.answer_record(
                actor=personas["station_officer"],
                diligence=entry,
                data=register.AnswerData(received_on=timezone.localdate(), summary="x"),
                scan=SimpleUploadedFile(name, content),
            )
        assert error.value.field == "scan"
    assert not DiligenceAnswer.objects.exists()


def test_an_oversized_file_is_refused(entry: Diligence, complaints: dict, clients: dict, settings: Any) -> None:
    settings.RETA_UPLOAD_MAX_BYTES = 1024 * 1024
    big = png_bytes() + b"\0" * (1024 * 1024)
    response = post_answer(
        clients["station_officer"], complaints["frozen"], entry, scan=SimpleUploadedFile("big.png", big)
    )
    assert response.status_code == 200
    assert "el máximo permitido es 1 MB" in response.content.decode()
    assert not DiligenceAnswer.objects.exists()


def test_the_default_upload_limit_is_ten_megabytes(settings: Any) -> None:
    if hasattr(settings, "RETA_UPLOAD_MAX_BYTES"):
        del settings.RETA_UPLOAD_MAX_BYTES
    assert register.upload_max_bytes() == 10 * 1024 * 1024


# ---------------------------------------------------------------- downloads of scans


@pytest.fixture
def answer_with_scan(entry: Diligence, personas: dict) -> DiligenceAnswer:
    return register.answer_record(
        actor=personas["station_officer"],
        diligence=entry,
        data=register.AnswerData(received_on=timezone.localdate(), summary="Certificado médico legal."),
        scan=SimpleUploadedFile("certificado.png", png_bytes()),
    )


def test_a_scan_is_served_to_the_authors_unit_as_a_private_attachment(
    answer_with_scan: DiligenceAnswer, complaints: dict, clients: dict
) -> None:
    url = reverse("diligences:diligence_answer_scan", args=[complaints["frozen"].pk, answer_with_scan.pk])
    response = clients["station_officer"].get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"respuesta-{answer_with_scan.pk}.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(event="diligence_scan_downloaded", object_id=str(answer_with_scan.pk)).exists()


def test_a_scan_is_404_outside_the_tree_of_command(
    answer_with_scan: DiligenceAnswer, complaints: dict, clients: dict
) -> None:
    url = reverse("diligences:diligence_answer_scan", args=[complaints["frozen"].pk, answer_with_scan.pk])
    assert clients["outsider"].get(url).status_code == 404
    assert clients["hotline_operator"].get(url).status_code == 404
    assert not AuditEvent.objects.filter(event="diligence_scan_downloaded").exists()


def test_a_scan_is_not_reachable_through_a_different_complaint(
    answer_with_scan: DiligenceAnswer, complaints: dict, clients: dict
) -> None:
    url = reverse("diligences:diligence_answer_scan", args=[complaints["draft"].pk, answer_with_scan.pk])
    assert clients["station_officer"].get(url).status_code == 404


def test_stored_scans_have_no_public_url(answer_with_scan: DiligenceAnswer, clients: dict, settings: Any) -> None:
    path = Path(answer_with_scan.scan.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and not path.is_relative_to(Path(settings.STATIC_ROOT))
    for prefix in ("/media/", "/", "/static/"):
        assert clients["station_officer"].get(prefix + answer_with_scan.scan.name).status_code == 404


# ---------------------------------------------------------------- screens and permissions


def test_the_register_lists_entries_answers_and_corrections(
    answer_with_scan: DiligenceAnswer, entry: Diligence, complaints: dict, clients: dict, personas: dict
) -> None:
    register.diligence_correct(
        actor=personas["station_officer"], diligence=entry, data=entry_data(), reason="Fecha equivocada."
    )
    response = clients["monitor"].get(reverse("diligences:diligence_list", args=[complaints["frozen"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="diligence-1"' in html and 'id="diligence-2"' in html
    assert "Fecha equivocada." in html and "Certificado médico legal." in html
    assert 'id="diligence-form"' not in html  # read-only: no form, no write links
    assert "correct-link" not in html and "answer-link" not in html
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(event="diligences_viewed").exists()


def test_the_register_page_costs_the_same_queries_whatever_its_length(
    complaints: dict, clients: dict, personas: dict, django_assert_max_num_queries: Any
) -> None:
    complaint = complaints["frozen"]
    officer = personas["station_officer"]
    for _ in range(8):
        item = register.diligence_record(actor=officer, complaint=complaint, data=entry_data())
        register.answer_record(
            actor=officer,
            diligence=item,
            data=register.AnswerData(received_on=timezone.localdate(), summary="x"),
            scan=SimpleUploadedFile("a.png", png_bytes()),
        )
    client = clients["station_officer"]
    url = reverse("diligences:diligence_list", args=[complaint.pk])
    client.get(url)
    with django_assert_max_num_queries(16):  # 14 with 8 entries, 8 answers and a document; +1 the catalogue
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", WRITERS)
def test_filing_and_investigating_roles_record_entries_on_screen(complaints: dict, clients: dict, persona: str) -> None:
    response = post_entry(clients[persona], complaints["frozen"])
    assert response.status_code == 302
    assert Diligence.objects.get().kind == DiligenceType.INSPECTION


@pytest.mark.parametrize("persona", ("monitor", "auditor"))
def test_monitor_and_auditor_read_but_get_403_on_every_write(
    entry: Diligence, complaints: dict, clients: dict, persona: str
) -> None:
    complaint = complaints["frozen"]
    client = clients[persona]
    assert client.get(reverse("diligences:diligence_list", args=[complaint.pk])).status_code == 200
    assert post_entry(client, complaint).status_code == 403
    assert post_answer(client, complaint, entry).status_code == 403
    correct = reverse("diligences:diligence_correct", args=[complaint.pk, entry.pk])
    assert client.post(correct, {"reason": "x"}).status_code == 403
    generate = reverse("diligences:diligence_document_create", args=[complaint.pk, "forensic_exam"])
    assert client.post(generate, {"victim": "1"}).status_code == 403
    assert Diligence.objects.count() == 1


def test_an_outsider_gets_404_on_the_register_and_its_writes(entry: Diligence, complaints: dict, clients: dict) -> None:
    complaint = complaints["frozen"]
    client = clients["outsider"]
    assert client.get(reverse("diligences:diligence_list", args=[complaint.pk])).status_code == 404
    assert post_entry(client, complaint).status_code == 404
    assert post_answer(client, complaint, entry).status_code == 404


def test_a_bad_form_shows_the_errors_and_saves_nothing(complaints: dict, clients: dict) -> None:
    response = post_entry(clients["station_officer"], complaints["frozen"], officer="", date="no es fecha")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_officer"' in html and "field-error" in html
    assert not Diligence.objects.exists()


def test_every_field_of_the_forms_has_a_label(entry: Diligence, complaints: dict, clients: dict) -> None:
    complaint = complaints["frozen"]
    client = clients["station_officer"]
    urls = [
        reverse("diligences:diligence_list", args=[complaint.pk]),
        reverse("diligences:diligence_create", args=[complaint.pk]),
        reverse("diligences:diligence_answer_create", args=[complaint.pk, entry.pk]),
        *[
            reverse("diligences:diligence_document_create", args=[complaint.pk, kind])
            for kind in ("forensic_exam", "search_warrant", "reniec", "migraciones", "notification", "statement")
        ],
    ]
    for url in urls:
        html = client.get(url).content.decode()
        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[a-z_0-9]+)"', html)
        ids = [field_id for field_id in ids if not field_id.endswith("form_token")]
        assert ids, url
        for field_id in ids:
            assert f'for="{field_id}"' in html, (url, field_id)
