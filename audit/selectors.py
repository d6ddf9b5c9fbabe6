"""Reads of the audit trail, for auditors and national administrators only (the rule is
`AuditEvent.visible_q`, read through `AuditEvent.objects.visible_to(user)`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.events import group_members
from audit.models import AuditEvent


def audit_events_about(user: Any, obj: models.Model) -> QuerySet[AuditEvent]:
    """The events about one object that the user may read, newest first."""
    return AuditEvent.objects.visible_to(user).filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def audit_events_filtered(
    user: Any,
    *,
    user_name: str = "",
    event: str = "",
    unit_code: str = "",
    outcome: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    group: str = "",
    object_type: str = "",
    object_id: str = "",
    object_text: str = "",
) -> QuerySet[AuditEvent]:
    """The events the user may read that match every filter given, newest first. `group`: a key of
    `audit.events.event_groups`; `object_id`: the exact id (the per-record trail, with
    `object_type`); `object_text`: an id, or a part of the object's text (its number)."""
    events = AuditEvent.objects.visible_to(user)
    if group:
        events = events.filter(event__in=group_members(group))
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if object_text:
        events = events.filter(Q(object_id=object_text) | Q(object_repr__icontains=object_text))
    if user_name:
        events = events.filter(user_name__iexact=user_name)
    if event:
        events = events.filter(event=event)
    if unit_code:
        events = events.filter(unit_code__iexact=unit_code)
    if outcome:
        events = events.filter(outcome=outcome)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(created_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        events = events.filter(created_at__lt=end)
    return events.order_by("-created_at", "-id")
