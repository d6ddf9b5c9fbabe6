"""A statistics table as a page shows it (`figure`): its chart (stats.charts), its accessible
table written in Python (`table_html`: the template engine took as long as the query), the links
of the map to the complaint list, and the export links for those who may export.

May import: complaints' URL names (the list the map links to), stats.charts, stats.exports,
stats.policies, stats.tables, stats.units.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from stats import charts, exports
from stats.policies import can_export_statistics
from stats.tables import Row, Table
from stats.units import COLUMN_ABBREVIATIONS


def _fits_beside(table: Table) -> bool:
    """A narrow table goes beside its chart; a wide one (long labels, many columns) below it."""
    if table.name == "complaints_by_department":
        return True
    return len(table.columns) <= 4 and all(len(column.label) <= 14 for column in table.columns)


def _list_link(year_from: int, year_to: int) -> Callable[[dict[str, Any]], str]:
    """The complaint list filtered by the department of the facts and the period (for the map)."""
    base = reverse("complaints:complaint_list")

    def link(point: dict[str, Any]) -> str:
        query = {
            "department": point["code"],
            "registered_from": f"{year_from}-01-01",
            "registered_to": f"{year_to}-12-31",
        }
        return f"{base}?{urlencode(query)}"

    return link


def _query(request: HttpRequest, **fixed: Any) -> str:
    params = request.GET.copy()
    for key, value in fixed.items():
        params[key] = value
    params.pop("page", None)
    return params.urlencode()


def figure(request: HttpRequest, table: Table, *, export_url: str | None) -> dict[str, Any]:
    """What the figure template needs: the table, its chart, group headings, export links."""
    link = _list_link(table.year_from, table.year_to) if table.name == "complaints_by_department" else None
    links = []
    if export_url and can_export_statistics(request.user):
        query = _query(request, year_from=table.year_from, year_to=table.year_to)
        links = [(fmt.upper(), f"{export_url.replace('FORMAT', fmt)}?{query}") for fmt in exports.FORMATS]
    rows = [(row, link({"code": row.code}) if link and row.code else None) for row in table.rows]
    groups = exports.group_headers(table)
    return {
        "table": table,
        "rows": rows,
        "table_html": table_html(table, rows, groups),
        "chart": charts.chart_for(table, link=link),
        "group_headers": groups,
        "exports": links,
        "wide": not _fits_beside(table),
        "list_link": link,
    }


def table_html(table: Table, rows: list[tuple[Row, str | None]], groups: list[tuple[str, int]]) -> SafeString:
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
            ((c.code, c.label, c.code, COLUMN_ABBREVIATIONS.get(c.code, c.code), c.label) for c in table.columns),
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
