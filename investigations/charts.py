"""The charts of a case file, drawn on the server as SVG (issue 11, item 6): the association chart
(persons, complaints, places, vehicles, phones, accounts and the links between them) and the event
timeline. No JavaScript, no chart library, nothing fetched.

Pure functions over plain values (`Node`, `Edge`, `Event`): what they draw is decided by
investigations.chart_data, which masks the persons as the case file's page does; here every label
is escaped. The layout is deterministic (the same data draws the same picture): the persons on an
inner ring, everything else on an outer ring next to what it is linked with; the events on a
vertical axis, oldest first. Each SVG has
`role="img"`, a `<title>` and a `<desc>`, a `<title>` per mark, only presentation attributes (the
CSP forbids inline styles) and fits a 1024 px screen and an A4 page; the table beside it (the
template) holds the same facts.

May import: django (safestring, translation, utils) only.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The statistics charts' conventions (stats.charts, which this app may not import): Okabe-Ito,
# told apart by people with colour-blindness and in grey print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1b1b1b"
CHAR_WIDTH = 6.6  # average width of a character at 11 px, to lay out labels without measuring them

# ---------------------------------------------------------------- the plain input

PERSON, COMPLAINT, PLACE, VEHICLE, PHONE, ACCOUNT, OPERATION, CASE_FILE = (
    "person",
    "complaint",
    "place",
    "vehicle",
    "phone",
    "account",
    "operation",
    "case_file",  # the network of cross-case analysis (analysis.network) draws case files too
)
NODE_KINDS = {
    PERSON: pgettext_lazy("chart", "Persons"),
    PHONE: pgettext_lazy("chart", "Phones"),
    ACCOUNT: pgettext_lazy("chart", "Social-network accounts"),
    VEHICLE: pgettext_lazy("chart", "Vehicles"),
    PLACE: pgettext_lazy("chart", "Places"),
    OPERATION: pgettext_lazy("chart", "Operations"),
    COMPLAINT: pgettext_lazy("chart", "Complaints"),
    CASE_FILE: pgettext_lazy("chart", "Case files"),
}

FACTS, REGISTERED, OPENED, STATUS, ASSIGNMENT, DILIGENCE, OPERATION_EVENT, JOURNAL, CUSTODY, ROUTE = (
    "facts",
    "registered",
    "opened",
    "status",
    "assignment",
    "diligence",
    "operation",
    "journal",
    "custody",
    "route",
)
EVENT_KINDS = {
    FACTS: pgettext_lazy("chart", "Facts"),
    REGISTERED: pgettext_lazy("chart", "Complaint registered"),
    OPENED: pgettext_lazy("chart", "Case file opened"),
    STATUS: pgettext_lazy("chart", "Status change"),
    ASSIGNMENT: pgettext_lazy("chart", "Assignment"),
    DILIGENCE: pgettext_lazy("chart", "Preliminary action"),
    OPERATION_EVENT: pgettext_lazy("chart", "Operation"),
    ROUTE: pgettext_lazy("chart", "Route"),
    CUSTODY: pgettext_lazy("chart", "Custody hand-over"),
    JOURNAL: pgettext_lazy("chart", "Journal entry"),
}


@dataclass(frozen=True)
class Node:
    """One element of the association chart. `id` is unique in the chart ("person-3")."""

    id: str
    kind: str
    label: str
    role: str = ""


@dataclass(frozen=True)
class Edge:
    """A link between two nodes (by id), with what the link is ("holder", "owner", "victim")."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Event:
    """One dated event of the timeline (`time` orders the events of one day)."""

    day: datetime.date
    kind: str
    label: str
    url: str = ""
    time: datetime.time | None = None

    @property
    def kind_label(self) -> str:
        return str(EVENT_KINDS.get(self.kind, self.kind))


def sorted_events(events: Sequence[Event]) -> list[Event]:
    """Oldest first; within a day by time (events without one first), then kind and label."""
    order = {kind: index for index, kind in enumerate(EVENT_KINDS)}
    return sorted(
        events,
        key=lambda e: (e.day, e.time or datetime.time.min, order.get(e.kind, len(order)), e.label),
    )


# ---------------------------------------------------------------- drawing helpers


def _colour(kinds: Sequence[str], kind: str) -> str:
    return PALETTE[list(kinds).index(kind) % len(PALETTE)] if kind in kinds else INK


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}"{bold}>{escape(text)}</text>'
    )


def _truncate(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def _svg(
    width: float,
    height: float,
    title: str,
    desc: str,
    body: list[str],
    css_class: str,
    shown: tuple[float, float] | None = None,
) -> SafeString:
    """The `<svg>`: drawn in a `width` x `height` viewBox, shown at `shown` (default: the same)."""
    shown_w, shown_h = shown or (width, height)
    return mark_safe(  # noqa: S308 - every text inside was escaped here
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{shown_w:.0f}" height="{shown_h:.0f}" role="img" '
        f'aria-labelledby="{css_class}-title {css_class}-desc">'
        f'<title id="{css_class}-title">{escape(title)}</title><desc id="{css_class}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


# ---------------------------------------------------------------- the association chart

NODE_WIDTH = 136
NODE_HEIGHT = 34
LEGEND = 30


def _circular_mean(angles: Sequence[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


def _layout(nodes: Sequence[Node], edges: Sequence[Edge]) -> tuple[dict[str, tuple[float, float]], float]:
    """Positions around (0, 0) and the outer radius. The persons on an inner ring (one in the
    centre), evenly spaced in the order given; everything else on an outer ring, each element as
    near as it can be to the persons it is linked with (the mean angle of its neighbours already
    placed), in slots evenly spaced so that no two overlap. No randomness: the same input gives
    the same picture."""
    persons = [node for node in nodes if node.kind == PERSON]
    others = [node for node in nodes if node.kind != PERSON]
    neighbours: dict[str, list[str]] = {node.id: [] for node in nodes}
    for edge in edges:
        if edge.source in neighbours and edge.target in neighbours and edge.source != edge.target:
            neighbours[edge.source].append(edge.target)
            neighbours[edge.target].append(edge.source)
    # Two neighbours on the inner ring stand a box's width apart (the chord), at least.
    inner = 0.0 if len(persons) <= 1 else max(80.0, (NODE_WIDTH / 2 + 12) / math.sin(math.pi / len(persons)))
    outer = max(inner + 150, 230.0, len(others) * 74 / (2 * math.pi))
    angle: dict[str, float] = {}
    position: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(persons):
        a = -math.pi / 2 + 2 * math.pi * index / max(len(persons), 1)
        angle[node.id] = a
        position[node.id] = (inner * math.cos(a), inner * math.sin(a))
    wanted: dict[str, float] = {}
    for _round in range(3):  # things linked only to things follow those placed before them
        for node in others:
            if node.id in wanted:
                continue
            known = [angle.get(n, wanted.get(n)) for n in neighbours[node.id]]
            known = [a for a in known if a is not None]
            if known:
                wanted[node.id] = _circular_mean(known)
    order = {kind: index for index, kind in enumerate(NODE_KINDS)}
    ranked = sorted(
        enumerate(others),
        key=lambda item: (
            item[1].id not in wanted,
            (wanted.get(item[1].id, 0.0) + math.pi / 2) % (2 * math.pi),
            order.get(item[1].kind, len(order)),
            item[0],
        ),
    )
    count = max(len(others), 1)
    first = wanted.get(ranked[0][1].id, -math.pi / 2) if ranked else 0.0
    for slot, (_index, node) in enumerate(ranked):
        a = first + 2 * math.pi * slot / count
        position[node.id] = (outer * math.cos(a), outer * math.sin(a))
    return position, outer if others else inner


def association_chart(*, title: str, nodes: Sequence[Node], edges: Sequence[Edge], width: int = 960) -> SafeString:
    """The persons on an inner ring, the places, vehicles, phones, accounts, operations and
    complaints on an outer ring next to the persons they are linked with (`_layout`); a link is a
    line between two elements, labelled at its middle; a colour per kind, with its key. Drawn at
    its natural size in the viewBox and shown `width` wide (a large case scales down: the table
    below has every element)."""
    kinds = [kind for kind in NODE_KINDS if any(node.kind == kind for node in nodes)]
    kinds += sorted({node.kind for node in nodes} - set(kinds))
    position, radius = _layout(nodes, edges)
    half_w = max(radius + NODE_WIDTH / 2 + 12, width / 2)
    half_h = radius + NODE_HEIGHT / 2 + 16
    centre_x, centre_y = half_w, LEGEND + half_h
    view_w, view_h = 2 * half_w, LEGEND + 2 * half_h
    chars = int((NODE_WIDTH - 10) / CHAR_WIDTH)
    body: list[str] = []
    x = 8.0
    for kind in kinds:  # the key
        name = str(NODE_KINDS.get(kind, kind))
        body.append(
            f'<rect x="{x:.1f}" y="8" width="14" height="14" rx="{7 if kind == PERSON else 2}" fill="#ffffff" '
            f'stroke="{_colour(kinds, kind)}" stroke-width="2.5"/>'
        )
        body.append(_text(x + 20, 19, name))
        x += 20 + len(name) * CHAR_WIDTH + 18
    at = {node_id: (centre_x + px, centre_y + py) for node_id, (px, py) in position.items()}
    for edge in edges:
        if edge.source not in at or edge.target not in at:
            continue
        (x1, y1), (x2, y2) = at[edge.source], at[edge.target]
        tip = escape(edge.label)
        if edge.source == edge.target:
            continue
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        body.append(
            f'<g class="edge" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}">'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#6b6b6b" stroke-width="1.2">'
            f"<title>{tip}</title></line>"
            f'<rect x="{mx - min(len(edge.label), 20) * 2.6 - 2:.1f}" y="{my - 8:.1f}" '
            f'width="{min(len(edge.label), 20) * 5.2 + 4:.1f}" height="11" fill="#ffffff" fill-opacity="0.85"/>'
            f"{_text(mx, my + 1, _truncate(edge.label, 20), size=9, anchor='middle')}</g>"
        )
    for node in nodes:
        cx, cy = at[node.id]
        colour = _colour(kinds, node.kind)
        rounded = 16 if node.kind == PERSON else 2
        tip = f"{node.label} · {node.role}" if node.role else node.label
        body.append(
            f'<g class="node" data-node="{escape(node.id)}" data-kind="{escape(node.kind)}">'
            f'<rect x="{cx - NODE_WIDTH / 2:.1f}" y="{cy - NODE_HEIGHT / 2:.1f}" width="{NODE_WIDTH}" '
            f'height="{NODE_HEIGHT}" rx="{rounded}" fill="#ffffff" stroke="{colour}" stroke-width="2.5">'
            f"<title>{escape(tip)}</title></rect>"
            f"{_text(cx, cy - 2 if node.role else cy + 4, _truncate(node.label, chars), anchor='middle')}"
            + (_text(cx, cy + 12, _truncate(node.role, chars + 2), size=9, anchor="middle") if node.role else "")
            + "</g>"
        )
    if not nodes:
        body.append(_text(view_w / 2, LEGEND + 30, str(_("Nothing to draw yet.")), anchor="middle"))
        view_h = LEGEND + 50
    desc = _("{nodes} elements and {edges} links; the table below lists them.").format(
        nodes=len(nodes), edges=len(edges)
    )
    scale = width / view_w
    return _svg(view_w, view_h, title, str(desc), body, "association-chart", shown=(width, view_h * scale))


# ---------------------------------------------------------------- the event timeline

EVENT_ROW = 24


def timeline_chart(*, title: str, events: Sequence[Event], width: int = 960) -> SafeString:
    """The events oldest first on a vertical axis: the date to the left, a mark coloured by kind,
    the kind and the label to the right (a link when the event has a page). A gap of more than 30
    days between two events is marked on the axis."""
    events = sorted_events(events)
    kinds = list(EVENT_KINDS)
    axis = 110
    chars = int((width - axis - 30) / CHAR_WIDTH)
    body: list[str] = []
    y = 20.0
    previous: datetime.date | None = None
    marks: list[str] = []
    for event in events:
        if previous is not None and (event.day - previous).days > 30:
            gap = _("{days} days later").format(days=(event.day - previous).days)
            marks.append(_text(axis + 14, y + 2, str(gap), size=9))
            marks.append(f'<line x1="{axis - 5}" y1="{y - 4:.1f}" x2="{axis + 5}" y2="{y - 8:.1f}" stroke="{INK}"/>')
            y += 16
        colour = _colour(kinds, event.kind)
        day = formats.date_format(event.day, "d/m/Y")
        label = _truncate(f"{event.kind_label}: {event.label}", chars)
        text = _text(axis + 14, y + 4, label)
        if event.url:
            text = f'<a href="{escape(event.url)}">{text}</a>'
        marks.append(
            f'<g class="event" data-kind="{escape(event.kind)}" data-day="{event.day.isoformat()}">'
            f"{_text(axis - 12, y + 4, day, anchor='end')}"
            f'<circle cx="{axis}" cy="{y:.1f}" r="6" fill="{colour}" stroke="{INK}" stroke-width="0.8">'
            f"<title>{escape(f'{day} · {event.kind_label}: {event.label}')}</title></circle>{text}</g>"
        )
        previous = event.day
        y += EVENT_ROW
    if events:
        body.append(f'<line x1="{axis}" y1="12" x2="{axis}" y2="{y - EVENT_ROW + 8:.1f}" stroke="{INK}"/>')
    else:
        body.append(_text(width / 2, 30, str(_("Nothing to draw yet.")), anchor="middle"))
        y = 50
    body += marks
    desc = _("{count} events, oldest first; the table below lists them.").format(count=len(events))
    return _svg(width, y + 6, title, str(desc), body, "timeline-chart")


__all__ = [
    "EVENT_KINDS",
    "NODE_KINDS",
    "Edge",
    "Event",
    "Node",
    "association_chart",
    "sorted_events",
    "timeline_chart",
]
