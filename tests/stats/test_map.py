"""The statistics map: real department outlines shipped in fixtures/, every symbol inside its
department, and Lima's and Callao's symbols apart."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from django.conf import settings

from stats.charts import department_outlines, peru_map, point_in_rings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "map" / "peru_departments.json"
DEPARTMENTS = json.loads((Path(settings.BASE_DIR) / "fixtures" / "ubigeo" / "departments.json").read_text("utf-8"))


def _points(counts: dict[str, int]) -> list[dict]:
    return [
        {
            "code": row["code"],
            "name": row["display_name"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "count": counts.get(row["code"], 1),
        }
        for row in DEPARTMENTS
    ]


def _paths(svg: str) -> dict[str, list[list[tuple[float, float]]]]:
    """The outline of each department as drawn (SVG coordinates)."""
    shapes = {}
    for d, code in re.findall(r'<path d="([^"]+)"[^>]*data-department="(\d\d)"', svg):
        rings = []
        for part in d.split("M")[1:]:
            rings.append([tuple(float(v) for v in pair.split(",")) for pair in part.replace("Z", "").split(" L")])
        shapes[code] = rings
    return shapes


def _circles(svg: str) -> dict[str, tuple[float, float, float]]:
    found = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"[^>]*data-department="(\d\d)"', svg)
    return {code: (float(x), float(y), float(r)) for x, y, r, code in found}


def test_the_outlines_are_the_25_departments_in_a_few_kilobytes() -> None:
    outlines = department_outlines()
    assert sorted(outlines) == sorted(row["code"] for row in DEPARTMENTS)
    assert "07" in outlines and "15" in outlines  # Callao and Lima
    assert FIXTURE.stat().st_size < 16_000
    source = (FIXTURE.parent / "SOURCE.md").read_text("utf-8")
    assert "Natural Earth" in source and "public domain" in source


def test_the_map_draws_every_department_outline() -> None:
    svg = str(peru_map(title="Mapa", points=_points({})))
    assert sorted(_paths(svg)) == sorted(row["code"] for row in DEPARTMENTS)
    assert "Natural Earth" in svg  # the attribution


@pytest.mark.parametrize(
    "counts",
    [{}, {"15": 500, "07": 500}, {"15": 500, "07": 1}, {"15": 1, "07": 500}, {"15": 0, "07": 40, "12": 40}],
)
def test_every_symbol_sits_inside_its_department_and_lima_and_callao_do_not_overlap(counts: dict) -> None:
    svg = str(peru_map(title="Mapa", points=_points(counts)))
    shapes, circles = _paths(svg), _circles(svg)
    assert len(circles) == 25
    for code, (x, y, _r) in circles.items():
        if code == "07":
            continue
        assert point_in_rings(x, y, shapes[code]), code
    # Callao is too small for a symbol: its symbol is out at sea, tied to Callao by a leader line.
    line = re.search(r'<line class="leader" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"', svg)
    assert line is not None
    assert point_in_rings(float(line[1]), float(line[2]), shapes["07"])
    cx, cy, cr = circles["07"]
    assert math.isclose(float(line[3]), cx + cr, abs_tol=0.11) and math.isclose(float(line[4]), cy, abs_tol=0.11)
    lx, ly, lr = circles["15"]
    assert math.hypot(cx - lx, cy - ly) >= cr + lr  # the two symbols do not overlap


def test_the_symbol_points_are_inside_the_outlines_in_degrees() -> None:
    for code, shape in department_outlines().items():
        assert point_in_rings(*shape["point"], shape["rings"]), code
