"""Candidate matches: identities that may be the same person, and things (phones, plates,
accounts, places) that appear in more than one complaint or case file. Public interface of the
cross-case analysis, used by the analysts' decisions, "seen elsewhere", the network view and
the exports:

    Candidate(identity_id, other_id, score, reasons, strong)   reasons: codes of REASONS
    reason_labels(codes) -> list of labels in the user's language  (REASONS[code]; unknown text as is)
    candidates_for(identity_id, *, limit=50, exclude_pairs=()) -> list[Candidate]
    candidate_between(identity_id, other_id) -> Candidate | None
    register_exclusion(hook)            # hook(identity_id) -> iterable of other ids never proposed
    thing_matches(*, case_file_id=None, complaint_id=None, identity_id=None, kinds=None, limit=100)
        -> list[SharedKey]
    index_identity(identity_id) / index_records(label, pks)   (re-exported from analysis.indexing)

HOW A CANDIDATE IS FOUND (the rules, for analysts and lawyers)
--------------------------------------------------------------
A candidate is only a proposal: an analyst confirms or rejects it. Nothing is merged here.

1. Strong keys. Two identities sharing one of these is a candidate, whatever their names:
   the same document number (DNI, CE, passport, RUC; the number compared whatever type was
   ticked), the same phone number (E.164), the same vehicle plate (O read as 0, I as 1), the same
   social-network account, the same place (coordinates within about 110 m, or the same district
   and address). Reasons: "mismo DNI" (`same_dni`), "mismo teléfono" (`same_phone`), "misma
   placa" (`same_plate`), "misma cuenta de red social" (`same_account`), "mismo lugar"
   (`same_place`).
2. Names (weak keys). A name alone is never enough. Two identities are a candidate by name only
   when ALL of these hold:
   - the FIRST first name agrees (the same Spanish sound, or Jaro-Winkler similarity ≥ 0.90 —
     'María'/'Maria'/'Mária', 'Yesica'/'Jessica');
   - the whole names are similar (rapidfuzz token_sort_ratio ≥ 85 on the names without accents
     or case: a typo or a missing second surname passes, another surname does not);
   - and the same date of birth ("nombre parecido y misma fecha de nacimiento"), or, failing
     dates, years of birth (from a date or from an approximate age recorded in a complaint) at
     most 2 years apart ("nombre parecido y edad aproximada compatible").
   COMMON SURNAMES ALONE NEVER MAKE A CANDIDATE: sharing "Quispe", "Mamani", "Huamán", "Flores"
   or "Rodríguez" — or any surname — gives nothing without a strong key, or without the first
   name agreeing together with the birth date or age. Two "Quispe Mamani" born the same day
   with different first names are not proposed.
3. Support. A shared alias ("mismo alias") or a similar name adds to the score of a candidate
   found by 1 or 2 but never makes one by itself. Different dates of birth on both sides lower
   the score of a strong candidate and say so ("pero distinta fecha de nacimiento").
4. A key shared by more than `MAX_BLOCK` rows (a call centre's phone, a bus terminal) is
   treated as not telling people apart: it proposes no candidate (`thing_matches` still lists it).
5. Pairs an analyst has rejected (or already confirmed) are not proposed again: the decisions
   pass them in `exclude_pairs`, or register a hook once (`register_exclusion`).

Score (0-1): the strong keys combine as independent evidence, 1 - Π(1 - w), with w = 0.95 for a
document, 0.8 for a phone or an account, 0.7 for a plate, 0.5 for a place; a name candidate
scores 0.55 + 0.35 × similarity with the same birth date, 0.35 + 0.25 × similarity with a
compatible age; support adds 0.3 (similar name) or 0.2 (alias) the same way.

REASONS ARE CODES. A candidate's `reasons` are stable codes (the keys of `REASONS`: `same_dni`,
`similar_name_same_birth_date`...), never text: the decisions and merges store them as they are
(`MatchDecision.reasons`, `IdentityMerge.candidate_reasons`), so a stored reason does not change
language with the user who confirmed it. Pages translate them when they show them
(`reason_labels`, the `reason_labels` template filter of analysis_tags): English msgids, the
Spanish above in locale/es. A reason stored as text before the codes is shown as it was.

The search looks up only index rows sharing a key with the identity (`MatchKey` blocking keys,
index (key, kind, identity)): three queries (four when a document matches), whatever the size of
the country's records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import jellyfish
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from analysis.indexing import index_identity, index_records
from analysis.keys import spanish_phonetic
from analysis.models import BLOCKING_NAME_KINDS, SCORING_KINDS, STRONG_KINDS, KeyKind, MatchKey

__all__ = [
    "MAX_BLOCK",
    "REASONS",
    "Candidate",
    "KeyRecord",
    "SharedKey",
    "candidate_between",
    "candidates_for",
    "index_identity",
    "index_records",
    "reason_labels",
    "register_exclusion",
    "thing_matches",
]

MAX_BLOCK = 500
STRONG_WEIGHTS = {
    KeyKind.DOCUMENT: 0.95,
    KeyKind.PHONE: 0.8,
    KeyKind.ACCOUNT: 0.8,
    KeyKind.PLATE: 0.7,
    KeyKind.PLACE: 0.5,
}
# Why two identities may be the same person: a stable code (stored) and its label (shown).
REASONS = {
    "same_dni": _("same DNI"),
    "same_ce": _("same foreigner's card"),
    "same_passport": _("same passport"),
    "same_ruc": _("same RUC"),
    "same_document": _("same document number"),
    "same_phone": _("same phone"),
    "same_plate": _("same plate"),
    "same_account": _("same social-network account"),
    "same_place": _("same place"),
    "same_name_same_birth_date": _("same name and same date of birth"),
    "similar_name_same_birth_date": _("similar name and same date of birth"),
    "similar_name_compatible_age": _("similar name and compatible approximate age"),
    "similar_name": _("similar name"),
    "same_alias": _("same alias"),
    "different_birth_date": _("but a different date of birth"),
}
DOCUMENT_REASONS = {
    "dni": "same_dni",
    "ce": "same_ce",
    "passport": "same_passport",
    "ruc": "same_ruc",
}
KIND_REASONS = {
    KeyKind.DOCUMENT: "same_document",
    KeyKind.PHONE: "same_phone",
    KeyKind.PLATE: "same_plate",
    KeyKind.ACCOUNT: "same_account",
    KeyKind.PLACE: "same_place",
}
FIRST_NAME_SIMILARITY = 0.90
NAME_SIMILARITY = 85
AGE_TOLERANCE_YEARS = 2


def reason_labels(reasons: Iterable[str] | str) -> list[str]:
    """The labels of reason codes (a list, or the lines of a stored text) in the active language;
    a line that is not a code (a reason stored as text before the codes) is given back as it is."""
    if isinstance(reasons, str):
        reasons = reasons.splitlines()
    return [str(REASONS[reason]) if reason in REASONS else reason for reason in reasons if reason]


@dataclass
class Candidate:
    """`other_id` may be the same person as `identity_id`. `reasons`: codes of REASONS, strongest
    first (`labels`: in the user's language); `strong`: a strong key is shared (document, phone,
    plate, account, place)."""

    identity_id: int
    other_id: int
    score: float
    reasons: list[str]
    strong: bool

    @property
    def labels(self) -> list[str]:
        return reason_labels(self.reasons)


ExcludePairs = Iterable[tuple[int, int]] | Callable[[int, int], bool]
_EXCLUSION_HOOKS: list[Callable[[int], Iterable[int]]] = []


def register_exclusion(hook: Callable[[int], Iterable[int]]) -> None:
    """Register `hook(identity_id) -> ids never to propose with it` (rejected or confirmed pairs),
    consulted by every `candidates_for` (the decisions part registers it in its AppConfig.ready)."""
    if hook not in _EXCLUSION_HOOKS:
        _EXCLUSION_HOOKS.append(hook)


def _excluded(identity_id: int, exclude_pairs: ExcludePairs) -> Callable[[int], bool]:
    blocked: set[int] = set()
    for hook in _EXCLUSION_HOOKS:
        blocked.update(hook(identity_id))
    if callable(exclude_pairs):
        test = exclude_pairs
        return lambda other: other in blocked or bool(test(identity_id, other))
    for a, b in exclude_pairs:
        if a == identity_id:
            blocked.add(b)
        elif b == identity_id:
            blocked.add(a)
    return blocked.__contains__


@dataclass
class _Facts:
    """What the index knows of one identity for scoring."""

    names: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)

    def add(self, kind: str, key: str) -> None:
        if kind == KeyKind.NAME:
            self.names.add(key)
        elif kind == KeyKind.ALIAS:
            self.aliases.add(key)
        elif kind == KeyKind.BIRTH_DATE:
            self.dates.add(key)
            self.years.add(int(key[:4]))
        elif kind == KeyKind.BIRTH_YEAR and key.isdigit():
            self.years.add(int(key))


def _first_name(name: str) -> str:
    first, _, last = name.partition("|")
    tokens = (first or last).split()
    return tokens[0] if tokens else ""


def _similar_names(own: set[str], other: set[str]) -> float:
    """The best whole-name similarity (0-1) of two sets of names whose FIRST first names agree;
    0 when no pair has agreeing first names (a surname alone never counts)."""
    best = 0.0
    for a in own:
        first_a = _first_name(a)
        if not first_a or "|" in a and not a.partition("|")[0]:
            continue
        for b in other:
            first_b = _first_name(b)
            if not first_b or "|" in b and not b.partition("|")[0]:
                continue
            agree = spanish_phonetic(first_a) == spanish_phonetic(first_b) or (
                jellyfish.jaro_winkler_similarity(first_a, first_b) >= FIRST_NAME_SIMILARITY
            )
            if not agree:
                continue
            ratio = fuzz.token_sort_ratio(a.replace("|", " "), b.replace("|", " "))
            if ratio >= NAME_SIMILARITY:
                best = max(best, ratio / 100)
    return best


def _combine(*weights: float) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1 - weight
    return 1 - remaining


def candidates_for(identity_id: int, *, limit: int | None = 50, exclude_pairs: ExcludePairs = ()) -> list[Candidate]:
    """The identities that may be `identity_id`'s person, best first (see the module docstring
    for the rules). `exclude_pairs`: pairs (a, b) never proposed (either order), or a callable
    `(identity_id, other_id) -> True to exclude`; hooks of `register_exclusion` apply as well."""
    own = list(MatchKey.objects.filter(identity_id=identity_id).values_list("kind", "key"))
    facts = _Facts()
    lookup: set[tuple[str, str]] = set()
    for kind, key in own:
        facts.add(kind, key)
        if kind in STRONG_KINDS or kind in BLOCKING_NAME_KINDS:
            lookup.add((kind, key))
    if not lookup:
        return []
    excluded = _excluded(identity_id, exclude_pairs)
    hits = (
        MatchKey.objects.filter(
            key__in={key for _, key in lookup}, kind__in={kind for kind, _ in lookup}, identity__isnull=False
        )
        .exclude(identity_id=identity_id)
        .values_list("identity_id", "kind", "key", "qualifier")
    )
    per_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    qualifiers: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for other, kind, key, qualifier in hits:
        if (kind, key) in lookup and not excluded(other):
            per_key[(kind, key)].add(other)
            qualifiers[(other, kind, key)].add(qualifier)
    own_qualifiers: dict[tuple[str, str], set[str]] = defaultdict(set)
    if any(kind == KeyKind.DOCUMENT for kind, _ in per_key):
        for key, qualifier in MatchKey.objects.filter(identity_id=identity_id, kind=KeyKind.DOCUMENT).values_list(
            "key", "qualifier"
        ):
            own_qualifiers[(KeyKind.DOCUMENT, key)].add(qualifier)
    strong: dict[int, dict[str, float | str]] = defaultdict(dict)  # other -> reason -> weight
    named: set[int] = set()
    for (kind, key), others in per_key.items():
        if len(others) > MAX_BLOCK:
            continue  # a key that does not tell people apart (rule 4)
        for other in others:
            if kind in STRONG_KINDS:
                reason = KIND_REASONS[kind]
                if kind == KeyKind.DOCUMENT:
                    types = qualifiers[(other, kind, key)] | own_qualifiers[(kind, key)]
                    reason = next((DOCUMENT_REASONS[t] for t in DOCUMENT_REASONS if t in types), reason)
                strong[other][reason] = max(strong[other].get(reason, 0.0), STRONG_WEIGHTS[kind])
            else:
                named.add(other)
    others = set(strong) | named
    if not others:
        return []
    other_facts: dict[int, _Facts] = defaultdict(_Facts)
    for other, kind, key in MatchKey.objects.filter(identity_id__in=others, kind__in=SCORING_KINDS).values_list(
        "identity_id", "kind", "key"
    ):
        other_facts[other].add(kind, key)
    found = [_score(identity_id, other, facts, other_facts[other], strong.get(other, {})) for other in others]
    result = sorted((c for c in found if c is not None), key=lambda c: (-c.score, c.other_id))
    return result[:limit] if limit is not None else result


def _score(identity_id: int, other: int, own: _Facts, theirs: _Facts, strong: dict) -> Candidate | None:
    similarity = _similar_names(own.names, theirs.names)
    same_date = bool(own.dates & theirs.dates)
    close_age = any(abs(a - b) <= AGE_TOLERANCE_YEARS for a in own.years for b in theirs.years)
    different_dates = bool(own.dates and theirs.dates and not same_date)
    shared_alias = bool(own.aliases & theirs.aliases)
    reasons = sorted(strong, key=lambda reason: -strong[reason])
    weights = [strong[reason] for reason in reasons]
    if similarity and same_date:
        exact = similarity == 1.0
        reasons.append("same_name_same_birth_date" if exact else "similar_name_same_birth_date")
        weights.append(0.55 + 0.35 * similarity)
    elif similarity and close_age and not different_dates:
        reasons.append("similar_name_compatible_age")
        weights.append(0.35 + 0.25 * similarity)
    elif similarity and strong:
        reasons.append("similar_name")
        weights.append(0.3)
    if not weights:
        return None  # rule 2: a name without birth date or age, or a surname, proposes nothing
    if shared_alias:
        reasons.append("same_alias")
        weights.append(0.2)
    score = _combine(*weights)
    if strong and different_dates:
        reasons.append("different_birth_date")
        score *= 0.8
    return Candidate(identity_id, other, round(score, 3), reasons, strong=bool(strong))


def candidate_between(identity_id: int, other_id: int) -> Candidate | None:
    """The candidate (identity_id, other_id) with its score and reasons, or None when the index
    proposes nothing for them (rejected pairs included: no exclusion here)."""
    for candidate in candidates_for(identity_id, limit=None):
        if candidate.other_id == other_id:
            return candidate
    return None


# ---------------------------------------------------------------- things across records


@dataclass
class KeyRecord:
    """One indexed row holding a shared key: the source row, its identity or thing, its scope."""

    source_model: str
    source_pk: int
    identity_id: int | None
    thing_kind: str
    thing_id: int | None
    complaint_id: int | None
    case_file_id: int | None


@dataclass
class SharedKey:
    """A strong key (a phone, a plate...) found in more than one complaint or case file. `key` is
    personal data: pages show it only through people.privacy and the user's scope."""

    kind: str
    key: str
    reason: str  # a code of REASONS
    records: list[KeyRecord]

    @property
    def label(self) -> str:
        return str(REASONS[self.reason])

    @property
    def case_file_ids(self) -> set[int]:
        return {r.case_file_id for r in self.records if r.case_file_id is not None}

    @property
    def complaint_ids(self) -> set[int]:
        return {r.complaint_id for r in self.records if r.complaint_id is not None}


_RECORD_FIELDS = ("kind", "key", "source_model", "source_pk", "identity_id", "thing_kind", "thing_id",
                  "complaint_id", "case_file_id")  # fmt: skip


def thing_matches(
    *,
    case_file_id: int | None = None,
    complaint_id: int | None = None,
    identity_id: int | None = None,
    kinds: Iterable[str] | None = None,
    limit: int | None = 100,
) -> list[SharedKey]:
    """Strong keys (`kinds`, default all: phone, plate, account, place, document) held in two or
    more distinct complaints/case files: of one case file, one complaint or one identity when
    given (its keys found elsewhere), else across the whole country (most widespread first).
    No scope filter here: callers filter the records by `visible_to(user)` and count the rest."""
    kinds = set(kinds or STRONG_KINDS) & STRONG_KINDS
    rows = MatchKey.objects.filter(kind__in=kinds)
    if case_file_id is not None or complaint_id is not None or identity_id is not None:
        mine = Q()
        if case_file_id is not None:
            mine |= Q(case_file_id=case_file_id)
        if complaint_id is not None:
            mine |= Q(complaint_id=complaint_id)
        if identity_id is not None:
            mine |= Q(identity_id=identity_id)
        own = set(rows.filter(mine).values_list("kind", "key"))
        if not own:
            return []
        candidates = rows.filter(key__in={k for _, k in own}, kind__in={k for k, _ in own})
        wanted = own
    else:
        groups = (
            rows.values("kind", "key")
            .annotate(files=Count("case_file", distinct=True), complaints=Count("complaint", distinct=True))
            .filter(Q(files__gte=2) | Q(complaints__gte=2) | Q(files__gte=1, complaints__gte=1))
            .order_by("-files", "-complaints", "kind", "key")
        )
        if limit is not None:
            groups = groups[:limit]
        wanted = {(g["kind"], g["key"]) for g in groups}
        if not wanted:
            return []
        candidates = rows.filter(key__in={k for _, k in wanted}, kind__in={k for k, _ in wanted})
    grouped: dict[tuple[str, str], list[KeyRecord]] = defaultdict(list)
    for values in candidates.order_by("pk").values_list(*_RECORD_FIELDS):
        kind, key, *rest = values
        if (kind, key) in wanted:
            grouped[(kind, key)].append(KeyRecord(*rest))
    shared = []
    for (kind, key), records in grouped.items():
        scopes = {("c", r.complaint_id) for r in records if r.complaint_id} | {
            ("f", r.case_file_id) for r in records if r.case_file_id
        }
        if len(scopes) >= 2:
            shared.append(SharedKey(kind, key, KIND_REASONS[kind], records))
    shared.sort(key=lambda s: (-len(s.case_file_ids) - len(s.complaint_ids), s.kind, s.key))
    return shared[:limit] if limit is not None else shared
