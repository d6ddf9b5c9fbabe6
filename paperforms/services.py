"""Printed carbonless complaint forms (BRIEF.md workflow 3): every write — issuing a batch of
serials, recording a printing — and the checks made when a paper form is entered as a complaint.

The public API for the Reporting module is `paper_serial_check` (may this unit enter this serial
now?) and `paper_serial_mark_entered` (inside the transaction that registers the complaint):
`complaints.services` calls them, with `paperforms.serials.normalise_serial`.

Where a paper form may be entered
    In any unit of the directorate of the unit the batch was issued to (a station's form may be
    entered at another station or the specialised unit of the same DIRTEPOL). Forms issued to a
    unit that belongs to no directorate (e.g. the secretariat) may be entered only in that unit's
    subtree.

The numbering is national and race-free: issuing locks the root row(s) of the unit tree (rows that
always exist, as `administration.numbering` locks the unit row), then reads the highest number;
the unique constraints on ``serial`` and ``number`` remain the last guard.

Owns: the writes of `paperforms.models`. Imports `administration`, `audit` and `paperforms`; never
`complaints` — the complaint is reached through the foreign key and its attributes
(`registering_unit`, `pk`), so `complaints.services` may import this module without a cycle.
Policies in `paperforms.policies`, reads in `paperforms.selectors`, serial numbers in
`paperforms.serials`, the PDFs in `paperforms.pdf`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from administration.access import CommandLineActor
from administration.models import Unit, User
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.services import audit_record
from paperforms.models import PaperFormBatch, PaperFormSerial
from paperforms.policies import can_issue_paper_forms_as
from paperforms.serials import format_serial, parse_serial
from reta.transactions import retry_on_contention

MAX_BATCH_SIZE = 500  # 500 sets = 3,000 A4 pages: more is a print shop's job, not one PDF


# --------------------------------------------------------------------------- issuing


def _lock_numbering() -> None:
    """Serialise every issue of serials nationally: lock the root row(s) of the unit tree, in
    primary-key order (no deadlock between two issuers). Not `administration.numbering`: that
    service counts per unit and year, while this sequence is national and never starts again,
    and the serial rows themselves hold it (the next is the highest issued + 1)."""
    list(Unit.objects.select_for_update().filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True))


def _account_and_name(actor: User | CommandLineActor) -> tuple[User | None, str]:
    """The account that acts (None for the command line) and the plain-text name kept for it."""
    if isinstance(actor, CommandLineActor):
        return None, actor.name.strip()
    return actor, actor.get_username()


@request_id_scope()
@retry_on_contention()
def paper_form_batch_issue(
    *,
    actor: User | CommandLineActor,
    unit: Unit,
    count: int,
    form_token: str | None = None,
) -> PaperFormBatch:
    """Issue `count` new serials to `unit`: the batch, its serials (with history) and the audit
    event `paper_forms_issued`, in one transaction.

    `actor` is the national administrator issuing, or the command line (`CommandLineActor`, which
    says who ran it: its name is kept in the batch and the audit event).
    Raises PermissionDenied for any other role and ValidationError (Spanish) for a bad count or
    an inactive unit. The same `form_token` sent twice returns the first batch.
    """
    if not can_issue_paper_forms_as(actor):
        raise PermissionDenied("Solo un administrador nacional puede emitir formularios.")
    account, name = _account_and_name(actor)
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
    batch = PaperFormBatch(
        unit=unit,
        first_serial=format_serial(first),
        last_serial=format_serial(last),
        count=count,
        issued_by=account,
        issued_by_name=name[:150],
        issued_at=timezone.now(),
        form_token=form_token or None,
    )
    batch._history_user = account
    batch._change_reason = "issued"
    batch.save()
    bulk_create_with_history(
        [
            PaperFormSerial(serial=format_serial(number), number=number, batch=batch, unit=unit)
            for number in range(first, last + 1)
        ],
        PaperFormSerial,
        batch_size=500,
        default_user=account,
        default_change_reason="issued",
    )
    audit_record(
        event=AuditEventType.PAPER_FORMS_ISSUED,
        obj=batch,
        actor=account,
        user_name=None if account is not None else name,
        object_repr=str(batch),
        details={"unit": unit.code, "count": count, "first": batch.first_serial, "last": batch.last_serial},
    )
    return batch


def paper_forms_printed(
    *, actor: User | CommandLineActor, batch: PaperFormBatch, serials: list[str] | None = None
) -> None:
    """Record the printing of a batch (or of some of its sets): a printed document (SECURITY.md 13)."""
    account, name = _account_and_name(actor)
    details: dict[str, Any] = {"unit": batch.unit.code, "sets": len(serials) if serials else batch.count}
    if serials:
        details["serials"] = serials[:20]
    audit_record(
        event=AuditEventType.PAPER_FORMS_PRINTED,
        obj=batch,
        actor=account,
        user_name=None if account is not None else name,
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


@request_id_scope()
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
            event=AuditEventType.PAPER_FORM_ENTERED,
            obj=record,
            actor=actor,
            object_repr=record.serial,
            details={"complaint": str(complaint), "unit": complaint.registering_unit.code},
        )
    serial.entered_complaint = complaint
    serial.entered_at = record.entered_at


__all__ = [
    "MAX_BATCH_SIZE",
    "paper_form_batch_issue",
    "paper_forms_printed",
    "paper_serial_check",
    "paper_serial_mark_entered",
]
