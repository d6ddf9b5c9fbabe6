"""Tamper evidence of the audit trail: a hash chain over the events (SECURITY.md 12).

Every `AuditEvent` carries `prev_hash` (the `hash` of the event written before it, "" for the first
one) and `hash` = sha256 of `canonical(event)`: a JSON text (keys sorted, no spaces, UTF-8) of every
stored field except the id (`CHAINED_FIELDS`: time in UTC to the microsecond, user id and name,
role, unit, IP, event, object, outcome, request id, details) and of `prev_hash`. The id is assigned
by the database after the hash is computed; the order of the chain is the order of the ids. The
serialisation never changes: rows already stored were hashed with it.

How writers are serialised (`insert_linked`)
    The head of the chain (the last event's id and hash) is one row of `audit_chainhead`
    (`AuditChainHead`, pk 1). Inserting an event locks that row (SELECT ... FOR UPDATE) inside the
    writer's transaction, reads the head's hash, stamps the event's time, computes its hash, inserts
    it and moves the head, all before the transaction commits. So:
      - concurrent writers take the one lock in turn (there is only one row to lock, so no two
        writers can take locks of the chain in different orders); the id and the time of each event
        are given under the lock, so the order of the ids is the order of the chain;
      - a transaction that rolls back takes its event AND the head's move with it: the next writer
        links to the last committed event, and the chain has no gap (ids may have gaps: InnoDB does
        not give back an id; gaps of ids are not breaks of the chain);
      - a deadlock (a writer holds the head and waits for a row that another writer, waiting for the
        head, holds) is resolved by InnoDB rolling one back; `audit.services.audit_record` runs the
        insert through `reta.transactions.run_with_retries`, which runs it again when the insert is a
        transaction of its own, and inside a service's transaction lets the error go up to the
        outermost `retry_on_contention` (the one retry mechanism of the project).
    A transaction that writes several events (a registration: one per new identity, then its own)
    locks the head once: the head row stays locked until the transaction ends, so the later events
    of the same transaction take the head they moved themselves (kept on the connection with the
    transaction's list of commit callbacks, which Django replaces at every commit, rollback and
    rollback to a savepoint: after any of them the head is locked and read again). The head row is
    moved at every event, or once for several events written together (`insert_linked_many`: the
    events of one call linked in order, one INSERT, one move of the head).
    The head is computed in Python rather than in a BEFORE INSERT trigger because the canonical JSON
    of `details` must be the one `verify` recomputes; SQL has no sorted-key JSON serialisation.
    The lock holds the head only from the audit write to the commit: services write their event
    last, so the head is held for the shortest time.

A fresh or flushed database has no head row: the first writer creates it (genesis, hash "").
An attacker who deletes the head row makes the next event start a new chain, which `verify` reports.

`verify(chunk)` walks the events in id order, a chunk at a time, and returns the first break
(`Break`: the event, its time and what differs) or None with the count (`manage.py verify_audit`).

Imports Django and the `reta` kernel only; the models are imported where used (models imports this).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

HEAD_PK = 1
GENESIS = ""
CHAINED_FIELDS = (
    "created_at",
    "user_id",
    "user_name",
    "role",
    "unit_code",
    "ip",
    "event",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "request_id",
    "details",
)


def _utc(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_naive(value):  # USE_TZ is on: a naive time can only come from raw SQL
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(event: Any) -> bytes:
    """The bytes hashed for `event`: its chained fields and `prev_hash`, as sorted-key JSON."""
    data: dict[str, Any] = {name: getattr(event, name) for name in CHAINED_FIELDS}
    data["created_at"] = _utc(data["created_at"])
    # Through JSON once, as the database gives it back (tuples become lists, keys strings).
    data["details"] = json.loads(json.dumps(data["details"] or {}))
    data["prev_hash"] = event.prev_hash or ""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(event: Any) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def _locked_head() -> Any:
    from audit.models import AuditChainHead

    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:  # genesis: a fresh or flushed database (migration 0006 creates the row)
        # INSERT IGNORE: a concurrent writer may have created it first; then lock the row.
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=HEAD_PK, last_id=0, hash=GENESIS)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def _head_held(connection: Any) -> Any:
    """The head this transaction locked and moved last, if nothing was rolled back or committed
    since (module docstring); else None."""
    held = getattr(connection, "_audit_chain_head", None)
    if held is not None and connection.in_atomic_block and held[0] is connection.run_on_commit:
        return held[1]
    return None


def insert_linked(event: Any, insert: Callable[[], None]) -> None:
    """Link `event` to the head and insert it (`insert()`), moving the head, in one transaction
    (the caller's, if any). See the module docstring."""
    from audit.models import AuditChainHead

    connection = transaction.get_connection()
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        head = _head_held(connection) or _locked_head()
        event.created_at = timezone.now()
        event.prev_hash = head.hash
        event.hash = event_hash(event)
        insert()
        AuditChainHead.objects.filter(pk=HEAD_PK).update(last_id=event.pk, hash=event.hash)
        head.last_id, head.hash = event.pk, event.hash
        connection._audit_chain_head = (connection.run_on_commit, head)


def insert_linked_many(events: list[Any], insert: Callable[[], None]) -> None:
    """Link `events` to the head one after the other, in their order (each event's `prev_hash` is
    the hash of the one before it, the first one's the head's), insert them all (`insert()`: one
    statement that gives them their ids in that order, e.g. a bulk INSERT ... RETURNING) and move
    the head once, to the last one, under one lock of the head, in one transaction (the caller's,
    if any). The same links and hashes as `insert_linked` for each event in turn, with one lock,
    one INSERT and one update of the head instead of one each. Ids that do not ascend in the
    events' order (the chain's order is the order of the ids) raise RuntimeError: nothing is kept."""
    from audit.models import AuditChainHead

    if not events:
        return
    connection = transaction.get_connection()
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        head = _head_held(connection) or _locked_head()
        previous = head.hash
        for event in events:
            event.created_at = timezone.now()
            event.prev_hash = previous
            event.hash = previous = event_hash(event)
        insert()
        ids = [event.pk for event in events]
        if any(pk is None for pk in ids) or any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
            raise RuntimeError(f"Audit events inserted without ids in the chain's order ({ids}).")
        last = events[-1]
        AuditChainHead.objects.filter(pk=HEAD_PK).update(last_id=last.pk, hash=last.hash)
        head.last_id, head.hash = last.pk, last.hash
        connection._audit_chain_head = (connection.run_on_commit, head)


# ---------------------------------------------------------------- verification

ALTERED = "altered"
DELETED = "deleted"
INSERTED = "inserted"


@dataclass(frozen=True)
class Break:
    kind: str  # ALTERED, DELETED or INSERTED
    event_id: int | None
    created_at: datetime.datetime | None
    message: str


def _events(chunk: int) -> Iterator[Any]:
    from audit.models import AuditEvent

    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].pk


def verify(chunk: int = 2000) -> tuple[Break | None, int]:
    """(the first break or None, the number of events checked up to it)."""
    from audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()  # read first: later rows are checked by their links
    expected = GENESIS
    previous: Any = None
    head_seen = head is None or head.last_id == 0
    count = 0
    for event in _events(chunk):
        if not event.hash:
            return Break(
                INSERTED,
                event.pk,
                event.created_at,
                f"event {event.pk} has no hash: inserted outside audit_record (e.g. by raw SQL)",
            ), count
        if event_hash(event) != event.hash:
            return Break(
                ALTERED,
                event.pk,
                event.created_at,
                f"event {event.pk}: content altered (its fields no longer give its stored hash)",
            ), count
        if event.prev_hash != expected:
            if previous is not None and event.prev_hash == previous.prev_hash:
                return Break(
                    INSERTED,
                    previous.pk,
                    previous.created_at,
                    f"event {previous.pk}: row inserted (event {event.pk} links to the event before it)",
                ), count - 1
            after = f"event {previous.pk}" if previous is not None else "the start of the chain"
            return Break(
                DELETED,
                event.pk,
                event.created_at,
                f"event {event.pk}: row deleted before it (its link does not match {after}; or {after}"
                " was altered and its hash recomputed)",
            ), count
        if head is not None and event.pk == head.last_id:
            if event.hash != head.hash:
                return Break(
                    ALTERED,
                    event.pk,
                    event.created_at,
                    f"event {event.pk}: its hash differs from the chain head's",
                ), count
            head_seen = True
        expected = event.hash
        previous = event
        count += 1
    if not head_seen:
        last = f"event {previous.pk}" if previous is not None else "no event"
        return Break(
            DELETED,
            previous.pk if previous is not None else None,
            previous.created_at if previous is not None else None,
            f"last rows deleted: the chain head names event {head.last_id}, the trail ends at {last}",
        ), count
    if head is None and count:
        return Break(
            DELETED,
            None,
            None,
            "the chain head (table audit_chainhead) is missing although events exist",
        ), count
    return None, count
