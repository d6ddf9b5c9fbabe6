"""The national route map of cross-case analysis (issue 12, item 4): how many records show a
movement from one department to another (origin → transit → destination), within the user's
scope and a period, drawn on the map of Peru.

    route_flows(user, date_from=None, date_to=None) -> RouteFlows
    flows_svg(flows, *, title, width=560) -> SafeString

Where the movements come from:
- a complaint's places of the route (`ComplaintPlace`: recruitment, transit, exploitation) and its
  place of the facts (a destination: where the exploitation was reported), in the order
  recruitment → transit → destination;
- a case file's route legs (`RouteLeg`, in their order; a leg's department is its district's or its
  place's).
A complaint that grew into a visible case file with a route is counted through the case file only
(the same movement is not counted twice). Each record counts once per pair of departments (from →
to), and only when they differ. Only departments and counts: no name, no address.

May import: complaints, investigations (models, route_map), stats (charts: the map), and the
analysis.network record selectors.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from analysis.network import Filters, case_files_in, complaints_in
from complaints.models import ComplaintPlace, PlaceRole
from investigations.models import CaseComplaint, RouteLeg
from investigations.route_map import department_names
from stats.charts import FONT, INK, base_map, department_outlines

ORDER = {PlaceRole.RECRUITMENT: 0, PlaceRole.TRANSIT: 1, PlaceRole.EXPLOITATION: 2}
FLOW_INK = "#0b3d63"


@dataclass
class RouteFlows:
    """`flows`: [(origin code, destination code, count)], most frequent first; `records`: how many
    records had a movement between departments; `complaints`/`case_files`: how many were read."""

    flows: list[tuple[str, str, int]] = field(default_factory=list)
    records: int = 0
    complaints: int = 0
    case_files: int = 0

    def rows(self) -> list[dict[str, Any]]:
        names = department_names()
        return [
            {
                "origin": a,
                "origin_name": names.get(a, a),
                "destination": b,
                "destination_name": names.get(b, b),
                "count": n,
            }
            for a, b, n in self.flows
        ]


def _pairs(departments: list[str]) -> set[tuple[str, str]]:
    """The movements between consecutive stops in different departments."""
    stops = [code for code in departments if code]
    return {(a, b) for a, b in zip(stops, stops[1:], strict=False) if a != b}


def route_flows(user: Any, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> RouteFlows:
    """The counts of movements between departments (see the module docstring). Four queries."""
    filters = Filters(date_from=date_from, date_to=date_to)
    case_files = case_files_in(user, filters)
    stops: dict[int, list[str]] = defaultdict(list)
    legs = RouteLeg.objects.filter(case_file__in=case_files.values("pk")).order_by("case_file_id", "sequence")
    for case_file_id, district, place_district in legs.values_list("case_file_id", "district_id", "place__district_id"):
        stops[case_file_id].append((district or place_district or "")[:2])
    covered = set(CaseComplaint.objects.filter(case_file_id__in=list(stops)).values_list("complaint_id", flat=True))
    counter: Counter[tuple[str, str]] = Counter()
    records = 0
    for departments in stops.values():
        pairs = _pairs(departments)
        counter.update(pairs)
        records += bool(pairs)
    complaints = complaints_in(user, filters).exclude(pk__in=covered)
    facts = dict(complaints.values_list("pk", "place_district_id"))
    places: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    rows = ComplaintPlace.objects.filter(complaint_id__in=list(facts), district__isnull=False)
    for complaint_id, role, position, district in rows.values_list("complaint_id", "role", "position", "district_id"):
        places[complaint_id].append((ORDER.get(role, 1), position, district[:2]))
    for complaint_id, district in facts.items():
        route = sorted(places.get(complaint_id, []))
        departments = [code for _order, _position, code in route]
        if district and (not departments or departments[-1] != district[:2]):
            departments.append(district[:2])  # the place of the facts: where the exploitation was
        pairs = _pairs(departments)
        counter.update(pairs)
        records += bool(pairs)
    flows = sorted(((a, b, n) for (a, b), n in counter.items()), key=lambda flow: (-flow[2], flow[0], flow[1]))
    return RouteFlows(flows=flows, records=records, complaints=len(facts), case_files=len(stops))


def flows_svg(flows: RouteFlows, *, title: str = "", width: int = 560, id_prefix: str = "flows") -> SafeString:
    """The map of Peru with an arrow per movement, as thick as its count is large; a curve, so that
    the two directions between two departments do not hide each other. role="img", a <title>, a
    <desc> with the flows in words; the page puts their table beside it."""
    title = title or gettext("Routes between departments")
    outlines = department_outlines()
    names = department_names()
    drawn = [(a, b, n) for a, b, n in flows.flows if a in outlines and b in outlines]
    codes = frozenset(code for a, b, _n in drawn for code in (a, b))
    body, x_of, y_of, height = base_map(width, highlight=codes)
    marker = f"{id_prefix}-arrow"
    defs = (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{FLOW_INK}"/></marker></defs>'
    )
    most = max((n for _a, _b, n in drawn), default=1)
    arrows = []
    for a, b, count in drawn:
        (lon1, lat1), (lon2, lat2) = outlines[a]["point"], outlines[b]["point"]
        x1, y1, x2, y2 = x_of(lon1), y_of(lat1), x_of(lon2), y_of(lat2)
        length = math.hypot(x2 - x1, y2 - y1) or 1
        # the control point: to the right of the way from a to b
        cx, cy = (x1 + x2) / 2 - (y2 - y1) * 0.2, (y1 + y2) / 2 + (x2 - x1) * 0.2
        shorten = 8 / length
        ex, ey = x2 - (x2 - cx) * shorten, y2 - (y2 - cy) * shorten
        stroke = 1.5 + 6 * count / most
        caption = gettext("From %(from)s to %(to)s: %(count)s") % {
            "from": names.get(a, a),
            "to": names.get(b, b),
            "count": count,
        }
        arrows.append(
            f'<path class="flow" data-origin="{escape(a)}" data-destination="{escape(b)}" data-count="{count}" '
            f'd="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="{FLOW_INK}" '
            f'stroke-opacity="0.8" stroke-width="{stroke:.1f}" marker-end="url(#{marker})">'
            f"<title>{escape(caption)}</title></path>"
        )
    labels = []
    for code in sorted(codes):
        lon, lat = outlines[code]["point"]
        x, y = x_of(lon), y_of(lat)
        labels.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{FLOW_INK}"/>'
            f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-family="{FONT}" font-size="10" fill="{INK}">'
            f"{escape(names.get(code, code))}</text>"
        )
    if drawn:
        desc = "; ".join(
            gettext("From %(from)s to %(to)s: %(count)s") % {"from": names.get(a, a), "to": names.get(b, b), "count": n}
            for a, b, n in drawn
        )
    else:
        desc = gettext("No movement between departments in this period.")
    credit = (
        f'<text x="{width - 4:.1f}" y="{height - 4:.1f}" font-family="{FONT}" font-size="8" fill="{INK}" '
        f'text-anchor="end">{escape(gettext("Boundaries: Natural Earth (public domain)"))}</text>'
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return mark_safe(  # noqa: S308 - every text inside was escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-map chart-flows" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}"><title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>{defs}{"".join(body)}{"".join(arrows)}'
        f"{''.join(labels)}{credit}</svg>"
    )


__all__ = ["RouteFlows", "flows_svg", "route_flows"]
