"""Views of the statistics screens: an overview with the charts and the map, the published tables,
the cross-tabulation, and the export of each (CSV, XLSX, PDF). URL names `stats:...`, under
/denuncias/estadisticas/ (stats.urls, included by reta.urls).

Who: every signed-in role may see the statistics of its scope (`scope_of(request.user)`, read as
the complaint list reads it: stats.scope): national for the monitor, DIVINTRAP, administrators and
the auditor - aggregates only, read-only oversight -, the directorate for regional investigators,
the unit for stations and the hotline. Exporting is a permission of its own (SECURITY.md 9): the
roles that may export complaints (stats.policies). Every export writes an `export` audit event.

May import: administration (policies.require, access.scope_of), audit.events, audit.services, reta.exports,
and stats' forms, figures, exports, policies, selectors, crosstab, units (the choice of tree).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from administration.access import Scope, scope_of
from administration.policies import require
from audit.events import AuditEventType
from audit.services import audit_record
from reta.exports import csv_response
from stats import exports, selectors
from stats.crosstab import crosstab
from stats.figures import figure
from stats.forms import CrosstabForm, PeriodForm, TreeCrosstabForm, TreePeriodForm
from stats.policies import can_export_statistics, can_view_statistics
from stats.tables import Table
from stats.units import TREE_NOW
from stats.variables import Labels


def _table_export_url(name: str) -> str:
    return reverse("stats:table_export", kwargs={"name": name, "fmt": "FORMAT"})


def _period_query(request: HttpRequest) -> str:
    """The period of the page, to keep it when moving between the statistics pages."""
    return urlencode({k: request.GET[k] for k in ("year_from", "year_to", "tree") if request.GET.get(k)})


def _published() -> list[tuple[str, str]]:
    titles = {
        "cases_by_unit_year": gettext("Complaints by registering unit and year"),
        "persons_by_year": gettext("Alleged traffickers and victims by year"),
        "purposes_by_year": gettext("Purpose of trafficking by year"),
    }
    return [(name, titles[name]) for name in selectors.PUBLISHED_TABLES]


def _export(request: HttpRequest, table: Table, fmt: str) -> HttpResponse:
    audit_record(
        event=AuditEventType.EXPORT,
        object_repr=f"statistics {table.name}",
        details={
            "table": table.name,
            "format": fmt,
            "year_from": table.year_from,
            "year_to": table.year_to,
            "scope": table.scope,
            "measure": table.measure,
            "filters": table.extra.get("filter_codes", {}),
            "rows": table.extra.get("rows"),
            "columns": table.extra.get("columns"),
        },
    )
    name = exports.filename(table, fmt)
    if fmt == "csv":
        header, lines = exports.csv_lines(table, generated_by=request.user)
        return csv_response(name, header, lines)
    if fmt == "xlsx":
        content = exports.render_statistics_xlsx(table, generated_by=request.user)
    else:
        content = exports.render_statistics_pdf(table, generated_by=request.user)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _bad_request(request: HttpRequest, form: forms.Form) -> HttpResponse:
    errors = [str(error) for errors in form.errors.values() for error in errors]
    return render(request, "stats/error.html", {"errors": errors}, status=400)


# ---------------------------------------------------------------- views


@require(can_view_statistics)
def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    form = PeriodForm(request.GET or None, scope=scope)
    figures = []
    if not form.is_bound or form.is_valid():
        year_from, year_to = form.period()
        for table in selectors.overview_tables(scope=scope, year_from=year_from, year_to=year_to):
            figures.append(figure(request, table, export_url=_table_export_url(table.name)))
    return render(
        request,
        "stats/overview.html",
        {
            "form": form,
            "figures": figures,
            "published": _published(),
            "scope": scope.label,
            "period_query": _period_query(request),
        },
    )


@require(can_view_statistics)
def table_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in selectors.TABLES:
        raise Http404
    scope = scope_of(request.user)
    form = TreePeriodForm(request.GET or None, scope=scope)
    shown = None
    if not form.is_bound or form.is_valid():
        year_from, year_to = form.period()
        table = selectors.table(name, scope=scope, year_from=year_from, year_to=year_to, tree=form.tree_choice())
        shown = figure(request, table, export_url=_table_export_url(name))
    return render(
        request,
        "stats/table.html",
        {
            "form": form,
            "figure": shown,
            "name": name,
            "tree_table": name in selectors.TREE_TABLES,
            "period_query": _period_query(request),
            "scope": scope.label,
            "published": _published(),
        },
    )


@require(can_view_statistics)
def table_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in selectors.TABLES or fmt not in exports.FORMATS:
        raise Http404
    if not can_export_statistics(request.user):
        raise PermissionDenied
    scope = scope_of(request.user)
    form = TreePeriodForm(request.GET or None, scope=scope)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, form)
    year_from, year_to = form.period()
    table = selectors.table(name, scope=scope, year_from=year_from, year_to=year_to, tree=form.tree_choice())
    return _export(request, table, fmt)


def _crosstab_form(request: HttpRequest, scope: Scope) -> tuple[CrosstabForm, Labels]:
    labels = Labels()
    data = request.GET if request.GET.get("rows") else None
    form = TreeCrosstabForm(data, scope=scope, labels=labels)
    return form, labels


def _crosstab_table(form: CrosstabForm, labels: Labels, scope: Scope) -> Table:
    data = form.cleaned_data
    return crosstab(
        labels=labels,
        scope=scope,
        rows=data["rows"],
        columns=data["columns"] or None,
        measure=data["measure"],
        year_from=data["year_from"],
        year_to=data["year_to"],
        filters=form.filters(),
        tree=data.get("tree") or TREE_NOW,
    )


@require(can_view_statistics)
def crosstab_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    form, labels = _crosstab_form(request, scope)
    shown = None
    if form.is_bound and form.is_valid():
        table = _crosstab_table(form, labels, scope)
        shown = figure(request, table, export_url=reverse("stats:crosstab_export", kwargs={"fmt": "FORMAT"}))
    return render(
        request,
        "stats/crosstab.html",
        {
            "form": form,
            "figure": shown,
            "period_query": _period_query(request),
            "scope": scope.label,
            "published": _published(),
        },
    )


@require(can_view_statistics)
def crosstab_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    if not can_export_statistics(request.user):
        raise PermissionDenied
    scope = scope_of(request.user)
    form, labels = _crosstab_form(request, scope)
    if not form.is_bound:
        form = TreeCrosstabForm({"rows": "category"}, scope=scope, labels=labels)
    if not form.is_valid():
        return _bad_request(request, form)
    return _export(request, _crosstab_table(form, labels, scope), fmt)
