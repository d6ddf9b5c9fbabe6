"""The *informe policial* as PDF: WeasyPrint from `templates/pdf/case_report.html` (extends
`templates/pdf/base_pdf.html`: DejaVu embedded, local files only, `reta.pdf`).

A legal document in Spanish whatever the interface language: the number, the case file, the
complaints, the proof matrix, the persons in roles (protected victims by their protected label,
whistleblowers by code name, the others by full name: investigations.package), the route (the map
of `investigations.route_map.route_svg` and its table), the operations, the exhibits with their
chain of custody, the diligencias and the lead's conclusions.

Owns: the rendering (returns bytes). Imports `reta.pdf`, `investigations.package` (the content),
`investigations.route_map` and `diligences.pdf.long_date`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from complaints.rules.codes import OUTCOME_LABELS
from diligences.pdf import long_date
from investigations.package import Content
from reta.pdf import render_html_pdf


def _route_map(legs: list[Any]) -> str:
    if not legs:
        return ""
    try:
        from investigations.route_map import route_svg
    except ImportError:  # the map of the route (issue 11, item 6) is optional here
        return ""
    return route_svg(legs, title="Ruta", id_prefix="report-route")


def render_report_pdf(
    content: Content, *, report: Any, version: int, rows: list[Any], generated_by: Any, generated_at: Any
) -> bytes:
    # Free text typed by investigators, cleaned of protected victims' names (in memory only: these
    # rows were read for this rendering and are never saved).
    for row in rows:
        for link in row.links:
            link.note = content.clean(link.note)
    for exhibit in content.exhibits:
        exhibit.description = content.clean(exhibit.description)
        for transfer in exhibit.transfers.all():
            transfer.reason = content.clean(transfer.reason)
    for operation in content.operations:
        operation.place = content.clean(operation.place)
        operation.items_seized = content.clean(operation.items_seized)
    local = timezone.localtime(generated_at)
    context = {
        "report": report,
        "conclusions": content.clean(report.conclusions),
        "title": content.clean(content.case_file.title),
        "complaints": [(c, OUTCOME_LABELS.get(c.outcome, c.outcome)) for c in content.complaints],
        "version": version,
        "case_file": content.case_file,
        "content": content,
        "rows": rows,
        "route_map": _route_map(content.legs),
        "generated_at": local,
        "generated_on": long_date(local.date()),
        "generated_by": generated_by.get_full_name() or generated_by.get_username(),
        "transmitted_on": long_date(timezone.localtime(report.transmitted_at).date()) if report.transmitted_at else "",
    }
    with translation.override("es"):
        return render_html_pdf("pdf/case_report.html", context)
