"""Views of the statistics screens: an overview with the charts and the map, the published tables,
the cross-tabulation, and the export of each (CSV, XLSX, PDF).

Who: every signed-in role may see the statistics of its scope (scope_q on the registering unit:
national for the monitor, DIVINTRAP, administrators and the auditor - aggregates only, read-only
oversight -, the directorate for regional investigators, the unit for stations and the hotline).
Exporting is a permission of its own (SECURITY.md 9): the roles that may export complaints.
Every export writes an `export` audit event.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from administration.policies import require
from audit.services import audit_record
from complaints import charts, stats_exports
from complaints import policies as complaint_policies
from complaints import statistics as stats
from reta.exports import csv_response

# ---------------------------------------------------------------- who may


can_view_statistics = complaint_policies.can_view_statistics
can_export_statistics = complaint_policies.can_export_statistics


# ---------------------------------------------------------------- forms


class FastSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template, which costs
    ~30 ms for the cross-tabulation's filters (the statistics pages aim at twice their SQL)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(item) for item in values if item is not None}
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        attributes = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attributes["multiple"] = True
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attributes), mark_safe(options))  # noqa: S308


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class PeriodForm(forms.Form):
    """The period: years of registration (America/Lima). A year left empty is the default period's:
    from the first to the last year with registrations in the user's scope (one query, only then)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        last = timezone.localdate().year + 1
        for index, name, label in ((0, "year_from", _("From year")), (1, "year_to", _("To year"))):
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=stats.EARLIEST_YEAR,
                max_value=last,
                initial=lambda index=index: self.default[index],
            )

    @cached_property
    def default(self) -> tuple[int, int]:
        return stats.default_period(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        data["year_from"] = data.get("year_from") or self.default[0]
        data["year_to"] = data.get("year_to") or self.default[1]
        try:
            stats.check_period(data["year_from"], data["year_to"])
        except stats.PeriodError as error:
            raise ValidationError(str(error)) from error
        return data

    def period(self) -> tuple[int, int]:
        """The years asked for (a valid bound form), else the default period."""
        if self.is_bound:
            return self.cleaned_data["year_from"], self.cleaned_data["year_to"]
        return self.default


def _variable_choices() -> list[tuple[str, str]]:
    return [(code, variable.label) for code, variable in stats.VARIABLES.items()]


class CrosstabForm(PeriodForm):
    rows = forms.ChoiceField(label=_("Rows"), choices=_variable_choices, initial="category", widget=FastSelect)
    columns = forms.ChoiceField(
        label=_("Columns"),
        choices=lambda: [("", _("None (totals only)")), *_variable_choices()],
        required=False,
        widget=FastSelect,
    )
    measure = forms.ChoiceField(
        label=_("Count"), choices=list(stats.MEASURES.items()), initial="complaints", required=False, widget=FastSelect
    )

    def __init__(self, *args: Any, labels: stats.Labels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filter_names = []
        for code in stats.FILTER_VARIABLES:
            variable = stats.VARIABLES[code]
            domain = labels.domain(variable, 0, -1)
            choices = [(str(value), label) for value, label in domain]
            choices.append((stats.NONE_TOKEN, str(variable.none_label)))
            self.fields[code] = forms.MultipleChoiceField(
                label=variable.label,
                choices=choices,
                required=False,
                widget=FastSelectMultiple(attrs={"size": min(len(choices), 5)}),
            )
            self.filter_names.append(code)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose a column variable different from the row variable."))
        data["measure"] = data.get("measure") or "complaints"
        return data

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.filter_names]

    @property
    def active_filters(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filter_names if self.data.getlist(name))

    def filters(self) -> dict[str, list[str]]:
        return {name: self.cleaned_data[name] for name in self.filter_names if self.cleaned_data.get(name)}


# ---------------------------------------------------------------- helpers


def _fits_beside(table: stats.Table) -> bool:
    """A narrow table goes beside its chart; a wide one (long labels, many columns) below it."""
    if table.name == "complaints_by_department":
        return True
    return len(table.columns) <= 4 and all(len(column.label) <= 14 for column in table.columns)


def _list_link(year_from: int, year_to: int) -> Any:
    """The complaint list filtered by the department of the facts and the period (for the map)."""
    try:
        base = reverse("complaints:complaint_list")
    except NoReverseMatch:
        return None

    def link(point: dict[str, Any]) -> str:
        query = {
            "department": point["code"],
            "registered_from": f"{year_from}-01-01",
            "registered_to": f"{year_to}-12-31",
        }
        return f"{base}?{urlencode(query)}"

    return link


def _period_query(request: HttpRequest) -> str:
    """The period of the page, to keep it when moving between the statistics pages."""
    return urlencode({k: request.GET[k] for k in ("year_from", "year_to") if request.GET.get(k)})


def _query(request: HttpRequest, **fixed: Any) -> str:
    params = request.GET.copy()
    for key, value in fixed.items():
        params[key] = value
    params.pop("page", None)
    return params.urlencode()


def _figure(request: HttpRequest, table: stats.Table, *, export_url: str | None) -> dict[str, Any]:
    """What the figure template needs: the table, its chart, group headings, export links."""
    link = _list_link(table.year_from, table.year_to) if table.name == "complaints_by_department" else None
    exports = []
    if export_url and can_export_statistics(request.user):
        query = _query(request, year_from=table.year_from, year_to=table.year_to)
        exports = [(fmt.upper(), f"{export_url.replace('FORMAT', fmt)}?{query}") for fmt in stats_exports.FORMATS]
    rows = [(row, link({"code": row.code}) if link and row.code else None) for row in table.rows]
    groups = stats_exports.group_headers(table)
    return {
        "table": table,
        "rows": rows,
        "table_html": table_html(table, rows, groups),
        "chart": charts.chart_for(table, link=link),
        "group_headers": groups,
        "exports": exports,
        "wide": not _fits_beside(table),
        "list_link": link,
    }


def table_html(
    table: stats.Table, rows: list[tuple[stats.Row, str | None]], groups: list[tuple[str, int]]
) -> SafeString:
    """The accessible table of a figure, written in Python: the template engine took ~20 ms for
    the 26 columns of cases_by_unit_year, as much as its query at 100,000 complaints."""
    head = []
    if groups:
        spans = format_html_join(
            "", '<th scope="colgroup" colspan="{}">{}</th>', ((span, label) for label, span in groups)
        )
        head.append(format_html("<tr><td></td>{}</tr>", spans))
    if table.name == "cases_by_unit_year":  # the published abbreviations; name and code on hover and for readers
        header = format_html_join(
            "",
            '<th scope="col" class="num" data-code="{}"><abbr title="{} ({})">{}</abbr>'
            '<span class="visually-hidden"> {}</span></th>',
            ((c.code, c.label, c.code, stats.COLUMN_ABBREVIATIONS.get(c.code, c.code), c.label) for c in table.columns),
        )
    else:
        header = format_html_join(
            "", '<th scope="col" class="num" title="{}">{}</th>', ((c.full_label, c.label) for c in table.columns)
        )
    head.append(format_html('<tr><th scope="col">{}</th>{}</tr>', table.stub.label, header))
    body = []
    for row, link in rows:
        label = format_html('<a href="{}">{}</a>', link, row.label) if link else row.label
        cells = format_html_join("", '<td class="num">{}</td>', ((cell,) for cell in row.cells))
        body.append(format_html('<tr><th scope="row">{}</th>{}</tr>', label, cells))
    if not rows:
        body.append(
            format_html(
                '<tr><td colspan="{}">{}</td></tr>',
                len(table.columns) + 1,
                gettext("Nothing was registered in this period and scope."),
            )
        )
    foot = ""
    if table.total is not None and rows:
        cells = format_html_join("", '<td class="num">{}</td>', ((cell,) for cell in table.total.cells))
        foot = format_html(
            '<tfoot><tr class="stat-total"><th scope="row">{}</th>{}</tr></tfoot>', table.total.label, cells
        )
    return format_html(
        '<table class="stat-table" id="table-{}"><caption>{} — {}</caption>'
        "<thead>{}</thead><tbody>{}</tbody>{}</table>",
        table.name,
        table.title,
        table.period,
        mark_safe("".join(head)),  # noqa: S308 - built with format_html above
        mark_safe("".join(body)),  # noqa: S308 - built with format_html above
        foot,
    )


def _table_export_url(name: str) -> str:
    return reverse("complaints:statistics_table_export", kwargs={"name": name, "fmt": "FORMAT"})


def _export(request: HttpRequest, table: stats.Table, fmt: str) -> HttpResponse:
    audit_record(
        event="export",
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
    name = stats_exports.filename(table, fmt)
    if fmt == "csv":
        header, lines = stats_exports.csv_lines(table, generated_by=request.user)
        return csv_response(name, header, lines)
    if fmt == "xlsx":
        content = stats_exports.render_statistics_xlsx(table, generated_by=request.user)
    else:
        content = stats_exports.render_statistics_pdf(table, generated_by=request.user)
    response = HttpResponse(content, content_type=stats_exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _bad_request(request: HttpRequest, form: forms.Form) -> HttpResponse:
    errors = [str(error) for errors in form.errors.values() for error in errors]
    response = render(request, "complaints/statistics_error.html", {"errors": errors}, status=400)
    return response


# ---------------------------------------------------------------- views


@require(can_view_statistics)
def overview(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, user=request.user)
    figures = []
    if not form.is_bound or form.is_valid():
        year_from, year_to = form.period()
        for table in stats.overview_tables(user=request.user, year_from=year_from, year_to=year_to):
            figures.append(_figure(request, table, export_url=_table_export_url(table.name)))
    return render(
        request,
        "complaints/statistics_overview.html",
        {
            "form": form,
            "figures": figures,
            "published": [(name, _published_title(name)) for name in stats.PUBLISHED_TABLES],
            "scope": stats.scope_name(request.user),
            "period_query": _period_query(request),
        },
    )


def _published_title(name: str) -> str:
    return {
        "cases_by_unit_year": gettext("Complaints by registering unit and year"),
        "persons_by_year": gettext("Alleged traffickers and victims by year"),
        "purposes_by_year": gettext("Purpose of trafficking by year"),
    }[name]


@require(can_view_statistics)
def table_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in stats.TABLES:
        raise Http404
    form = PeriodForm(request.GET or None, user=request.user)
    figure = None
    if not form.is_bound or form.is_valid():
        year_from, year_to = form.period()
        table = stats.table(name, user=request.user, year_from=year_from, year_to=year_to)
        figure = _figure(request, table, export_url=_table_export_url(name))
    return render(
        request,
        "complaints/statistics_table.html",
        {
            "form": form,
            "figure": figure,
            "name": name,
            "period_query": _period_query(request),
            "scope": stats.scope_name(request.user),
            "published": [(n, _published_title(n)) for n in stats.PUBLISHED_TABLES],
        },
    )


@require(can_view_statistics)
def table_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in stats.TABLES or fmt not in stats_exports.FORMATS:
        raise Http404
    if not can_export_statistics(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, form)
    year_from, year_to = form.period()
    table = stats.table(name, user=request.user, year_from=year_from, year_to=year_to)
    return _export(request, table, fmt)


def _crosstab_form(request: HttpRequest) -> tuple[CrosstabForm, stats.Labels]:
    labels = stats.Labels()
    data = request.GET if request.GET.get("rows") else None
    form = CrosstabForm(data, user=request.user, labels=labels)
    return form, labels


def _crosstab_table(request: HttpRequest, form: CrosstabForm, labels: stats.Labels) -> stats.Table:
    data = form.cleaned_data
    return stats.crosstab(
        labels=labels,
        user=request.user,
        rows=data["rows"],
        columns=data["columns"] or None,
        measure=data["measure"],
        year_from=data["year_from"],
        year_to=data["year_to"],
        filters=form.filters(),
    )


@require(can_view_statistics)
def crosstab_view(request: HttpRequest) -> HttpResponse:
    form, labels = _crosstab_form(request)
    figure = None
    if form.is_bound and form.is_valid():
        table = _crosstab_table(request, form, labels)
        export_url = reverse("complaints:statistics_crosstab_export", kwargs={"fmt": "FORMAT"})
        figure = _figure(request, table, export_url=export_url)
    return render(
        request,
        "complaints/statistics_crosstab.html",
        {
            "form": form,
            "figure": figure,
            "period_query": _period_query(request),
            "scope": stats.scope_name(request.user),
            "published": [(n, _published_title(n)) for n in stats.PUBLISHED_TABLES],
        },
    )


@require(can_view_statistics)
def crosstab_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in stats_exports.FORMATS:
        raise Http404
    if not can_export_statistics(request.user):
        raise PermissionDenied
    form, labels = _crosstab_form(request)
    if not form.is_bound:
        form = CrosstabForm({"rows": "category"}, user=request.user, labels=labels)
    if not form.is_valid():
        return _bad_request(request, form)
    return _export(request, _crosstab_table(request, form, labels), fmt)


urlpatterns: list = [
    path("estadisticas/", overview, name="statistics"),
    path("estadisticas/cruce/", crosstab_view, name="statistics_crosstab"),
    path("estadisticas/cruce/exportar.<slug:fmt>", crosstab_export, name="statistics_crosstab_export"),
    path("estadisticas/<slug:name>/", table_view, name="statistics_table"),
    path("estadisticas/<slug:name>/exportar.<slug:fmt>", table_export, name="statistics_table_export"),
]
