"""The candidates an analyst is shown (issue 12, items 2 and 3): pairs from the match index
(`analysis.candidates.candidates_for`), without the pairs already decided (`exclude_pairs`), nor
pairs of one family (already merged), ordered by score. DIVINTRAP sees every candidate; a
regional investigator those whose both sides she may see, and a count of the others.

The national list walks the most recent identities that are survivors (`SCAN` at most) and asks
the index for each: the index's blocking keys keep each call small.

May import: `administration`, `people`, `analysis`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from administration.access import scope_of
from administration.models import Unit
from analysis.seen import unit_paths, visible_identity_ids
from analysis.services import decided_pairs
from people.models import Identity

SCAN = 300


@dataclass(frozen=True)
class Row:
    a: int
    b: int
    score: float
    reasons: list[str]
    strong: bool


@dataclass
class Queue:
    rows: list[Row]
    outside_count: int


def _roots(ids: Iterable[int]) -> dict[int, int]:
    """The survivor of each identity (following merged_into; one query per level)."""
    ids = set(ids)
    parent = dict(Identity.objects.filter(pk__in=ids).values_list("pk", "merged_into"))
    pending = {p for p in parent.values() if p is not None and p not in parent}
    while pending:
        more = dict(Identity.objects.filter(pk__in=pending).values_list("pk", "merged_into"))
        parent.update(more)
        pending = {p for p in more.values() if p is not None and p not in parent}

    def root(pk: int) -> int:
        seen = set()
        while parent.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parent[pk]
        return pk

    return {pk: root(pk) for pk in ids}


def candidate_rows(identity_ids: Iterable[int], *, limit: int = 50) -> list[Row]:
    """Undecided candidates of these identities, pairs in pk order, one row per pair."""
    from analysis.candidates import candidates_for

    ids = list(identity_ids)
    excluded = decided_pairs(ids)
    found: dict[tuple[int, int], Row] = {}
    for pk in ids:
        for candidate in candidates_for(pk, limit=limit, exclude_pairs=excluded):
            a, b = sorted((candidate.identity_id, candidate.other_id))
            if (a, b) in excluded or a == b:
                continue
            row = Row(a, b, float(candidate.score), list(candidate.reasons), bool(candidate.strong))
            if (a, b) not in found or found[(a, b)].score < row.score:
                found[(a, b)] = row
    roots = _roots({pk for pair in found for pk in pair})
    return [row for row in found.values() if roots[row.a] != roots[row.b]]


def _in_region(rows: list[Row], region: Unit) -> list[Row]:
    paths = unit_paths({pk for row in rows for pk in (row.a, row.b)})
    return [
        row for row in rows if any(path.startswith(region.path) for pk in (row.a, row.b) for path in paths.get(pk, ()))
    ]


def queue_for(user: Any, *, strong_only: bool = False, region: Unit | None = None, limit: int = 100) -> Queue:
    """The candidates `user` may decide on, best first, and how many lie (partly) outside her scope."""
    scope = scope_of(user)
    survivors = Identity.objects.filter(merged_into__isnull=True).order_by("-pk").values_list("pk", flat=True)
    ids = list(survivors[:SCAN])
    if not scope.is_national:
        ids = sorted(visible_identity_ids(user, ids), reverse=True)
    rows = candidate_rows(ids)
    if strong_only:
        rows = [row for row in rows if row.strong]
    if region is not None:
        rows = _in_region(rows, region)
    outside = 0
    if not scope.is_national:
        seen = visible_identity_ids(user, {pk for row in rows for pk in (row.a, row.b)})
        inside = [row for row in rows if row.a in seen and row.b in seen]
        outside = len(rows) - len(inside)
        rows = inside
    rows.sort(key=lambda row: (-row.score, row.a, row.b))
    return Queue(rows=rows[:limit], outside_count=outside)


def candidate_for_pair(a: int, b: int) -> Row | None:
    """The candidate of this pair as the index scores it now (None: the index proposes nothing)."""
    from analysis.candidates import candidate_between

    found = candidate_between(a, b)
    if found is None:
        return None
    first, second = sorted((a, b))
    return Row(first, second, float(found.score), list(found.reasons), bool(found.strong))
