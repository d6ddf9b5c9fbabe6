"""Views of the Reporting module (lists): finding complaints, the detail page, the printable page,
the logged "show identity" action and the CSV export.

Every view reads through `Complaint.objects.visible_to` / `access_complaint` (the tree of command: 404
outside it) and asks `complaints.policies` for the rest (403). Privacy (SECURITY.md 15-17, written
once in `people.privacy`):
  - the list and the export carry no personal names at all; minors are masked everywhere;
  - identities appear on the detail page only in the response to the POST of "show identity",
    for roles with a need to know, after an `identity_shown` audit event; nothing is kept that
    would show them on a later plain view;
  - the search text (possibly a victim's name or document) never goes into a URL: the search
    form is POSTed, the text is kept in the session under a random token and the list is
    redirected to `?s=<token>` (pagination, sorting and the export carry the token).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from administration.models import ExtraField
from audit.events import AuditEventType
from audit.services import audit_record
from complaints import policies, queries
from complaints.alerts import describe
from complaints.filters import (
    ComplaintFilterForm,
    filter_complaints,
    filters_for_audit,
    order_complaints,
)
from complaints.models import Complaint
from complaints.rules.codes import GROUPS
from complaints.selectors import access_complaint
from complaints.views.form import classification_context
from people import policies as identity_policies
from people import privacy
from people.services import identity_reveal, person_search_record
from reta.exports import csv_response

PAGE_SIZE = 50
SEARCHES_KEY = "reta_complaint_searches"
MAX_SAVED_SEARCHES = 20
# Query-string parameters that are not filters.
NOT_FILTERS = ("page", "s", "q")

EXPORT_HEADER = [
    "number",
    "registered_at",
    "registering_unit",
    "directorate",
    "origin",
    "facts_date",
    "department",
    "province",
    "district",
    "place_kind",
    "outcome",
    "law_profile",
    "categories",
    "victims",
    "victims_minors",
    "suspects",
    "registration_delay_days",
    "status",
]


# ---------------------------------------------------------------- the search text, off the URL


def _remember_search(request: HttpRequest, text: str) -> str:
    token = secrets.token_urlsafe(9)
    saved = dict(request.session.get(SEARCHES_KEY, {}))
    saved[token] = text
    while len(saved) > MAX_SAVED_SEARCHES:
        saved.pop(next(iter(saved)))
    request.session[SEARCHES_KEY] = saved
    return token


def _recall_search(request: HttpRequest) -> str | None:
    """The search text of `?s=<token>`: "" without a token, None when the token is unknown."""
    token = request.GET.get("s", "")
    if not token:
        return ""
    return request.session.get(SEARCHES_KEY, {}).get(token)


def _form_from_query(request: HttpRequest, text: str) -> ComplaintFilterForm:
    """The filters of the query string, and the search text recalled from the session."""
    data = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in NOT_FILTERS:
            data.setlist(key, values)
    data["q"] = text
    form = ComplaintFilterForm(data, person_search=identity_policies.can_view_identity(request.user))
    form.is_valid()
    return form


def _without_expired_search(request: HttpRequest) -> HttpResponse:
    """The same list without the unknown search token (another session's, or forgotten)."""
    messages.info(request, _("The search has expired. Please search again."))
    query = request.GET.copy()
    query.pop("s", None)
    query.pop("page", None)
    url = reverse("complaints:complaint_list")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _list_url(request: HttpRequest, form: ComplaintFilterForm) -> str:
    params = {
        name: form.data.get(name)
        for name in form.fields
        if name not in NOT_FILTERS and form.data.get(name) not in (None, "")
    }
    if form.cleaned_data.get("q", "").strip():
        params["s"] = _remember_search(request, form.cleaned_data["q"].strip())
    url = reverse("complaints:complaint_list")
    return f"{url}?{urlencode(params)}" if params else url


def _filtered(user: Any, form: ComplaintFilterForm) -> Any:
    complaints = filter_complaints(
        Complaint.objects.visible_to(user), person_search=form.person_search, **form.filters()
    )
    return order_complaints(complaints, form.sort_key())


def _sorting(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """Links of the sortable column headings: a click sorts by the column, a second click turns
    the order round; `state` is the column's aria-sort."""
    links = {}
    for key in ("registered", "delay"):
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = key if current == f"-{key}" else f"-{key}"
        state = {f"-{key}": "descending", key: "ascending"}.get(current, "")
        links[key] = {"url": f"?{query.urlencode()}", "state": state}
    return links


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- list and export


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_list(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_complaints(request.user))
    if request.method == "POST":
        person_search = identity_policies.can_view_identity(request.user)
        form = ComplaintFilterForm(request.POST, person_search=person_search)
        if form.is_valid():
            text = form.cleaned_data.get("q", "").strip()
            if text:  # the text may be a name or a document: audited, never stored (SECURITY.md 13)
                fields = ("number", "name", "document") if person_search else ("number",)
                person_search_record(
                    actor=request.user, where="complaint_list", text=text, fields=fields, restricted=not person_search
                )
            return redirect(_list_url(request, form))
    else:
        text = _recall_search(request)
        if text is None:
            return _without_expired_search(request)
        form = _form_from_query(request, text)
    complaints = queries.for_list(_filtered(request.user, form))
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_export": policies.can_export_complaints(request.user) and not form.errors,
        "sorting": _sorting(request, form.sort_key()),
    }
    return render(request, "complaints/complaint_list.html", context)


def _export_variables() -> list[ExtraField]:
    """The research variables in the export: not free text (the export holds codes, counts, dates
    and numbers only, SECURITY.md 9)."""
    rows = ExtraField.objects.filter(target=ExtraField.Target.COMPLAINT).exclude(kind=ExtraField.Kind.TEXT)
    return list(rows.order_by("order", "code"))


def _export_rows(complaints: Any, variables: list[ExtraField]) -> Any:
    for c in complaints.prefetch_related("extra_values").iterator(chunk_size=500):
        district = c.place_district
        directorate = c.registering_unit.directorate
        extra = {row.field_id: row.value for row in c.extra_values.all()}
        yield [
            c.number or "",
            c.submitted_at.astimezone(datetime.UTC).isoformat() if c.submitted_at else "",
            c.registering_unit.code,
            directorate.code if directorate else "",
            c.origin,
            c.facts_date.isoformat() if c.facts_date else "",
            district.province.department_id if district else "",
            district.province_id if district else "",
            district.code if district else "",
            c.place_kind,
            c.outcome,
            c.law_profile,
            "|".join(c.purpose_categories or []),
            c.victims_count,
            c.minors_count,
            c.suspects_count,
            "" if c.registration_delay_days is None else c.registration_delay_days,
            c.status,
            *(extra.get(variable.pk, "") for variable in variables),
        ]


@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: codes and counts only, no personal names (SECURITY.md 9, 15, 20)."""
    _require(policies.can_export_complaints(request.user))
    text = _recall_search(request)
    if text is None:  # never export more than the list the user was looking at
        return _without_expired_search(request)
    form = _form_from_query(request, text)
    if form.errors:
        return redirect(f"{reverse('complaints:complaint_list')}?{request.GET.urlencode()}")
    complaints = _filtered(request.user, form)
    audit_record(
        event=AuditEventType.EXPORT,
        object_repr="complaints",
        details={"filters": filters_for_audit(form.filters(), form.sort_key()), "rows": complaints.count()},
    )
    filename = f"reta-denuncias-{timezone.localdate():%Y%m%d}.csv"
    variables = _export_variables()
    header = [*EXPORT_HEADER, *(f"extra_{variable.code}" for variable in variables)]
    return csv_response(filename, header, _export_rows(queries.for_export(complaints), variables))


# ---------------------------------------------------------------- one complaint


def _facts(complaint: Complaint) -> list[tuple[str, list[str]]]:
    """The check-box groups that have something ticked, as (group name, codes)."""
    return [(name, getattr(complaint, name)) for name in GROUPS if getattr(complaint, name)]


def _actions(user: Any, complaint: Complaint) -> dict[str, bool]:
    """Which links the page offers (the template reverses their URLs)."""
    return {
        "edit": policies.can_edit_draft(user, complaint),
        "amend": policies.can_amend_complaint(user, complaint),
        # The history screen applies its own policy; the link is offered for registered records.
        "history": policies.can_view_complaints(user) and complaint.is_frozen,
        "print": True,
        "register": policies.can_view_complaints(user) and complaint.is_frozen,
        "pdf": policies.can_view_complaints(user) and complaint.is_frozen,
        "complainant_copy": complaint.is_frozen and identity_policies.is_filing_station(user, complaint),
    }


def _detail_context(request: HttpRequest, complaint: Complaint, *, reveal: bool) -> dict[str, Any]:
    victims, suspects = queries.people_of(complaint)
    view = privacy.sight(request.user, complaint, revealed=reveal)
    return {
        "complaint": complaint,
        "victims": victims,
        "suspects": suspects,
        "alerts": describe(queries.alerts_of(complaint)),
        "places": queries.places_of(complaint),
        "facts": _facts(complaint),
        "classification": classification_context(complaint),
        "reveal": reveal,
        "sight": view,
        "filing_station": identity_policies.is_filing_station(request.user, complaint),
        "can_show_identity": identity_policies.can_reveal(request.user, complaint),
        "actions": _actions(request.user, complaint),
        "case_links": queries.case_links(request.user, complaint),
    }


@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(request.user, pk)
    _require(policies.can_view_complaints(request.user))
    context = _detail_context(request, complaint, reveal=False)
    audit_record(
        event=AuditEventType.COMPLAINT_VIEWED,
        obj=complaint,
        object_repr=str(complaint),
        details=_shown_details(context["sight"]),
    )
    return render(request, "complaints/complaint_detail.html", context)


def _shown_details(view: privacy.Sight) -> dict[str, Any]:
    """What a page showed unmasked without a reveal (the filing station's complainant), for the
    access event (SECURITY.md 13)."""
    return {"complainant_shown": True} if view.complainant else {}


@require_POST
def complaint_show_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The explicit, logged action that shows names and documents, in this response only."""
    complaint = access_complaint(request.user, pk)
    _require(identity_policies.can_reveal(request.user, complaint))
    context = _detail_context(request, complaint, reveal=True)
    identity_reveal(
        actor=request.user,
        obj=complaint,
        victims=context["victims"],
        suspects=len(context["suspects"]),
        complainant=complaint.complainant_id is not None,
        shown=context["sight"],
    )
    return render(request, "complaints/complaint_detail.html", context)


@require_GET
def complaint_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A clean printable page, never revealed: a printout leaves the system (SECURITY.md 15). The
    filing station's printout carries the complainant's data (people.privacy.sight); the printing
    is audited with what it showed."""
    complaint = access_complaint(request.user, pk)
    _require(policies.can_view_complaints(request.user))
    context = _detail_context(request, complaint, reveal=False)
    audit_record(
        event=AuditEventType.COMPLAINT_PRINTED,
        obj=complaint,
        object_repr=str(complaint),
        details=_shown_details(context["sight"]),
    )
    context["printed_at"] = timezone.localtime()
    return render(request, "complaints/complaint_print.html", context)


urlpatterns = [
    path("", complaint_list, name="complaint_list"),
    path("exportar.csv", complaint_export, name="complaint_export"),
    path("<int:pk>/", complaint_detail, name="complaint_detail"),
    path("<int:pk>/identidad/", complaint_show_identity, name="complaint_show_identity"),
    path("<int:pk>/imprimir/", complaint_print, name="complaint_print"),
]
