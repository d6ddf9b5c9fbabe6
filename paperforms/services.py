"""Printed carbonless complaint forms (BRIEF.md workflow 3): serial numbers, batches, the register,
and the checks made when a paper form is entered as a complaint.

Serial numbers
    ``RETA-000123-4``: the prefix, a national sequence of at least six digits and a check digit
    computed with the Damm algorithm over the sequence. Damm catches every single-digit typo and
    every swap of two adjacent digits (Luhn misses 09/90), which are the mistakes made when a
    serial is copied from paper. Officers may type it in lower case, without the hyphens or
    without the prefix: ``normalise_serial`` gives the canonical form or refuses it.

Who does what (policies below; views and templates ask the same functions)
    - Issuing a batch is a write: national administrators only (TOTP-verified sessions).
    - The monitoring secretariat (SPDH) distributes the printed forms, but its role stays read-only
      (SECURITY.md 9 holds without exception): it sees the national register and downloads the PDF
      of a batch already issued, which is a printed document (audited), not a change. Keeping the
      issue of serials out of the secretariat's hands also keeps it independent of the register it
      monitors (outstanding serials are forms filled in and never entered).
    - Every signed-in user sees the register within the tree of command (scope_q on the unit the
      batch was issued to): a station sees its own forms, a directorate its stations'.
    - Printing (batch PDF, or one set again) is for the roles that handle paper: station officers,
      investigators, national administrators and the secretariat; the hotline and the auditor have
      no use for blank forms.

Where a paper form may be entered
    In any unit of the directorate of the unit the batch was issued to (a station's form may be
    entered at another station or the specialised unit of the same DIRTEPOL). Forms issued to a
    unit that belongs to no directorate (e.g. the secretariat) may be entered only in that unit's
    subtree.

The numbering is national and race-free: issuing locks the root row(s) of the unit tree (rows that
always exist, like complaints.services._next_number locks the unit row), then reads the highest
number; the unique constraints on ``serial`` and ``number`` remain the last guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from administration.models import PaperFormBatch, PaperFormSerial, Role, Unit, User
from administration.policies import is_national_admin
from administration.selectors import scope_q
from audit.services import audit_record

SERIAL_PREFIX = "RETA"
SERIAL_DIGITS = 6
MAX_BATCH_SIZE = 500  # 500 sets = 3,000 A4 pages: more is a print shop's job, not one PDF

# --------------------------------------------------------------------------- serial numbers

# Damm's quasigroup of order 10 (H. M. Damm, 2004): the check digit makes the interim digit 0.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Optional prefix, 6 to 9 digits, the check digit; hyphens optional (spaces removed beforehand).
_SERIAL_RE = re.compile(rf"^(?:{SERIAL_PREFIX})?-?(\d{{{SERIAL_DIGITS},9}})-?(\d)$")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "_": "-"})

INVALID_SERIAL = "El número de serie no es válido; revise los dígitos."


def damm_check_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def format_serial(number: int) -> str:
    """The serial of sequence `number`: ``format_serial(123) == "RETA-000123-4"``."""
    if number < 1:
        raise ValueError("Serial numbers start at 1.")
    digits = f"{number:0{SERIAL_DIGITS}d}"
    return f"{SERIAL_PREFIX}-{digits}-{damm_check_digit(digits)}"


def parse_serial(text: str) -> int:
    """The sequence number of a typed serial; ValidationError (Spanish) when it is malformed or
    its check digit does not match."""
    compact = re.sub(r"\s+", "", (text or "").upper().translate(_DASHES))
    match = _SERIAL_RE.match(compact)
    if not match:
        raise ValidationError(
            "El número de serie no es válido; revise los dígitos (tiene la forma RETA-000000-0).",
            code="invalid",
        )
    digits, check = match.groups()
    if damm_check_digit(digits + check) != 0 or int(digits) == 0:
        raise ValidationError(INVALID_SERIAL, code="check_digit")
    return int(digits)


def normalise_serial(text: str) -> str:
    """The canonical form of a typed serial (``" reta 000123 4 "`` -> ``"RETA-000123-4"``)."""
    return format_serial(parse_serial(text))


def serial_ranges(numbers: Iterable[int]) -> list[tuple[str, str, int]]:
    """Consecutive numbers as (first serial, last serial, count), in order."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return [(format_serial(low), format_serial(high), high - low + 1) for low, high in ranges]


# --------------------------------------------------------------------------- policies

PRINT_ROLES = frozenset(
    {Role.STATION_OFFICER, Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN, Role.MONITOR}
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can_sign_in()


def can_issue_paper_forms(user: Any) -> bool:
    """Issuing serials is a write: national administrators only (see the module docstring for
    why the monitoring secretariat, which distributes the forms, does not issue them)."""
    return is_national_admin(user)


def can_view_paper_forms(user: Any) -> bool:
    if not _signed_in(user):
        return False
    return user.role != Role.NATIONAL_ADMIN or is_national_admin(user)


def can_print_paper_forms(user: Any) -> bool:
    return can_view_paper_forms(user) and user.role in PRINT_ROLES


# --------------------------------------------------------------------------- selectors


def batches_visible_to(user: Any) -> QuerySet[PaperFormBatch]:
    """Batches issued to a unit in the user's scope (the tree of command)."""
    return PaperFormBatch.objects.filter(scope_q(user, "unit")).select_related("unit__directorate", "issued_by")


def batches_with_counts(batches: QuerySet[PaperFormBatch]) -> QuerySet[PaperFormBatch]:
    return batches.annotate(entered_count=Count("serials", filter=Q(serials__entered_complaint__isnull=False)))


def access_batch(user: Any, pk: Any) -> PaperFormBatch:
    try:
        return batches_visible_to(user).get(pk=pk)
    except (PaperFormBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def serials_visible_to(user: Any) -> QuerySet[PaperFormSerial]:
    return PaperFormSerial.objects.filter(scope_q(user, "unit"))


def access_serial(user: Any, serial: str) -> PaperFormSerial:
    """One serial of the user's scope, by its text (typed forms accepted); 404 otherwise."""
    try:
        canonical = normalise_serial(serial)
        return serials_visible_to(user).select_related("unit", "batch").get(serial=canonical)
    except (ValidationError, PaperFormSerial.DoesNotExist) as exc:
        raise Http404 from exc


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
        serials_visible_to(user)
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
        serials_visible_to(user)
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
    return Unit.objects.filter(scope_q(user, ""), is_active=True).order_by("path")


# --------------------------------------------------------------------------- issuing


def _lock_numbering() -> None:
    """Serialise every issue of serials nationally: lock the root row(s) of the unit tree, in
    primary-key order (no deadlock between two issuers)."""
    list(Unit.objects.select_for_update().filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def paper_form_batch_issue(
    *,
    actor: User | None,
    unit: Unit,
    count: int,
    form_token: str | None = None,
    actor_name: str = "",
) -> PaperFormBatch:
    """Issue `count` new serials to `unit`: the batch, its serials (with history) and the audit
    event `paper_forms_issued`, in one transaction.

    `actor` is the national administrator issuing; the command line may pass `actor=None` with a
    plain-text `actor_name` (who ran it), kept in the batch and the audit event.
    Raises PermissionDenied for any other role and ValidationError (Spanish) for a bad count or
    an inactive unit. The same `form_token` sent twice returns the first batch.
    """
    if actor is not None and actor.role != Role.NATIONAL_ADMIN:
        raise PermissionDenied("Solo un administrador nacional puede emitir formularios.")
    if actor is None and not actor_name.strip():
        raise ValueError("An issue without an account must say who ran it (actor_name).")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_BATCH_SIZE:
        raise ValidationError(f"Indique cuántos formularios emitir: de 1 a {MAX_BATCH_SIZE} por lote.", code="count")
    if not unit.is_active:
        raise ValidationError(f"La unidad {unit.name} no está activa.", code="inactive_unit")

    _lock_numbering()
    if form_token:  # checked under the lock: two identical requests at once make one batch
        existing = PaperFormBatch.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    first = (PaperFormSerial.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    last = first + count - 1
    name = actor.get_username() if actor is not None else actor_name.strip()
    batch = PaperFormBatch(
        unit=unit,
        first_serial=format_serial(first),
        last_serial=format_serial(last),
        count=count,
        issued_by=actor,
        issued_by_name=name[:150],
        issued_at=timezone.now(),
        form_token=form_token or None,
    )
    batch._history_user = actor
    batch._change_reason = "issued"
    batch.save()
    bulk_create_with_history(
        [
            PaperFormSerial(serial=format_serial(number), number=number, batch=batch, unit=unit)
            for number in range(first, last + 1)
        ],
        PaperFormSerial,
        batch_size=500,
        default_user=actor,
        default_change_reason="issued",
    )
    audit_record(
        event="paper_forms_issued",
        obj=batch,
        actor=actor,
        user_name=None if actor is not None else name,
        object_repr=str(batch),
        details={"unit": unit.code, "count": count, "first": batch.first_serial, "last": batch.last_serial},
    )
    return batch


def paper_forms_printed(
    *, actor: User | None, batch: PaperFormBatch, serials: list[str] | None = None, actor_name: str = ""
) -> None:
    """Record the printing of a batch (or of some of its sets): a printed document (SECURITY.md 13)."""
    details: dict[str, Any] = {"unit": batch.unit.code, "sets": len(serials) if serials else batch.count}
    if serials:
        details["serials"] = serials[:20]
    audit_record(
        event="paper_forms_printed",
        obj=batch,
        actor=actor,
        user_name=None if actor is not None else actor_name,
        object_repr=str(batch),
        details=details,
    )


# --------------------------------------------------------------------------- entering a paper form


def _entry_area(unit: Unit) -> Unit:
    """The unit whose subtree may enter forms issued to `unit`: its directorate, else itself."""
    return unit.directorate if unit.directorate_id else unit


def _check_entry(record: PaperFormSerial, unit: Unit, *, complaint: Any = None) -> None:
    # The directorate first: a unit elsewhere learns nothing about the complaint a form became.
    area = _entry_area(record.unit)
    if not unit.path.startswith(area.path):
        entering_area = _entry_area(unit)
        where = unit.name if entering_area.pk == unit.pk else f"{unit.name} ({entering_area.name})"
        raise ValidationError(
            f"El formulario {record.serial} fue entregado a la {area.name}; no puede registrarse en {where}.",
            code="other_directorate",
        )
    if record.entered_complaint_id is not None and (complaint is None or record.entered_complaint_id != complaint.pk):
        raise ValidationError(
            f"El formulario {record.serial} ya fue registrado en la denuncia {record.entered_complaint}; "
            "un formulario se registra una sola vez.",
            code="already_entered",
        )


def paper_serial_check(*, serial: str, unit: Unit) -> PaperFormSerial:
    """The issued form behind a typed (or scanned) serial, if `unit` may enter it now.

    Raises ValidationError with a Spanish message when the serial is malformed or fails its check
    digit, was never issued, was issued to another directorate than the entering unit's, or was
    already entered. Reads only: call `paper_serial_mark_entered` when the complaint is registered.
    """
    number = parse_serial(serial)
    record = (
        PaperFormSerial.objects.select_related("unit__directorate", "entered_complaint").filter(number=number).first()
    )
    if record is None:
        raise ValidationError(
            f"El formulario {format_serial(number)} no figura entre los formularios emitidos; "
            "revise el número de serie.",
            code="not_issued",
        )
    _check_entry(record, unit)
    return record


def paper_serial_mark_entered(*, serial: PaperFormSerial, complaint: Any, actor: User | None = None) -> None:
    """Record that `serial` was entered as `complaint` (call it inside the transaction that
    registers the complaint). Locks the serial row, checks again against the complaint's
    registering unit, refuses a second entry with ValidationError; marking the same complaint
    again changes nothing. Audited as `paper_form_entered` (actor: given, else the request's user)."""
    with transaction.atomic():
        record = (
            PaperFormSerial.objects.select_for_update()
            .select_related("unit__directorate", "entered_complaint")
            .get(pk=serial.pk)
        )
        if record.entered_complaint_id == complaint.pk:
            return
        _check_entry(record, complaint.registering_unit, complaint=complaint)
        if PaperFormSerial.objects.filter(entered_complaint=complaint).exclude(pk=record.pk).exists():
            raise ValidationError(
                f"La denuncia {complaint} ya tiene registrado otro formulario en papel.", code="complaint_has_form"
            )
        record.entered_complaint = complaint
        record.entered_at = timezone.now()
        record._change_reason = "entered"
        if actor is not None:
            record._history_user = actor
        record.save(update_fields=["entered_complaint", "entered_at"])
        audit_record(
            event="paper_form_entered",
            obj=record,
            actor=actor,
            object_repr=record.serial,
            details={"complaint": str(complaint), "unit": complaint.registering_unit.code},
        )
    serial.entered_complaint = complaint
    serial.entered_at = record.entered_at


__all__ = [
    "INVALID_SERIAL",
    "MAX_BATCH_SIZE",
    "UnitStock",
    "access_batch",
    "access_serial",
    "batch_serials",
    "batches_visible_to",
    "batches_with_counts",
    "can_issue_paper_forms",
    "can_print_paper_forms",
    "can_view_paper_forms",
    "damm_check_digit",
    "format_serial",
    "normalise_serial",
    "paper_form_batch_issue",
    "paper_forms_printed",
    "paper_serial_check",
    "paper_serial_mark_entered",
    "parse_serial",
    "serial_ranges",
    "stock_by_unit",
    "unit_stocks",
    "units_for_issue",
]
