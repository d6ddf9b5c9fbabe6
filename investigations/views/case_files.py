"""Pages of the Investigation module: the list of case files, one case file, and the forms that
open one, change its status, assign investigators and share it.

The list and the form that opens a case file ask `policies.can_view_case_files` (403 for roles
that never see a case file); the pages of one case file fetch it through
`selectors.access_case_file` first (404 outside the scope, and for a station officer, the
monitor or anyone else who knows its id: `CaseFile.visible_q` shows them nothing), then ask
`policies.can_work_case_file` for the forms (403: a unit the case file is shared with only reads it). Writes go through
`investigations.services`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from administration.extra_fields import ExtraValuesForm, fields_on, shown_values
from administration.models import ExtraField
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import Complaint
from investigations import policies, selectors, services
from investigations.completeness import case_completeness
from investigations.forms import AssignForm, OpenForm, RevokeForm, ShareForm, StatusForm
from investigations.models import CaseFile, CaseStatus

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _readable(request: HttpRequest, pk: int) -> CaseFile:
    case_file = selectors.access_case_file(request.user, pk)  # 404 outside the scope, and for every other role
    _require(policies.can_view_case_files(request.user))
    return case_file


def _workable(request: HttpRequest, pk: int) -> CaseFile:
    case_file = _readable(request, pk)
    _require(policies.can_work_case_file(request.user, case_file))
    return case_file


def _detail_url(case_file: CaseFile, anchor: str = "") -> str:
    url = reverse("investigations:case_file_detail", args=[case_file.pk])
    return f"{url}#{anchor}" if anchor else url


def _show_error(form, error: services.CaseFileError) -> None:  # noqa: ANN001
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _form_saved(request: HttpRequest, form, action: Callable[[dict], object], done: str) -> bool:  # noqa: ANN001
    """A POSTed, valid `form` handed to the service `action(cleaned_data)`: True when it was done
    (and `done` is said), False with the form showing why; refused by the policies, a 403."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except services.CaseFileError as error:
        _show_error(form, error)
        return False
    messages.success(request, done)
    return True


@require_GET
def case_file_list(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_case_files(request.user))
    status = request.GET.get("status", "")
    if status not in CaseStatus.values:
        status = ""
    units = list(selectors.units_for_filter(request.user))
    unit_id = next((unit.pk for unit in units if str(unit.pk) == request.GET.get("unit", "")), None)
    queryset = selectors.case_files_for(request.user, status=status, unit_id=unit_id)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "unit_id": unit_id,
        "statuses": CaseStatus.choices,
        "units": units,
        "can_open": policies.can_open_case_file(request.user),
    }
    return render(request, "investigations/case_file_list.html", context)


@require_GET
def case_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    can_work = policies.can_work_case_file(request.user, case_file)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file)
    context = {
        "case_file": case_file,
        "can_work": can_work,
        "assignments": list(case_file.assignments.all()),
        "shares": list(case_file.shares.all()),
        "persons": selectors.persons_of(case_file),
        "section": "summary",
        "status_form": StatusForm(allowed=services.TRANSITIONS[case_file.status]) if can_work else None,
        # Completeness (issue 11, item 8): the score and what is missing.
        "completeness": case_completeness(case_file),
        # Research variables (administration.extra_fields), as read.
        "research_values": shown_values(case_file.extra_values.select_related("field")),
    }
    return render(request, "investigations/case_file_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_file_open(request: HttpRequest) -> HttpResponse:
    """The form that opens a case file; `?denuncia=<number>` fills in the complaint (the "Open a
    case file" button of an alert and of a complaint's page)."""
    _require(policies.can_open_case_file(request.user))
    other_agency = policies.can_open_for_other_agency(request.user)
    if request.method == "POST":
        form = OpenForm(request.POST, other_agency=other_agency)
        if form.is_valid():
            numbers = form.complaint_numbers()
            found = dict(
                Complaint.objects.visible_to(request.user).filter(number__in=numbers).values_list("number", "pk")
            )
            missing = [number for number in numbers if number not in found]
            if missing:
                form.add_error(
                    "complaints",
                    _("No complaint you may see has the number %(numbers)s.") % {"numbers": ", ".join(missing)},
                )
            else:
                data = services.OpenData(
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    complaint_ids=list(found.values()),
                    agency_name=form.cleaned_data.get("agency_name", ""),
                    agency_reference=form.cleaned_data.get("agency_reference", ""),
                )
                try:
                    case_file = services.case_file_open(actor=request.user, data=data)
                except services.NotAllowedError as error:
                    raise PermissionDenied(error.message) from error
                except services.CaseFileError as error:
                    _show_error(form, error)
                else:
                    messages.success(request, _("Case file %(number)s opened.") % {"number": case_file.number})
                    return redirect(_detail_url(case_file))
    else:
        number = request.GET.get("denuncia", "")[:80]
        form = OpenForm(initial={"complaints": number}, other_agency=other_agency)
    return render(request, "investigations/case_file_open.html", {"form": form, "other_agency": other_agency})


@require_http_methods(["GET", "POST"])
def case_file_status(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    allowed = services.TRANSITIONS[case_file.status]
    form = StatusForm(request.POST or None, allowed=allowed)
    change = lambda data: services.case_file_change_status(  # noqa: E731
        actor=request.user, case_file=case_file, to_status=data["to_status"], reason=data["reason"]
    )
    if _form_saved(request, form, change, _("Status changed.")):
        return redirect(_detail_url(case_file, "timeline"))
    return render(request, "investigations/case_file_status.html", {"case_file": case_file, "form": form})


@require_http_methods(["GET", "POST"])
def case_file_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = AssignForm(request.POST or None, investigators=services.assignable_investigators(case_file))
    assign = lambda data: services.case_file_assign(  # noqa: E731
        actor=request.user, case_file=case_file, investigator=data["investigator"]
    )
    if _form_saved(request, form, assign, _("Investigator assigned.")):
        return redirect(_detail_url(case_file, "assignments"))
    return render(request, "investigations/case_file_assign.html", {"case_file": case_file, "form": form})


@require_POST
def case_file_unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    try:
        services.case_file_unassign(actor=request.user, case_file=case_file, assignment_id=assignment_pk)
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except services.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Investigator unassigned."))
    return redirect(_detail_url(case_file, "assignments"))


@require_http_methods(["GET", "POST"])
def case_file_share(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = ShareForm(request.POST or None)
    share = lambda data: services.case_file_share(  # noqa: E731
        actor=request.user, case_file=case_file, unit=data["unit"], reason=data["reason"]
    )
    if _form_saved(request, form, share, _("Case file shared.")):
        return redirect(_detail_url(case_file, "shares"))
    return render(request, "investigations/case_file_share.html", {"case_file": case_file, "form": form})


@require_POST
def case_file_revoke_share(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.case_file_revoke_share(actor=request.user, case_file=case_file, share_id=share_pk, reason=reason)
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except services.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Share revoked."))
    return redirect(_detail_url(case_file, "shares"))


@require_POST
def case_file_persons_from_complaints(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the identified victims and alleged traffickers of the linked complaints."""
    case_file = _workable(request, pk)
    try:
        added = services.case_file_add_complaint_persons(actor=request.user, case_file=case_file)
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    if added:
        messages.success(request, _("Persons added: %(count)s.") % {"count": added})
    else:
        messages.info(request, _("No identified person of the complaints was left to add."))
    if request.POST.get("back") == "persons":  # pressed on the persons page: back to it
        return redirect(reverse("investigations:case_person_list", args=[case_file.pk]))
    return redirect(_detail_url(case_file, "persons"))


@require_http_methods(["GET", "POST"])
def case_file_variables(request: HttpRequest, pk: int) -> HttpResponse:
    """The research variables of a case file in force today, and those it already has a value for."""
    case_file = _workable(request, pk)
    rows = list(case_file.extra_values.select_related("field"))
    variables = fields_on(ExtraField.Target.CASE_FILE, timezone.localdate(), keep=[row.field_id for row in rows])
    data = request.POST if request.method == "POST" else None  # an empty POST saves nothing, validly
    form = ExtraValuesForm(data, variables=variables, initial={row.field.code: row.value for row in rows})
    save = lambda _data: services.case_file_variables_save(  # noqa: E731
        actor=request.user, case_file=case_file, values=form.stored()
    )
    if _form_saved(request, form, save, _("Research variables saved.")):
        return redirect("investigations:case_file_detail", pk=case_file.pk)
    return render(request, "investigations/case_file_variables.html", {"case_file": case_file, "form": form})
