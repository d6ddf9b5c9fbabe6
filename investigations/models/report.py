"""The proof matrix's links and the police report of a case file (issue 11, items 5 and 7).

- `ProofLink`: one support (an exhibit, a statement of the journal or a diligencia) pointed at one
  legal element of the case (`element_code`, investigations.proof). A link is never deleted: it is
  withdrawn (who, when, why) and keeps its history.
- `CaseReport`: the *informe policial* to the prosecutor, numbered per owning unit and year by
  `administration.numbering` (series `case_report`, `<UNIT>-IP-<YEAR>-<000001>`), with the
  conclusions typed by the lead. While a draft it may be generated again; once transmitted
  (`status` transmitted: who, when, to which prosecutor's office) it is frozen: the model and its
  querysets refuse every change (complaints.freeze.FrozenGuardQuerySet), and on MariaDB a trigger
  refuses UPDATE and DELETE of a transmitted row (migration 0007).
- `CaseReportVersion`: each generation (append-only): the PDF and the JSON package with their
  SHA-256, who and when. Both are files of the private storage (`reta.private_media`: a local
  folder, or an S3-compatible bucket shared by every app server), named by the report number and
  the version only (`informes_policiales/<year>/<number>-v<version>.pdf|.json`), written by the
  transaction that writes the row and removed when it fails (investigations.reporting). Downloads
  serve these bytes, never a new rendering; a file missing or no longer matching its SHA-256 is
  refused (investigations.reporting.report_version_files).

Imports the case-file models, the work models (exhibits, journal) and `diligences`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.models import Unit
from complaints.freeze import FrozenGuardQuerySet, FrozenRecordError
from investigations.models.case_files import CaseFile
from reta.guards import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from reta.history import history_records
from reta.private_media import private_storage, read_stored


class ProofLink(models.Model):
    """A support of one legal element: exactly one of exhibit, journal entry (a statement) or
    diligencia; a note says what it shows. Withdrawn, never deleted."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="proof_links")
    element_code = models.CharField(_("legal element"), max_length=80)
    exhibit = models.ForeignKey(
        "investigations.Exhibit",
        verbose_name=_("exhibit"),
        on_delete=models.PROTECT,
        related_name="proof_links",
        null=True,
        blank=True,
    )
    journal_entry = models.ForeignKey(
        "investigations.JournalEntry",
        verbose_name=_("statement"),
        on_delete=models.PROTECT,
        related_name="proof_links",
        null=True,
        blank=True,
    )
    diligence = models.ForeignKey(
        "diligences.Diligence",
        verbose_name=_("diligencia"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("what it shows"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("linked"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("support of a legal element")
        verbose_name_plural = _("supports of legal elements")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(exhibit__isnull=False, journal_entry__isnull=True, diligence__isnull=True)
                    | Q(exhibit__isnull=True, journal_entry__isnull=False, diligence__isnull=True)
                    | Q(exhibit__isnull=True, journal_entry__isnull=True, diligence__isnull=False)
                ),
                name="proof_link_one_support",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id}: {self.element_code}"

    @property
    def support_kind(self) -> str:
        if self.exhibit_id:
            return "exhibit"
        if self.journal_entry_id:
            return "statement"
        return "diligence"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("A support of a legal element is withdrawn, never deleted.")


class CaseReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TRANSMITTED = "transmitted", _("Transmitted to the prosecutor")


class CaseReportQuerySet(FrozenGuardQuerySet, ScopedQuerySet):
    """Bulk writes cannot touch a transmitted report."""


class CaseReport(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("report number"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseReportStatus.choices, default=CaseReportStatus.DRAFT
    )
    conclusions = models.TextField(_("conclusions"), blank=True)
    conclusions_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conclusions written by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    prosecutor_office = models.CharField(_("prosecutor's office"), max_length=300, blank=True)
    transmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transmitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    transmitted_at = models.DateTimeField(_("transmitted"), null=True, blank=True)
    transmitted_version = models.PositiveIntegerField(_("version transmitted"), null=True, blank=True)

    scope_parent = "case_file"
    frozen_lookup = Q(status=CaseReportStatus.TRANSMITTED)
    objects = CaseReportQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("police report")
        verbose_name_plural = _("police reports")
        base_manager_name = "objects"  # the freeze guard on Model.save and related access
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "sequence"], name="case_report_unit_year_seq")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self._stored_frozen():
            raise FrozenRecordError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenRecordError(self)  # a report is never deleted

    @property
    def is_transmitted(self) -> bool:
        return self.status == CaseReportStatus.TRANSMITTED

    def _stored_frozen(self) -> bool:
        return (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, status=CaseReportStatus.TRANSMITTED).exists()
        )


class CaseReportVersionQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only, and seen by whoever sees the case file (`scope_parent`)."""


REPORT_VERSION_DIRECTORY = "informes_policiales"


def report_version_path(instance: CaseReportVersion, filename: str) -> str:
    """`informes_policiales/<year>/<report number>-v<version>.<pdf|json>`: the report number (unit
    code, year, sequence) and the version, nothing about a person. A name taken already (a file
    left by a failed attempt) gets a suffix from the storage, which never overwrites."""
    extension = "json" if filename.endswith(".json") else "pdf"
    report = instance.report
    number = re.sub(r"[^A-Za-z0-9_-]+", "_", report.number).strip("_") or "informe"
    return f"{REPORT_VERSION_DIRECTORY}/{report.year}/{number}-v{instance.version}.{extension}".lower()


class CaseReportVersion(AppendOnlyModel):
    """One generation of a report: the PDF and the JSON package exactly as produced."""

    append_only_message = "{model}: a generated report is kept as it was; generate a new version."

    report = models.ForeignKey(CaseReport, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=report_version_path, max_length=200, editable=False
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, editable=False)
    package = models.FileField(
        _("JSON package"), storage=private_storage, upload_to=report_version_path, max_length=200, editable=False
    )
    package_sha256 = models.CharField(_("SHA-256 of the JSON package"), max_length=64, editable=False)
    schema_version = models.CharField(_("schema version"), max_length=20)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("generated by"), on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated"), default=timezone.now)

    scope_parent = "report"
    objects = CaseReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version of a police report")
        verbose_name_plural = _("versions of police reports")
        base_manager_name = "objects"
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="case_report_version_once")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"

    def read_pdf(self) -> bytes:
        """The stored PDF as it is in the storage now (unchecked: a download goes through
        `investigations.reporting.report_version_files`, which compares it with `pdf_sha256`)."""
        return read_stored(self.pdf)

    def read_package(self) -> str:
        """The stored JSON package as text (unchecked, as `read_pdf`)."""
        return read_stored(self.package).decode("utf-8")
