"""Views of the Reporting module (diligences): the preliminary investigation register of a
complaint, its entries, the answers received with their scans, and the generated documents.

Every view fetches the complaint through `access_complaint` (404 outside the tree of command)
and then asks the policies of `complaints.diligences` (403: read-only roles never write). Writes
go through the services of `complaints.diligences`; views only turn forms into their arguments and
wrap bytes into responses. Scans and PDFs are served only here, as attachments with nosniff and
no-store, each download recorded in the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_record
from complaints import diligences as register
from complaints.diligence_models import DiligenceType, DocumentKind
from complaints.documents import DEFAULT_ADDRESSEES
from complaints.models import Complaint
from complaints.selectors import access_complaint

# ---------------------------------------------------------------- forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TokenForm(forms.Form):
    """A one-time token: the same form sent twice writes one entry (SECURITY.md 26)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


class DiligenceForm(TokenForm):
    kind = forms.ChoiceField(label=gettext_lazy("Action"), choices=[("", "---------"), *DiligenceType.choices])
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    officer = forms.CharField(label=gettext_lazy("Officer in charge"), max_length=200)
    addressee = forms.CharField(
        label=gettext_lazy("Addressee"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Institution or person the action is addressed to, if any."),
    )
    document_number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Number of the oficio, record or notification, if any."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea, required=False)


class DiligenceCorrectionForm(DiligenceForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        help_text=gettext_lazy("The entry is not changed: the correction is a new entry that points at it."),
    )


class AnswerForm(TokenForm):
    received_on = forms.DateField(label=gettext_lazy("Date received"), widget=DATE_WIDGET)
    summary = forms.CharField(label=gettext_lazy("Summary of the answer"), widget=forms.Textarea)
    scan = forms.FileField(
        label=gettext_lazy("Scan of the answer"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = register.upload_max_bytes() // 1_048_576
        self.fields["scan"].help_text = _("PDF, JPEG or PNG, up to {limit} MB. Optional.").format(limit=limit)


class AnswerCorrectionForm(AnswerForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        help_text=gettext_lazy("The answer is not changed: the correction is a new answer that points at it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].help_text = _(
            "Without a new scan, the correction keeps the scan of the answer it corrects."
        )


class DocumentForm(TokenForm):
    """What every generated document asks; each document adds its own fields."""

    addressee = forms.CharField(label=gettext_lazy("Addressee"), max_length=300)
    city = forms.CharField(
        label=gettext_lazy("Place of issue"), max_length=100, help_text=gettext_lazy("City printed beside the date.")
    )
    notes = forms.CharField(
        label=gettext_lazy("Additional paragraph"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Optional. Do not write the name of a minor: documents cite victims by initials."),
    )
    show_adult_names = forms.BooleanField(
        label=gettext_lazy("Print adult victims' full names"),
        required=False,
        help_text=gettext_lazy(
            "Minors are always cited by their initials. This choice is recorded in the audit trail."
        ),
    )

    def __init__(self, *args: Any, complaint: Complaint, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        if not register.can_show_adult_names(user):
            del self.fields["show_adult_names"]
        self.victims = list(complaint.victims.select_related("person").order_by("position", "id"))

    def victim_choices(self) -> list[tuple[str, str]]:
        choices = []
        for victim in self.victims:
            person = victim.person
            initials = person.initials or "N.N."
            if victim.is_minor is True:
                detail = _("minor, {age} years").format(age=victim.age) if victim.age is not None else _("minor")
            elif victim.is_minor is None:
                detail = _("age unknown")
            else:
                detail = _("{age} years").format(age=victim.age) if victim.age is not None else _("adult")
            label = _("Victim {position}: {initials} ({detail})").format(
                position=victim.position, initials=initials, detail=detail
            )
            choices.append((str(victim.position), label))
        return choices

    def document_fields(self) -> dict[str, Any]:
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("form_token", "show_adult_names")
        }


class ForensicExamForm(DocumentForm):
    victim = forms.ChoiceField(label=gettext_lazy("Victim to be examined"))
    examinations = forms.MultipleChoiceField(
        label=gettext_lazy("Examinations requested"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("physical", gettext_lazy("Physical integrity (injuries)")),
            ("sexual", gettext_lazy("Sexual integrity")),
            ("age", gettext_lazy("Age estimation")),
            ("psychological", gettext_lazy("Psychological evaluation")),
            ("toxicology", gettext_lazy("Toxicology")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].choices = self.victim_choices()


class SearchWarrantForm(DocumentForm):
    place_address = forms.CharField(label=gettext_lazy("Address of the place to be searched"), max_length=300)
    place_description = forms.CharField(label=gettext_lazy("Description of the place"), max_length=300, required=False)
    grounds = forms.CharField(
        label=gettext_lazy("Grounds"),
        widget=forms.Textarea,
        help_text=gettext_lazy("Why the search is needed: facts, urgency, risk to the victims."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        complaint = self.complaint
        self.initial.setdefault("place_address", complaint.place_address)
        self.initial.setdefault("place_description", complaint.get_place_kind_display() if complaint.place_kind else "")


class PersonQueryForm(DocumentForm):
    person = forms.CharField(
        label=gettext_lazy("Person (data known)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Names, surnames, alias, document number, date of birth: whatever is known."),
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300, required=False)


class ReniecForm(PersonQueryForm):
    """The RENIEC identity request asks exactly what PersonQueryForm asks."""


class MigracionesForm(PersonQueryForm):
    nationality = forms.CharField(label=gettext_lazy("Nationality"), max_length=60, required=False)
    period_from = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET, required=False)
    period_to = forms.DateField(label=gettext_lazy("To"), widget=DATE_WIDGET, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", _("The end of the period is before its start."))
        return data


CAPACITY_CHOICES = [
    ("complainant", gettext_lazy("Complainant")),
    ("legal_representative", gettext_lazy("Legal representative of the victim")),
    ("witness", gettext_lazy("Witness")),
    ("investigated", gettext_lazy("Person under investigation")),
    ("victim", gettext_lazy("Victim")),
    ("other", gettext_lazy("Other")),
]


class NotificationForm(DocumentForm):
    person_notified = forms.CharField(
        label=gettext_lazy("Person notified"),
        max_length=200,
        help_text=gettext_lazy("For a minor victim, notify her or his legal representative."),
    )
    capacity = forms.ChoiceField(label=gettext_lazy("In the capacity of"), choices=CAPACITY_CHOICES)
    address = forms.CharField(label=gettext_lazy("Address of the person notified"), max_length=300, required=False)
    appear_at = forms.DateTimeField(label=gettext_lazy("Date and time to appear"), widget=DATETIME_WIDGET)
    appear_place = forms.CharField(label=gettext_lazy("Place to appear"), max_length=300)
    purpose = forms.CharField(label=pgettext_lazy("purpose of a notification", "To"), max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.initial.setdefault("appear_place", user.unit.name)
        self.initial.setdefault("purpose", "rendir su manifestación en relación con los hechos denunciados")

    def clean_appear_at(self) -> Any:
        value = self.cleaned_data["appear_at"]
        if value and value < timezone.now():
            raise forms.ValidationError(_("The date to appear has already passed."))
        return value


class StatementForm(DocumentForm):
    deponent = forms.ChoiceField(label=gettext_lazy("Person who makes the statement"))
    deponent_name = forms.CharField(
        label=gettext_lazy("Name of the person (when not a victim)"), max_length=200, required=False
    )
    capacity = forms.ChoiceField(
        label=gettext_lazy("In the capacity of (when not a victim)"),
        choices=[choice for choice in CAPACITY_CHOICES if choice[0] != "victim"],
        required=False,
    )
    taken_at = forms.DateTimeField(label=gettext_lazy("Date and time of the statement"), widget=DATETIME_WIDGET)
    prosecutor = forms.CharField(
        label=gettext_lazy("Prosecutor present"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Required by law for the statement of a minor."),
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        widget=forms.Textarea,
        required=False,
        help_text=gettext_lazy("Leave empty to print ruled lines and write the statement by hand."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["addressee"]
        choices = [(f"victim:{value}", label) for value, label in self.victim_choices()]
        self.fields["deponent"].choices = [*choices, ("other", _("Another person"))]
        self.initial.setdefault("taken_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("deponent") == "other":
            if not data.get("deponent_name", "").strip():
                self.add_error("deponent_name", _("Write the name of the person."))
            if not data.get("capacity"):
                self.add_error("capacity", _("Choose the capacity of the person."))
        return data

    def document_fields(self) -> dict[str, Any]:
        fields = super().document_fields()
        fields["addressee"] = ""
        if fields.get("deponent", "").startswith("victim:"):
            fields["deponent_name"] = ""
            fields["capacity"] = "victim"
        return fields


DOCUMENT_FORMS: dict[str, type[DocumentForm]] = {
    DocumentKind.FORENSIC_EXAM: ForensicExamForm,
    DocumentKind.SEARCH_WARRANT: SearchWarrantForm,
    DocumentKind.RENIEC: ReniecForm,
    DocumentKind.MIGRACIONES: MigracionesForm,
    DocumentKind.NOTIFICATION: NotificationForm,
    DocumentKind.STATEMENT: StatementForm,
}


# ---------------------------------------------------------------- helpers


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _readable(request: HttpRequest, pk: int) -> Complaint:
    complaint = access_complaint(request.user, pk)  # 404 outside the tree of command
    _require(register.can_view_register(request.user))
    return complaint


def _writable(request: HttpRequest, pk: int) -> Complaint:
    complaint = _readable(request, pk)
    _require(register.can_record_diligence(request.user, complaint))
    return complaint


def _register_url(complaint: Complaint, anchor: str = "") -> str:
    url = reverse("complaints:diligence_list", args=[complaint.pk])
    return f"{url}#{anchor}" if anchor else url


def _diligence_data(form: DiligenceForm) -> register.DiligenceData:
    data = form.cleaned_data
    return register.DiligenceData(
        kind=data["kind"],
        date=data["date"],
        officer=data["officer"],
        addressee=data.get("addressee", ""),
        document_number=data.get("document_number", ""),
        description=data.get("description", ""),
    )


def _answer_data(form: AnswerForm) -> register.AnswerData:
    return register.AnswerData(received_on=form.cleaned_data["received_on"], summary=form.cleaned_data["summary"])


def _show_error(form: forms.Form, error: register.DiligenceError) -> None:
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
    can_write = register.can_record_diligence(request.user, complaint)
    entries = register.register_of(complaint)
    audit_record(event="diligences_viewed", obj=complaint, object_repr=str(complaint))
    context = {
        "complaint": complaint,
        "entries": entries,
        "documents": register.documents_of(complaint),
        "can_write": can_write,
        "form": DiligenceForm(initial={"date": timezone.localdate(), "officer": _officer_name(request.user)})
        if can_write
        else None,
        "document_kinds": DocumentKind.choices,
    }
    return render(request, "complaints/diligence_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_create(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    if request.method == "POST":
        form = DiligenceForm(request.POST)
        if form.is_valid():
            try:
                entry = register.diligence_record(
                    actor=request.user,
                    complaint=complaint,
                    data=_diligence_data(form),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except register.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("Entry {number} was added to the register.").format(number=entry.sequence))
                return redirect(_register_url(complaint, f"diligence-{entry.sequence}"))
    else:
        form = DiligenceForm(initial={"date": timezone.localdate(), "officer": _officer_name(request.user)})
    return render(request, "complaints/diligence_form.html", {"complaint": complaint, "form": form, "corrects": None})


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_correct(request: HttpRequest, pk: int, diligence_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    diligence = register.access_diligence(request.user, complaint.pk, diligence_pk)
    if request.method == "POST":
        form = DiligenceCorrectionForm(request.POST)
        if form.is_valid():
            try:
                entry = register.diligence_correct(
                    actor=request.user,
                    diligence=diligence,
                    data=_diligence_data(form),
                    reason=form.cleaned_data["reason"],
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except register.DiligenceError as error:
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
    return render(request, "complaints/diligence_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_answer_create(request: HttpRequest, pk: int, diligence_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    diligence = register.access_diligence(request.user, complaint.pk, diligence_pk)
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                register.answer_record(
                    actor=request.user,
                    diligence=diligence,
                    data=_answer_data(form),
                    scan=form.cleaned_data.get("scan"),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except register.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request, _("The answer was added to entry {number}.").format(number=diligence.sequence)
                )
                return redirect(_register_url(complaint, f"diligence-{diligence.sequence}"))
    else:
        form = AnswerForm(initial={"received_on": timezone.localdate()})
    context = {"complaint": complaint, "diligence": diligence, "form": form, "corrects": None}
    return render(request, "complaints/diligence_answer_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def diligence_answer_correct(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    complaint = _writable(request, pk)
    answer = register.access_answer(request.user, complaint.pk, answer_pk)
    if request.method == "POST":
        form = AnswerCorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                register.answer_correct(
                    actor=request.user,
                    answer=answer,
                    data=_answer_data(form),
                    reason=form.cleaned_data["reason"],
                    scan=form.cleaned_data.get("scan"),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except register.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("The answer was corrected."))
                return redirect(_register_url(complaint, f"diligence-{answer.diligence.sequence}"))
    else:
        form = AnswerCorrectionForm(initial={"received_on": answer.received_on, "summary": answer.summary})
    context = {"complaint": complaint, "diligence": answer.diligence, "form": form, "corrects": answer}
    return render(request, "complaints/diligence_answer_form.html", context)


@require_GET
def diligence_answer_scan(request: HttpRequest, pk: int, answer_pk: int) -> FileResponse:
    """The scan of an answer, for those who may see the complaint (404 otherwise)."""
    _readable(request, pk)
    answer = register.access_answer(request.user, pk, answer_pk)
    if not answer.scan:
        raise Http404
    try:
        handle = register.open_scan(actor=request.user, answer=answer)
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = register.SCAN_CONTENT_TYPES.get(answer.scan_type, "application/octet-stream")
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
                document = register.document_generate(
                    actor=user,
                    complaint=complaint,
                    kind=kind,
                    fields=form.document_fields(),
                    show_adult_names=form.cleaned_data.get("show_adult_names", False),
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except register.DiligenceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request,
                    _("{document} was generated and recorded in the register.").format(document=document),
                )
                return redirect(_register_url(complaint, f"document-{document.pk}"))
    else:
        form = form_class(complaint=complaint, user=user, initial=initial)
    context = {"complaint": complaint, "form": form, "kind": kind, "kind_label": DocumentKind(kind).label}
    return render(request, "complaints/diligence_document_form.html", context)


@require_GET
def diligence_document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The PDF exactly as it was generated (stored bytes, never rendered again)."""
    _readable(request, pk)
    document = register.access_document(request.user, pk, document_pk)
    data = register.document_pdf(actor=request.user, document=document)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Length"] = str(len(data))
    return _attachment(response, document.filename)


urlpatterns = [
    path("<int:pk>/diligencias/", diligence_list, name="diligence_list"),
    path("<int:pk>/diligencias/nueva/", diligence_create, name="diligence_create"),
    path("<int:pk>/diligencias/<int:diligence_pk>/corregir/", diligence_correct, name="diligence_correct"),
    path(
        "<int:pk>/diligencias/<int:diligence_pk>/respuestas/nueva/",
        diligence_answer_create,
        name="diligence_answer_create",
    ),
    path(
        "<int:pk>/diligencias/respuestas/<int:answer_pk>/corregir/",
        diligence_answer_correct,
        name="diligence_answer_correct",
    ),
    path(
        "<int:pk>/diligencias/respuestas/<int:answer_pk>/escaneo/",
        diligence_answer_scan,
        name="diligence_answer_scan",
    ),
    path(
        "<int:pk>/diligencias/documentos/<slug:kind>/nuevo/",
        diligence_document_create,
        name="diligence_document_create",
    ),
    path(
        "<int:pk>/diligencias/documentos/<int:document_pk>/pdf/",
        diligence_document_download,
        name="diligence_document_download",
    ),
]
