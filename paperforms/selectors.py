"""Every read of the printed forms that scopes or aggregates: the batches and serials a user may
see (the tree of command, `administration.access`: the scope of the unit they were issued to,
`scope_fields` of the models; 404 outside it), the register of forms issued, entered and still
outstanding per unit, and the units a batch may be issued to.

Owns: the reads of `paperforms.models`. Imports `administration` (units, scope) and
`paperforms.models`/`paperforms.serials`; never `complaints` (see `paperforms.services`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from administration.access import get_visible_or_404
from administration.models import Unit
from paperforms.models import PaperFormBatch, PaperFormSerial
from paperforms.serials import normalise_serial, serial_ranges


def batches_visible_to(user: Any) -> QuerySet[PaperFormBatch]:
    """Batches issued to a unit in the user's scope (the tree of command)."""
    return PaperFormBatch.objects.visible_to(user).select_related("unit__directorate", "issued_by")


def batches_with_counts(batches: QuerySet[PaperFormBatch]) -> QuerySet[PaperFormBatch]:
    return batches.annotate(entered_count=Count("serials", filter=Q(serials__entered_complaint__isnull=False)))


def access_batch(user: Any, pk: Any) -> PaperFormBatch:
    return get_visible_or_404(PaperFormBatch.objects.select_related("unit__directorate", "issued_by"), user, pk=pk)


def access_serial(user: Any, serial: str) -> PaperFormSerial:
    """One serial of the user's scope, by its text (typed forms accepted); 404 otherwise."""
    try:
        canonical = normalise_serial(serial)
    except ValidationError as exc:
        raise Http404 from exc
    return get_visible_or_404(PaperFormSerial.objects.select_related("unit", "batch"), user, serial=canonical)


def batch_serials(batch: PaperFormBatch) -> list[PaperFormSerial]:
    """The serials of a batch with what each became (one query)."""
    return list(batch.serials.select_related("unit", "entered_complaint").order_by("number"))


@dataclass
class UnitStock:
    """What the register says about one unit: forms issued, entered, and still outstanding."""

    unit: Unit
    issued: int
    entered: int
    last_issued_at: Any
    outstanding_ranges: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return self.issued - self.entered


def stock_by_unit(user: Any, *, only_outstanding: bool = False) -> list[dict[str, Any]]:
    """One row per unit of the user's scope that received forms: unit id, issued, entered, last
    batch date; ordered by the tree. Cheap (one aggregate query); `unit_stocks` completes a page."""
    rows = (
        PaperFormSerial.objects.visible_to(user)
        .values("unit_id", "unit__path")
        .annotate(
            issued=Count("pk"),
            entered=Count("pk", filter=Q(entered_complaint__isnull=False)),
            last_issued_at=Max("batch__issued_at"),
        )
        .order_by("unit__path")
    )
    result = [dict(row) for row in rows]
    if only_outstanding:
        result = [row for row in result if row["issued"] > row["entered"]]
    return result


def unit_stocks(user: Any, rows: Iterable[dict[str, Any]]) -> list[UnitStock]:
    """The register rows of `stock_by_unit` with their units and outstanding serial ranges (two
    queries for a page of units, whatever its size)."""
    rows = list(rows)
    units = Unit.objects.select_related("directorate").in_bulk([row["unit_id"] for row in rows])
    outstanding: dict[int, list[int]] = {row["unit_id"]: [] for row in rows}
    for unit_id, number in (
        PaperFormSerial.objects.visible_to(user)
        .filter(unit_id__in=list(outstanding), entered_complaint__isnull=True)
        .values_list("unit_id", "number")
    ):
        outstanding[unit_id].append(number)
    return [
        UnitStock(
            unit=units[row["unit_id"]],
            issued=row["issued"],
            entered=row["entered"],
            last_issued_at=row["last_issued_at"],
            outstanding_ranges=serial_ranges(outstanding[row["unit_id"]]),
        )
        for row in rows
    ]


def units_for_issue(user: Any) -> QuerySet[Unit]:
    """The units a batch may be issued to: active units of the user's scope, in tree order."""
    return Unit.objects.visible_to(user).filter(is_active=True).order_by("path")


__all__ = [
    "UnitStock",
    "access_batch",
    "access_serial",
    "batch_serials",
    "batches_visible_to",
    "batches_with_counts",
    "stock_by_unit",
    "unit_stocks",
    "units_for_issue",
]
