"""Views of the register of printed carbonless forms (serial batches): the register with the forms
still outstanding per unit, issuing a batch, a batch with its serials, and the PDFs.

Thin views: the rules, the scope and the writes are in administration.paperwork; the PDF is drawn
by complaints.paper_pdf. Access (SECURITY.md 8-9): the register is scoped by the tree of command
(404 for a batch outside it); issuing is for national administrators (403 for everyone else);
printing for the roles that handle paper (paperwork.can_print_paper_forms). Every PDF download is
audited as a printed document.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from administration import paperwork
from administration.models import Unit
from complaints.paper_pdf import render_blank_form_pdf

BATCHES_PER_PAGE = 20
UNITS_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- forms


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class IssueForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    unit = UnitChoiceField(
        label=gettext_lazy("Unit that receives the forms"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— choose —"),
        help_text=gettext_lazy("A police station, or any other unit that will hand the forms out."),
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of forms"),
        min_value=1,
        max_value=paperwork.MAX_BATCH_SIZE,
        initial=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": paperwork.MAX_BATCH_SIZE}),
        help_text=gettext_lazy(
            "Each form is a set of three copies (original and two copies) of two pages: print it double-sided."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = paperwork.units_for_issue(user)


class RegisterFilterForm(forms.Form):
    outstanding = forms.BooleanField(label=gettext_lazy("Only units with forms outstanding"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- the register


@require_GET
def paperform_list(request: HttpRequest) -> HttpResponse:
    """The register: forms issued, entered and still outstanding per unit, and the batches."""
    _require(paperwork.can_view_paper_forms(request.user))
    user = request.user
    filters = RegisterFilterForm(request.GET or None)
    only_outstanding = filters.is_valid() and filters.cleaned_data["outstanding"]
    unit_page = Paginator(paperwork.stock_by_unit(user, only_outstanding=only_outstanding), UNITS_PER_PAGE).get_page(
        request.GET.get("unidades")
    )
    batches = paperwork.batches_with_counts(paperwork.batches_visible_to(user)).order_by("-issued_at", "-id")
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "stocks": paperwork.unit_stocks(user, unit_page.object_list),
        "unit_page": unit_page,
        "page": page,
        "can_issue": paperwork.can_issue_paper_forms(user),
        "can_print": paperwork.can_print_paper_forms(user),
    }
    return render(request, "administration/paperform_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def paperform_issue(request: HttpRequest) -> HttpResponse:
    _require(paperwork.can_issue_paper_forms(request.user))
    initial = {"form_token": uuid.uuid4().hex, "unit": request.GET.get("unidad") or None}
    form = IssueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = paperwork.paper_form_batch_issue(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                count=form.cleaned_data["count"],
                form_token=form.cleaned_data["form_token"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Issued {count} forms to {unit}: {first} to {last}.").format(
                    count=batch.count, unit=batch.unit.name, first=batch.first_serial, last=batch.last_serial
                ),
            )
            return redirect("administration:paperform_detail", pk=batch.pk)
    return render(request, "administration/paperform_issue.html", {"form": form})


@require_GET
def paperform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = paperwork.access_batch(request.user, pk)
    _require(paperwork.can_view_paper_forms(request.user))
    serials = paperwork.batch_serials(batch)
    entered = sum(1 for serial in serials if serial.is_entered)
    context = {
        "batch": batch,
        "serials": serials,
        "entered": entered,
        "outstanding": len(serials) - entered,
        "can_print": paperwork.can_print_paper_forms(request.user),
    }
    return render(request, "administration/paperform_detail.html", context)


# ---------------------------------------------------------------- the PDFs


@require_GET
def paperform_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole batch as one PDF (every serial, entered or not: an identical reprint)."""
    batch = paperwork.access_batch(request.user, pk)
    _require(paperwork.can_print_paper_forms(request.user))
    content = render_blank_form_pdf(paperwork.batch_serials(batch), generated_by=request.user)
    paperwork.paper_forms_printed(actor=request.user, batch=batch)
    return _pdf_response(content, f"formularios-{batch.first_serial}-a-{batch.last_serial}.pdf")


@require_GET
def paperform_serial_pdf(request: HttpRequest, serial: str) -> HttpResponse:
    """One set again (a spoiled or lost copy), only while the serial is outstanding."""
    record = paperwork.access_serial(request.user, serial)
    _require(paperwork.can_print_paper_forms(request.user))
    if record.is_entered:
        messages.error(request, _("Form {serial} was already entered: it is not printed again.").format(serial=record))
        return redirect("administration:paperform_detail", pk=record.batch_id)
    content = render_blank_form_pdf([record], generated_by=request.user)
    paperwork.paper_forms_printed(actor=request.user, batch=record.batch, serials=[record.serial])
    return _pdf_response(content, f"formulario-{record.serial}.pdf")


urlpatterns: list = [
    path("formularios/", paperform_list, name="paperform_list"),
    path("formularios/emitir/", paperform_issue, name="paperform_issue"),
    path("formularios/<int:pk>/", paperform_detail, name="paperform_detail"),
    path("formularios/<int:pk>/pdf/", paperform_pdf, name="paperform_pdf"),
    path("formularios/serie/<str:serial>/pdf/", paperform_serial_pdf, name="paperform_serial_pdf"),
]
