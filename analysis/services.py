"""The writes of cross-case decisions (issue 12, item 2): confirm a candidate (the identities are
merged by `people.services.identity_merge`), reject it (never proposed again), undo a confirmation
(`people.services.identity_unmerge`). Each in one transaction, audited, append-only rows.

May import: `people`, `audit`, `analysis.models`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from analysis.models import CandidatePair, MatchDecision
from audit.events import AuditEventType
from audit.services import audit_record
from people.models import Identity
from people.services import MergeError, identity_merge, identity_unmerge

__all__ = ["MergeError", "decided_others", "decided_pairs", "match_confirm", "match_reject", "match_undo", "pair"]


def pair(a: Identity | int, b: Identity | int) -> tuple[int, int]:
    """The ids of a pair in pk order."""
    first, second = (getattr(a, "pk", a), getattr(b, "pk", b))
    return (first, second) if first < second else (second, first)


def decided_pairs(identity_ids: Any = None) -> set[tuple[int, int]]:
    """Every pair an analyst decided on (confirmed, rejected or undone: never proposed again), in
    both orders, restricted to pairs touching `identity_ids` when given."""
    rows = MatchDecision.objects.all()
    if identity_ids is not None:
        ids = list(identity_ids)
        rows = rows.filter(identity_a__in=ids) | rows.filter(identity_b__in=ids)
    pairs = set()
    for a, b in rows.values_list("identity_a", "identity_b"):
        pairs |= {(a, b), (b, a)}
    return pairs


# The decisions of some identities, read at once by `decisions_read` for `decided_others`.
_DECIDED: ContextVar[dict[int, list[int]] | None] = ContextVar("analysis_decided", default=None)


@contextmanager
def decisions_read(identity_ids: Iterable[int]) -> Iterator[set[tuple[int, int]]]:
    """The decided pairs of `identity_ids` (`decided_pairs`: both orders), read in one query;
    inside the block `decided_others` answers for these identities from them (the candidate
    queue's refresh of several identities: one query, not two per identity)."""
    ids = set(identity_ids)
    pairs = decided_pairs(ids)
    others: dict[int, list[int]] = {pk: [] for pk in ids}
    for a, b in pairs:
        if a in others:
            others[a].append(b)
    token = _DECIDED.set(others)
    try:
        yield pairs
    finally:
        _DECIDED.reset(token)


def decided_others(identity_id: int) -> list[int]:
    """The identities paired with `identity_id` in any decision: the exclusion hook registered
    with `analysis.candidates.register_exclusion`, so that every caller of `candidates_for`
    (network view, exports, seen elsewhere) never proposes a decided pair again."""
    known = _DECIDED.get()
    if known is not None and identity_id in known:  # read by decisions_read
        return known[identity_id]
    rows = MatchDecision.objects.filter(identity_a=identity_id).values_list("identity_b", flat=True)
    return list(rows) + list(MatchDecision.objects.filter(identity_b=identity_id).values_list("identity_a", flat=True))


def _check(reason: str, a: Identity, b: Identity) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Give the reason for the decision."))
    if a.pk == b.pk:
        raise MergeError(_("Choose two different identities."))
    return reason


def _decision(actor: Any, a: Identity, b: Identity, decision: str, reason: str, candidate: Any, **extra: Any) -> Any:
    first, second = pair(a, b)
    CandidatePair.objects.filter(identity_a=first, identity_b=second).delete()  # decided: leaves the queue
    return MatchDecision.objects.create(
        identity_a_id=first,
        identity_b_id=second,
        decision=decision,
        reason=reason,
        decided_by=actor,
        score=getattr(candidate, "score", None),
        reasons="\n".join(getattr(candidate, "reasons", None) or []),
        **extra,
    )


@transaction.atomic
def match_confirm(actor: Any, a: Identity, b: Identity, reason: str, candidate: Any = None) -> MatchDecision:
    """The two identities are the same person: their survivors are merged (the older one, lower
    pk, survives). Two analysts confirming the same pair at once merge it once: the second gets
    MergeError (people.services locks both identities and checks again)."""
    reason = _check(reason, a, b)
    if MatchDecision.objects.filter(
        identity_a=pair(a, b)[0], identity_b=pair(a, b)[1], decision=MatchDecision.Decision.REJECTED
    ).exists():
        raise MergeError(_("This pair has already been rejected."))
    fresh = Identity.objects.in_bulk([a.pk, b.pk])  # the objects given may predate another merge
    root_a, root_b = fresh[a.pk].resolved(), fresh[b.pk].resolved()
    if root_a.pk == root_b.pk:
        raise MergeError(_("These identities are already the same person."))
    survivor, merged = (root_a, root_b) if root_a.pk < root_b.pk else (root_b, root_a)
    merge = identity_merge(actor, survivor, merged, reason, candidate=candidate)
    decision = _decision(actor, a, b, MatchDecision.Decision.CONFIRMED, reason, candidate, merge=merge)
    audit_record(
        event=AuditEventType.MATCH_CONFIRMED,
        obj=decision,
        actor=actor,
        object_repr=str(decision),
        details={"identities": list(pair(a, b)), "merge": merge.pk, "score": decision.score},
    )
    return decision


@transaction.atomic
def match_reject(actor: Any, a: Identity, b: Identity, reason: str, candidate: Any = None) -> MatchDecision:
    """The two identities are different persons: remembered, never proposed again."""
    reason = _check(reason, a, b)
    list(Identity.objects.select_for_update().filter(pk__in=pair(a, b)).order_by("pk"))
    if MatchDecision.objects.filter(identity_a=pair(a, b)[0], identity_b=pair(a, b)[1]).exists():
        raise MergeError(_("There is already a decision on this pair."))
    decision = _decision(actor, a, b, MatchDecision.Decision.REJECTED, reason, candidate)
    audit_record(
        event=AuditEventType.MATCH_REJECTED,
        obj=decision,
        actor=actor,
        object_repr=str(decision),
        details={"identities": list(pair(a, b)), "score": decision.score},
    )
    return decision


@transaction.atomic
def match_undo(actor: Any, merge: Any, reason: str) -> Any:
    """Undo a merge (people.services.identity_unmerge) and, when a confirmed decision made it, add
    the reversal row of that decision. The pair stays decided: it is not proposed again."""
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Give the reason for undoing the merge."))
    unmerge = identity_unmerge(actor, merge, reason)
    confirmed = MatchDecision.objects.filter(merge=merge, decision=MatchDecision.Decision.CONFIRMED).first()
    if confirmed is not None:
        MatchDecision.objects.create(
            identity_a_id=confirmed.identity_a_id,
            identity_b_id=confirmed.identity_b_id,
            decision=MatchDecision.Decision.UNDONE,
            reason=reason,
            decided_by=actor,
            score=confirmed.score,
            reasons=confirmed.reasons,
            merge=merge,
            reverses=confirmed,
        )
    return unmerge
