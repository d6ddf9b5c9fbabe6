"""Every read of the preliminary investigation register: a complaint's entries with their
answers and corrections, its generated documents (without their bytes), and one entry, answer or
document of a complaint the user may see (404 otherwise: the complaint is fetched through
`complaints.selectors.access_complaint`, the row through `get_visible_or_404`, whose rule for the
register is the complaint's, `scope_parent`).

Owns: the reads of `diligences.models`. Imports `administration.access`, `complaints.models` and
`diligences.models`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from administration.access import get_visible_or_404
from complaints.models import Complaint
from diligences.models import Diligence, DiligenceAnswer, GeneratedDocument


def register_of(complaint: Complaint) -> list[Diligence]:
    """The register of a complaint in entry order, answers and corrections included, in a fixed
    number of queries whatever its length."""
    answers = DiligenceAnswer.objects.prefetch_related("corrections").order_by("received_on", "created_at", "id")
    return list(
        Diligence.objects.filter(complaint=complaint)
        .select_related("corrects")
        .prefetch_related(
            "corrections",
            Prefetch("answers", queryset=answers),
            "document",
        )
        .order_by("sequence")
    )


def documents_of(complaint: Complaint) -> QuerySet[GeneratedDocument]:
    """The documents generated for a complaint (their PDFs are files in the private storage)."""
    return GeneratedDocument.objects.filter(complaint=complaint).order_by("created_at", "id")


def access_diligence(user: Any, complaint: Complaint, pk: Any) -> Diligence:
    """An entry of `complaint` (already fetched through `access_complaint`) that the user may
    see; 404 otherwise. The complaint is attached to it (no second query for it)."""
    diligence = get_visible_or_404(Diligence, user, complaint=complaint, pk=pk)
    diligence.complaint = complaint
    return diligence


def access_answer(user: Any, complaint: Complaint, pk: Any) -> DiligenceAnswer:
    """An answer of `complaint` that the user may see, with its entry; 404 otherwise (scans are
    served through it)."""
    answer = get_visible_or_404(
        DiligenceAnswer.objects.select_related("diligence"), user, diligence__complaint=complaint, pk=pk
    )
    answer.diligence.complaint = complaint
    return answer


def access_document(user: Any, complaint: Complaint, pk: Any) -> GeneratedDocument:
    """A generated document of `complaint` that the user may see; 404 otherwise."""
    document = get_visible_or_404(GeneratedDocument, user, complaint=complaint, pk=pk)
    document.complaint = complaint
    return document


__all__ = ["access_answer", "access_diligence", "access_document", "documents_of", "register_of"]
