"""The auditor's screens (auditors and national administrators): the trail with its filters, the
trail of one user and of one record, and the audit report of what is shown as CSV and as PDF.
Generating a report is itself an `export` event (format, filters, number of events)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from administration import policies
from audit.events import AuditEventType
from audit.forms import AuditFilterForm, object_type_label
from audit.selectors import audit_events_filtered
from audit.services import audit_record
from reta.exports import csv_response
from reta.pdf import render_html_pdf

PAGE_SIZE = 50
PDF_LIMIT = 1000  # rows in a PDF report; the CSV has them all


def _trail(request: HttpRequest, *, user_name: str = "", object_type: str = "", object_id: str = "") -> dict[str, Any]:
    """The filters of the request (GET or POST query), those fixed by a trail's URL, and the events."""
    form = AuditFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    filters["object_text"] = filters.pop("object", "")
    if user_name:
        filters["user_name"] = user_name
    if object_type:
        filters["object_type"], filters["object_id"] = object_type, object_id
    events = audit_events_filtered(request.user, **{k: v for k, v in filters.items() if v})
    if form.is_bound and not form.is_valid():
        events = events.none()  # a filter that cannot be read shows its error, never everything
    query = request.GET.copy()
    query.pop("page", None)
    fixed = QueryDict(mutable=True)
    if user_name:
        fixed["user_name"] = user_name
    if object_type:
        fixed["object_type"], fixed["object_id"] = object_type, object_id
    report_query = query.copy()
    for key, value in fixed.items():
        report_query[key] = value
    described = form.described()
    if user_name:
        described = [item for item in described if item[0] != form.fields["user_name"].label]
        described.append((_("User name"), user_name))
    if object_type:
        described = [item for item in described if item[0] != form.fields["object_type"].label]
        described.append((_("Record"), f"{object_type_label(object_type)} {object_id}"))
    return {
        "form": form,
        "events": events,
        "query": query.urlencode(),
        "report_query": report_query.urlencode(),
        "described": described,
        "filters": {**request.GET.dict(), **fixed.dict()},
    }


def _page(request: HttpRequest, context: dict[str, Any], **extra: Any) -> HttpResponse:
    page = Paginator(context["events"], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/auditevent_list.html", {**context, "page": page, **extra})


@policies.require(policies.can_view_audit)
def event_list(request: HttpRequest) -> HttpResponse:
    return _page(request, _trail(request), title=_("Audit trail"))


@policies.require(policies.can_view_audit)
def user_trail(request: HttpRequest, user_name: str) -> HttpResponse:
    context = _trail(request, user_name=user_name)
    return _page(request, context, title=_("Trail of user %(user)s") % {"user": user_name}, trail_user=user_name)


@policies.require(policies.can_view_audit)
def object_trail(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    context = _trail(request, object_type=object_type, object_id=object_id)
    # Named as its events name it (a complaint or case file number), else by its id.
    shown = context["events"].exclude(object_repr="").values_list("object_repr", flat=True).first() or object_id
    title = _("Trail of %(object)s %(id)s") % {"object": object_type_label(object_type), "id": shown}
    return _page(request, context, title=title, trail_object=(object_type, object_id))


def _fixed(request: HttpRequest) -> dict[str, str]:
    """A report of a trail names its user or its record in the query (`_trail`'s report_query)."""
    object_id = request.GET.get("object_id", "")
    return {"object_type": request.GET.get("object_type", ""), "object_id": object_id} if object_id else {}


def _report_audited(request: HttpRequest, context: dict[str, Any], fmt: str, count: int) -> None:
    audit_record(
        event=AuditEventType.EXPORT,
        object_repr=f"audit report ({fmt.upper()})",
        details={"format": fmt, "filters": context["filters"], "count": count},
    )


@policies.require(policies.can_view_audit)
def event_export(request: HttpRequest) -> HttpResponse:
    context = _trail(request, **_fixed(request))
    events = context["events"]
    _report_audited(request, context, "csv", events.count())
    header = ["id", "time_utc", "user", "role", "unit", "ip", "event", "event_label"]
    header += ["object_type", "object_id", "object", "outcome", "request_id", "details", "hash"]
    rows = (
        [
            e.pk,
            e.created_at.astimezone(datetime.UTC).isoformat(),
            e.user_name,
            e.role,
            e.unit_code,
            e.ip,
            e.event,
            e.get_event_display(),
            e.object_type,
            e.object_id,
            e.object_repr,
            e.outcome,
            e.request_id,
            e.details,
            e.hash,
        ]
        for e in events.iterator()
    )
    return csv_response("reta-auditoria.csv", header, rows)


@policies.require(policies.can_view_audit)
def event_report_pdf(request: HttpRequest) -> HttpResponse:
    context = _trail(request, **_fixed(request))
    events = context["events"]
    count = events.count()
    _report_audited(request, context, "pdf", count)
    user = request.user
    content = render_html_pdf(
        "audit/report_pdf.html",
        {
            "events": list(events[:PDF_LIMIT]),
            "count": count,
            "limit": PDF_LIMIT,
            "described": context["described"],
            "generated_by": user,
            "generated_by_name": f"{user.get_full_name()} ({user.get_username()})".strip(),
            "generated_at": timezone.localtime(),
            "generated_at_utc": timezone.now().astimezone(datetime.UTC),
            "list_url": reverse("audit:event_list"),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="reta-informe-auditoria.pdf"'
    return response
