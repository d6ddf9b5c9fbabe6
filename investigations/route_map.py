"""The route of a case file drawn on the map of Peru (issue 11, item 6, third chart): a pure
function, server-rendered SVG, no JavaScript, nothing fetched; usable in a page and in a WeasyPrint
PDF (the police report).

    route_svg(legs, *, title="", width=420, id_prefix="route") -> SafeString

`legs` is an iterable, in the order of the route, of either
- `investigations.models.RouteLeg` rows (read: `sequence`, `stage` and `get_stage_display()`,
  `district_id`, `place.district_id` when the leg has no district of its own, and `place.name` /
  `district.name` when loaded - select_related("district", "place") to keep it to one query), or
- plain dicts: {"sequence": 1, "stage": "recruitment", "district": "080101"} or with "department":
  "08" (INEI code) instead of a district, and optionally "label" (a place's name), "stage_label".
A leg whose department cannot be told (no district) is listed in the description but not drawn.

The departments of the legs are filled darker and carry a numbered mark per leg (several legs in
one department are spread around its point); an arrow joins each leg's department to the next
one's when they differ. The SVG has role="img", aria-labelledby its <title> and <desc> (the legs
in words); the page puts the table of the legs beside it. `id_prefix` keeps the ids (title, desc,
arrow marker) unique when two maps are on one page.

May import: django (conf, safestring, translation), stats.charts (the departments' outlines).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from stats.charts import FONT, INK, base_map, department_outlines

__all__ = ["department_names", "route_points", "route_svg"]

DEPARTMENTS_FIXTURE = Path("fixtures") / "ubigeo" / "departments.json"
STAGE_COLOURS = {"recruitment": "#E69F00", "transit": "#0072B2", "destination": "#D55E00"}
ROUTE_INK = "#0b3d63"


@functools.cache
def department_names() -> dict[str, str]:
    """{INEI code: name with accents} from fixtures/ubigeo (once per process)."""
    from django.conf import settings

    rows = json.loads((Path(settings.BASE_DIR) / DEPARTMENTS_FIXTURE).read_text(encoding="utf-8"))
    return {row["code"]: row.get("display_name") or row["name"].title() for row in rows}


def _stage_label(stage: str) -> str:
    from investigations.models import LegStage

    return str(LegStage(stage).label) if stage in LegStage.values else stage


def route_points(legs: Iterable[Any]) -> list[dict[str, Any]]:
    """The legs as dicts: sequence, stage, stage_label, department (code or ''), department_name,
    label. Also what the table beside the map may show."""
    points = []
    for index, leg in enumerate(legs, start=1):
        if isinstance(leg, dict):
            district = leg.get("district") or ""
            department = leg.get("department") or district[:2]
            stage = leg.get("stage", "")
            point = {
                "sequence": leg.get("sequence", index),
                "stage": stage,
                "stage_label": leg.get("stage_label") or _stage_label(stage),
                "department": department,
                "label": leg.get("label", ""),
            }
        else:
            district = leg.district_id or ""
            label = ""
            if leg.place_id and "place" in leg._state.fields_cache:
                district = district or (leg.place.district_id or "")
                label = leg.place.name
            if not label and leg.district_id and "district" in leg._state.fields_cache:
                label = leg.district.name
            point = {
                "sequence": leg.sequence,
                "stage": leg.stage,
                "stage_label": str(leg.get_stage_display()),
                "department": district[:2],
                "label": label,
            }
        point["department_name"] = department_names().get(point["department"], "")
        points.append(point)
    return points


def _describe(points: list[dict[str, Any]]) -> str:
    if not points:
        return gettext("No legs of the route yet.")
    parts = []
    for point in points:
        where = point["department_name"] or gettext("place unknown")
        if point["label"]:
            where = f"{point['label']} ({where})" if point["department_name"] else point["label"]
        parts.append(f"{point['sequence']}. {point['stage_label']}: {where}")
    return " → ".join(parts)


def route_svg(legs: Iterable[Any], *, title: str = "", width: int = 420, id_prefix: str = "route") -> SafeString:
    """The SVG of the route (see the module docstring)."""
    points = route_points(legs)
    title = title or gettext("Route on the map of Peru")
    codes = frozenset(point["department"] for point in points if point["department"])
    body, x_of, y_of, height = base_map(width, highlight=codes)
    outlines = department_outlines()
    marker = f"{id_prefix}-arrow"
    defs = (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{ROUTE_INK}"/></marker></defs>'
    )
    # Where each leg's mark goes: its department's inner point, spread when a department has several.
    drawn = [point for point in points if point["department"] in outlines]
    per_department: dict[str, int] = {}
    for point in drawn:
        per_department[point["department"]] = per_department.get(point["department"], 0) + 1
    seen: dict[str, int] = {}
    places: list[tuple[float, float]] = []
    for point in drawn:
        lon, lat = outlines[point["department"]]["point"]
        x, y = x_of(lon), y_of(lat)
        count, nth = per_department[point["department"]], seen.get(point["department"], 0)
        seen[point["department"]] = nth + 1
        if count > 1:
            angle = 2 * math.pi * nth / count - math.pi / 2
            x, y = x + 11 * math.cos(angle), y + 11 * math.sin(angle)
        places.append((x, y))
    radius = 8.0
    arrows = []
    for (x1, y1), (x2, y2), a, b in zip(places, places[1:], drawn, drawn[1:], strict=False):
        if a["department"] == b["department"]:
            continue
        length = math.hypot(x2 - x1, y2 - y1) or 1
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        caption = gettext("From %(from)s to %(to)s") % {"from": a["department_name"], "to": b["department_name"]}
        arrows.append(
            f'<line class="route-arrow" x1="{x1 + dx * radius:.1f}" y1="{y1 + dy * radius:.1f}" '
            f'x2="{x2 - dx * (radius + 1):.1f}" y2="{y2 - dy * (radius + 1):.1f}" stroke="{ROUTE_INK}" '
            f'stroke-width="2" marker-end="url(#{marker})"><title>{escape(caption)}</title></line>'
        )
    marks = []
    for (x, y), point in zip(places, drawn, strict=True):
        colour = STAGE_COLOURS.get(point["stage"], "#ffffff")
        caption = f"{point['sequence']}. {point['stage_label']}: {point['department_name']}"
        marks.append(
            f'<g class="route-leg" data-department="{escape(point["department"])}" '
            f'data-sequence="{escape(str(point["sequence"]))}"><title>{escape(caption)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.0f}" fill="{colour}" stroke="{ROUTE_INK}" '
            f'stroke-width="1"/><text x="{x:.1f}" y="{y + 3.5:.1f}" font-family="{FONT}" font-size="10" '
            f'font-weight="bold" fill="{INK}" text-anchor="middle">{escape(str(point["sequence"]))}</text></g>'
        )
    labels = []
    for code in sorted(codes & outlines.keys()):
        lon, lat = outlines[code]["point"]
        x, y = x_of(lon), y_of(lat)
        left = x > width - 110
        lx = x - 14 if left else x + 14
        labels.append(
            f'<text x="{lx:.1f}" y="{y - 9:.1f}" font-family="{FONT}" font-size="10" fill="{INK}" '
            f'text-anchor="{"end" if left else "start"}">{escape(department_names().get(code, code))}</text>'
        )
    # The key: one mark per stage.
    key = []
    kx, ky = 12.0, height - 22
    from investigations.models import LegStage

    for stage in LegStage:
        key.append(
            f'<circle cx="{kx + 5:.1f}" cy="{ky:.1f}" r="5" fill="{STAGE_COLOURS[stage.value]}" '
            f'stroke="{ROUTE_INK}" stroke-width="1"/><text x="{kx + 14:.1f}" y="{ky + 4:.1f}" font-family="{FONT}" '
            f'font-size="10" fill="{INK}">{escape(str(stage.label))}</text>'
        )
        kx += 14 + 6.2 * len(str(stage.label)) + 14
    credit = (
        f'<text x="{width - 4:.1f}" y="{height - 4:.1f}" font-family="{FONT}" font-size="8" fill="{INK}" '
        f'text-anchor="end">{escape(gettext("Boundaries: Natural Earth (public domain)"))}</text>'
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return mark_safe(  # noqa: S308 - every text inside was escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-map chart-route" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}"><title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(_describe(points))}</desc>{defs}{"".join(body)}{"".join(arrows)}'
        f"{''.join(marks)}{''.join(labels)}{''.join(key)}{credit}</svg>"
    )
