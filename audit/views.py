"""The audit trail on screen and as CSV (auditors and national administrators)."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from administration import policies
from audit.events import AuditEventType
from audit.forms import AuditFilterForm
from audit.selectors import audit_events_filtered
from audit.services import audit_record
from reta.exports import csv_response


def _filtered(request: HttpRequest):  # noqa: ANN202
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_events_filtered(request.user, **{k: v for k, v in filters.items() if v})


@policies.require(policies.can_view_audit)
def event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/auditevent_list.html", {"form": form, "page": page})


@policies.require(policies.can_view_audit)
def event_export(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    audit_record(event=AuditEventType.EXPORT, object_repr="audit events", details={"filters": request.GET.dict()})
    header = ["time_utc", "user", "role", "unit", "ip", "event"]
    header += ["object_type", "object_id", "object", "outcome", "request_id"]
    rows = (
        [
            e.created_at.astimezone(datetime.UTC).isoformat(),
            e.user_name,
            e.role,
            e.unit_code,
            e.ip,
            e.event,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.outcome,
            e.request_id,
        ]
        for e in events.iterator()
    )
    return csv_response("reta-auditoria.csv", header, rows)
