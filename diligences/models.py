"""The preliminary investigation register (BRIEF.md workflow 4; seed 2.1.3 a), the second section
of the Reporting module, in its own app): the actions taken on receipt of a complaint (*diligencias*), the answers
received, and the documents RETA generated for them.

The register is APPEND-ONLY and lives beside the complaint, which stays frozen: nothing here edits
the complaint. An entry is never edited nor deleted; a mistake is corrected by a NEW entry that
points at the one it corrects (`corrects`) and says why (`correction_reason`). The rows refuse
change at three levels, with the guard `audit.models.AuditEvent` uses too (`reta.guards`): the
model (`save` of an existing row, `delete`), the queryset (`update`, `delete`) and, on
MySQL/MariaDB, a BEFORE UPDATE trigger (migration `preliminary_investigation`). Every entry is
kept in the row history (simple-history) and in the audit trail by the services of
`diligences.services`.

Generated documents keep their PDF in the private storage (`reta.private_media`: a local folder
by default, an S3-compatible bucket shared by every app server with RETA_STORAGE=s3), under a
name made of the document number only (`documentos_generados/<year>/<number>.pdf`), with its
SHA-256 and size in the row: the same bytes are served on every download (never re-rendered), and
a file whose SHA-256 no longer matches is refused (`diligences.services.document_pdf`). The file
is written by the transaction that writes the row and removed again when that transaction fails
(`diligences.services.document_generate`). Scanned answers are files under MEDIA_ROOT
with generated names (`diligencias/<uuid>.<ext>`), served only by an access-checked view.

Tables: the models were created by `complaints` (migration complaints/0004, with the MariaDB
append-only triggers) and moved here by state only (diligences/0001, complaints/0009), so they
keep their tables — `complaints_diligence`, `complaints_diligenceanswer`,
`complaints_generateddocument` and their historical tables — named in `Meta.db_table` and
`history_records(table_name=...)`. Keeping the names makes the move free on a live database (no
data copied, no index, constraint or history renamed) and keeps the triggers of complaints/0004,
which are created and dropped by table name, valid as they are.

Owns: the register's models. Imports `administration` (models, access) and `reta.guards`; the
complaint is referred to by its label ("complaints.Complaint"). Every row is seen by whoever sees
its complaint (`scope_parent`, administration.access).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.catalogues import Catalogue, CatalogueCharField
from administration.models import Unit
from reta.guards import AppendOnlyModel, AppendOnlyQuerySet
from reta.history import history_records
from reta.private_media import private_storage, read_stored

__all__ = [
    "Diligence",
    "DiligenceAnswer",
    "DiligenceType",
    "DocumentKind",
    "GeneratedDocument",
    "ScanType",
]


class DiligenceType(models.TextChoices):
    """The catalogue of preliminary actions (codes are stable; labels are translated)."""

    FORENSIC_EXAM_REQUEST = "forensic_exam_request", _("Request for a forensic medical examination")
    SEARCH_WARRANT_REQUEST = "search_warrant_request", _("Request for a search warrant")
    RENIEC_REQUEST = "reniec_request", _("Request to RENIEC (identity)")
    MIGRACIONES_REQUEST = "migraciones_request", _("Request to Migraciones (migratory movements)")
    NOTIFICATION = "notification", _("Notification")
    STATEMENT_RECORD = "statement_record", _("Statement record")
    INSPECTION = "inspection", _("Inspection of the place")
    RESCUE = "rescue", _("Rescue of the victim")
    PROSECUTOR_REFERRAL = "prosecutor_referral", _("Referral to the prosecutor")
    SHELTER_REFERRAL = "shelter_referral", _("Referral to a shelter, CAR or MIMP")
    OTHER = "other", _("Other action")


class DocumentKind(models.TextChoices):
    """The documents RETA generates pre-filled (templates/pdf/diligence_<kind>.html)."""

    FORENSIC_EXAM = "forensic_exam", _("Request for a forensic medical examination")
    SEARCH_WARRANT = "search_warrant", _("Request for a search warrant")
    RENIEC = "reniec", _("Request to RENIEC for a person's identity")
    MIGRACIONES = "migraciones", _("Request to Migraciones for migratory movements")
    NOTIFICATION = "notification", _("Notification (cédula de notificación)")
    STATEMENT = "statement", _("Statement record (acta de manifestación)")


# The register entry that generating each document records.
DILIGENCE_OF_DOCUMENT: dict[str, str] = {
    DocumentKind.FORENSIC_EXAM: DiligenceType.FORENSIC_EXAM_REQUEST,
    DocumentKind.SEARCH_WARRANT: DiligenceType.SEARCH_WARRANT_REQUEST,
    DocumentKind.RENIEC: DiligenceType.RENIEC_REQUEST,
    DocumentKind.MIGRACIONES: DiligenceType.MIGRACIONES_REQUEST,
    DocumentKind.NOTIFICATION: DiligenceType.NOTIFICATION,
    DocumentKind.STATEMENT: DiligenceType.STATEMENT_RECORD,
}


class ScanType(models.TextChoices):
    """The kinds of scanned answer accepted, as recognised by their content (magic bytes)."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class RegisterQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only (reta.guards), with `visible_to(user)` (administration.access): every row of
    the register is seen by whoever sees its complaint (`scope_parent`)."""


class RegisterEntry(AppendOnlyModel):
    """What every entry of the register keeps about who wrote it (plain-text copy included, so
    the entry reads the same after the account changes)."""

    append_only_message = "{model}: the register is append-only; record a correction."

    unit = models.ForeignKey(Unit, verbose_name=_("recorded by unit"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_by_name = models.CharField(_("recorded by (name)"), max_length=200)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # One-time token of the form that wrote the entry: the same form sent twice finds the first
    # entry instead of writing a second one (SECURITY.md 26).
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        abstract = True


GENERATED_DOCUMENT_DIRECTORY = "documentos_generados"


def generated_document_path(instance: GeneratedDocument, filename: str) -> str:  # noqa: ARG001
    """`documentos_generados/<year>/<number>.pdf`: the document number (sequence, year, unit code)
    and nothing about a person. A name taken already (a file left by a failed attempt) gets a
    suffix from the storage, which never overwrites."""
    number = re.sub(r"[^A-Za-z0-9_-]+", "_", instance.number).strip("_") or "documento"
    return f"{GENERATED_DOCUMENT_DIRECTORY}/{instance.year}/{number}.pdf".lower()


class GeneratedDocument(AppendOnlyModel):
    """A generated PDF, numbered per issuing unit and year ("0001-2026-<UNIT CODE>"), stored once
    in the private storage with its SHA-256: a download serves exactly what was generated."""

    append_only_message = "{model}: the register is append-only; record a correction."

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("document number"), max_length=100, unique=True)
    issued_on = models.DateField(_("date"))
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    # What the officer filled in on the form (the PDF holds the same text).
    fields = models.JSONField(_("data of the document"), default=dict, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=generated_document_path, max_length=200, editable=False
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, editable=False)
    pdf_size = models.PositiveIntegerField(_("size of the PDF (bytes)"), editable=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("generated by"), on_delete=models.PROTECT, related_name="+"
    )
    generated_by_name = models.CharField(_("generated by (name)"), max_length=200)
    created_at = models.DateTimeField(_("generated"), default=timezone.now, db_index=True)
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    history = history_records(
        excluded_fields=["pdf", "form_token"], table_name="complaints_historicalgenerateddocument"
    )

    scope_parent = "complaint"  # seen by whoever sees the complaint (administration.access)
    objects = RegisterQuerySet.as_manager()

    class Meta:
        db_table = "complaints_generateddocument"
        base_manager_name = "objects"  # the append-only guard on Model.save and related access
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "sequence"], name="generated_document_unit_year_seq")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} N° {self.number}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.number}.pdf".lower()

    def read_pdf(self) -> bytes:
        """The stored bytes as they are in the storage now (unchecked: a download goes through
        `diligences.services.document_pdf`, which compares them with `pdf_sha256`)."""
        return read_stored(self.pdf)


class Diligence(RegisterEntry):
    """One preliminary action taken on a complaint, as recorded (or as corrected)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="diligences"
    )
    sequence = models.PositiveIntegerField(_("entry number"))
    kind = CatalogueCharField(_("action"), catalogue=Catalogue.DILIGENCE_TYPE, max_length=32)
    date = models.DateField(_("date"))
    officer = models.CharField(_("officer in charge"), max_length=200)
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    document = models.ForeignKey(
        GeneratedDocument,
        verbose_name=_("generated document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diligences",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    history = history_records(excluded_fields=["form_token"], table_name="complaints_historicaldiligence")

    scope_parent = "complaint"  # seen by whoever sees the complaint (administration.access)
    objects = RegisterQuerySet.as_manager()

    class Meta:
        db_table = "complaints_diligence"
        base_manager_name = "objects"  # the append-only guard on Model.save and related access
        verbose_name = _("preliminary action")
        verbose_name_plural = _("preliminary actions")
        ordering = ["complaint", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "sequence"], name="diligence_complaint_sequence"),
            # An entry is corrected once; a later mistake corrects the correction.
            models.UniqueConstraint(fields=["corrects"], name="diligence_corrected_once"),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(correction_reason=""),
                name="diligence_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Diligencia {self.sequence}"


class DiligenceAnswer(RegisterEntry):
    """An answer received to a preliminary action, with its scan (optional)."""

    diligence = models.ForeignKey(
        Diligence, verbose_name=_("preliminary action"), on_delete=models.PROTECT, related_name="answers"
    )
    received_on = models.DateField(_("date received"))
    summary = models.TextField(_("summary"))
    scan = models.FileField(_("scan"), upload_to="diligencias/", max_length=200, blank=True)
    scan_type = models.CharField(_("type of the scan"), max_length=4, choices=ScanType.choices, blank=True)
    scan_size = models.PositiveIntegerField(_("size of the scan (bytes)"), null=True, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    history = history_records(excluded_fields=["form_token"], table_name="complaints_historicaldiligenceanswer")

    scope_parent = "diligence"  # seen by whoever sees the entry's complaint (administration.access)
    objects = RegisterQuerySet.as_manager()

    class Meta:
        db_table = "complaints_diligenceanswer"
        base_manager_name = "objects"  # the append-only guard on Model.save and related access
        verbose_name = _("answer received")
        verbose_name_plural = _("answers received")
        ordering = ["received_on", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["corrects"], name="diligence_answer_corrected_once"),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(correction_reason=""),
                name="diligence_answer_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Respuesta #{self.pk}"

    @property
    def download_name(self) -> str:
        extension = {ScanType.PDF: "pdf", ScanType.JPEG: "jpg", ScanType.PNG: "png"}.get(self.scan_type, "bin")
        return f"respuesta-{self.pk}.{extension}"
