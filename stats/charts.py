"""Charts drawn on the server as SVG: no JavaScript, no chart library, nothing fetched.

Each function returns the markup of one `<svg>` (a SafeString: every label is escaped here) that
works inline in a page (the CSP forbids inline styles: only presentation attributes such as
`fill=` are used) and inside a WeasyPrint PDF. The numbers are always in an accessible table next
to the chart; the SVG has `role="img"` and a label, and each mark a `<title>` for a tooltip.

May import: django (conf, safestring, translation) only: a chart is drawn from a stats.tables.Table;
the map reads the departments' outlines shipped in fixtures/map/ (once per process).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

# Okabe-Ito: told apart by people with colour-blindness, and in grey print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1b1b1b"
GRID = "#d0d5d3"
CHAR_WIDTH = 6.6  # average width of a character at 11 px, to lay out labels without measuring them

Series = Sequence[tuple[str, Sequence[int]]]


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def _svg(width: float, height: float, label: str, body: list[str], css_class: str = "chart") -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside was escaped by _text / escape
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _truncate(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def nice_ticks(maximum: int, count: int = 5) -> list[int]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(int(step), 1)
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def _legend(series: Series, x: float, y: float, width: float) -> tuple[list[str], float]:
    """Swatches and names, wrapping; returns the markup and the height it takes."""
    body, cx, cy = [], x, y
    for index, (name, _values) in enumerate(series):
        item = 18 + len(name) * CHAR_WIDTH + 14
        if cx + item > x + width and cx > x:
            cx, cy = x, cy + 18
        body.append(f'<rect x="{cx:.1f}" y="{cy - 9:.1f}" width="11" height="11" fill="{_colour(index)}"/>')
        body.append(_text(cx + 16, cy, name))
        cx += item
    return body, (cy - y) + 18


def column_chart(
    *, title: str, categories: Sequence[str], series: Series, stacked: bool = False, width: int = 720
) -> SafeString:
    """Vertical bars by category (years, age bands), one bar per series side by side, or stacked
    when the series are parts of a whole."""
    left, right, top, plot_height = 52, 12, 14, 220
    plot_width = width - left - right
    n = max(len(categories), 1)
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    peak = max(totals if stacked else [v for _name, values in series for v in values] or [0], default=0)
    ticks = nice_ticks(peak)
    scale = plot_height / ticks[-1]
    slot = plot_width / n
    rotate = max((len(c) for c in categories), default=0) * CHAR_WIDTH > slot - 4
    label_space = 18 + (max((len(c) for c in categories), default=0) * CHAR_WIDTH * 0.7 if rotate else 0)
    body: list[str] = []
    base = top + plot_height
    for tick in ticks:
        y = base - tick * scale
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, f"{tick:,}".replace(",", " "), anchor="end"))
    for i, category in enumerate(categories):
        x0 = left + i * slot
        if stacked:
            bar = slot * 0.6
            y = base
            for index, (name, values) in enumerate(series):
                h = values[i] * scale
                if h > 0:
                    y -= h
                    body.append(
                        f'<rect x="{x0 + (slot - bar) / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'fill="{_colour(index)}"><title>{escape(f"{category} · {name}: {values[i]}")}</title></rect>'
                    )
        else:
            bar = slot * 0.8 / max(len(series), 1)
            for index, (name, values) in enumerate(series):
                h = values[i] * scale
                x = x0 + slot * 0.1 + index * bar
                body.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
                    f'fill="{_colour(index)}"><title>{escape(f"{category} · {name}: {values[i]}")}</title></rect>'
                )
        cx = x0 + slot / 2
        if rotate:
            body.append(
                _text(cx, base + 14, category, anchor="end", extra=f' transform="rotate(-40 {cx:.1f} {base + 14:.1f})"')
            )
        else:
            body.append(_text(cx, base + 15, category, anchor="middle"))
    body.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{INK}"/>')
    legend, legend_height = _legend(series, left, base + label_space + 16, plot_width)
    body += legend
    height = base + label_space + 16 + legend_height
    return _svg(width, height, title, body)


def bar_chart(*, title: str, categories: Sequence[str], series: Series, width: int = 720) -> SafeString:
    """Horizontal bars, one row per category (long labels: units, purposes), one bar per series."""
    label_chars = min(max((len(c) for c in categories), default=4), 38)
    left = 10 + label_chars * CHAR_WIDTH
    right, top = 40, 8
    bar = 12
    row = bar * max(len(series), 1) + 8
    plot_width = width - left - right
    peak = max((v for _name, values in series for v in values), default=0)
    ticks = nice_ticks(peak)
    scale = plot_width / ticks[-1]
    plot_height = row * max(len(categories), 1)
    body: list[str] = []
    for tick in ticks:
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" stroke="{GRID}"/>')
        body.append(_text(x, top + plot_height + 14, f"{tick:,}".replace(",", " "), anchor="middle"))
    for i, category in enumerate(categories):
        y0 = top + i * row + 4
        body.append(_text(left - 6, y0 + row / 2 + 0, _truncate(category, 38), anchor="end"))
        for index, (name, values) in enumerate(series):
            w = values[i] * scale
            y = y0 + index * bar
            tip = f"{category} · {name}: {values[i]}" if len(series) > 1 else f"{category}: {values[i]}"
            body.append(
                f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar - 1}" fill="{_colour(index)}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if values[i]:
                body.append(_text(left + w + 3, y + bar - 2, str(values[i]), size=10))
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="{INK}"/>')
    height = top + plot_height + 22
    if len(series) > 1:
        legend, legend_height = _legend(series, left, height + 8, plot_width)
        body += legend
        height += legend_height + 8
    return _svg(width, height, title, body)


# ---------------------------------------------------------------- the map

# The departments' outlines: Natural Earth's admin-1 boundaries (public domain), simplified to ~10 KB
# by tools/build_map_fixture.py, with the point where each department's symbol goes (inside it).
MAP_FIXTURE = Path("fixtures") / "map" / "peru_departments.json"
LON_WEST, LON_EAST, LAT_NORTH, LAT_SOUTH = -81.6, -68.4, 0.3, -18.6
CALLAO, LIMA = "07", "15"
# Labels that would overlap a neighbour go to the other side of their symbol.
LABEL_LEFT = frozenset({CALLAO})  # Callao's symbol sits in the sea, west of Lima's
MAP_LABELS = 8


@functools.cache
def department_outlines() -> dict[str, dict[str, Any]]:
    """{INEI code: {"point": [lon, lat], "rings": [[[lon, lat], ...], ...]}} from fixtures/."""
    from django.conf import settings

    path = Path(settings.BASE_DIR) / MAP_FIXTURE
    return json.loads(path.read_text(encoding="utf-8"))["departments"]


def point_in_rings(x: float, y: float, rings: Sequence[Sequence[Sequence[float]]]) -> bool:
    """Even-odd rule over every ring (a department may have islands)."""
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def base_map(
    width: int, *, highlight: frozenset[str] = frozenset()
) -> tuple[list[str], Callable[[float], float], Callable[[float], float], float]:
    """The departments' outlines as SVG paths for a map `width` pixels wide: (paths, x_of(lon),
    y_of(lat), height with 40 px below for a key). The departments in `highlight` (INEI codes) are
    filled darker. Reused by investigations.route_map (the route of a case file)."""
    k = width / ((LON_EAST - LON_WEST) * math.cos(math.radians(9.3)))
    x_of = lambda lon: (lon - LON_WEST) * k * math.cos(math.radians(9.3))  # noqa: E731
    y_of = lambda lat: (LAT_NORTH - lat) * k  # noqa: E731
    height = y_of(LAT_SOUTH) + 40
    body = []
    for code, shape in department_outlines().items():
        d = " ".join(
            "M" + " L".join(f"{x_of(lon):.1f},{y_of(lat):.1f}" for lon, lat in ring) + " Z" for ring in shape["rings"]
        )
        fill = "#cfe0d8" if code in highlight else "#eef3f0"
        body.append(
            f'<path d="{d}" fill="{fill}" stroke="#5b7a6d" stroke-width="0.8" data-department="{escape(code)}"/>'
        )
    return body, x_of, y_of, height


def peru_map(
    *,
    title: str,
    points: Sequence[dict[str, Any]],
    link: Callable[[dict[str, Any]], str | None] | None = None,
    width: int = 420,
    max_radius: float = 22.0,
) -> SafeString:
    """The departments' outlines and a proportional symbol per department (area proportional to
    the count) at a point inside it, each a link (`link(point)`) when one is given: to the list of
    those complaints. Callao is a few pixels wide, next to Lima: its symbol goes out to sea, west,
    far enough not to touch Lima's, with a leader line to Callao."""
    body, x_of, y_of, height = base_map(width)
    outlines = department_outlines()
    peak = max((point["count"] for point in points), default=0)

    def radius_of(count: int) -> float:
        radius = max_radius * math.sqrt(count / peak) if peak and count else 0
        return max(radius, 3.0) if count else 2.5

    # Where each symbol goes: the department's inner point (else its capital).
    place: dict[str, tuple[float, float]] = {}
    for point in points:
        shape = outlines.get(point["code"])
        lon, lat = shape["point"] if shape else (point["longitude"], point["latitude"])
        place[point["code"]] = (x_of(lon), y_of(lat))
    anchors: dict[str, tuple[float, float]] = {}
    counts = {point["code"]: point["count"] for point in points}
    if CALLAO in place:
        ax, ay = anchors[CALLAO] = place[CALLAO]
        r_callao = radius_of(counts[CALLAO])
        lx, ly = place.get(LIMA, (ax + 1000, ay))
        r_lima = radius_of(counts.get(LIMA, 0))
        x = ax - r_callao - 6
        while math.hypot(x - lx, ay - ly) < r_lima + r_callao + 3:
            x -= 1
        place[CALLAO] = (x, ay)
    ordered = sorted(points, key=lambda point: -point["count"])  # small symbols drawn over big ones
    for point in ordered:
        code = point["code"]
        x, y = place[code]
        count = point["count"]
        radius = radius_of(count)
        name = point["name"]
        caption = ngettext("{department}: {count} complaint", "{department}: {count} complaints", count).format(
            department=name, count=count
        )
        fill = "#0072B2" if count else "#ffffff"
        mark = ""
        if code in anchors:
            ax, ay = anchors[code]
            mark += (
                f'<line class="leader" x1="{ax:.1f}" y1="{ay:.1f}" x2="{x + radius:.1f}" y2="{y:.1f}" '
                f'stroke="#0b3d63" stroke-width="0.8"/><circle cx="{ax:.1f}" cy="{ay:.1f}" r="1.2" fill="#0b3d63"/>'
            )
        mark += (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" fill-opacity="0.65" '
            f'stroke="#0b3d63" stroke-width="1" data-department="{escape(code)}"><title>{escape(caption)}</title>'
            "</circle>"
        )
        href = link(point) if link is not None else None
        if href:
            mark = (
                f'<a href="{escape(href)}" aria-label="{escape(caption)}" class="map-link" '
                f'data-department="{escape(code)}">{mark}</a>'
            )
        body.append(mark)
    # Names for the largest symbols only (the table beside the map has every department); to the
    # left of the symbol near the eastern edge and for Callao, next to Lima.
    labelled = [point for point in ordered if point["count"]][:MAP_LABELS]
    for point in labelled:
        x, y = place[point["code"]]
        radius = radius_of(point["count"])
        left = point["code"] in LABEL_LEFT or x > width - 90
        lx = x - radius - 3 if left else x + radius + 3
        body.append(_text(lx, y + 4, f"{point['name']} {point['count']}", size=10, anchor="end" if left else "start"))
    if peak:
        # The key: nested symbols of the largest count and of half of it, their values to the right.
        kx, ky = 16, height - 18
        cx = kx + max_radius
        for value in sorted({peak, max(peak // 2, 1)}, reverse=True):
            radius = max(max_radius * math.sqrt(value / peak), 3.0)
            top = ky - 2 * radius
            body.append(
                f'<circle cx="{cx:.1f}" cy="{ky - radius:.1f}" r="{radius:.1f}" fill="none" '
                f'stroke="#0b3d63" stroke-width="1"/>'
                f'<line x1="{cx:.1f}" y1="{top:.1f}" x2="{cx + max_radius + 6:.1f}" y2="{top:.1f}" stroke="#0b3d63" '
                f'stroke-width="0.6"/>'
            )
            body.append(_text(cx + max_radius + 9, top + 4, str(value), size=10))
        body.append(_text(kx, ky + 14, gettext("complaints"), size=10))
    body.append(
        _text(width - 4, height - 4, gettext("Boundaries: Natural Earth (public domain)"), size=8, anchor="end")
    )
    return _svg(width, height, title, body, css_class="chart chart-map")


# ---------------------------------------------------------------- the chart of each table

MAX_SERIES = 8
MAX_BARS = 40


def chart_for(table: Any, *, link: Callable[[dict[str, Any]], str | None] | None = None) -> SafeString:
    """The chart that goes with a statistics table (stats.tables.Table)."""
    name = table.name
    years = [row.label for row in table.rows]
    if name == "complaints_by_department":
        return peru_map(title=table.title, points=table.extra.get("points", []), link=link)
    if name == "cases_by_unit_year":
        columns = table.columns[:-1]  # without the total column
        totals = table.total.cells[:-1]
        return bar_chart(title=table.title, categories=[c.code for c in columns], series=[(table.measure, totals)])
    if name == "persons_by_year":
        wanted = {
            "suspects_identified_total": gettext("Alleged traffickers, identified"),
            "suspects_unidentified_total": gettext("Alleged traffickers, being identified"),
            "victims_adult_total": gettext("Victims, adults"),
            "victims_minor_total": gettext("Victims, children and adolescents"),
        }
        series = [(label, table.column_values(code)) for code, label in wanted.items()]
        return column_chart(title=table.title, categories=years, series=series)
    if name == "purposes_by_year":
        series = [(column.label, table.column_values(column.code)) for column in table.columns]
        return column_chart(title=table.title, categories=years, series=series)
    if name == "outcomes_by_year":
        series = [(column.label, table.column_values(column.code)) for column in table.columns[:-1]]
        return column_chart(title=table.title, categories=years, series=series, stacked=True)
    if name == "victims_by_sex_age":
        series = [(column.label, table.column_values(column.code)) for column in table.columns[:-1]]
        return column_chart(title=table.title, categories=years, series=series)
    return _crosstab_chart(table)


def _crosstab_chart(table: Any) -> SafeString:
    rows = table.rows[:MAX_BARS]
    categories = [row.label for row in rows]
    value_columns = [c for c in table.columns if c.code != "total"]
    if value_columns and len(value_columns) <= MAX_SERIES:
        series = [(column.label, [row.cells[i] for row in rows]) for i, column in enumerate(value_columns)]
    else:
        series = [(table.measure, [row.cells[-1] for row in rows])]
    if table.stub.code in ("year", "month"):
        return column_chart(title=table.title, categories=categories, series=series)
    return bar_chart(title=table.title, categories=categories, series=series)
