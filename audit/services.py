"""Writing audit events. Every service that changes data calls `audit_record` inside its
transaction, so the change and its trace commit together (SECURITY.md 14)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from audit import context
from audit.events import AuditEventType, audit_event_type
from audit.models import AuditEvent
from reta.transactions import run_with_retries


def audit_event(
    *,
    event: AuditEventType | str,
    obj: models.Model | None = None,
    object_repr: str | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    actor: Any = None,
    user_name: str | None = None,
    details: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    """The event `audit_record` would append, not yet written: for `audit_record_many`, which
    writes several in one go. Its time and hashes are set when it is written."""
    event = audit_event_type(event)
    request = request if request is not None else context.current_request()
    if actor is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            actor = candidate
    unit = getattr(actor, "unit", None) if actor is not None else None
    return AuditEvent(
        user=actor,
        user_name=(actor.get_username() if actor is not None else (user_name or ""))[:150],
        role=getattr(actor, "role", "") or "",
        unit_code=getattr(unit, "code", "") or "",
        ip=context.client_ip(request)[:45],
        event=event.value,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:200],
        outcome=outcome,
        request_id=(getattr(request, "request_id", "") if request is not None else "") or context.current_request_id(),
        details=details or {},
    )


def audit_record(
    *,
    event: AuditEventType | str,
    obj: models.Model | None = None,
    object_repr: str | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    actor: Any = None,
    user_name: str | None = None,
    details: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    """Append one event. Actor, IP and request id come from the current request unless given.

    `event` is a member of `audit.events.AuditEventType` (or its stored value); an unknown name
    raises ValueError. Never put passwords or a victim's personal data in `details` or `object_repr`.

    The event is linked to the hash chain under the lock of its head (audit.chain): inside the
    caller's transaction it commits or rolls back with it (a deadlock goes up to the caller's
    `retry_on_contention`); called alone, it is its own transaction, run again after a MySQL
    deadlock or lock wait timeout (reta.transactions.run_with_retries).
    """
    entry = audit_event(
        event=event,
        obj=obj,
        object_repr=object_repr,
        outcome=outcome,
        actor=actor,
        user_name=user_name,
        details=details,
        request=request,
    )
    if connection.in_atomic_block:  # the caller's transaction: it commits, rolls back or retries
        entry.save(force_insert=True)
        return entry
    return run_with_retries(_insert, entry)


def _insert(entry: AuditEvent) -> AuditEvent:
    entry.pk, entry._state.adding = None, True  # a retry inserts it again
    entry.save(force_insert=True)
    return entry


def audit_record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append `events` (built by `audit_event`), in their order, each linked to the one before it:
    one lock of the chain head, one INSERT and one move of the head for all of them (audit.chain.
    insert_linked_many), where `audit_record` each would take one INSERT and one move each. In
    the caller's transaction, or in one of their own run again after contention, like `audit_record`.
    For a service that writes several events in one transaction (a registration)."""
    if connection.in_atomic_block:
        return AuditEvent.objects.bulk_create(events)
    return run_with_retries(_insert_many, events)


def _insert_many(events: list[AuditEvent]) -> list[AuditEvent]:
    for entry in events:  # a retry inserts them again
        entry.pk, entry._state.adding = None, True
    return AuditEvent.objects.bulk_create(events)
