"""Reads of complaints and alerts, all scoped by the tree of command (administration.selectors)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from administration.selectors import scope_q
from complaints.models import Alert, Complaint


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    """Submitted complaints registered in the user's scope or whose facts fall in it (the alerted
    directorate sees what happened in its territory); drafts only in their own unit."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    submitted = Q(status=Complaint.Status.SUBMITTED) & (
        scope_q(user, "registering_unit") | scope_q(user, "competent_directorate")
    )
    drafts = Q(status=Complaint.Status.DRAFT, registering_unit_id=user.unit_id)
    return Complaint.objects.filter(submitted | drafts)


def access_complaint(user: Any, pk: Any) -> Complaint:
    """The complaint if the user may see it; 404 otherwise (no probing by id)."""
    try:
        return (
            complaints_visible_to(user)
            .select_related(
                "registering_unit",
                "competent_directorate",
                "place_district__province__department",
                "author",
                "complainant",
            )
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def alerts_for(user: Any) -> QuerySet[Alert]:
    if not getattr(user, "is_authenticated", False) or not user.unit_id:
        return Alert.objects.none()
    return Alert.objects.filter(unit_id=user.unit_id).select_related("complaint", "acknowledged_by")


def unread_alert_count(user: Any) -> int:
    return alerts_for(user).filter(acknowledged_at__isnull=True).count()


def access_alert(user: Any, pk: Any) -> Alert:
    try:
        return alerts_for(user).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
