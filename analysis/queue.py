"""The candidates an analyst is shown (issue 12, items 2 and 3), kept as a stored queue
(`analysis.models.CandidatePair`) so that the national list is a paginated read whatever the
size of the country's records, and a candidate of an identity recorded years ago is listed like
today's.

Writing the queue (derived data, like the match index):

- `refresh_identities(ids)`: after the keys of identities were rewritten (`analysis.index_work`,
  on commit or by the worker), each one's pairs are computed again by the index (`candidates_for`, which already
  skips every decided pair: `register_exclusion`) and its rows are upserted, the rows it no
  longer has deleted. The whole merged family of each identity is refreshed with it: a merge
  (`merged_into` set) drops the pairs inside the new family, an unmerge brings back the pairs
  between the two sides (never a decided one).
- `identities_indexed(function_name, args)`: which identities an index call touches (the
  holders of things of case files before and after the call), for `analysis.index_work`.
- A decision drops its pair at once (`analysis.services._decision`, in its transaction), and the
  list never reads a decided pair, whatever a late refresh wrote.
- `rebuild(chunk_size)`: every identity of the index, in chunks (`manage.py
  rebuild_candidate_queue`); each chunk's rows that the index no longer proposes are deleted
  with it.

Reading it: `queue_page(user, filters, page)` (the list: score first, then the newest identity;
filters strong only, region, minimum score). DIVINTRAP sees every pair; a regional investigator
the pairs whose both identities have a record in her scope (the `visible_to` of complaints and
case files: `analysis.seen.visible_identity_sources`), and the count of the pairs she sees one
side of. A fixed number of queries per page.

Reasons are stored as the stable codes of `analysis.candidates` (`same_dni`...) and turned into
labels when shown (the `reason_labels` filter), so each user reads them in her language.

Reasons: stored, not recomputed at display (that would be a search of the index per row shown).

May import: `administration`, `people`, `analysis`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone, translation

from administration.access import scope_of
from administration.models import Unit
from analysis.models import CandidatePair, MatchDecision, MatchKey
from analysis.seen import identities_recorded_under, visible_identity_sources
from analysis.services import decisions_read
from people.models import Identity

PER_PAGE = 25


@dataclass(frozen=True)
class Row:
    a: int
    b: int
    score: float
    reasons: list[str]
    strong: bool


@dataclass(frozen=True)
class Filters:
    strong_only: bool = False
    region: Unit | None = None
    min_score: float | None = None


@dataclass
class QueuePage:
    page: Page
    rows: list[Row]
    outside_count: int


# ---------------------------------------------------------------- families


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


def _families(ids: Iterable[int]) -> set[int]:
    """These identities and every identity of their merged families (one query per level)."""
    roots = set(_roots(ids).values())
    found, frontier = set(roots), set(roots)
    while frontier:
        frontier = set(Identity.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found | set(ids)


# ---------------------------------------------------------------- writing the queue


def _pairs_of(identity_ids: Iterable[int]) -> dict[int, dict[tuple[int, int], CandidatePair]]:
    """The pairs the index proposes now for each identity (decided pairs and pairs of one family
    left out), as unsaved rows, reasons untranslated."""
    from analysis.candidates import candidates_for

    found: dict[int, dict[tuple[int, int], CandidatePair]] = {}
    now = timezone.now()
    with translation.override(None):  # the source strings: translated when shown
        for pk in identity_ids:
            rows: dict[tuple[int, int], CandidatePair] = {}
            for candidate in candidates_for(pk, limit=None):
                a, b = sorted((candidate.identity_id, candidate.other_id))
                if a == b:
                    continue
                rows[(a, b)] = CandidatePair(
                    identity_a_id=a,
                    identity_b_id=b,
                    score=float(candidate.score),
                    strong=bool(candidate.strong),
                    reasons="\n".join(str(reason) for reason in candidate.reasons),
                    computed_at=now,
                )
            found[pk] = rows
    roots = _roots({pk for rows in found.values() for pair in rows for pk in pair})
    return {
        pk: {pair: row for pair, row in rows.items() if roots[pair[0]] != roots[pair[1]]} for pk, rows in found.items()
    }


def _upsert(rows: list[CandidatePair]) -> None:
    # MariaDB's ON DUPLICATE KEY UPDATE takes no target: the pair's unique constraint is the key.
    target = ["identity_a", "identity_b"] if connection.features.supports_update_conflicts_with_target else None
    CandidatePair.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=target,
        update_fields=["score", "strong", "reasons", "computed_at"],
    )


def refresh_identities(identity_ids: Iterable[int]) -> int:
    """Compute again the pairs of these identities and of their merged families, and write them:
    new and changed pairs upserted, pairs they no longer have deleted. Returns the pairs kept."""
    ids = {pk for pk in identity_ids if pk is not None}
    if not ids:
        return 0
    ids = _families(ids)
    with decisions_read(ids) as decisions:  # read once, for candidates_for's exclusion hook too
        fresh = _pairs_of(sorted(ids))
    rows = {pair: row for pairs in fresh.values() for pair, row in pairs.items()}
    decided = set(decisions)
    rows = {pair: row for pair, row in rows.items() if pair not in decided}
    with transaction.atomic():
        held = CandidatePair.objects.filter(Q(identity_a__in=ids) | Q(identity_b__in=ids))
        stale = [pk for pk, a, b in held.values_list("pk", "identity_a", "identity_b") if (a, b) not in rows]
        if stale:
            CandidatePair.objects.filter(pk__in=stale).delete()
        _upsert(list(rows.values()))
    return len(rows)


def identities_indexed(function_name: str, args: tuple) -> set[int]:
    """The identities whose candidates an index call (`index_identity(pk)`, `index_records(label,
    pks)`) may change, read from the index: called before the call (the old holders of a thing)
    and after it (the new ones)."""
    if function_name == "index_identity":
        return {args[0]}
    if function_name == "index_records" and len(args) == 2:
        label, pks = args
        pks = list(pks)
        found = set(
            MatchKey.objects.filter(source_model=label, source_pk__in=pks, identity__isnull=False).values_list(
                "identity_id", flat=True
            )
        )
        if label == "people.identity":
            found |= set(pks)
        elif label.startswith(("people.", "complaints.")):
            model = apps.get_model(label)
            if any(f.name == "identity" for f in model._meta.fields):
                found |= set(
                    model._base_manager.filter(pk__in=pks, identity__isnull=False).values_list("identity_id", flat=True)
                )
        return found
    return set()


@dataclass
class RebuildReport:
    identities: int = 0
    pairs: int = 0
    strong: int = 0
    deleted: int = 0
    seconds: float = 0.0
    chunks: int = 0


def _chunks(size: int) -> Iterator[list[int]]:
    """The identities of the index in pk order, `size` at a time (a keyset walk: no cursor kept
    open while the chunks are written)."""
    last = 0
    while True:
        chunk = list(
            MatchKey.objects.filter(identity__isnull=False, identity_id__gt=last)
            .order_by("identity_id")
            .values_list("identity_id", flat=True)
            .distinct()[:size]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def rebuild(*, chunk_size: int = 1000, progress: Callable[[RebuildReport], None] | None = None) -> RebuildReport:
    """Write the queue again from the whole index: the pairs of every identity with keys, one
    chunk of identities per transaction, each chunk's old rows that the index no longer proposes
    deleted with it (the list stays usable while it runs)."""
    report = RebuildReport()
    started = time.monotonic()
    decided = set(MatchDecision.objects.values_list("identity_a", "identity_b"))
    low = 0
    for chunk in _chunks(chunk_size):
        fresh = _pairs_of(chunk)
        # A pair is found from both sides: written once, from its first identity's.
        rows = {
            pair: row
            for pk, pairs in fresh.items()
            for pair, row in pairs.items()
            if pk == pair[0] and pair not in decided
        }
        with transaction.atomic():
            held = CandidatePair.objects.filter(identity_a__gt=low, identity_a__lte=chunk[-1])
            stale = [pk for pk, a, b in held.values_list("pk", "identity_a", "identity_b") if (a, b) not in rows]
            report.deleted += CandidatePair.objects.filter(pk__in=stale).delete()[0] if stale else 0
            _upsert(list(rows.values()))
        low = chunk[-1]
        report.identities += len(chunk)
        report.pairs += len(rows)
        report.strong += sum(row.strong for row in rows.values())
        report.chunks += 1
        if progress is not None:
            progress(report)
    report.deleted += CandidatePair.objects.filter(identity_a__gt=low).delete()[0]
    report.seconds = time.monotonic() - started
    return report


# ---------------------------------------------------------------- reading the queue


def _pairs_with(side: str, sources: list[Any]) -> Q:
    """The pairs whose identity `side` ("identity_a"/"identity_b") is one of the sources'."""
    condition = Q()
    for source in sources:
        condition |= Q(**{f"{side}__in": source})
    return condition


def _filtered(filters: Filters) -> Any:
    decided = MatchDecision.objects.filter(identity_a=OuterRef("identity_a"), identity_b=OuterRef("identity_b"))
    pairs = CandidatePair.objects.filter(~Exists(decided))
    if filters.strong_only:
        pairs = pairs.filter(strong=True)
    if filters.min_score is not None:
        pairs = pairs.filter(score__gte=filters.min_score)
    if filters.region is not None:
        recorded = identities_recorded_under(filters.region)
        pairs = pairs.filter(_pairs_with("identity_a", recorded) | _pairs_with("identity_b", recorded))
    return pairs


def _row(pair: CandidatePair) -> Row:
    return Row(pair.identity_a_id, pair.identity_b_id, pair.score, list(pair.reason_lines), pair.strong)


def queue_page(user: Any, filters: Filters | None = None, page: Any = 1, *, per_page: int = PER_PAGE) -> QueuePage:
    """One page of the candidates `user` may decide on (score first, then the newest identity),
    and how many pairs she sees one side of only. Four queries whatever the queue's size."""
    filters = filters or Filters()
    pairs = _filtered(filters)
    outside = 0
    if not scope_of(user).is_national:
        visible = visible_identity_sources(user)
        a_seen, b_seen = _pairs_with("identity_a", visible), _pairs_with("identity_b", visible)
        counts = pairs.aggregate(
            touching=Count("pk", filter=a_seen | b_seen), inside=Count("pk", filter=a_seen & b_seen)
        )
        outside = counts["touching"] - counts["inside"]
        pairs = pairs.filter(a_seen).filter(b_seen)
    ordered = pairs.order_by("-score", "-identity_b", "-identity_a").only(
        "identity_a", "identity_b", "score", "strong", "reasons"
    )
    shown = Paginator(ordered, per_page).get_page(page)
    return QueuePage(page=shown, rows=[_row(pair) for pair in shown.object_list], outside_count=outside)


@dataclass
class Queue:
    rows: list[Row]
    outside_count: int


def queue_for(user: Any, *, strong_only: bool = False, region: Unit | None = None, limit: int = 100) -> Queue:
    """The first `limit` candidates `user` may decide on, and how many lie (partly) outside her scope."""
    found = queue_page(user, Filters(strong_only=strong_only, region=region), 1, per_page=limit)
    return Queue(rows=found.rows, outside_count=found.outside_count)


def candidate_for_pair(a: int, b: int) -> Row | None:
    """The candidate of this pair as the index scores it now (None: the index proposes nothing)."""
    from analysis.candidates import candidate_between

    found = candidate_between(a, b)
    if found is None:
        return None
    first, second = sorted((a, b))
    return Row(first, second, float(found.score), list(found.reasons), bool(found.strong))
