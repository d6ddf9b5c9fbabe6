"""The preliminary investigation register (BRIEF.md workflow 4): every write. Models in
`diligences.models`, who may do what in `diligences.policies`, the reads in
`diligences.selectors`, the PDFs in `diligences.pdf`.

Rules:
  - the register is append-only beside the frozen complaint: services only INSERT; a correction
    is a new entry pointing at the entry it corrects, with a reason, and an entry is corrected once
    (a later mistake corrects the correction);
  - every write runs in one transaction with its audit event (SECURITY.md 14) and its history row;
    writes of one complaint queue behind a lock of the complaint's row, so entry numbers, the
    one-time form tokens and "corrected once" hold under concurrent requests; document numbers
    come from `administration.numbering`, which locks the issuing unit's row (complaint first,
    then unit: the order complaint_submit uses); the writes that take these locks (entries and
    documents) run again whole after a deadlock (`reta.transactions`); an answer, which stores
    its scan file, is not retried;
  - who writes: users who may see the complaint (the views fetch it through `access_complaint`,
    404 outside the tree of command) and whose role files complaints or investigates
    (`complaints.policies.can_file_complaint`); read-only roles read and never write (403);
  - scanned answers: PDF, JPEG or PNG recognised by their CONTENT, up to RETA_UPLOAD_MAX_BYTES,
    stored under a generated name under MEDIA_ROOT and served only by an access-checked view;
  - documents cite victims by initials; a minor's (or an unknown age victim's) name is never
    printed and may not be typed into a document; adults' full names only when the user may see
    identities (`can_view_identity`) and asks for it.

Messages raised for the user are in Spanish, as in `complaints.services`.

Owns: the writes of `diligences.models`. Imports `administration`, `audit`, `diligences` and the
public pieces of `complaints` (models, policies, selectors, services' errors, text); nothing in
`complaints` imports `diligences` (the register depends on the complaint, not the reverse).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from administration import numbering
from administration.catalogues import Catalogue, catalogue_codes
from administration.models import Unit, User
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_record
from complaints import policies
from complaints.models import Complaint
from complaints.services import ComplaintError, NotAllowedError
from complaints.text import normalise
from diligences.models import (
    DILIGENCE_OF_DOCUMENT,
    Diligence,
    DiligenceAnswer,
    DocumentKind,
    GeneratedDocument,
    ScanType,
)
from diligences.policies import can_show_adult_names
from reta.private_media import forget_stored, stored_problem
from reta.transactions import retry_on_contention

DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# Magic bytes of the accepted scans (the extension and the browser's content type are ignored).
SCAN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", ScanType.PDF),
    (b"\x89PNG\r\n\x1a\n", ScanType.PNG),
    (b"\xff\xd8\xff", ScanType.JPEG),
)
SCAN_EXTENSIONS = {ScanType.PDF: "pdf", ScanType.JPEG: "jpg", ScanType.PNG: "png"}
SCAN_CONTENT_TYPES = {ScanType.PDF: "application/pdf", ScanType.JPEG: "image/jpeg", ScanType.PNG: "image/png"}
SCAN_DIRECTORY = "diligencias"

logger = logging.getLogger(__name__)


class DiligenceError(ComplaintError):
    """An entry of the register cannot be written as it is; the message is for the user."""


# ---------------------------------------------------------------- settings


def upload_max_bytes() -> int:
    return int(getattr(settings, "RETA_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


# ---------------------------------------------------------------- scans


def check_scan(upload: Any) -> str:
    """The type of a scanned answer, recognised by its content; DiligenceError otherwise."""
    limit = upload_max_bytes()
    size = upload.size
    if not size:
        raise DiligenceError("El archivo está vacío.", field="scan")
    if size > limit:
        raise DiligenceError(
            f"El archivo pesa {size / 1_048_576:.1f} MB; el máximo permitido es {limit / 1_048_576:.0f} MB.",
            field="scan",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((kind for signature, kind in SCAN_SIGNATURES if head.startswith(signature)), None)
    if kind is None:
        raise DiligenceError(
            "El archivo no es un PDF, JPEG ni PNG. Se revisa su contenido, no su nombre: "
            "adjunte el escaneo en uno de esos formatos.",
            field="scan",
        )
    if kind == ScanType.PDF:
        upload.seek(max(0, size - 1024))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise DiligenceError("El PDF está incompleto o dañado.", field="scan")
    else:
        _check_image(upload, "PNG" if kind == ScanType.PNG else "JPEG")
    return kind


def _check_image(upload: Any, expected: str) -> None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many kinds of errors for a bad file
        raise DiligenceError("La imagen está dañada o incompleta.", field="scan") from exc
    finally:
        upload.seek(0)
    if image_format != expected:
        raise DiligenceError("La imagen está dañada o incompleta.", field="scan")


def _store_scan(upload: Any, kind: str) -> tuple[str, int, str]:
    """Save the scan under a generated name; (name, size, sha256)."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    storage = DiligenceAnswer._meta.get_field("scan").storage
    name = storage.save(f"{SCAN_DIRECTORY}/{uuid.uuid4().hex}.{SCAN_EXTENSIONS[kind]}", File(upload))
    return name, size, digest.hexdigest()


def open_scan(*, actor: User, answer: DiligenceAnswer) -> File:
    """The stored scan of an answer, opened for a download that is recorded in the audit trail."""
    if not answer.scan:
        raise Http404
    audit_record(
        event=AuditEventType.DILIGENCE_SCAN_DOWNLOADED,
        obj=answer,
        actor=actor,
        object_repr=f"{answer.diligence.complaint.number} respuesta {answer.pk}",
        details={"complaint": answer.diligence.complaint.number, "sha256": answer.scan_sha256},
    )
    return answer.scan.storage.open(answer.scan.name, "rb")


# ---------------------------------------------------------------- writing entries


@dataclass(frozen=True, kw_only=True)
class DiligenceData:
    """What an entry of the register says (as typed on the form)."""

    kind: str
    date: datetime.date | None
    officer: str
    addressee: str = ""
    document_number: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class AnswerData:
    received_on: datetime.date | None
    summary: str


def _actor_name(actor: User) -> str:
    return (actor.get_full_name() or actor.get_username())[:200]


def _lock(complaint: Complaint) -> Complaint:
    """Lock the complaint's row: the writes of one complaint's register queue behind it."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require_writer(actor: User, complaint: Complaint) -> None:
    if not policies.can_file_complaint(actor):
        raise NotAllowedError("Su rol no permite registrar diligencias.")
    if not complaint.is_frozen:
        raise NotAllowedError("Las diligencias se registran cuando la denuncia ya fue registrada.")


def _validate_diligence(data: DiligenceData, complaint: Complaint) -> None:
    if data.kind not in catalogue_codes(Catalogue.DILIGENCE_TYPE):
        raise DiligenceError("Elija la diligencia del catálogo.", field="kind")
    if data.date is None:
        raise DiligenceError("Indique la fecha de la diligencia.", field="date")
    if data.date > timezone.localdate():
        raise DiligenceError("La fecha de la diligencia no puede ser posterior a hoy.", field="date")
    if complaint.facts_date and data.date < complaint.facts_date:
        raise DiligenceError("La fecha de la diligencia no puede ser anterior a la de los hechos.", field="date")
    if not data.officer.strip():
        raise DiligenceError("Indique el efectivo a cargo de la diligencia.", field="officer")
    for name, limit in (("officer", 200), ("addressee", 300), ("document_number", 100)):
        if len(getattr(data, name)) > limit:
            raise DiligenceError(f"El texto es demasiado largo (máximo {limit} caracteres).", field=name)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DiligenceError("Indique el motivo de la corrección.", field="reason")
    if len(reason) > 500:
        raise DiligenceError("El motivo es demasiado largo (máximo 500 caracteres).", field="reason")
    return reason


def _append_diligence(
    *,
    actor: User,
    complaint: Complaint,
    data: DiligenceData,
    document: GeneratedDocument | None = None,
    corrects: Diligence | None = None,
    reason: str = "",
    form_token: str | None = None,
) -> Diligence:
    """Insert one entry (the complaint's row is locked by the caller) with its audit event."""
    sequence = (Diligence.objects.filter(complaint=complaint).aggregate(last=Max("sequence"))["last"] or 0) + 1
    entry = Diligence(
        complaint=complaint,
        sequence=sequence,
        kind=data.kind,
        date=data.date,
        officer=data.officer.strip(),
        addressee=data.addressee.strip(),
        document_number=data.document_number.strip(),
        description=data.description.strip(),
        document=document,
        corrects=corrects,
        correction_reason=reason,
        unit=actor.unit,
        created_by=actor,
        created_by_name=_actor_name(actor),
        form_token=form_token or None,
    )
    entry._history_user = actor
    entry._change_reason = f"corrige la diligencia {corrects.sequence}: {reason}"[:100] if corrects else None
    entry.save()
    details: dict[str, Any] = {"complaint": complaint.number, "sequence": sequence, "kind": data.kind}
    if corrects is not None:
        details.update(corrects=corrects.sequence, reason=reason)
    if document is not None:
        details["document"] = document.number
    audit_record(
        event=AuditEventType.DILIGENCE_CORRECTED if corrects is not None else AuditEventType.DILIGENCE_RECORDED,
        obj=entry,
        actor=actor,
        object_repr=f"{complaint.number} diligencia {sequence}",
        details=details,
    )
    return entry


@request_id_scope()
@retry_on_contention()
def diligence_record(
    *, actor: User, complaint: Complaint, data: DiligenceData, form_token: str | None = None
) -> Diligence:
    """Append a preliminary action to the register of a registered complaint."""
    _require_writer(actor, complaint)
    complaint = _lock(complaint)
    if form_token:
        existing = Diligence.objects.filter(form_token=form_token, complaint=complaint).first()
        if existing is not None:  # the same form sent twice
            return existing
    _validate_diligence(data, complaint)
    return _append_diligence(actor=actor, complaint=complaint, data=data, form_token=form_token)


@request_id_scope()
@retry_on_contention()
def diligence_correct(
    *, actor: User, diligence: Diligence, data: DiligenceData, reason: str, form_token: str | None = None
) -> Diligence:
    """Correct an entry with a NEW entry that points at it; the old one stays as it was."""
    complaint = diligence.complaint
    _require_writer(actor, complaint)
    reason = _reason(reason)
    complaint = _lock(complaint)
    if form_token:
        existing = Diligence.objects.filter(form_token=form_token, complaint=complaint).first()
        if existing is not None:
            return existing
    diligence = Diligence.objects.select_related("document").get(pk=diligence.pk, complaint=complaint)
    later = diligence.corrections.first()
    if later is not None:
        raise DiligenceError(
            f"La diligencia {diligence.sequence} ya fue corregida por la {later.sequence}: corrija esta última."
        )
    _validate_diligence(data, complaint)
    return _append_diligence(
        actor=actor,
        complaint=complaint,
        data=data,
        document=diligence.document,
        corrects=diligence,
        reason=reason,
        form_token=form_token,
    )


def _validate_answer(data: AnswerData, diligence: Diligence) -> None:
    if data.received_on is None:
        raise DiligenceError("Indique la fecha en que se recibió la respuesta.", field="received_on")
    if data.received_on > timezone.localdate():
        raise DiligenceError("La fecha de la respuesta no puede ser posterior a hoy.", field="received_on")
    if data.received_on < diligence.date:
        raise DiligenceError("La respuesta no puede ser anterior a la diligencia.", field="received_on")
    if not data.summary.strip():
        raise DiligenceError("Resuma la respuesta recibida.", field="summary")


def _append_answer(
    *,
    actor: User,
    diligence: Diligence,
    data: AnswerData,
    scan: Any,
    corrects: DiligenceAnswer | None,
    reason: str,
    form_token: str | None,
) -> DiligenceAnswer:
    complaint = diligence.complaint
    answer = DiligenceAnswer(
        diligence=diligence,
        received_on=data.received_on,
        summary=data.summary.strip(),
        corrects=corrects,
        correction_reason=reason,
        unit=actor.unit,
        created_by=actor,
        created_by_name=_actor_name(actor),
        form_token=form_token or None,
    )
    stored = None
    if scan is not None:
        kind = check_scan(scan)
        stored, size, digest = _store_scan(scan, kind)
        answer.scan.name = stored
        answer.scan_type, answer.scan_size, answer.scan_sha256 = kind, size, digest
    elif corrects is not None and corrects.scan:
        # A correction without a new scan keeps the scan of the answer it corrects (files are
        # never changed, so both entries may point at the same one).
        answer.scan.name = corrects.scan.name
        answer.scan_type, answer.scan_size, answer.scan_sha256 = (
            corrects.scan_type,
            corrects.scan_size,
            corrects.scan_sha256,
        )
    try:
        with transaction.atomic():
            answer._history_user = actor
            answer._change_reason = f"corrige la respuesta {corrects.pk}: {reason}"[:100] if corrects else None
            answer.save()
            details: dict[str, Any] = {
                "complaint": complaint.number,
                "diligence": diligence.sequence,
                "scan": answer.scan_type or None,
                "sha256": answer.scan_sha256 or None,
            }
            if corrects is not None:
                details.update(corrects=corrects.pk, reason=reason)
            audit_record(
                event=AuditEventType.DILIGENCE_ANSWER_CORRECTED
                if corrects is not None
                else AuditEventType.DILIGENCE_ANSWER_RECORDED,
                obj=answer,
                actor=actor,
                object_repr=f"{complaint.number} diligencia {diligence.sequence} respuesta",
                details=details,
            )
    except Exception:
        if stored:  # no row points at the new file: remove it
            answer.scan.storage.delete(stored)
        raise
    return answer


@request_id_scope()
@transaction.atomic
def answer_record(
    *, actor: User, diligence: Diligence, data: AnswerData, scan: Any = None, form_token: str | None = None
) -> DiligenceAnswer:
    """Append an answer received to an entry, with its scan (optional)."""
    complaint = diligence.complaint
    _require_writer(actor, complaint)
    complaint = _lock(complaint)
    if form_token:
        existing = DiligenceAnswer.objects.filter(form_token=form_token, diligence__complaint=complaint).first()
        if existing is not None:
            return existing
    diligence = Diligence.objects.get(pk=diligence.pk, complaint=complaint)
    diligence.complaint = complaint
    later = diligence.corrections.first()
    if later is not None:
        raise DiligenceError(
            f"La diligencia {diligence.sequence} fue corregida por la {later.sequence}: "
            "registre la respuesta en esta última."
        )
    _validate_answer(data, diligence)
    return _append_answer(
        actor=actor, diligence=diligence, data=data, scan=scan, corrects=None, reason="", form_token=form_token
    )


@request_id_scope()
@transaction.atomic
def answer_correct(
    *,
    actor: User,
    answer: DiligenceAnswer,
    data: AnswerData,
    reason: str,
    scan: Any = None,
    form_token: str | None = None,
) -> DiligenceAnswer:
    """Correct an answer with a NEW answer (same entry) that points at it."""
    complaint = answer.diligence.complaint
    _require_writer(actor, complaint)
    reason = _reason(reason)
    complaint = _lock(complaint)
    if form_token:
        existing = DiligenceAnswer.objects.filter(form_token=form_token, diligence__complaint=complaint).first()
        if existing is not None:
            return existing
    answer = DiligenceAnswer.objects.select_related("diligence").get(pk=answer.pk, diligence__complaint=complaint)
    answer.diligence.complaint = complaint
    if answer.corrections.exists():
        raise DiligenceError("Esta respuesta ya fue corregida: corrija la corrección.")
    _validate_answer(data, answer.diligence)
    return _append_answer(
        actor=actor,
        diligence=answer.diligence,
        data=data,
        scan=scan,
        corrects=answer,
        reason=reason,
        form_token=form_token,
    )


# ---------------------------------------------------------------- generated documents


def _next_document_number(unit: Unit, year: int) -> tuple[int, str]:
    """The next number of `unit` in `year`: "0001-2026-<UNIT CODE>" (administration.numbering
    locks the unit's row, then its counter: requests of one unit queue behind each other and other
    units go on in parallel)."""
    number = numbering.next_number(series=numbering.Series.DOCUMENT, unit=unit, year=year)
    return number, f"{number:04d}-{year}-{unit.code}"


def protected_names(complaint: Complaint) -> list[str]:
    """Normalised names of the victims whose names may never be printed: minors and victims of
    unknown age (full name, and first names with the first surname)."""
    names = []
    for victim in complaint.victims.select_related("person__identity"):
        if not victim.is_protected:  # people.privacy: minors and victims of unknown age
            continue
        person = victim.person
        if person.first_names and person.last_names:
            names.append(normalise(f"{person.first_names} {person.last_names}"))
            names.append(normalise(f"{person.first_names} {person.last_names.split()[0]}"))
    return names


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


def _check_document_fields(fields: dict[str, Any], complaint: Complaint) -> None:
    names = protected_names(complaint)
    for key, value in fields.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and any(name in normalise(text) for name in names):
                raise DiligenceError(
                    "No escriba el nombre de una víctima menor de edad (o de edad desconocida): "
                    "el documento la cita por sus iniciales.",
                    field=key,
                )


@request_id_scope()
@retry_on_contention()
def document_generate(
    *,
    actor: User,
    complaint: Complaint,
    kind: str,
    fields: dict[str, Any],
    show_adult_names: bool = False,
    form_token: str | None = None,
) -> GeneratedDocument:
    """Number, render and keep a document; record the matching entry of the register and a
    `document_generated` audit event, all in one transaction."""
    from diligences.pdf import DOCUMENT_TITLES, RENDERERS, document_summary

    _require_writer(actor, complaint)
    if kind not in DocumentKind.values:
        raise DiligenceError("Documento desconocido.")
    complaint = _lock(complaint)
    if form_token:
        existing = GeneratedDocument.objects.filter(form_token=form_token, complaint=complaint).first()
        if existing is not None:
            return existing
    fields = {key: _json_value(value) for key, value in fields.items()}
    _check_document_fields(fields, complaint)
    fields["show_adult_names"] = bool(show_adult_names and can_show_adult_names(actor))
    issued_on = timezone.localdate()
    sequence, number = _next_document_number(actor.unit, issued_on.year)
    document = GeneratedDocument(
        complaint=complaint,
        kind=kind,
        unit=actor.unit,
        year=issued_on.year,
        sequence=sequence,
        number=number,
        issued_on=issued_on,
        addressee=str(fields.get("addressee", ""))[:300],
        fields=fields,
        generated_by=actor,
        generated_by_name=_actor_name(actor),
        form_token=form_token or None,
    )
    pdf = RENDERERS[kind](document, generated_by=actor)
    document.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    document.pdf_size = len(pdf)
    # The file is written once, here, under a name the storage never reuses. When this
    # transaction fails (an error below, a deadlock retried by `retry_on_contention`), it is
    # removed again: no row points at it. A caller's enclosing transaction rolled back after this
    # function returned cannot be seen from here: that would leave an unreferenced file (never a
    # row without its file).
    document.pdf.save("documento.pdf", ContentFile(pdf), save=False)
    try:
        document._history_user = actor
        document.save()
        diligence = _append_diligence(
            actor=actor,
            complaint=complaint,
            data=DiligenceData(
                kind=DILIGENCE_OF_DOCUMENT[kind],
                date=issued_on,
                officer=_actor_name(actor),
                addressee=document.addressee,
                document_number=f"{DOCUMENT_TITLES[kind]} N° {number}",
                description=document_summary(document),
            ),
            document=document,
        )
        audit_record(
            event=AuditEventType.DOCUMENT_GENERATED,
            obj=document,
            actor=actor,
            object_repr=f"{DOCUMENT_TITLES[kind]} N° {number}",
            details={
                "complaint": complaint.number,
                "kind": kind,
                "number": number,
                "diligence": diligence.sequence,
                "sha256": document.pdf_sha256,
                "adult_names_shown": fields["show_adult_names"],
            },
        )
    except BaseException:
        forget_stored(document.pdf)
        raise
    return document


class DocumentIntegrityError(DiligenceError):
    """The stored file of a generated document is missing or is not the one generated."""


def document_pdf(*, actor: User, document: GeneratedDocument) -> bytes:
    """The stored bytes of a document (never re-rendered), with an audit event per download. A
    document that carries an adult's full name (generated "with names" by a role with a need to
    know) is refused to a role without one (PermissionDenied, logged): the stored bytes cannot be
    masked afterwards (people.privacy, rule 4). A file missing from the storage, or whose SHA-256
    is no longer `pdf_sha256` (changed in the storage), is never served as the original:
    DocumentIntegrityError, logged (error) and recorded as a failed download."""
    if document.fields.get("show_adult_names") and not can_show_adult_names(actor):
        audit_record(
            event=AuditEventType.DOCUMENT_DOWNLOADED,
            obj=document,
            actor=actor,
            object_repr=str(document)[:200],
            outcome=AuditEvent.Outcome.DENIED,
            details={"complaint": document.complaint.number, "number": document.number, "reason": "names"},
        )
        raise PermissionDenied
    data, problem = stored_problem(document.pdf, sha256=document.pdf_sha256, size=document.pdf_size)
    if problem:
        logger.error(
            "Generated document %s (pk %s): stored file %r %s; download refused",
            document.number,
            document.pk,
            document.pdf.name,
            "is missing" if problem == "missing" else "does not match its SHA-256",
        )
        audit_record(
            event=AuditEventType.DOCUMENT_DOWNLOADED,
            obj=document,
            actor=actor,
            object_repr=str(document)[:200],
            outcome=AuditEvent.Outcome.FAILURE,
            details={"complaint": document.complaint.number, "number": document.number, "reason": problem},
        )
        raise DocumentIntegrityError(
            "El archivo guardado de este documento no está disponible o no es el que se generó: "
            "no se entrega. Se registró el incidente; comuníquelo al administrador del sistema."
        )
    audit_record(
        event=AuditEventType.DOCUMENT_DOWNLOADED,
        obj=document,
        actor=actor,
        object_repr=str(document)[:200],
        details={"complaint": document.complaint.number, "number": document.number, "sha256": document.pdf_sha256},
    )
    return data


__all__ = [
    "AnswerData",
    "DiligenceData",
    "DiligenceError",
    "DocumentIntegrityError",
    "NotAllowedError",
    "answer_correct",
    "answer_record",
    "check_scan",
    "diligence_correct",
    "diligence_record",
    "document_generate",
    "document_pdf",
    "open_scan",
    "protected_names",
    "upload_max_bytes",
]
