"""Reads of complaints and alerts, all scoped by the tree of command through the one access
primitive (administration.access): the rules are `Complaint.visible_q` and `Alert.visible_q`; a
list reads `Complaint.objects.visible_to(user)`, one complaint `access_complaint`."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from administration.access import get_visible_or_404
from complaints.models import Alert, Complaint
from complaints.rules.codes import HIGH

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


def alert_inbox(user: Any) -> QuerySet[Alert]:
    """The inbox of the user's unit: unacknowledged first, then high priority, then the newest;
    each with `escalated_to`, the name of the unit it was escalated to (none when not escalated)."""
    escalated_to = Alert.objects.filter(escalated_from=OuterRef("pk")).order_by("pk").values("unit__name")[:1]
    return (
        alerts_for(user)
        .select_related(
            "complaint__registering_unit",
            "complaint__place_district__department",
            "escalated_from__unit",
            "instead_of",
        )
        .annotate(escalated_to=Subquery(escalated_to))
        .annotate(rank=Case(When(priority=HIGH, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by(F("acknowledged_at").asc(nulls_first=True), "rank", "-created_at", "-pk")
    )


def unread_alert_count(user: Any) -> int:
    return Alert.objects.visible_to(user).filter(acknowledged_at__isnull=True).count()


def access_alert(user: Any, pk: Any) -> Alert:
    return get_visible_or_404(Alert.objects.select_related("complaint", "acknowledged_by"), user, pk=pk)
