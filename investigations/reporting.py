"""The writes of the proof matrix and of the police report (issue 11, items 5 and 7): link a
support to a legal element and withdraw it, write the conclusions, generate the report (PDF and
JSON package, a new version each time while it is a draft) and transmit it to the prosecutor.

Each service is its own transaction (reta.transactions), reads the case file again under lock
within the actor's scope (investigations.services._locked_case), checks the policies, refuses bad
input with a Spanish `CaseFileError` (nothing saved) and writes its audit event in the same
transaction.

Numbering: `administration.numbering`, series `case_report`, per owning unit and year:
`<UNIT CODE>-IP-<YEAR>-<000001>` (IP: *informe policial*). A case file has at most one draft report;
the number is taken when the draft is created (first conclusions or first generation).

Transmission records who, when and to which prosecutor's office, generates the final version,
FREEZES the report (investigations.models.report) and moves the case file to "report sent"
through the workflow service (`case_file_change_status`): a case file not under investigation
cannot send its report.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from administration import numbering
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_record
from diligences.models import Diligence
from investigations import package, policies, proof
from investigations.models import (
    CaseComplaint,
    CaseDiligence,
    CaseFile,
    CaseReport,
    CaseReportStatus,
    CaseReportVersion,
    CaseStatus,
    Exhibit,
    JournalEntry,
    ProofLink,
)
from investigations.services import CaseFileError, NotAllowedError, _locked_case, case_file_change_status
from reta.private_media import forget_stored, stored_problem
from reta.transactions import retry_on_contention

NOTE_MAX = 2000
CONCLUSIONS_MAX = 20000
OFFICE_MAX = 300
SUPPORT_KINDS = ("exhibit", "statement", "diligence")

logger = logging.getLogger(__name__)


class ReportIntegrityError(CaseFileError):
    """A stored file of a report version is missing or is not the one generated."""


def format_number(unit: Any, year: int, sequence: int) -> str:
    return f"{unit.code}-IP-{year}-{sequence:06d}"


# ---------------------------------------------------------------- proof matrix


def _support(case_file: CaseFile, support: str) -> dict[str, Any]:
    """`exhibit:12`, `statement:5` or `diligence:3`, checked to belong to the case file (a
    diligencia: attached to it, or of one of its complaints)."""
    kind, _sep, raw = (support or "").partition(":")
    if kind not in SUPPORT_KINDS or not raw.isdigit():
        raise CaseFileError(_("Choose an exhibit, a statement or a diligencia."), field="support")
    pk = int(raw)
    if kind == "exhibit":
        found = Exhibit.objects.filter(case_file=case_file, pk=pk).first()
        return {"exhibit": found} if found else {}
    if kind == "statement":
        found = JournalEntry.objects.filter(case_file=case_file, pk=pk, kind="statement").first()
        return {"journal_entry": found} if found else {}
    complaint_ids = CaseComplaint.objects.filter(case_file=case_file).values("complaint_id")
    attached = CaseDiligence.objects.filter(case_file=case_file).values("diligence_id")
    found = Diligence.objects.filter(pk=pk).filter(Q(complaint_id__in=complaint_ids) | Q(pk__in=attached)).first()
    return {"diligence": found} if found else {}


@retry_on_contention()
def proof_link_add(
    *, actor: Any, case_file: CaseFile | int, element_code: str, support: str, note: str = ""
) -> ProofLink:
    """Point a support (an exhibit, a statement of the journal, a diligencia) at one legal element
    of the case file's matrix."""
    case_file = _locked_case(actor, case_file)
    codes = {element.code for element in proof.case_elements(case_file) if element.needs_support}
    if element_code not in codes:
        raise CaseFileError(_("Choose a legal element of this case file."), field="element_code")
    found = _support(case_file, support)
    if not found:
        raise CaseFileError(_("This support does not belong to the case file."), field="support")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CaseFileError(_("The note is too long."), field="note")
    if ProofLink.objects.filter(
        case_file=case_file, element_code=element_code, withdrawn_at__isnull=True, **found
    ).exists():
        raise CaseFileError(_("This support is already linked to this element."), field="support")
    link = ProofLink.objects.create(case_file=case_file, element_code=element_code, note=note, added_by=actor, **found)
    audit_record(
        event=AuditEventType.CASE_PROOF_LINKED,
        obj=case_file,
        actor=actor,
        details={"element": element_code, "support": support},
    )
    return link


@retry_on_contention()
def proof_link_withdraw(*, actor: Any, case_file: CaseFile | int, link_id: int, reason: str) -> ProofLink:
    """Withdraw a link (who, when, why); the row and its history stay."""
    case_file = _locked_case(actor, case_file)
    link = (
        ProofLink.objects.select_for_update().filter(case_file=case_file, pk=link_id, withdrawn_at__isnull=True).first()
    )
    if link is None:
        raise CaseFileError(_("This support does not exist or was withdrawn already."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseFileError(_("Give the reason."), field="reason")
    if len(reason) > NOTE_MAX:
        raise CaseFileError(_("The reason is too long."), field="reason")
    link.withdrawn_at = timezone.now()
    link.withdrawn_by = actor
    link.withdrawal_reason = reason
    link._change_reason = reason
    link.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        event=AuditEventType.CASE_PROOF_WITHDRAWN, obj=case_file, actor=actor, details={"element": link.element_code}
    )
    return link


# ---------------------------------------------------------------- the police report


def current_report(case_file: CaseFile) -> CaseReport | None:
    """The draft report of the case file, else its last transmitted one (None: none yet)."""
    reports = list(CaseReport.objects.filter(case_file=case_file).order_by("-created_at", "-pk")[:5])
    drafts = [report for report in reports if report.status == CaseReportStatus.DRAFT]
    return drafts[0] if drafts else (reports[0] if reports else None)


def _draft(actor: Any, case_file: CaseFile) -> CaseReport:
    """The case file's draft report, created (numbered) when there is none."""
    draft = CaseReport.objects.select_for_update().filter(case_file=case_file, status=CaseReportStatus.DRAFT).first()
    if draft is not None:
        return draft
    if case_file.status != CaseStatus.UNDER_INVESTIGATION:
        raise CaseFileError(_("A police report is written while the case file is under investigation."))
    year = timezone.localdate().year
    unit = case_file.owning_unit
    sequence = numbering.next_number(series=numbering.Series.CASE_REPORT, unit=unit, year=year)
    return CaseReport.objects.create(
        case_file=case_file,
        unit=unit,
        year=year,
        sequence=sequence,
        number=format_number(unit, year, sequence),
        created_by=actor,
    )


@retry_on_contention()
def report_write_conclusions(*, actor: Any, case_file: CaseFile | int, conclusions: str) -> CaseReport:
    """The lead investigator writes (or rewrites, while a draft) the conclusions."""
    case_file = _locked_case(actor, case_file)
    if not policies.can_write_conclusions(actor, case_file):
        raise NotAllowedError(_("Only the lead investigator writes the conclusions."))
    conclusions = (conclusions or "").strip()
    if not conclusions:
        raise CaseFileError(_("Write the conclusions."), field="conclusions")
    if len(conclusions) > CONCLUSIONS_MAX:
        raise CaseFileError(_("The conclusions are too long."), field="conclusions")
    report = _draft(actor, case_file)
    report.conclusions = conclusions
    report.conclusions_by = actor
    report.save(update_fields=["conclusions", "conclusions_by"])
    audit_record(event=AuditEventType.CASE_REPORT_CONCLUSIONS, obj=report, actor=actor, object_repr=report.number)
    return report


def _render(actor: Any, case_file: CaseFile, report: CaseReport) -> CaseReportVersion:
    """Render and store a new version of `report` (PDF + validated JSON package)."""
    from investigations.report_pdf import render_report_pdf

    content = package.load_content(case_file)
    rows = proof.matrix(case_file)
    last = CaseReportVersion.objects.filter(report=report).order_by("-version").values_list("version", flat=True)
    version = (last.first() or 0) + 1
    now = timezone.now()
    document = package.case_document(content, report=report, version=version, generated_at=now, rows=rows)
    try:
        package.validate(document)
    except package.PackageError as error:
        raise CaseFileError(error.message) from error
    pdf = render_report_pdf(content, report=report, version=version, rows=rows, generated_by=actor, generated_at=now)
    data = package.dumps(document)
    stored = CaseReportVersion(
        report=report,
        version=version,
        pdf_sha256=package.sha256(pdf),
        package_sha256=package.sha256(data),
        schema_version=package.SCHEMA_VERSION,
        generated_by=actor,
        generated_at=now,
    )
    # Both files are written once, here, under names the storage never reuses. When the
    # transaction fails (an error here or in the caller's service, a deadlock retried by
    # `retry_on_contention`), the service removes them again (`_forget_files`): no row points at
    # them. A caller's enclosing transaction rolled back after the service returned cannot be seen
    # from here: that would leave unreferenced files (never a row without its files).
    try:
        stored.pdf.save("informe.pdf", ContentFile(pdf), save=False)
        stored.package.save("paquete.json", ContentFile(data), save=False)
        stored.save(force_insert=True)
    except BaseException:
        _forget_files(stored)
        raise
    return stored


def _forget_files(version: CaseReportVersion) -> None:
    forget_stored(version.pdf)
    forget_stored(version.package)


@retry_on_contention()
def report_generate(*, actor: Any, case_file: CaseFile | int) -> CaseReportVersion:
    """Generate the draft report again (a new version; the earlier ones stay)."""
    case_file = _locked_case(actor, case_file)
    report = _draft(actor, case_file)
    version = _render(actor, case_file, report)
    try:
        audit_record(
            event=AuditEventType.CASE_REPORT_GENERATED,
            obj=report,
            actor=actor,
            object_repr=report.number,
            details={
                "version": version.version,
                "pdf_sha256": version.pdf_sha256,
                "package_sha256": version.package_sha256,
            },
        )
    except BaseException:
        _forget_files(version)
        raise
    return version


@retry_on_contention()
def report_transmit(*, actor: Any, case_file: CaseFile | int, report_id: int, prosecutor_office: str) -> CaseReport:
    """Send the report to the prosecutor's office: the final version is generated, the report is
    frozen and the case file moves to "report sent"."""
    case_file = _locked_case(actor, case_file)
    if not policies.can_transmit_report(actor, case_file):
        raise NotAllowedError(_("Only the lead investigator transmits the police report."))
    report = CaseReport.objects.select_for_update().filter(case_file=case_file, pk=report_id).first()
    if report is None or report.status != CaseReportStatus.DRAFT:
        raise CaseFileError(_("This report was transmitted already or does not exist."))
    office = (prosecutor_office or "").strip()
    if not office:
        raise CaseFileError(_("Name the prosecutor's office."), field="prosecutor_office")
    if len(office) > OFFICE_MAX:
        raise CaseFileError(_("The name of the office is too long."), field="prosecutor_office")
    if not report.conclusions:
        raise CaseFileError(_("The lead investigator must write the conclusions first."))
    if not CaseReportVersion.objects.filter(report=report).exists():
        raise CaseFileError(_("Generate the report and read it before transmitting it."))
    now = timezone.now()
    report.status = CaseReportStatus.TRANSMITTED
    report.prosecutor_office = office
    report.transmitted_at = now
    report.transmitted_by = actor
    # The case file moves first, so that the final version's package says "report sent" (with the
    # report "transmitted"), not the status the case file had before.
    case_file = case_file_change_status(actor=actor, case_file=case_file, to_status=CaseStatus.REPORT_SENT)
    version = _render(actor, case_file, report)  # the final version says where and when it went
    try:
        report.transmitted_version = version.version
        report._change_reason = office
        report.save(
            update_fields=["status", "prosecutor_office", "transmitted_at", "transmitted_by", "transmitted_version"]
        )
        audit_record(
            event=AuditEventType.CASE_REPORT_TRANSMITTED,
            obj=report,
            actor=actor,
            object_repr=report.number,
            details={"office": office, "version": version.version, "pdf_sha256": version.pdf_sha256},
        )
    except BaseException:
        _forget_files(version)
        raise
    return report


def report_version_files(*, actor: Any, version: CaseReportVersion, what: str) -> tuple[bytes, bytes]:
    """The stored PDF and JSON package of a version (never rendered again), with the download's
    audit event (`what`: "pdf", the PDF only and b"" for the package; "package", both). A file
    missing from the storage, or whose SHA-256 is no longer the one recorded (changed in the
    storage), is never served: ReportIntegrityError (Spanish message), logged (error) and recorded
    as a failed download."""
    pdf, problem = stored_problem(version.pdf, sha256=version.pdf_sha256)
    data, broken = b"", ""
    if not problem and what == "package":
        data, broken = stored_problem(version.package, sha256=version.package_sha256)
    field = "pdf" if problem else "package"
    problem = problem or broken
    if problem:
        name = (version.pdf if field == "pdf" else version.package).name
        logger.error(
            "Police report %s v%s (pk %s): stored %s file %r %s; download refused",
            version.report.number,
            version.version,
            version.pk,
            field,
            name,
            "is missing" if problem == "missing" else "does not match its SHA-256",
        )
        audit_record(
            event=AuditEventType.CASE_REPORT_DOWNLOADED,
            obj=version.report,
            actor=actor,
            object_repr=version.report.number,
            outcome=AuditEvent.Outcome.FAILURE,
            details={"version": version.version, "what": what, "file": field, "reason": problem},
        )
        raise ReportIntegrityError(
            _(
                "The stored file of this report version is missing or is not the one generated: it is not "
                "served. The incident was recorded; tell the system administrator."
            )
        )
    audit_record(
        event=AuditEventType.CASE_REPORT_DOWNLOADED,
        obj=version.report,
        actor=actor,
        object_repr=version.report.number,
        details={"version": version.version, "what": what},
    )
    return pdf, data
