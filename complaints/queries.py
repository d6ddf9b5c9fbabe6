"""Read helpers for the complaint list, detail and export screens.

They take a queryset that is ALREADY scoped (`Complaint.objects.visible_to(user)`) and only shape it:
joins, prefetches and counts, so that a page costs the same number of queries whatever its size
(CONVENTIONS.md, "Tests": list pages assert their query count).
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from complaints.models import Alert, Complaint, ComplaintPlace, ComplaintSuspect, ComplaintVictim
from people import privacy

LIST_RELATED = (
    "registering_unit__directorate",
    "place_district__province__department",
)


def _count_of(model: type, condition: Q | None = None) -> Coalesce:
    rows = model.objects.filter(complaint=OuterRef("pk"))
    if condition is not None:
        rows = rows.filter(condition)
    counted = rows.order_by().values("complaint").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_people_counts(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Adds `victims_count`, `minors_count` and `suspects_count` (correlated subqueries: no row
    multiplication, one query for any number of complaints)."""
    return complaints.annotate(
        victims_count=_count_of(ComplaintVictim),
        minors_count=_count_of(ComplaintVictim, privacy.MINOR_Q),
        suspects_count=_count_of(ComplaintSuspect),
    )


def for_list(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What a row of the list shows: the unit, the place, and each victim's sex and age (never the
    names: the person rows are joined for `sex` only, the template shows nothing else)."""
    victims = ComplaintVictim.objects.select_related("person__identity").order_by("position", "id")
    return complaints.select_related(*LIST_RELATED).prefetch_related(Prefetch("victims", queryset=victims))


def for_export(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """One query for the whole export: codes and counts, no person row."""
    return with_people_counts(complaints.select_related(*LIST_RELATED))


def people_of(complaint: Complaint) -> tuple[list[ComplaintVictim], list[ComplaintSuspect]]:
    """The victims and alleged traffickers of one complaint, with their person rows (two queries)."""
    victims = list(complaint.victims.select_related("person__identity").order_by("position", "id"))
    suspects = list(complaint.suspects.select_related("person").order_by("position", "id"))
    return victims, suspects


def alerts_of(complaint: Complaint) -> list[Alert]:
    """Every alert the complaint raised, whatever the unit (the detail page shows who was told)."""
    return list(
        Alert.objects.filter(complaint=complaint)
        .select_related("unit", "acknowledged_by", "instead_of", "escalated_from__unit")
        .order_by("created_at", "id")
    )


def places_of(complaint: Complaint) -> list[ComplaintPlace]:
    """The places of the route besides the place of the facts, in order, with their district (one query)."""
    return list(complaint.places.select_related("district__province__department").order_by("position", "id"))


def case_links(user: object, complaint: Complaint) -> dict[str, object]:
    """The complaints of the same case (complaints.duplicates) that `user` may see: the earlier one
    this complaint was registered linked to, and those registered linked to it (one query)."""
    related = Complaint.objects.visible_to(user).filter(
        Q(pk=complaint.duplicate_of_id) | Q(duplicate_of=complaint.pk), status=Complaint.Status.SUBMITTED
    )
    rows = list(related.select_related("registering_unit").order_by("submitted_at", "pk"))
    return {
        "duplicate_of": next((row for row in rows if row.pk == complaint.duplicate_of_id), None),
        "linked": [row for row in rows if row.duplicate_of_id == complaint.pk],
        "hidden_duplicate_of": complaint.duplicate_of_id is not None
        and all(row.pk != complaint.duplicate_of_id for row in rows),
    }
