"""Every write of the people app, each audited (SECURITY.md 14), plus the reveal of identities.

An identity is never frozen: these services only ADD what is learnt (a name, an alias, a document,
a phone, an address), with its source and validity, and never touch the record it came from.

Merging (issue 12): `identity_merge` records that two identities are the same person by pointing
the merged one at the survivor (`Identity.merged_into`) and writing an `IdentityMerge` row; no row
of either identity and nothing pointing at them is rewritten, so `identity_unmerge` (an
`IdentityUnmerge` row) restores exactly what was there. Reads take the whole family of an identity
(`identity_family`: the survivor and everything merged into it, recursively).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from administration.models import District, Unit
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_event, audit_record
from people import privacy
from people.matching import is_identified, name_key
from people.models import (
    Identity,
    IdentityAddress,
    IdentityDocument,
    IdentityMerge,
    IdentityName,
    IdentityPhone,
    IdentityUnmerge,
    Source,
)
from people.policies import can_reveal
from reta.history import saved_in_bulk


def _audit(identity: Identity, *, event: AuditEventType, actor: Any, details: dict[str, Any]) -> None:
    # No personal data in the trail: what kind of fact was added, where it came from.
    audit_record(event=event, obj=identity, actor=actor, object_repr=str(identity), details=details)


def _fact(identity: Identity, row: Any, *, actor: Any) -> Any:
    row.identity = identity
    row.recorded_by = actor if getattr(actor, "pk", None) is not None else None
    row.full_clean(exclude=["identity", "recorded_by"])
    row.save()
    return row


@transaction.atomic
def identity_from_record(
    record: Any,
    *,
    source: str = Source.COMPLAINT,
    reference: str = "",
    unit: Unit | None = None,
    actor: Any = None,
) -> Identity:
    """A new identity seeded from a person as recorded (a `complaints.Person`, or anything with
    `first_names`, `last_names`, `alias`, `sex`, `nationality`, `document_type`,
    `document_number`): its name, alias and document become the identity's first rows, with
    `source` and `reference` (the complaint number). Only for an identified record.
    `identities_from_records` of one record."""
    return _identities_from_records([record], source=source, reference=reference, unit=unit, actor=actor)[0]


@transaction.atomic(savepoint=False)
def identities_from_records(
    records: Iterable[Any],
    *,
    source: str = Source.COMPLAINT,
    reference: str = "",
    unit: Unit | None = None,
    actor: Any = None,
    audit_events: list[AuditEvent] | None = None,
) -> list[Identity]:
    """`identity_from_record` for each of `records`, in order, all or none: one transaction, or
    the caller's (no savepoint of its own: an error inside marks the caller's transaction for
    rollback, so none of them can be kept; the registration, its one caller, is all or nothing).

    Written in bulk, whatever the number of records: the identities, their names and their
    documents are one INSERT each (`bulk_create`, which returns the pks on MariaDB and SQLite),
    and the historical rows of each model one INSERT (`reta.history.saved_in_bulk`: the same rows
    as their saves would write, history_type "+", the request's user, no change reason), which
    also sends `reta.history.bulk_saved` for each model: what `post_save` did for them (the match
    index work, analysis.signals) is done by its receivers. One `IDENTITY_CREATED` audit event per
    identity, in order; with `audit_events`, appended to that list instead
    (`audit.services.audit_event`, not written), for the caller to write in the same transaction
    with its own (`audit.services.audit_record_many`)."""
    return _identities_from_records(
        list(records), source=source, reference=reference, unit=unit, actor=actor, audits=audit_events
    )


def _identities_from_records(
    records: list[Any],
    *,
    source: str,
    reference: str,
    unit: Unit | None,
    actor: Any,
    audits: list[AuditEvent] | None = None,
) -> list[Identity]:
    if not records:
        return []
    for record in records:
        if not is_identified(record.first_names, record.last_names, record.document_number):
            raise ValueError("An identity needs a name or a document number.")
    identities = []
    for record in records:
        identity = Identity(
            first_names=record.first_names,
            last_names=record.last_names,
            sex=record.sex or "",
            nationality=record.nationality or "",
            created_in=unit,
        )
        identities.append(identity)
    _create_in_bulk(Identity, identities)
    facts = {"source": source, "source_reference": reference[:120], "recorded_by": actor}
    names: list[IdentityName] = []
    documents: list[IdentityDocument] = []
    for record, identity in zip(records, identities, strict=True):
        if identity.full_name:
            names.append(IdentityName(identity=identity, kind=IdentityName.Kind.NAME, name=identity.full_name, **facts))
        if record.alias:
            names.append(IdentityName(identity=identity, kind=IdentityName.Kind.ALIAS, name=record.alias, **facts))
        if record.document_number:
            documents.append(
                IdentityDocument(
                    identity=identity, document_type=record.document_type or "", number=record.document_number, **facts
                )
            )
    _create_in_bulk(IdentityName, names)
    _create_in_bulk(IdentityDocument, documents)
    details = {"source": source, "reference": reference}
    for identity in identities:
        if audits is not None:
            audits.append(
                audit_event(
                    event=AuditEventType.IDENTITY_CREATED,
                    obj=identity,
                    actor=actor,
                    object_repr=str(identity),
                    details=details,
                )
            )
        else:
            _audit(identity, event=AuditEventType.IDENTITY_CREATED, actor=actor, details=details)
    return identities


def _create_in_bulk(model: type[Identity | IdentityName | IdentityDocument], rows: list[Any]) -> None:
    """`rows` (new) in one INSERT with the keys their `save()` would set, then their historical rows in one INSERT and
    `bulk_saved` (reta.history.saved_in_bulk): what their saves would have done."""
    if not rows:
        return
    for row in rows:
        if hasattr(row, "set_keys"):
            row.set_keys()
    model.objects.bulk_create(rows)
    if any(row.pk is None for row in rows):  # a database whose bulk INSERT gives no pks back
        raise RuntimeError(f"bulk_create of {model.__name__} returned no primary keys")
    saved_in_bulk(model, rows, created=True)


@transaction.atomic
def identity_add_name(
    *,
    actor: Any,
    identity: Identity,
    name: str,
    kind: str = IdentityName.Kind.NAME,
    source: str,
    reference: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityName:
    """Another name or alias the person is known by."""
    row = IdentityName(kind=kind, name=name.strip(), source=source, source_reference=reference)
    row.valid_from, row.valid_to = valid_from, valid_to
    _fact(identity, row, actor=actor)
    _audit(identity, event=AuditEventType.IDENTITY_CHANGED, actor=actor, details={"added": kind, "source": source})
    return row


@transaction.atomic
def identity_add_document(
    *,
    actor: Any,
    identity: Identity,
    document_type: str,
    number: str,
    source: str,
    reference: str = "",
    issuing_country: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityDocument:
    row = IdentityDocument(
        document_type=document_type,
        number=number.strip(),
        issuing_country=issuing_country,
        source=source,
        source_reference=reference,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _fact(identity, row, actor=actor)
    _audit(
        identity, event=AuditEventType.IDENTITY_CHANGED, actor=actor, details={"added": "document", "source": source}
    )
    return row


@transaction.atomic
def identity_add_phone(
    *,
    actor: Any,
    identity: Identity,
    number: str,
    source: str,
    reference: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityPhone:
    row = IdentityPhone(
        number=number.strip(), source=source, source_reference=reference, valid_from=valid_from, valid_to=valid_to
    )
    _fact(identity, row, actor=actor)
    _audit(identity, event=AuditEventType.IDENTITY_CHANGED, actor=actor, details={"added": "phone", "source": source})
    return row


@transaction.atomic
def identity_add_address(
    *,
    actor: Any,
    identity: Identity,
    district: District | None,
    address: str,
    source: str,
    reference: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityAddress:
    row = IdentityAddress(
        district=district,
        address=address.strip(),
        source=source,
        source_reference=reference,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _fact(identity, row, actor=actor)
    _audit(identity, event=AuditEventType.IDENTITY_CHANGED, actor=actor, details={"added": "address", "source": source})
    return row


def identity_reveal(
    *,
    actor: Any,
    obj: Any,
    victims: Iterable[Any],
    suspects: int,
    complainant: bool | None = None,
    where: dict[str, str] | None = None,
    shown: privacy.Sight | None = None,
) -> None:
    """THE logged reveal (people.privacy, rule 4): refuses a viewer who may not ask for it
    (`people.policies.can_reveal`: a role with a need to know, or the filing station of `obj`),
    else writes `identity_shown` (counts only, no personal data) before anything is shown.
    `victims`: anything with `age` and `minor`; `where`: the screen or document ({"screen":
    "amendment"}); `shown`: what the reveal shows this viewer (`people.privacy.sight`)."""
    if not can_reveal(actor, obj):
        raise PermissionDenied
    victims = list(victims)
    details: dict[str, Any] = dict(where or {})
    details["victims"] = len(victims)
    details["minors"] = sum(1 for victim in victims if privacy.victim_protected(victim))
    details["suspects"] = suspects
    if shown is not None:
        details["shown"] = [part for part in ("complainant", "adults", "others", "minors") if getattr(shown, part)]
    if complainant is not None:
        details["complainant"] = complainant
    audit_record(event=AuditEventType.IDENTITY_SHOWN, obj=obj, actor=actor, object_repr=str(obj), details=details)


# ---------------------------------------------------------------- merging identities (issue 12)


class MergeError(Exception):
    """A merge or unmerge that cannot be done; `message` is shown to the user (Spanish)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def identity_family_ids(identity: Identity | int) -> list[int]:
    """The ids of the survivor `identity` resolves to and of every identity merged into it,
    recursively (one query per level of merging)."""
    # Read afresh: the object given may predate a merge or an unmerge.
    root = Identity.objects.get(pk=getattr(identity, "pk", identity)).resolved()
    ids, frontier = [root.pk], [root.pk]
    while frontier:
        frontier = [
            pk for pk in Identity.objects.filter(merged_into__in=frontier).values_list("pk", flat=True) if pk not in ids
        ]
        ids += frontier
    return ids


def identity_family(identity: Identity | int) -> list[Identity]:
    """The survivor that `identity` resolves to first, then everything merged into it (recursive)."""
    ids = identity_family_ids(identity)
    rows = {row.pk: row for row in Identity.objects.filter(pk__in=ids)}
    return [rows[pk] for pk in ids]


def _lock(*identities: Identity) -> dict[int, Identity]:
    """Both identities locked (SELECT ... FOR UPDATE) in pk order, fresh from the database."""
    pks = sorted({identity.pk for identity in identities})
    locked = {}
    for pk in pks:
        locked[pk] = Identity.objects.select_for_update().get(pk=pk)
    return locked


@transaction.atomic
def identity_merge(
    actor: Any, survivor: Identity, merged: Identity, reason: str, candidate: Any = None
) -> IdentityMerge:
    """`merged` is the same person as `survivor`: it is pointed at the survivor and keeps all its
    rows. Both are locked in pk order; each must be a survivor itself (not merged already), so two
    concurrent merges of the same pair merge once (the second raises MergeError). `candidate`: the
    `analysis.candidates.Candidate` the decision was taken on (its score and reasons are kept)."""
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Give the reason for the merge."))
    if survivor.pk == merged.pk:
        raise MergeError(_("An identity cannot be merged with itself."))
    locked = _lock(survivor, merged)
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise MergeError(_("One of the identities has already been merged with another; reload the page."))
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    merge = IdentityMerge.objects.create(
        survivor=survivor,
        merged=merged,
        decided_by=actor,
        reason=reason,
        candidate_score=getattr(candidate, "score", None),
        candidate_reasons="\n".join(getattr(candidate, "reasons", None) or []),
    )
    for identity, other in ((survivor, merged), (merged, survivor)):
        _audit(
            identity,
            event=AuditEventType.IDENTITY_MERGED,
            actor=actor,
            details={"merge": merge.pk, "survivor": survivor.pk, "merged": merged.pk, "other": other.pk},
        )
    return merge


@transaction.atomic
def identity_unmerge(actor: Any, merge: IdentityMerge, reason: str = "") -> IdentityUnmerge:
    """Undo `merge`: the merged identity is its own again, with everything it had (its rows, and
    whatever was merged into it before). Locks both identities in pk order; an unmerge is done once."""
    locked = _lock(merge.survivor, merge.merged)
    merged = locked[merge.merged_id]
    if IdentityUnmerge.objects.filter(merge=merge).exists():
        raise MergeError(_("This merge has already been undone."))
    if merged.merged_into_id != merge.survivor_id:
        raise MergeError(_("The identity is no longer merged with this one; reload the page."))
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    unmerge = IdentityUnmerge.objects.create(merge=merge, decided_by=actor, reason=(reason or "").strip())
    for identity in (locked[merge.survivor_id], merged):
        _audit(
            identity,
            event=AuditEventType.IDENTITY_UNMERGED,
            actor=actor,
            details={"merge": merge.pk, "survivor": merge.survivor_id, "merged": merge.merged_id},
        )
    return unmerge


def identity_merges(identity: Identity) -> list[IdentityMerge]:
    """Every merge touching the family of `identity` (undone ones too), newest first."""
    ids = identity_family_ids(identity)
    return list(
        IdentityMerge.objects.filter(Q(survivor__in=ids) | Q(merged__in=ids))
        .select_related("decided_by", "unmerge", "unmerge__decided_by")
        .distinct()
    )


SEARCH_DIGEST_SALT = "reta.people.person_search"


def search_digest(text: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a search text as normalised for search (case, accents
    and spaces do not matter): the trail keeps this, never the text (SECURITY.md 13). Whoever holds
    the key can tell whether a given name was searched; the trail alone cannot be read back."""
    return salted_hmac(SEARCH_DIGEST_SALT, name_key(text), algorithm="sha256").hexdigest()


def person_search_record(*, actor: Any, where: str, text: str, fields: Iterable[str], restricted: bool) -> None:
    """THE audit of a search that may be by a person's name or document (issue 9, item 8): one
    `person_search` event with the screen, the fields searched and the digest of the text; outcome
    `denied` when the role may not search by name or document (only the other fields were
    searched). No text and no result count (a count would make the trail an identity oracle)."""
    details = {"where": where, "fields": sorted(fields), "term": search_digest(text)}
    outcome = AuditEvent.Outcome.DENIED if restricted else AuditEvent.Outcome.SUCCESS
    audit_record(event=AuditEventType.PERSON_SEARCH, actor=actor, object_repr=where, outcome=outcome, details=details)


__all__ = [
    "MergeError",
    "identity_family",
    "identity_family_ids",
    "identity_merge",
    "identity_merges",
    "identity_unmerge",
    "identity_add_address",
    "identity_add_document",
    "identity_add_name",
    "identity_add_phone",
    "identities_from_records",
    "identity_from_record",
    "identity_reveal",
    "person_search_record",
    "search_digest",
]
