"""Views of the paper forms: the register of printed carbonless forms (serial batches) with the
forms still outstanding per unit, issuing a batch, a batch with its serials, the PDF of a batch
or of one set; and any complaint printed as a filled form (`complaint_pdf`).

Thin views: the rules, the scope and the writes are in `paperforms.policies`, `.selectors` and
`.services`; the PDFs are drawn by `paperforms.pdf`. Access (SECURITY.md 8-9): the register is
scoped by the tree of command (404 for a batch outside it); issuing is for national
administrators (403 for everyone else); printing for the roles that handle paper
(`policies.can_print_paper_forms`). Every PDF download is audited as a printed document.

The filled complaint: GET gives the document as `people.privacy.sight` shows it to the user (masked;
the filing station sees its complainant). The copy with identities is a POST ("Download with
identities", CSRF-protected) for those who may ask for the reveal (`people.policies.can_reveal`):
it writes `identity_shown` before the document is produced, so unmasking is always a logged
action and no personal-data decision rides on a URL (SECURITY.md 15, 17). The complainant's copy
(`complainant_copy_pdf`) is for the filing station only, audited as a `complaint_pdf` too. Every download writes
`complaint_pdf` (a printed document, SECURITY.md 13). Access through `access_complaint`: 404
outside the scope.

Imports: `paperforms`, `audit`, and the public pieces of `complaints` (selectors, policies,
queries). Nothing in `complaints` imports this module (see `paperforms.services`).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import AuditEventType
from audit.services import audit_record
from complaints import policies as complaint_policies
from complaints.selectors import access_complaint
from paperforms import policies, selectors, services
from paperforms.forms import IssueForm, RegisterFilterForm
from paperforms.pdf import render_blank_form_pdf, render_complainant_copy_pdf, render_complaint_pdf
from people import policies as identity_policies
from people import privacy
from people.services import identity_reveal

BATCHES_PER_PAGE = 20
UNITS_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the register


@require_GET
def paperform_list(request: HttpRequest) -> HttpResponse:
    """The register: forms issued, entered and still outstanding per unit, and the batches."""
    _require(policies.can_view_paper_forms(request.user))
    user = request.user
    filters = RegisterFilterForm(request.GET or None)
    only_outstanding = filters.is_valid() and filters.cleaned_data["outstanding"]
    unit_page = Paginator(selectors.stock_by_unit(user, only_outstanding=only_outstanding), UNITS_PER_PAGE).get_page(
        request.GET.get("unidades")
    )
    batches = selectors.batches_with_counts(selectors.batches_visible_to(user)).order_by("-issued_at", "-id")
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "stocks": selectors.unit_stocks(user, unit_page.object_list),
        "unit_page": unit_page,
        "page": page,
        "can_issue": policies.can_issue_paper_forms(user),
        "can_print": policies.can_print_paper_forms(user),
    }
    return render(request, "paperforms/paperform_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def paperform_issue(request: HttpRequest) -> HttpResponse:
    _require(policies.can_issue_paper_forms(request.user))
    initial = {"form_token": uuid.uuid4().hex, "unit": request.GET.get("unidad") or None}
    form = IssueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.paper_form_batch_issue(
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
            return redirect("paperforms:paperform_detail", pk=batch.pk)
    return render(request, "paperforms/paperform_issue.html", {"form": form})


@require_GET
def paperform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(request.user, pk)
    _require(policies.can_view_paper_forms(request.user))
    serials = selectors.batch_serials(batch)
    entered = sum(1 for serial in serials if serial.is_entered)
    context = {
        "batch": batch,
        "serials": serials,
        "entered": entered,
        "outstanding": len(serials) - entered,
        "can_print": policies.can_print_paper_forms(request.user),
    }
    return render(request, "paperforms/paperform_detail.html", context)


# ---------------------------------------------------------------- the PDFs


@require_GET
def paperform_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole batch as one PDF (every serial, entered or not: an identical reprint)."""
    batch = selectors.access_batch(request.user, pk)
    _require(policies.can_print_paper_forms(request.user))
    content = render_blank_form_pdf(selectors.batch_serials(batch), generated_by=request.user)
    services.paper_forms_printed(actor=request.user, batch=batch)
    return _pdf_response(content, f"formularios-{batch.first_serial}-a-{batch.last_serial}.pdf")


@require_GET
def paperform_serial_pdf(request: HttpRequest, serial: str) -> HttpResponse:
    """One set again (a spoiled or lost copy), only while the serial is outstanding."""
    record = selectors.access_serial(request.user, serial)
    _require(policies.can_print_paper_forms(request.user))
    if record.is_entered:
        messages.error(request, _("Form {serial} was already entered: it is not printed again.").format(serial=record))
        return redirect("paperforms:paperform_detail", pk=record.batch_id)
    content = render_blank_form_pdf([record], generated_by=request.user)
    services.paper_forms_printed(actor=request.user, batch=record.batch, serials=[record.serial])
    return _pdf_response(content, f"formulario-{record.serial}.pdf")


# ---------------------------------------------------------------- a complaint as a filled form


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(request.user, pk)
    if not complaint_policies.can_view_complaints(request.user):
        raise PermissionDenied
    show_identity = request.method == "POST"
    view = privacy.sight(request.user, complaint, revealed=show_identity)
    if show_identity:
        if not identity_policies.can_reveal(request.user, complaint):
            raise PermissionDenied
        identity_reveal(
            actor=request.user,
            obj=complaint,
            victims=complaint.victims.select_related("person__identity", "complaint"),
            suspects=complaint.suspects.count(),
            complainant=complaint.complainant_id is not None,
            where={"document": "complaint_pdf"},
            shown=view,
        )
    content = render_complaint_pdf(complaint, generated_by=request.user, view=view)
    details = {"identities": show_identity, "bytes": len(content)}
    if view.complainant:
        details["complainant_shown"] = True
    audit_record(event=AuditEventType.COMPLAINT_PDF, obj=complaint, object_repr=str(complaint), details=details)
    name = complaint.number or f"borrador-{complaint.pk}"
    suffix = "-identidades" if show_identity else ""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="denuncia-{name}{suffix}.pdf"'
    return response


@require_GET
def complainant_copy_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The copy handed to the complainant (people.privacy.COMPLAINANT_COPY): for the filing station
    of a registered complaint only (403 for everyone else); every copy is audited."""
    complaint = access_complaint(request.user, pk)
    if not (complaint.is_frozen and identity_policies.is_filing_station(request.user, complaint)):
        raise PermissionDenied
    content = render_complainant_copy_pdf(complaint, generated_by=request.user)
    audit_record(
        event=AuditEventType.COMPLAINT_PDF,
        obj=complaint,
        object_repr=str(complaint),
        details={"copy": "complainant", "complainant_shown": True, "bytes": len(content)},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="constancia-{complaint.number}.pdf"'
    return response
