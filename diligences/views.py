"""Views of the preliminary investigation register (diligences) of a complaint: its entries,
the answers received with their scans, and the generated documents.

Every view fetches the complaint through `access_complaint` (404 outside the tree of command)
and then asks `diligences.policies` (403: read-only roles never write). Writes go through
`diligences.services`, reads through `diligences.selectors`; views only turn forms
(`diligences.forms`) into their arguments and wrap bytes into responses. Scans and PDFs are
served only here, as attachments with nosniff and no-store, each download recorded in the audit
trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import Complaint
from complaints.selectors import access_complaint
from diligences import policies, selectors, services
from diligences.forms import (
    DOCUMENT_FORMS,
    AnswerCorrectionForm,
    AnswerForm,
    DiligenceCorrectionForm,
    DiligenceForm,
)
from diligences.models import DocumentKind
from diligences.pdf import DEFAULT_ADDRESSEES

# ---------------------------------------------------------------- helpers


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _readable(request: HttpRequest, pk: int) -> Complaint:
    complaint = access_complaint(request.user, pk)  # 404 outside the tree of command
    _require(policies.can_view_register(request.user))
    return complaint


def _writable(request: HttpRequest, pk: int) -> Complaint:
    complaint = _readable(request, pk)
    _require(policies.can_record_diligence(request.user, complaint))
    return complaint


def _register_url(complaint: Complaint, anchor: str = "") -> str:
    url = reverse("diligences:diligence_list", args=[complaint.pk])
    return f"{url}#{anchor}" if anchor else url


def _diligence_data(form: DiligenceForm) -> services.DiligenceData:
    data = form.cleaned_data
    return services.DiligenceData(
        kind=data["kind"],
        date=data["date"],
        officer=data["officer"],
        addressee=data.get("addressee", ""),
        document_number=data.get("document_number", ""),
        description=data.get("description", ""),
    )


def _answer_data(form: AnswerForm) -> services.AnswerData:
    return services.AnswerData(received_on=form.cleaned_data["received_on"], summary=form.cleaned_data["summary"])


def _show_error(form: forms.Form, error: services.DiligenceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _officer_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- the register


@require_GET
def diligence_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of a complaint: its entries with their answers and corrections, the documents
    generated, and (for those who may write) the form of a new entry."""
    complaint = _readable(request, pk)
    can_write = policies.can_record_diligence(request.user, complaint)
    entries = selectors.register_of(complaint)
    audit_record(event=AuditEventType.DILIGENCES_VIEWED, obj=complaint, object_repr=str(complaint))
    context = {
        "complaint": complaint,
        "entries": entries,
        "documents": selectors.documents_of(complaint),
        "can_write": can_write,
        "form": DiligenceForm(initial={"date": timezone.localdate(), "officer": _officer_name(request.user)})
        if can_write
        else None,
        "document_kinds": DocumentKind.choices,
    }
    return render(request, "diligences/diligence_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_create(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    if request.method == "POST":
        form = DiligenceForm(request.POST)
        if form.is_valid():
            try:
                entry = services.diligence_record(
                    actor=request.user,
                    complaint=complaint,
                    data=_diligence_data(form),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except services.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("Entry {number} was added to the register.").format(number=entry.sequence))
                return redirect(_register_url(complaint, f"diligence-{entry.sequence}"))
    else:
        form = DiligenceForm(initial={"date": timezone.localdate(), "officer": _officer_name(request.user)})
    return render(request, "diligences/diligence_form.html", {"complaint": complaint, "form": form, "corrects": None})


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_correct(request: HttpRequest, pk: int, diligence_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    diligence = selectors.access_diligence(request.user, complaint, diligence_pk)
    if request.method == "POST":
        form = DiligenceCorrectionForm(request.POST)
        if form.is_valid():
            try:
                entry = services.diligence_correct(
                    actor=request.user,
                    diligence=diligence,
                    data=_diligence_data(form),
                    reason=form.cleaned_data["reason"],
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except services.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request,
                    _("Entry {old} was corrected by entry {new}.").format(old=diligence.sequence, new=entry.sequence),
                )
                return redirect(_register_url(complaint, f"diligence-{entry.sequence}"))
    else:
        fields = ("kind", "date", "officer", "addressee", "document_number", "description")
        form = DiligenceCorrectionForm(initial={name: getattr(diligence, name) for name in fields})
    context = {"complaint": complaint, "form": form, "corrects": diligence}
    return render(request, "diligences/diligence_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_answer_create(request: HttpRequest, pk: int, diligence_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    diligence = selectors.access_diligence(request.user, complaint, diligence_pk)
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_record(
                    actor=request.user,
                    diligence=diligence,
                    data=_answer_data(form),
                    scan=form.cleaned_data.get("scan"),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except services.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request, _("The answer was added to entry {number}.").format(number=diligence.sequence)
                )
                return redirect(_register_url(complaint, f"diligence-{diligence.sequence}"))
    else:
        form = AnswerForm(initial={"received_on": timezone.localdate()})
    context = {"complaint": complaint, "diligence": diligence, "form": form, "corrects": None}
    return render(request, "diligences/diligence_answer_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_answer_correct(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    answer = selectors.access_answer(request.user, complaint, answer_pk)
    if request.method == "POST":
        form = AnswerCorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_correct(
                    actor=request.user,
                    answer=answer,
                    data=_answer_data(form),
                    reason=form.cleaned_data["reason"],
                    scan=form.cleaned_data.get("scan"),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except services.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("The answer was corrected."))
                return redirect(_register_url(complaint, f"diligence-{answer.diligence.sequence}"))
    else:
        form = AnswerCorrectionForm(initial={"received_on": answer.received_on, "summary": answer.summary})
    context = {"complaint": complaint, "diligence": answer.diligence, "form": form, "corrects": answer}
    return render(request, "diligences/diligence_answer_form.html", context)


@require_GET
def diligence_answer_scan(request: HttpRequest, pk: int, answer_pk: int) -> FileResponse:
    """The scan of an answer, for those who may see the complaint (404 otherwise)."""
    complaint = _readable(request, pk)
    answer = selectors.access_answer(request.user, complaint, answer_pk)
    if not answer.scan:
        raise Http404
    try:
        handle = services.open_scan(actor=request.user, answer=answer)
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = services.SCAN_CONTENT_TYPES.get(answer.scan_type, "application/octet-stream")
    response = FileResponse(handle, content_type=content_type)
    return _attachment(response, answer.download_name)


# ---------------------------------------------------------------- generated documents


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_document_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in DOCUMENT_FORMS:
        raise Http404
    complaint = _writable(request, pk)
    form_class = DOCUMENT_FORMS[kind]
    user = request.user
    initial = {
        "addressee": DEFAULT_ADDRESSEES.get(kind, ""),
        "city": user.unit.district.name if user.unit.district_id else "",
    }
    if request.method == "POST":
        form = form_class(request.POST, complaint=complaint, user=user, initial=initial)
        if form.is_valid():
            try:
                document = services.document_generate(
                    actor=user,
                    complaint=complaint,
                    kind=kind,
                    fields=form.document_fields(),
                    show_adult_names=form.cleaned_data.get("show_adult_names", False),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except services.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request,
                    _("{document} was generated and recorded in the services.").format(document=document),
                )
                return redirect(_register_url(complaint, f"document-{document.pk}"))
    else:
        form = form_class(complaint=complaint, user=user, initial=initial)
    context = {"complaint": complaint, "form": form, "kind": kind, "kind_label": DocumentKind(kind).label}
    return render(request, "diligences/diligence_document_form.html", context)


@require_GET
def diligence_document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The PDF exactly as it was generated (stored bytes, never rendered again)."""
    complaint = _readable(request, pk)
    document = selectors.access_document(request.user, complaint, document_pk)
    try:
        data = services.document_pdf(actor=request.user, document=document)
    except services.DocumentIntegrityError as error:
        # Logged and in the audit trail already: the user is told, nothing is served.
        messages.error(request, error.message)
        return redirect(_register_url(complaint, f"document-{document.pk}"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Length"] = str(len(data))
    return _attachment(response, document.filename)
