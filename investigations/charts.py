"""The charts of a case file, drawn on the server as SVG (issue 11, item 6): the association chart
(persons, complaints, places, vehicles, phones, accounts and the links between them) and the event
timeline. No JavaScript, no chart library, nothing fetched.

Pure functions over plain values (`Node`, `Edge`, `Event`): what they draw is decided by
investigations.chart_data, which masks the persons as the case file's page does; here every label
is escaped. The layout is deterministic (the same data draws the same picture): the nodes stand in
one column per kind, in the order given; the events on a vertical axis, oldest first. Each SVG has
`role="img"`, a `<title>` and a `<desc>`, a `<title>` per mark, only presentation attributes (the
CSP forbids inline styles) and fits a 1024 px screen and an A4 page; the table beside it (the
template) holds the same facts.

May import: django (safestring, translation, utils) only.
"""

from __future__ import annotations

import datetime
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

PERSON, COMPLAINT, PLACE, VEHICLE, PHONE, ACCOUNT, OPERATION = (
    "person",
    "complaint",
    "place",
    "vehicle",
    "phone",
    "account",
    "operation",
)
NODE_KINDS = {
    PERSON: pgettext_lazy("chart", "Persons"),
    PHONE: pgettext_lazy("chart", "Phones"),
    ACCOUNT: pgettext_lazy("chart", "Social-network accounts"),
    VEHICLE: pgettext_lazy("chart", "Vehicles"),
    PLACE: pgettext_lazy("chart", "Places"),
    OPERATION: pgettext_lazy("chart", "Operations"),
    COMPLAINT: pgettext_lazy("chart", "Complaints"),
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


def _svg(width: float, height: float, title: str, desc: str, body: list[str], css_class: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside was escaped here
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="{css_class}-title {css_class}-desc">'
        f'<title id="{css_class}-title">{escape(title)}</title><desc id="{css_class}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


# ---------------------------------------------------------------- the association chart

NODE_WIDTH = 150
NODE_HEIGHT = 34
ROW = 50
HEADER = 28


def association_chart(*, title: str, nodes: Sequence[Node], edges: Sequence[Edge], width: int = 960) -> SafeString:
    """One column per kind of node (persons, phones, accounts, vehicles, places, operations,
    complaints: only the kinds present), the nodes in the order given; a link is a line between two
    nodes, labelled at its middle (a link inside one column bends to the left)."""
    kinds = [kind for kind in NODE_KINDS if any(node.kind == kind for node in nodes)]
    kinds += sorted({node.kind for node in nodes} - set(kinds))
    columns = {kind: [node for node in nodes if node.kind == kind] for kind in kinds}
    slot = width / max(len(kinds), 1)
    box = min(NODE_WIDTH, slot - 40)
    chars = max(int((box - 10) / CHAR_WIDTH), 6)
    position: dict[str, tuple[float, float]] = {}
    for index, kind in enumerate(kinds):
        cx = slot * index + slot / 2
        for row, node in enumerate(columns[kind]):
            position[node.id] = (cx, HEADER + 20 + row * ROW + NODE_HEIGHT / 2)
    rows = max((len(column) for column in columns.values()), default=0)
    height = HEADER + 20 + max(rows, 1) * ROW + 10
    body: list[str] = []
    for index, kind in enumerate(kinds):
        body.append(_text(slot * index + slot / 2, 18, str(NODE_KINDS.get(kind, kind)), anchor="middle", weight="b"))
    for edge in edges:
        if edge.source not in position or edge.target not in position:
            continue
        (x1, y1), (x2, y2) = position[edge.source], position[edge.target]
        tip = escape(edge.label)
        if x1 == x2:  # the same column: a curve to the left of the boxes
            bend = x1 - box / 2 - 24
            x1 = x2 = x1 - box / 2
            path = f"M{x1:.1f},{y1:.1f} C{bend:.1f},{y1:.1f} {bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
            mx, my = bend + 6, (y1 + y2) / 2
        else:
            sign = 1 if x2 > x1 else -1
            x1, x2 = x1 + sign * box / 2, x2 - sign * box / 2
            path = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - 3
        body.append(
            f'<g class="edge" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}">'
            f'<path d="{path}" fill="none" stroke="#5a5a5a" stroke-width="1.2"><title>{tip}</title></path>'
            f"{_text(mx, my, _truncate(edge.label, 22), size=9, anchor='middle')}</g>"
        )
    for node in nodes:
        cx, cy = position[node.id]
        colour = _colour(kinds, node.kind)
        radius = 14 if node.kind == PERSON else 2
        tip = f"{node.label} · {node.role}" if node.role else node.label
        body.append(
            f'<g class="node" data-node="{escape(node.id)}" data-kind="{escape(node.kind)}">'
            f'<rect x="{cx - box / 2:.1f}" y="{cy - NODE_HEIGHT / 2:.1f}" width="{box:.1f}" height="{NODE_HEIGHT}" '
            f'rx="{radius}" fill="#ffffff" stroke="{colour}" stroke-width="2.5"><title>{escape(tip)}</title></rect>'
            f"{_text(cx, cy - 2 if node.role else cy + 4, _truncate(node.label, chars), anchor='middle')}"
            + (_text(cx, cy + 12, _truncate(node.role, chars + 2), size=9, anchor="middle") if node.role else "")
            + "</g>"
        )
    if not nodes:
        body.append(_text(width / 2, HEADER + 30, str(_("Nothing to draw yet.")), anchor="middle"))
    desc = _("{nodes} elements and {edges} links; the table below lists them.").format(
        nodes=len(nodes), edges=len(edges)
    )
    return _svg(width, height, title, str(desc), body, "association-chart")


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
