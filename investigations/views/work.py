"""Pages of the investigation work of a case file (issue 11 item 4): the "Trabajo" page (tasks,
operations, exhibits with their current holder, diligencias, journal), an exhibit's page with its
chain of custody, and the small forms that add a task, close it, record an operation, an
exhibit, a hand-over, attach a diligencia and write (or correct) a journal entry.

Access: every page fetches the case file through `case_files._readable` (404 outside the scope)
and every form through `case_files._workable` (403 for a unit the case file is shared with, which
reads only). Writes go through investigations.work; reads are a fixed number of queries.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import AuditEventType
from audit.services import audit_record
from investigations import policies, selectors, work
from investigations.forms_work import (
    AttachDiligenceForm,
    ExhibitForm,
    JournalForm,
    OperationForm,
    TaskCloseForm,
    TaskForm,
    TransferForm,
)
from investigations.models import CaseFile, CaseTask, Exhibit, JournalEntry, TaskStatus
from investigations.views.case_files import _form_saved, _readable, _workable


def _work_url(case_file: CaseFile, anchor: str = "") -> str:
    url = reverse("investigations:case_work", args=[case_file.pk])
    return f"{url}#{anchor}" if anchor else url


def _exhibit_url(case_file: CaseFile, exhibit_pk: int) -> str:
    return reverse("investigations:case_exhibit_detail", args=[case_file.pk, exhibit_pk])


def _form_page(request: HttpRequest, case_file: CaseFile, form, title: str, **extra) -> HttpResponse:  # noqa: ANN001, ANN003
    context = {"case_file": case_file, "section": "work", "form": form, "title": title, **extra}
    return render(request, "investigations/work_form.html", context)


@require_GET
def case_work(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"page": "work"})
    context = {
        "case_file": case_file,
        "section": "work",
        "can_work": policies.can_work_case_file(request.user, case_file),
        **work.work_of(case_file),
    }
    return render(request, "investigations/case_work.html", context)


@require_http_methods(["GET", "POST"])
def case_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = TaskForm(request.POST or None, investigators=work.current_investigators(case_file))
    add = lambda data: work.case_task_add(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        title=data["title"],
        description=data["description"],
        assignee=data["assignee"],
        due_on=data["due_on"],
    )
    if _form_saved(request, form, add, _("Task added.")):
        return redirect(_work_url(case_file, "tasks"))
    return _form_page(request, case_file, form, _("Add a task"))


@require_http_methods(["GET", "POST"])
def case_task_close(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    task = selectors.one_of_case(CaseTask, case_file, task_pk, status=TaskStatus.OPEN)
    form = TaskCloseForm(request.POST or None)
    close = lambda data: work.case_task_close(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        task_id=task.pk,
        status=data["status"],
        closing_note=data["closing_note"],
    )
    if _form_saved(request, form, close, _("Task closed.")):
        return redirect(_work_url(case_file, "tasks"))
    return _form_page(request, case_file, form, _("Close the task “%(title)s”") % {"title": task.title})


@require_http_methods(["GET", "POST"])
def case_operation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    labels = dict(work.person_choices(case_file))
    form = OperationForm(request.POST or None, case_file=case_file, person_labels=labels)
    add = lambda data: work.case_operation_add(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        data=work.OperationData(
            occurred_at=data["occurred_at"],
            place=data["place"],
            district=data["district"],
            units=list(data["units"]),
            persons_rescued=data["persons_rescued"],
            persons_arrested=data["persons_arrested"],
            rescued_persons=list(data["rescued_persons"]),
            arrested_persons=list(data["arrested_persons"]),
            items_seized=data["items_seized"],
            summary=data["summary"],
        ),
    )
    if _form_saved(request, form, add, _("Operation recorded.")):
        return redirect(_work_url(case_file, "operations"))
    return _form_page(request, case_file, form, _("Record an operation"))


@require_http_methods(["GET", "POST"])
def case_exhibit_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    initial = {}
    operation = request.GET.get("operativo", "")
    if operation.isdigit():
        initial["operation"] = int(operation)
    form = ExhibitForm(request.POST or None, case_file=case_file, initial=initial)
    add = lambda data: work.case_exhibit_add(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        data=work.ExhibitData(
            description=data["description"],
            kind=data["kind"],
            seized_on=data["seized_on"],
            operation=data["operation"],
            seized_from=data["seized_from"],
            initial_holder=data["initial_holder"],
            initial_holder_unit=data["initial_holder_unit"],
            storage_place=data["storage_place"],
        ),
    )
    if _form_saved(request, form, add, _("Exhibit recorded.")):
        return redirect(_work_url(case_file, "exhibits"))
    return _form_page(request, case_file, form, _("Record an exhibit"))


@require_GET
def case_exhibit_detail(request: HttpRequest, pk: int, exhibit_pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"page": "exhibit"})
    exhibit = work.exhibit_with_chain(case_file, exhibit_pk)
    if exhibit is None:
        raise Http404
    can_work = policies.can_work_case_file(request.user, case_file)
    form = TransferForm(initial={"from_holder": exhibit.current_holder}) if can_work else None
    context = {"case_file": case_file, "section": "work", "exhibit": exhibit, "can_work": can_work, "form": form}
    return render(request, "investigations/case_exhibit.html", context)


@require_http_methods(["GET", "POST"])
def case_custody_transfer(request: HttpRequest, pk: int, exhibit_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    exhibit = selectors.one_of_case(Exhibit, case_file, exhibit_pk)
    form = TransferForm(request.POST or None, initial={"from_holder": exhibit.current_holder})
    transfer = lambda data: work.case_custody_transfer(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        exhibit_id=exhibit.pk,
        data=work.TransferData(
            from_holder=data["from_holder"],
            from_unit=data["from_unit"],
            to_holder=data["to_holder"],
            to_unit=data["to_unit"],
            handed_at=data["handed_at"],
            reason=data["reason"],
        ),
    )
    if _form_saved(request, form, transfer, _("Hand-over recorded.")):
        return redirect(_exhibit_url(case_file, exhibit.pk) + "#chain")
    return _form_page(
        request, case_file, form, _("Hand over the exhibit %(code)s") % {"code": exhibit.code}, exhibit=exhibit
    )


@require_http_methods(["GET", "POST"])
def case_diligence_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    form = AttachDiligenceForm(request.POST or None, diligences=work.attachable_diligences(request.user, case_file))
    attach = lambda data: work.case_diligence_attach(  # noqa: E731
        actor=request.user, case_file=case_file, diligence_id=data["diligence"].pk
    )
    if _form_saved(request, form, attach, _("Diligencia attached.")):
        return redirect(_work_url(case_file, "diligences"))
    return _form_page(request, case_file, form, _("Attach a diligencia of another complaint"))


@require_http_methods(["GET", "POST"])
def case_journal_add(request: HttpRequest, pk: int, entry_pk: int | None = None) -> HttpResponse:
    """A new journal entry; with `entry_pk` (the `case_journal_correct` URL), a correction of it."""
    case_file = _workable(request, pk)
    corrected = None
    if entry_pk is not None:
        corrected = selectors.one_of_case(JournalEntry, case_file, entry_pk)
    labels = dict(work.person_choices(case_file))
    initial = {}
    if corrected is not None:
        initial = {
            "entry_date": corrected.entry_date,
            "kind": corrected.kind,
            "person": corrected.person_id,
            "text": corrected.text,
        }
    form = JournalForm(request.POST or None, case_file=case_file, person_labels=labels, initial=initial)
    write = lambda data: work.case_journal_write(  # noqa: E731
        actor=request.user,
        case_file=case_file,
        entry_date=data["entry_date"],
        kind=data["kind"],
        person=data["person"],
        text=data["text"],
        corrects_id=corrected.pk if corrected else None,
    )
    if _form_saved(request, form, write, _("Journal entry written.")):
        return redirect(_work_url(case_file, "journal"))
    if corrected is not None:
        title = _("Correct the journal entry #%(number)s") % {"number": corrected.sequence}
    else:
        title = _("Write a journal entry")
    return _form_page(request, case_file, form, title, corrected=corrected)
