"""Views of the Reporting module (amend): a national administrator amends a registered (frozen)
complaint with a reason, and anyone who may see a complaint reads its history field by field.

Amendment (SECURITY.md 10, 24):
  - only `policies.can_amend_complaint` (a verified national administrator, a frozen complaint);
    everyone else gets 403, and their POST is recorded (`complaint_change_refused`);
  - the page is the complaint form (`complaints.forms.ComplaintEntry`) pre-filled from the stored
    record, plus a mandatory reason and the hidden version that was opened;
  - the buttons say what to do (`action`): `amend` saves through `services.complaint_amend`;
    anything else (add or remove a row, refresh the place lists, Enter in a field) re-renders what
    was typed and saves nothing;
  - a save against an older version is refused by the service (ConflictError): the page comes back
    with what was typed, the conflict message and what the other amendment changed, and keeps the
    old version, so that sending it again cannot silently undo the other person's change.

History: `complaints.history.complaint_versions`, masked for users who may not see identities (and
for minors always); each view is an audit event (`complaint_history_viewed`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import AuditEventType
from audit.services import audit_record
from complaints import policies
from complaints.amend_forms import AmendmentForm, complaint_sections, people_sections
from complaints.forms import ComplaintEntry
from complaints.history import complaint_versions, versions_since
from complaints.models import Complaint
from complaints.rules.codes import OUTCOME_LABELS
from complaints.selectors import access_complaint
from complaints.services import (
    ComplaintError,
    ConflictError,
    NotAllowedError,
    complaint_amend,
    complaint_data_of,
    complaint_refuse_change,
)
from people import policies as identity_policies
from people import privacy
from people.services import identity_reveal

AMEND = "amend"
ADD_VICTIM = "add_victim"
ADD_SUSPECT = "add_suspect"
ADD_PLACE = "add_place"


def _detail_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk})


def _row_index(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _record_identity_shown(request: HttpRequest, complaint: Complaint, data: Any) -> None:
    """The amendment form shows names and documents to edit them (minors' too: the one screen that
    must, as the form that typed them): a view of victims' records (SECURITY.md 13), logged as the
    reveal of people.privacy."""
    identity_reveal(
        actor=request.user,
        obj=complaint,
        victims=data.victims,
        suspects=len(data.suspects),
        where={"screen": "amendment"},
    )


def _render(
    request: HttpRequest,
    complaint: Complaint,
    entry: ComplaintEntry,
    amendment: AmendmentForm,
    *,
    conflict: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_amend.html",
        {
            "complaint": complaint,
            "entry": entry,
            "form": entry.form,
            "sections": complaint_sections(entry),
            "legal_groups": entry.form.legal_groups(),
            "people": people_sections(entry),
            "amendment": amendment,
            "errors": entry.error_summary() + _amendment_errors(amendment),
            "conflict": conflict,
            "detail_url": _detail_url(complaint),
            "history_url": reverse("complaints:complaint_history", kwargs={"pk": complaint.pk}),
        },
    )


def _amendment_errors(amendment: AmendmentForm) -> list[dict[str, str]]:
    if not amendment.is_bound:
        return []
    return [
        {"label": str(amendment.fields[name].label or ""), "message": str(message), "anchor": f"id_{name}"}
        for name, errors in amendment.errors.items()
        if name in amendment.fields
        for message in errors
    ]


def _conflict(request: HttpRequest, complaint: Complaint, opened: int) -> dict[str, Any]:
    """What the other person changed since the version this user opened."""
    current = access_complaint(request.user, complaint.pk)
    versions = complaint_versions(current, mask_identity=not identity_policies.can_view_identity(request.user))
    return {"opened": opened, "current": current.version, "versions": versions_since(versions, opened)}


@require_http_methods(["GET", "POST"])
def complaint_amend_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(request.user, pk)
    if not policies.can_amend_complaint(request.user, complaint):
        if request.method == "POST":
            complaint_refuse_change(actor=request.user, complaint=complaint, action="amend")
        raise PermissionDenied

    if request.method != "POST":
        data = complaint_data_of(complaint)
        _record_identity_shown(request, complaint, data)
        entry = ComplaintEntry(user=request.user, initial=data)
        return _render(request, complaint, entry, AmendmentForm(initial={"version": complaint.version}))

    entry = ComplaintEntry(user=request.user, data=request.POST)
    amendment = AmendmentForm(request.POST)
    action = request.POST.get("action", "")
    if action != AMEND:
        rebuilt = entry.rebuilt(
            add_victim=action == ADD_VICTIM,
            add_suspect=action == ADD_SUSPECT,
            remove_victim=_row_index(request.POST.get("remove_victim")),
            remove_suspect=_row_index(request.POST.get("remove_suspect")),
            add_place=action == ADD_PLACE,
            remove_place=_row_index(request.POST.get("remove_place")),
        )
        return _render(request, complaint, rebuilt, AmendmentForm(initial=amendment.raw_values()))
    valid = [entry.is_valid(), amendment.is_valid()]
    if not all(valid):
        return _render(request, complaint, entry, amendment)

    opened = amendment.cleaned_data["version"]
    try:
        amended = complaint_amend(
            actor=request.user,
            complaint=complaint,
            data=entry.to_data(),
            reason=amendment.cleaned_data["reason"],
            expected_version=opened,
        )
    except NotAllowedError as error:
        complaint_refuse_change(actor=request.user, complaint=complaint, action="amend")
        raise PermissionDenied(error.message) from error
    except ConflictError as error:
        entry.form.add_error(None, error.message)
        return _render(request, complaint, entry, amendment, conflict=_conflict(request, complaint, opened))
    except ComplaintError as error:
        if error.field == "reason":
            amendment.add_error("reason", error.message)
        else:
            entry.add_service_error(error)
        return _render(request, complaint, entry, amendment)

    messages.success(
        request,
        _("The amendment was saved. The complaint {number} is now at version {version}.").format(
            number=amended.number, version=amended.version
        ),
    )
    if amended.outcome != complaint.outcome:
        messages.warning(
            request,
            _("The classification changed: {old} → {new}.").format(
                old=OUTCOME_LABELS.get(complaint.outcome, complaint.outcome),
                new=OUTCOME_LABELS.get(amended.outcome, amended.outcome),
            ),
        )
    return redirect(reverse("complaints:complaint_history", kwargs={"pk": amended.pk}) + f"#version-{amended.version}")


@require_GET
def complaint_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a complaint with who, when, why and what changed."""
    complaint = access_complaint(request.user, pk)
    if not policies.can_view_complaints(request.user):
        raise PermissionDenied
    # Identities stay masked here: unmasking is the explicit, logged "show identity" action of the
    # detail page (SECURITY.md 15); the history shows that they changed. The filing station reads
    # its complainant, as on every page (people.privacy.sight), and the access event says so.
    show_identity = False
    view = privacy.sight(request.user, complaint)
    versions = complaint_versions(complaint, mask_identity=True, complainant_shown=view.complainant)
    details: dict[str, Any] = {"version": complaint.version}
    if view.complainant:
        details["complainant_shown"] = True
    audit_record(
        event=AuditEventType.COMPLAINT_HISTORY_VIEWED,
        obj=complaint,
        object_repr=str(complaint),
        details=details,
    )
    return render(
        request,
        "complaints/complaint_history.html",
        {
            "complaint": complaint,
            "versions": list(reversed(versions)),
            "show_identity": show_identity,
            "can_amend": policies.can_amend_complaint(request.user, complaint),
            "detail_url": _detail_url(complaint),
        },
    )


urlpatterns: list = [
    path("<int:pk>/enmendar/", complaint_amend_view, name="complaint_amend"),
    path("<int:pk>/historial/", complaint_history, name="complaint_history"),
]
