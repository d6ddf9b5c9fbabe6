"""Every read of the preliminary investigation register: a complaint's entries with their
answers and corrections, its generated documents (without their bytes), and one entry, answer or
document of a complaint the user may see (404 otherwise: the complaint is fetched through
`complaints.selectors.access_complaint`).

Owns: the reads of `diligences.models`. Imports `complaints` (the access to a complaint) and
`diligences.models`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from complaints.models import Complaint
from complaints.selectors import access_complaint
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
            Prefetch("document", queryset=GeneratedDocument.objects.defer("pdf")),
        )
        .order_by("sequence")
    )


def documents_of(complaint: Complaint) -> QuerySet[GeneratedDocument]:
    """The documents generated for a complaint, without their PDF bytes."""
    return GeneratedDocument.objects.filter(complaint=complaint).defer("pdf").order_by("created_at", "id")


def access_diligence(user: Any, complaint_pk: Any, pk: Any) -> Diligence:
    """An entry of a complaint the user may see; 404 otherwise."""
    complaint = access_complaint(user, complaint_pk)
    try:
        diligence = Diligence.objects.get(complaint=complaint, pk=pk)
    except (Diligence.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    diligence.complaint = complaint
    return diligence


def access_answer(user: Any, complaint_pk: Any, pk: Any) -> DiligenceAnswer:
    """An answer of a complaint the user may see; 404 otherwise (scans are served through it)."""
    complaint = access_complaint(user, complaint_pk)
    try:
        answer = DiligenceAnswer.objects.select_related("diligence").get(diligence__complaint=complaint, pk=pk)
    except (DiligenceAnswer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    answer.diligence.complaint = complaint
    return answer


def access_document(user: Any, complaint_pk: Any, pk: Any) -> GeneratedDocument:
    """A generated document of a complaint the user may see; 404 otherwise."""
    complaint = access_complaint(user, complaint_pk)
    try:
        document = GeneratedDocument.objects.get(complaint=complaint, pk=pk)
    except (GeneratedDocument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    document.complaint = complaint
    return document


__all__ = ["access_answer", "access_diligence", "access_document", "documents_of", "register_of"]
