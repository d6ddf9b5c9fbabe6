"""The pages of cross-case decisions (issue 12, items 2 and 3): the candidates (`/analisis/`),
a candidate pair side by side with the confirm/reject form, an identity with its sources, merges
and where it is seen, and the undo of a merge.

Access: the investigating roles only (analysis.policies; 403 otherwise); an identity the user may
not see (none of its family's sources in her scope) is a 404. Names are masked (people.privacy:
initials, a protected victim never named); no page here reveals an identity.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from administration.access import scope_of
from analysis import policies, services
from analysis.forms import CandidateFilterForm, DecisionForm, UndoForm
from analysis.models import MatchDecision
from analysis.queue import Filters, candidate_for_pair, queue_page
from analysis.seen import has_reserved_role, is_protected, sources
from audit.events import AuditEventType
from audit.services import audit_record
from people import privacy
from people.models import Identity, IdentityMerge
from people.services import identity_family, identity_merges


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _identity_view(user: Any, identity: Identity) -> dict[str, Any]:
    """What a page shows of one identity's family: masked name, sources split by scope."""
    family = identity_family(identity)
    rows = sources([member.pk for member in family], user)
    visible = [row for row in rows if row.visible]
    outside = [row for row in rows if not row.visible]
    if not visible and not scope_of(user).is_national:
        raise Http404
    survivor = family[0]
    protected = is_protected(rows) or has_reserved_role(member.pk for member in family)
    minor = None if protected else False
    return {
        "identity": survivor,
        "family": family,
        "name": privacy.masked_name(survivor, minor=minor, revealed=False),
        "protected": protected,
        "sources": visible,
        "outside_count": len(outside),
        "outside_units": sorted({row.unit.name for row in outside}),
        "names": sum(member.names.count() for member in family),
        "documents": sum(member.documents.count() for member in family),
        "phones": sum(member.phones.count() for member in family),
    }


@require_GET
def candidates(request: HttpRequest) -> HttpResponse:
    _require(policies.can_use_analysis(request.user))
    form = CandidateFilterForm(request.GET or None)
    filters = Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        min_score = float(data["min_score"]) if data["min_score"] is not None else None
        filters = Filters(strong_only=data["strong"], region=data["region"], min_score=min_score)
    found = queue_page(request.user, filters, request.GET.get("page") or 1)
    audit_record(
        event=AuditEventType.MATCH_CANDIDATES_VIEWED,
        details={
            "strong": filters.strong_only,
            "region": getattr(filters.region, "pk", None),
            "min_score": filters.min_score,
            "page": found.page.number,
            "shown": len(found.rows),
        },
    )
    context = {
        "form": form,
        "rows": found.rows,
        "page_obj": found.page,
        "outside_count": found.outside_count,
        "national": scope_of(request.user).is_national,
    }
    return render(request, "analysis/candidates.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def candidate(request: HttpRequest, a: int, b: int) -> HttpResponse:
    _require(policies.can_use_analysis(request.user))
    if a == b:
        raise Http404
    first = get_object_or_404(Identity, pk=a)
    second = get_object_or_404(Identity, pk=b)
    left, right = _identity_view(request.user, first), _identity_view(request.user, second)
    row = candidate_for_pair(first.pk, second.pk)
    pair = services.pair(first, second)
    decisions = list(MatchDecision.objects.filter(identity_a=pair[0], identity_b=pair[1]).select_related("decided_by"))
    same = left["identity"].pk == right["identity"].pk
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        _require(policies.can_decide_match(request.user))
        if form.is_valid():
            act = services.match_confirm if form.cleaned_data["decision"] == "confirmed" else services.match_reject
            try:
                decision = act(request.user, first, second, form.cleaned_data["reason"], candidate=_as_candidate(row))
            except services.MergeError as error:
                form.add_error(None, error.message)
            else:
                if decision.decision == MatchDecision.Decision.CONFIRMED:
                    messages.success(request, _("Identities merged. Every record keeps its own data."))
                    return redirect("analysis:identity", pk=decision.merge.survivor_id)
                messages.success(request, _("Candidate rejected: it will not be proposed again."))
                return redirect("analysis:candidates")
    else:
        audit_record(event=AuditEventType.MATCH_CANDIDATE_VIEWED, details={"identities": list(pair)})
    context = {
        "left": left,
        "right": right,
        "row": row,
        "a": first,
        "b": second,
        "decisions": decisions,
        "same": same,
        "form": form,
        "can_decide": policies.can_decide_match(request.user) and not same and not decisions,
    }
    return render(request, "analysis/candidate.html", context, status=400 if form.errors else 200)


def _as_candidate(row: Any) -> Any:
    return row  # a queue Row has `score` and `reasons`, what the services keep


@require_GET
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    _require(policies.can_use_analysis(request.user))
    found = get_object_or_404(Identity, pk=pk)
    view = _identity_view(request.user, found)
    merges = identity_merges(found)
    audit_record(
        event=AuditEventType.ANALYSIS_IDENTITY_VIEWED,
        obj=view["identity"],
        object_repr=str(view["identity"]),
        details={"family": len(view["family"])},
    )
    context = {
        **view,
        "asked": found,
        "merges": merges,
        "can_undo": policies.can_undo_merge(request.user),
        "undo_form": UndoForm(),
    }
    return render(request, "analysis/identity.html", context)


@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require(policies.can_undo_merge(request.user))
    merge = get_object_or_404(IdentityMerge.objects.select_related("survivor", "merged"), pk=pk)
    form = UndoForm(request.POST)
    target = reverse("analysis:identity", args=[merge.survivor_id])
    if not form.is_valid() or not form.cleaned_data["reason"].strip():
        messages.error(request, _("Give the reason for undoing the merge."))
        return redirect(f"{target}#merges")
    try:
        services.match_undo(request.user, merge, form.cleaned_data["reason"])
    except services.MergeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merge undone: each identity stands on its own again."))
    return redirect(f"{target}#merges")


__all__ = ["candidate", "candidates", "identity", "merge_undo"]
