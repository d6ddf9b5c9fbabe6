"""Views of the Reporting module (paper): a complaint printed as a filled form (PDF).

GET gives the masked document to anyone who may see the complaint. The copy with identities is a
POST ("Download with identities", CSRF-protected) for roles with a need to know: it writes
`identity_shown` before the document is produced, so unmasking is always a logged action and no
personal-data decision rides on a URL (SECURITY.md 15, 17). Every download writes `complaint_pdf`
(a printed document, SECURITY.md 13). Access through `access_complaint`: 404 outside the scope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from complaints import policies
from complaints.paper_pdf import render_complaint_pdf
from complaints.selectors import access_complaint
from people.services import identity_reveal


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(request.user, pk)
    if not policies.can_view_complaints(request.user):
        raise PermissionDenied
    show_identity = request.method == "POST"
    if show_identity:
        if not policies.can_view_identity(request.user):
            raise PermissionDenied
        identity_reveal(
            actor=request.user,
            obj=complaint,
            victims=complaint.victims.only("age", "minor"),
            suspects=complaint.suspects.count(),
            complainant=complaint.complainant_id is not None,
            where={"document": "complaint_pdf"},
        )
    content = render_complaint_pdf(complaint, generated_by=request.user, show_identity=show_identity)
    audit_record(
        event="complaint_pdf",
        obj=complaint,
        object_repr=str(complaint),
        details={"identities": show_identity, "bytes": len(content)},
    )
    name = complaint.number or f"borrador-{complaint.pk}"
    suffix = "-identidades" if show_identity else ""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="denuncia-{name}{suffix}.pdf"'
    return response


urlpatterns: list = [
    path("<int:pk>/pdf/", complaint_pdf, name="complaint_pdf"),
]
