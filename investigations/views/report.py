"""Pages of the proof matrix, the police report and completeness (issue 11, items 5, 7, 8).

Every page of one case file fetches it through `_readable` (404 outside the scope) and its forms
through `_workable` (403 for a unit the case file is only shared with); the conclusions and the
transmission are the lead's (`policies.can_write_conclusions`, 403 otherwise). Writes go through
`investigations.reporting`. Downloads serve the stored bytes of a version and are audited.
The completeness list (`case_completeness`) is for the investigators and the monitor
(`policies.can_view_completeness`): numbers, units, statuses, scores and missing items only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.events import AuditEventType
from audit.services import audit_record
from investigations import completeness, package, policies, proof, reporting, selectors
from investigations.forms_report import ConclusionsForm, ProofLinkForm, TransmitForm, WithdrawForm
from investigations.models import CaseReport, CaseReportVersion
from investigations.views.case_files import _form_saved, _readable, _require, _workable

PAGE_SIZE = 50


def _proof_url(case_file) -> str:  # noqa: ANN001
    return reverse("investigations:case_proof", args=[case_file.pk])


def _report_url(case_file) -> str:  # noqa: ANN001
    return reverse("investigations:case_report", args=[case_file.pk])


@require_http_methods(["GET", "POST"])
def case_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof matrix: element × supports, the elements still lacking support, and the form
    that links a support to an element."""
    case_file = _readable(request, pk)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"page": "proof"})
    can_work = policies.can_work_case_file(request.user, case_file)
    if request.method == "POST":
        case_file = _workable(request, pk)
    form = None
    if can_work:
        form = ProofLinkForm(
            request.POST if request.method == "POST" else None,
            elements=proof.element_choices(case_file),
            supports=selectors.support_choices(case_file),
        )
        link = lambda data: reporting.proof_link_add(  # noqa: E731
            actor=request.user,
            case_file=case_file,
            element_code=data["element_code"],
            support=data["support"],
            note=data["note"],
        )
        if _form_saved(request, form, link, _("Support linked.")):
            return redirect(_proof_url(case_file))
    links = selectors.proof_links_of(case_file)
    rows = proof.matrix(case_file, links=links)
    context = {
        "case_file": case_file,
        "section": "proof",
        "rows": rows,
        "missing": proof.unsupported(rows),
        "withdrawn": [link for link in links if link.withdrawn_at is not None],
        "form": form,
        "can_work": can_work,
    }
    return render(request, "investigations/case_proof.html", context)


@require_POST
def case_proof_withdraw(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        reporting.proof_link_withdraw(actor=request.user, case_file=case_file, link_id=link_pk, reason=reason)
    except reporting.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except reporting.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Support withdrawn."))
    return redirect(_proof_url(case_file))


def _report_context(request: HttpRequest, case_file, **forms) -> dict:  # noqa: ANN001, ANN003
    reports = selectors.reports_of(case_file)
    draft = next((report for report in reports if report.status == "draft"), None)
    # The conclusions are written while the case file is under investigation (a draft is possible).
    is_lead = policies.can_write_conclusions(request.user, case_file) and case_file.status == "under_investigation"
    return {
        "case_file": case_file,
        "section": "report",
        "reports": reports,
        "draft": draft,
        "can_work": policies.can_work_case_file(request.user, case_file),
        "is_lead": is_lead,
        "conclusions_form": forms.get("conclusions_form")
        or (ConclusionsForm(initial={"conclusions": draft.conclusions if draft else ""}) if is_lead else None),
        "transmit_form": forms.get("transmit_form") or (TransmitForm() if is_lead else None),
        "missing": completeness.case_completeness(case_file).missing,
    }


@require_GET
def case_report(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    return render(request, "investigations/case_report.html", _report_context(request, case_file))


@require_POST
def case_report_conclusions(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    _require(policies.can_write_conclusions(request.user, case_file))
    form = ConclusionsForm(request.POST)
    write = lambda data: reporting.report_write_conclusions(  # noqa: E731
        actor=request.user, case_file=case_file, conclusions=data["conclusions"]
    )
    if _form_saved(request, form, write, _("Conclusions saved.")):
        return redirect(_report_url(case_file))
    context = _report_context(request, case_file, conclusions_form=form)
    return render(request, "investigations/case_report.html", context, status=400)


@require_POST
def case_report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    try:
        version = reporting.report_generate(actor=request.user, case_file=case_file)
    except reporting.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except reporting.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Report %(number)s generated (version %(version)s).")
            % {"number": version.report.number, "version": version.version},
        )
    return redirect(_report_url(case_file))


@require_POST
def case_report_transmit(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    _require(policies.can_transmit_report(request.user, case_file))
    form = TransmitForm(request.POST)
    transmit = lambda data: reporting.report_transmit(  # noqa: E731
        actor=request.user, case_file=case_file, report_id=report_pk, prosecutor_office=data["prosecutor_office"]
    )
    if _form_saved(request, form, transmit, _("Report transmitted to the prosecutor's office.")):
        return redirect(_report_url(case_file))
    context = _report_context(request, case_file, transmit_form=form)
    return render(request, "investigations/case_report.html", context, status=400)


def _version(request: HttpRequest, pk: int, report_pk: int) -> CaseReportVersion:
    case_file = _readable(request, pk)
    report = selectors.one_of_case(CaseReport, case_file, report_pk)
    wanted = request.GET.get("version", "")
    versions = report.versions.select_related("report")
    version = (
        versions.filter(version=int(wanted)).first() if wanted.isdigit() else versions.order_by("-version").first()
    )
    if version is None:
        raise Http404
    return version


@require_GET
def case_report_pdf(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    version = _version(request, pk, report_pk)
    try:
        pdf, _package = reporting.report_version_files(actor=request.user, version=version, what="pdf")
    except reporting.ReportIntegrityError as error:
        # Logged and in the audit trail already: the user is told, nothing is served.
        messages.error(request, error.message)
        return redirect("investigations:case_report", pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{version.report.number}-v{version.version}.pdf".lower()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def case_report_package(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    version = _version(request, pk, report_pk)
    try:
        pdf, data = reporting.report_version_files(actor=request.user, version=version, what="package")
    except reporting.ReportIntegrityError as error:
        messages.error(request, error.message)
        return redirect("investigations:case_report", pk)
    response = HttpResponse(package.transmission_zip(version, pdf=pdf, data=data), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.zip_name(version.report, version.version)}"'
    return response


@require_GET
def case_completeness(request: HttpRequest) -> HttpResponse:
    """The completeness of the case files of the user's scope: number, unit, status, score and the
    labels of what is missing; nothing of their contents."""
    _require(policies.can_view_completeness(request.user))
    queryset = completeness.annotate_checks(selectors.completeness_case_files(request.user))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = completeness.rows_for(page.object_list)
    context = {"page": page, "rows": rows, "can_open": policies.can_view_case_files(request.user)}
    return render(request, "investigations/case_completeness.html", context)
