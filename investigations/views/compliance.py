"""The compliance monitoring page of the Permanent Secretariat (issue 13, item 5) and its exports
(CSV, XLSX): investigations.compliance's table for the user's scope (`scope_of(request.user)`),
the period and directorate of the GET form. Who: `policies.can_view_compliance` (the monitor,
DIVINTRAP, the national administrators; a regional investigator for her directorate); exports:
`policies.can_export_compliance`, each audited (`export`, with the filters and the counts).
Nothing is written but the audit event of an export: a POST is answered like a GET.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from administration.access import scope_of
from audit.events import AuditEventType
from audit.services import audit_record
from investigations import compliance, policies
from investigations.forms_compliance import ComplianceForm
from investigations.views.case_files import _require
from reta.exports import csv_response

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> ComplianceForm:
    data = request.GET if any(request.GET.get(name) for name in ("date_from", "date_to", "directorate")) else None
    return ComplianceForm(data, scope=scope_of(request.user), today=timezone.localdate())


def _report(request: HttpRequest, form: ComplianceForm) -> compliance.Report:
    date_from, date_to, directorate = form.period()
    return compliance.compliance_report(
        scope=scope_of(request.user), date_from=date_from, date_to=date_to, directorate=directorate, now=timezone.now()
    )


def _query(form: ComplianceForm) -> str:
    date_from, date_to, directorate = form.period()
    values = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    if directorate is not None:
        values["directorate"] = str(directorate.pk)
    return urlencode(values)


@require_http_methods(["GET", "POST"])
def compliance_view(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_compliance(request.user))
    form = _form(request)
    report = None
    status = 200
    if not form.is_bound or form.is_valid():
        report = _report(request, form)
    else:
        status = 400
    context = {
        "form": form,
        "report": report,
        "charts": compliance.charts(report) if report else [],
        "statuses": compliance.status_labels(),
        "deadline_note": compliance.deadline_note(),
        "inactive_days": compliance.INACTIVE_DAYS,
        "can_export": policies.can_export_compliance(request.user),
        "query": _query(form) if report else "",
    }
    return render(request, "investigations/compliance.html", context, status=status)


@require_http_methods(["GET", "POST"])
def compliance_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require(policies.can_export_compliance(request.user))
    form = _form(request)
    if form.is_bound and not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return render(request, "stats/error.html", {"errors": errors}, status=400)
    report = _report(request, form)
    date_from, date_to, directorate = form.period()
    audit_record(
        event=AuditEventType.EXPORT,
        object_repr="compliance monitoring",
        details={
            "table": "compliance",
            "format": fmt,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "directorate": directorate.code if directorate is not None else "",
            "scope": report.scope,
            "units": report.unit_count,
            "complaints": report.total.complaints,
            "overdue_alerts": report.total.overdue_alerts,
            "case_files": report.total.case_files_total,
            "reports": report.total.reports,
            "zero_units": len(report.zero_units),
            "inactive_accounts": report.total.inactive_accounts,
        },
    )
    name = compliance.filename(report, fmt)
    if fmt == "csv":
        header, lines = compliance.csv_lines(report, generated_by=request.user)
        return csv_response(name, header, lines)
    response = HttpResponse(compliance.render_compliance_xlsx(report, generated_by=request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
