"""The Human Trafficking Case Data Standard (HTCDS) v2: its core fields and picklists, read from
the copies in `htcds/data/` (never from outside the project).

Source: "Human Trafficking Case Data Standard (HTCDS) by IOM", CC BY 4.0
(http://creativecommons.org/licenses/by/4.0/); public repository UNMigration/HTCDS, toolkit
spreadsheet v2.0 (htcds/data/SOURCE.md). IOM does not endorse RETA.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

ATTRIBUTION = (
    'Vocabulary: "Human Trafficking Case Data Standard (HTCDS) by IOM", v2.0, licensed under '
    "CC BY 4.0 (http://creativecommons.org/licenses/by/4.0/). IOM does not endorse this export or RETA."
)


@cache
def core_fields() -> dict[str, str]:
    """The 37 core fields: system name → English label, in the template's order."""
    with (DATA / "core_fields.csv").open(encoding="utf-8", newline="") as handle:
        return {row["field_name"]: row["label"] for row in csv.DictReader(handle)}


@cache
def picklists() -> dict[str, tuple[str, ...]]:
    """Every picklist: its name → its values, in the standard's order (kept exactly as published)."""
    lists: dict[str, list[str]] = {}
    with (DATA / "picklists.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["list"], []).append(row["value"])
    return {name: tuple(values) for name, values in lists.items()}


def picklist(name: str) -> tuple[str, ...]:
    return picklists()[name]


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code → the standard's country name (the two picklists run in parallel)."""
    lists = picklists()
    codes, names = lists["Country Code"], lists["Country"]
    if len(codes) != len(names):
        raise ValueError("The HTCDS Country and Country Code picklists differ in length.")
    return dict(zip(codes, names, strict=True))
