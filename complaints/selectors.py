"""Reads of complaints and alerts, all scoped by the tree of command through the one access
primitive (administration.access): the rules are `Complaint.visible_q` and `Alert.visible_q`; a
list reads `Complaint.objects.visible_to(user)`, one complaint `access_complaint`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from administration.access import get_visible_or_404
from complaints.models import Alert, Complaint

# What a complaint's pages show besides the complaint itself.
COMPLAINT_RELATED = (
    "registering_unit",
    "competent_directorate",
    "place_district__province__department",
    "author",
    "complainant",
)


def access_complaint(user: Any, pk: Any) -> Complaint:
    """The complaint if the user may see it, with what its pages show; 404 otherwise (no probing
    by id)."""
    return get_visible_or_404(Complaint.objects.select_related(*COMPLAINT_RELATED), user, pk=pk)


def alerts_for(user: Any) -> QuerySet[Alert]:
    """The inbox of the user's unit, with the complaint and who acknowledged."""
    return Alert.objects.visible_to(user).select_related("complaint", "acknowledged_by")


def unread_alert_count(user: Any) -> int:
    return Alert.objects.visible_to(user).filter(acknowledged_at__isnull=True).count()


def access_alert(user: Any, pk: Any) -> Alert:
    return get_visible_or_404(Alert.objects.select_related("complaint", "acknowledged_by"), user, pk=pk)
