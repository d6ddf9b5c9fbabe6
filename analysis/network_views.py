"""Pages of the network, the national route map and the network's exports (issue 12, items 4 and 5).

- `network` (/analisis/red/): the search for a start (case file or complaint number, phone, plate),
  the filters, the network as SVG (investigations.charts.association_chart) with the table of its
  nodes and links, and the timeline of the same entities (timeline_chart);
- `network_export` (GraphML, CSV of nodes, CSV of links, i2 CSV): the same network (same start,
  filters and scope), as an attachment;
- `routes` (/analisis/rutas/): the movements between departments on the map and in a table.

Only the investigators (analysis.policies; 403 for the others); every read goes through
`visible_to(user)` (analysis.network); every page and export writes an audit event with the scope,
the filters and the counts. GET only: nothing is written but the audit trail.

May import: analysis, audit, administration, investigations.charts, reta.exports.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from administration.access import scope_label
from analysis import exports
from analysis.forms import NetworkForm, PeriodForm
from analysis.network import Network, build_network, find_start, link_rows, network_events, node_rows
from analysis.policies import can_analyse_network
from analysis.routes import flows_svg, route_flows
from audit.events import AuditEventType
from audit.services import audit_record
from investigations.charts import association_chart, timeline_chart
from reta.exports import csv_response

FORMATS = {
    "graphml": "graphml",
    "nodes": "csv",
    "links": "csv",
    "i2": "csv",
}


def _allowed(request: HttpRequest) -> None:
    if not can_analyse_network(request.user):
        raise PermissionDenied


def _network(request: HttpRequest) -> tuple[NetworkForm, Network | None, str]:
    """The form, the network it asks for (None when there is none) and what went wrong, if anything."""
    form = NetworkForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, None, ""
    data = form.cleaned_data
    start = data.get("start") or find_start(request.user, data.get("q", ""))
    network = build_network(request.user, start, form.filters()) if start else None
    if network is None:
        return form, None, _("Nothing with this number in your scope and filters.")
    return form, network, ""


def _details(request: HttpRequest, form: NetworkForm, network: Network, **extra: Any) -> dict[str, Any]:
    return {
        "scope": scope_label(request.user),
        "filters": form.filters().as_details(),
        "start": network.start,
        "nodes": len(network.nodes),
        "links": len(network.edges),
        "hidden": network.hidden,
        "capped": network.capped,
        **extra,
    }


def _query(form: NetworkForm, network: Network, **changes: Any) -> str:
    """The query string of this network (its start resolved), with `changes`."""
    filters = form.filters().as_details()
    params = {
        "start": network.start,
        "depth": filters["depth"],
        "date_from": filters["date_from"],
        "date_to": filters["date_to"],
        "department": filters["department"],
        "role": filters["role"],
        **changes,
    }
    return urlencode({key: value for key, value in params.items() if value not in ("", None)})


@require_GET
def network(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form, graph, problem = _network(request)
    context: dict[str, Any] = {"form": form, "problem": problem, "scope": scope_label(request.user)}
    if graph is not None:
        events = network_events(graph)
        audit_record(
            event=AuditEventType.ANALYSIS_NETWORK_VIEWED, details=_details(request, form, graph, events=len(events))
        )
        nodes = node_rows(graph)
        for row in nodes:
            row["expand"] = f"?{_query(form, graph, start=row['id'])}"
        base = _query(form, graph)
        context.update(
            {
                "network": graph,
                "nodes": nodes,
                "links": link_rows(graph),
                "events": events,
                "network_svg": association_chart(title=_("Network"), nodes=graph.nodes, edges=graph.edges),
                "timeline_svg": timeline_chart(title=_("Timeline of the network"), events=events),
                "exports": [
                    (_("GraphML"), f"{reverse('analysis:network_graphml')}?{base}"),
                    (_("CSV of the nodes"), f"{reverse('analysis:network_nodes_csv')}?{base}"),
                    (_("CSV of the links"), f"{reverse('analysis:network_links_csv')}?{base}"),
                    (_("i2 Analyst's Notebook (CSV import)"), f"{reverse('analysis:network_i2_csv')}?{base}"),
                ],
            }
        )
    return render(request, "analysis/network.html", context)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    _allowed(request)
    form, graph, problem = _network(request)
    if graph is None:
        message = problem or _(
            "Choose where the network starts (a case file number, a complaint number, a phone or a plate)."
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    audit_record(event=AuditEventType.ANALYSIS_NETWORK_EXPORTED, details=_details(request, form, graph, format=kind))
    scope = scope_label(request.user)
    if kind == "graphml":
        response = HttpResponse(
            exports.graphml(graph, scope=scope), content_type="application/graphml+xml; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="reta-red.graphml"'
        response["Cache-Control"] = "no-store"
        return response
    if kind == "nodes":
        return csv_response("reta-red-nodos.csv", exports.NODE_HEADER, exports.node_csv_rows(graph))
    if kind == "links":
        return csv_response("reta-red-enlaces.csv", exports.LINK_HEADER, exports.link_csv_rows(graph))
    return csv_response("reta-red-i2.csv", exports.I2_HEADER, exports.i2_rows(graph))


@require_GET
def network_graphml(request: HttpRequest) -> HttpResponse:
    return _export(request, "graphml")


@require_GET
def network_nodes_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "nodes")


@require_GET
def network_links_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "links")


@require_GET
def network_i2_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "i2")


@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = PeriodForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    flows = route_flows(request.user, date_from, date_to) if not form.errors else None
    context: dict[str, Any] = {"form": form, "scope": scope_label(request.user), "flows": flows}
    if flows is not None:
        audit_record(
            event=AuditEventType.ANALYSIS_ROUTES_VIEWED,
            details={
                "scope": scope_label(request.user),
                "filters": {
                    "date_from": date_from.isoformat() if date_from else "",
                    "date_to": date_to.isoformat() if date_to else "",
                },
                "flows": len(flows.flows),
                "records": flows.records,
            },
        )
        context["map_svg"] = flows_svg(flows, title=_("Routes between departments"))
        context["rows"] = flows.rows()
    return render(request, "analysis/routes.html", context)


__all__ = ["network", "network_graphml", "network_i2_csv", "network_links_csv", "network_nodes_csv", "routes"]
