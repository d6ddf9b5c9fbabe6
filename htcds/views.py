"""The HTCDS export's page and downloads. URL names `htcds:...`, under
/denuncias/estadisticas/htcds/ (htcds.urls, included by reta.urls).

Who: the roles that may export the statistics, each in its own scope (htcds.policies). The page
shows, for the period chosen, how many victims there are, how many records the export holds, what
was generalised and how many records were suppressed; the downloads (CSV, XLSX) each write an
`export` audit event with the scope, the period, the row count and the suppressed count.

May import: administration (access.scope_of, policies.require), audit (events, services),
reta.exports, stats.forms (the period), htcds (exports, policies, selectors).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from administration.access import scope_of
from administration.policies import require
from audit.events import AuditEventType
from audit.services import audit_record
from htcds import exports, selectors
from htcds.policies import can_export_htcds
from reta.exports import csv_response
from stats.forms import PeriodForm


@require_GET
@require(can_export_htcds)
def export_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    form = PeriodForm(request.GET or None, scope=scope)
    result = None
    query = ""
    if not form.is_bound or form.is_valid():
        year_from, year_to = form.period()
        # Counts only: one aggregated query, not the export (the downloads build that).
        result = selectors.htcds_summary(scope=scope, year_from=year_from, year_to=year_to)
        query = urlencode({"year_from": year_from, "year_to": year_to})
    return render(
        request,
        "htcds/export.html",
        {
            "form": form,
            "result": result,
            "generalisations": exports.generalisations(result) if result else [],
            "columns": exports.column_rows(),
            "scope": scope.label,
            "query": query,
        },
    )


@require_GET
@require(can_export_htcds)
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    scope = scope_of(request.user)
    form = PeriodForm(request.GET or None, scope=scope)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "htcds/export.html",
            {"form": form, "result": None, "columns": exports.column_rows(), "scope": scope.label},
            status=400,
        )
    year_from, year_to = form.period()
    result = selectors.htcds_export(scope=scope, year_from=year_from, year_to=year_to)
    covered = exports.Covered(year_from=year_from, year_to=year_to, scope=scope.label)
    audit_record(
        event=AuditEventType.EXPORT,
        object_repr="htcds export",
        details={
            "export": "htcds",
            "format": fmt,
            "scope": scope.label,
            "year_from": year_from,
            "year_to": year_to,
            "filters": {"year_from": year_from, "year_to": year_to},
            "rows": len(result.rows),
            "suppressed": result.suppressed,
            "victims": result.total,
            "k": result.k,
            "generalised": result.level_names(),
        },
    )
    name = exports.filename(covered, fmt)
    if fmt == "csv":
        header, lines = exports.csv_lines(result, covered, generated_by=request.user)
        return csv_response(name, header, lines)
    content = exports.render_htcds_xlsx(result, covered, generated_by=request.user)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
