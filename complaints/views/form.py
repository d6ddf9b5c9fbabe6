"""Views of the Reporting module (form): filing a complaint on one page, editing a draft, the
result shown right after registration, and the place lists (UBIGEO) the form uses.

The page works without JavaScript. The buttons of the form say what to do (`action`):
  save_draft / register     - validate, then complaint_save_draft / complaint_file (POST/redirect/GET)
  add_victim / add_suspect  - re-render with one more blank row, saving nothing
  refresh                   - re-render with the province and district lists of the place chosen
  remove_victim=<i> / remove_suspect=<i> - re-render without that row
Anything else (e.g. Enter pressed in a field) re-renders too: only the two save buttons save.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from administration.places import district_choices, province_choices
from complaints import classification_text, policies
from complaints.forms import ComplaintEntry
from complaints.models import Complaint
from complaints.rules.codes import (
    AGGRAVATIONS_BY_CODE,
    CATEGORY_LABELS,
    RELATED_CRIME,
    RELATED_CRIMES_BY_CODE,
    TRAFFICKING,
    TRAFFICKING_INCOMPLETE,
)
from complaints.selectors import access_complaint
from complaints.services import (
    ComplaintError,
    NotAllowedError,
    complaint_data_of,
    complaint_file,
    complaint_refuse_change,
    complaint_save_draft,
)

SAVE_DRAFT = "save_draft"
REGISTER = "register"
ADD_VICTIM = "add_victim"
ADD_SUSPECT = "add_suspect"
REFRESH = "refresh"


# ---------------------------------------------------------------- the stored classification, in words


def _label(table: dict[str, Any], code: str) -> str:
    return table[code].label if code in table else code


def classification_context(complaint: Complaint) -> dict[str, Any] | None:
    """The stored classification of `complaint` in words, for `complaints/_classification.html`.

    None while the complaint is not classified (a draft). Outcome, alert, warnings, degrees and the
    explanation are in the interface language (complaints.classification_text); the legal terms
    (categories, circumstances, related crimes) are Spanish in every language (rules/codes.py).
    """
    result = complaint.classification or {}
    outcome = complaint.outcome or result.get("outcome")
    if not outcome:
        return None
    categories = [CATEGORY_LABELS.get(code, code) for code in complaint.purpose_categories or []]
    related = [
        {
            "label": RELATED_CRIMES_BY_CODE[item["code"]].label
            if item["code"] in RELATED_CRIMES_BY_CODE
            else item["code"],
            "article": item.get("article", ""),
        }
        for item in result.get("related_crimes", [])
    ]
    if outcome in (TRAFFICKING, TRAFFICKING_INCOMPLETE):
        heading = gettext("trafficking in persons")
        if outcome == TRAFFICKING_INCOMPLETE:
            heading = gettext("possible trafficking in persons")
        if categories:
            heading += " — " + ", ".join(categories)
    elif outcome == RELATED_CRIME and related:
        heading = gettext("related crime") + " — " + ", ".join(item["label"] for item in related)
    else:
        heading = ""
    return {
        "outcome": outcome,
        "outcome_label": classification_text.outcome_label(outcome),
        "heading": heading,
        "categories": categories,
        "law": complaint.law_profile or result.get("law", ""),
        "article": result.get("article") or "",
        "aggravating": [
            {
                "label": AGGRAVATIONS_BY_CODE[item["code"]].label
                if item["code"] in AGGRAVATIONS_BY_CODE
                else item["code"],
                "degree": classification_text.degree_label(item.get("degree")),
                "article": item.get("article", ""),
            }
            for item in result.get("aggravating", [])
        ],
        "related_crimes": related,
        "warnings": [classification_text.warning_message(code) for code in result.get("warnings", [])],
        "explanation": classification_text.explanation(complaint),  # in the interface language
        "alert": complaint.alert_priority or result.get("alert") or "",
        "alert_label": classification_text.alert_label(complaint.alert_priority or result.get("alert")),
    }


# ---------------------------------------------------------------- the form


def _render_form(
    request: HttpRequest, entry: ComplaintEntry, *, complaint: Complaint | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "entry": entry,
            "form": entry.form,
            "complaint": complaint,
            "registering_unit": complaint.registering_unit if complaint is not None else request.user.unit,
            "errors": entry.error_summary(),
            "ubigeo_url": reverse("complaints:ubigeo_children", kwargs={"code": "CODE"}),
        },
        status=status,
    )


def _row_index(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _save(request: HttpRequest, entry: ComplaintEntry, *, action: str, complaint: Complaint | None) -> Complaint:
    """Hand the entry to the services. The same form sent twice gives one record (SECURITY.md 26)."""
    user = request.user
    data = entry.to_data()
    token = entry.form_token
    if complaint is None and token:
        earlier = Complaint.objects.visible_to(user).filter(form_token=token).first()
        if earlier is not None and earlier.is_frozen:
            return earlier  # registered by the first sending of this form
        if earlier is not None and policies.can_edit_draft(user, earlier):
            complaint = earlier  # saved as a draft by an earlier sending of this form: carry on with it
    if complaint is None:
        if action == REGISTER:
            return complaint_file(actor=user, data=data, form_token=token or None)
        return complaint_save_draft(actor=user, data=data, form_token=token or None)
    if action == REGISTER:
        # Save the draft and register it in one transaction: a refusal leaves the draft as it was.
        return complaint_file(actor=user, data=data, complaint=complaint)
    return complaint_save_draft(actor=user, data=data, complaint=complaint)


def _handle(request: HttpRequest, *, complaint: Complaint | None) -> HttpResponse:
    if request.method != "POST":
        entry = ComplaintEntry(user=request.user, initial=complaint_data_of(complaint) if complaint else None)
        return _render_form(request, entry, complaint=complaint)

    entry = ComplaintEntry(user=request.user, data=request.POST)
    action = request.POST.get("action", "")
    if action not in (SAVE_DRAFT, REGISTER):
        rebuilt = entry.rebuilt(
            add_victim=action == ADD_VICTIM,
            add_suspect=action == ADD_SUSPECT,
            remove_victim=_row_index(request.POST.get("remove_victim")),
            remove_suspect=_row_index(request.POST.get("remove_suspect")),
        )
        return _render_form(request, rebuilt, complaint=complaint)
    if not entry.is_valid():
        return _render_form(request, entry, complaint=complaint)
    try:
        saved = _save(request, entry, action=action, complaint=complaint)
    except NotAllowedError as error:
        if complaint is not None:
            complaint_refuse_change(actor=request.user, complaint=complaint, action="edit")
        raise PermissionDenied(error.message) from error
    except ComplaintError as error:
        entry.add_service_error(error)
        return _render_form(request, entry, complaint=complaint)
    return redirect("complaints:complaint_result", pk=saved.pk)


@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    """A new complaint, on one page (BRIEF.md workflow 1; hotline and other agencies, workflow 2)."""
    if not policies.can_file_complaint(request.user):
        raise PermissionDenied
    return _handle(request, complaint=None)


@require_http_methods(["GET", "POST"])
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft of the user's unit. A registered (frozen) complaint is refused, and a refused
    POST is recorded (SECURITY.md 10)."""
    complaint = access_complaint(request.user, pk)
    if not policies.can_edit_draft(request.user, complaint):
        if request.method == "POST":
            complaint_refuse_change(actor=request.user, complaint=complaint, action="edit")
        raise PermissionDenied
    return _handle(request, complaint=complaint)


# ---------------------------------------------------------------- after saving


def _detail_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk})


@require_GET
def complaint_result(request: HttpRequest, pk: int) -> HttpResponse:
    """What the registration gave: number, times, classification in words, units alerted."""
    complaint = access_complaint(request.user, pk)
    alerts = list(complaint.alerts.select_related("unit").order_by("unit__path"))
    return render(
        request,
        "complaints/complaint_result.html",
        {
            "complaint": complaint,
            "classification": classification_context(complaint),
            "alerts": alerts,
            "detail_url": _detail_url(complaint),
            "can_edit": policies.can_edit_draft(request.user, complaint),
            "can_file": policies.can_file_complaint(request.user),
        },
    )


# ---------------------------------------------------------------- place lists


@require_GET
def ubigeo_children(request: HttpRequest, code: str) -> JsonResponse:
    """The provinces of a department (2-digit code) or the districts of a province (4 digits):
    `{"code": ..., "children": [{"code": ..., "name": ...}, ...]}`. Reference data, for any
    signed-in user; the form's script uses it to update its lists without reloading the page."""
    if code.isdigit() and len(code) == 2:
        children = province_choices(code)
    elif code.isdigit() and len(code) == 4:
        children = district_choices(code)
    else:
        raise Http404
    rows = [{"code": row_code, "name": name} for row_code, name in children]  # in Spanish order
    if not rows:
        raise Http404
    return JsonResponse({"code": code, "children": rows})


urlpatterns: list = [
    path("nueva/", complaint_create, name="complaint_create"),
    path("<int:pk>/editar/", complaint_edit, name="complaint_edit"),
    path("<int:pk>/resultado/", complaint_result, name="complaint_result"),
    path("ubigeo/<str:code>/", ubigeo_children, name="ubigeo_children"),
]
