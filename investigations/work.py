"""The investigation work of a case file (issue 11 item 4): the writes (services) and the reads
(selectors) of tasks, operations, exhibits and their chain of custody, attached diligencias and
the investigator's journal (models: investigations.models.work).

Writes: each service is its own transaction, retried on contention (reta.transactions), takes the
case file's row lock first (`investigations.services._locked_case`: the actor's scope and
`policies.can_work_case_file`), refuses bad input with a Spanish message
(`services.CaseFileError`, nothing saved) and writes its audit event in the same transaction.
The numbers within a case file (operation number, exhibit code "EV-001", journal entry "#n") are
the next after the highest, read under that lock: consecutive, never reused.

Reads: `work_of(case_file, user)` gives everything the "Trabajo" page shows and
`exhibit_with_chain` the exhibit page, each in a fixed number of queries whatever the number of
rows. `statements_of(case_file)` lists the journal's statements (the proof matrix uses them),
`diligences_of(case_file)` the diligencias of the linked complaints and the attached ones.

Imports investigations (models, services, policies), diligences.models, audit, administration.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.models import District, Unit
from audit.events import AuditEventType
from audit.services import audit_record
from diligences.models import Diligence
from investigations.models import (
    CaseAssignment,
    CaseComplaint,
    CaseDiligence,
    CaseFile,
    CasePerson,
    CaseTask,
    CustodyTransfer,
    Exhibit,
    ExhibitKind,
    JournalEntry,
    JournalKind,
    Operation,
    TaskStatus,
)
from investigations.models.work import exhibit_code
from investigations.selectors import persons_of
from investigations.services import CaseFileError, _locked_case
from reta.transactions import retry_on_contention

TEXT_MAX = 10000
NAME_MAX = 200
PLACE_MAX = 300
COUNT_MAX = 100_000


# --------------------------------------------------------------------------------------------
# Checks shared by the services


def _text(value: str | None, *, field: str, required: bool, limit: int, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise CaseFileError(message or _("This field is required."), field=field)
    if len(value) > limit:
        raise CaseFileError(_("The text is too long."), field=field)
    return value


def _not_future_date(value: datetime.date | None, *, field: str) -> datetime.date:
    if value is None:
        raise CaseFileError(_("Give the date."), field=field)
    if value > timezone.localdate():
        raise CaseFileError(_("The date cannot be in the future."), field=field)
    return value


def _not_future_moment(value: datetime.datetime | None, *, field: str) -> datetime.datetime:
    if value is None:
        raise CaseFileError(_("Give the date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise CaseFileError(_("The date and time cannot be in the future."), field=field)
    return value


def _same_holder(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _next_number(queryset: QuerySet, field_name: str) -> int:
    """The next number after the highest of `queryset` (read under the case file's lock)."""
    return (queryset.aggregate(top=Max(field_name))["top"] or 0) + 1


def current_investigators(case_file: CaseFile) -> QuerySet:
    """The investigators currently assigned to the case file (who a task may go to)."""
    assigned = CaseAssignment.objects.filter(case_file=case_file, ended_at__isnull=True).values("investigator_id")
    return (
        get_user_model()
        .objects.filter(pk__in=assigned, is_active=True)
        .select_related("unit")
        .order_by("last_name", "first_name", "username")
    )


# --------------------------------------------------------------------------------------------
# Tasks


@retry_on_contention()
def case_task_add(
    *,
    actor: Any,
    case_file: CaseFile | int,
    title: str,
    assignee: Any,
    due_on: datetime.date | None,
    description: str = "",
) -> CaseTask:
    """A task for an investigator currently assigned to the case file, due on a day not past."""
    case_file = _locked_case(actor, case_file)
    title = _text(title, field="title", required=True, limit=200, message=_("Give the task."))
    description = _text(description, field="description", required=False, limit=TEXT_MAX)
    if assignee is None or not current_investigators(case_file).filter(pk=assignee.pk).exists():
        raise CaseFileError(
            _("A task can only go to an investigator currently assigned to the case file."), field="assignee"
        )
    if due_on is None:
        raise CaseFileError(_("Give the deadline."), field="due_on")
    if due_on < timezone.localdate():
        raise CaseFileError(_("The deadline cannot be in the past."), field="due_on")
    task = CaseTask.objects.create(
        case_file=case_file,
        title=title,
        description=description,
        assignee=assignee,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        event=AuditEventType.CASE_TASK_ADDED,
        obj=case_file,
        actor=actor,
        details={"task": task.pk, "assignee": assignee.get_username(), "due_on": due_on.isoformat()},
    )
    return task


@retry_on_contention()
def case_task_close(
    *, actor: Any, case_file: CaseFile | int, task_id: int, status: str, closing_note: str = ""
) -> CaseTask:
    """Close an open task as done or cancelled (a cancellation says why)."""
    case_file = _locked_case(actor, case_file)
    task = CaseTask.objects.select_for_update().filter(case_file=case_file, pk=task_id).first()
    if task is None:
        raise CaseFileError(_("This task does not exist."))
    if task.status != TaskStatus.OPEN:
        raise CaseFileError(_("This task is closed already."))
    if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise CaseFileError(_("Choose done or cancelled."), field="status")
    closing_note = _text(
        closing_note,
        field="closing_note",
        required=status == TaskStatus.CANCELLED,
        limit=TEXT_MAX,
        message=_("Say why the task is cancelled."),
    )
    task.status = status
    task.closed_by = actor
    task.closed_at = timezone.now()
    task.closing_note = closing_note
    task.save(update_fields=["status", "closed_by", "closed_at", "closing_note"])
    audit_record(
        event=AuditEventType.CASE_TASK_CLOSED, obj=case_file, actor=actor, details={"task": task.pk, "status": status}
    )
    return task


# --------------------------------------------------------------------------------------------
# Operations


@dataclass
class OperationData:
    occurred_at: datetime.datetime | None
    place: str
    district: District | None = None
    units: Sequence[Unit] = field(default_factory=list)
    persons_rescued: int = 0
    persons_arrested: int = 0
    rescued_persons: Sequence[CasePerson] = field(default_factory=list)
    arrested_persons: Sequence[CasePerson] = field(default_factory=list)
    items_seized: str = ""
    summary: str = ""


@retry_on_contention()
def case_operation_add(*, actor: Any, case_file: CaseFile | int, data: OperationData) -> Operation:
    """Record an operation (*operativo*), numbered next in the case file."""
    case_file = _locked_case(actor, case_file)
    occurred_at = _not_future_moment(data.occurred_at, field="occurred_at")
    place = _text(data.place, field="place", required=True, limit=PLACE_MAX, message=_("Give the place."))
    items_seized = _text(data.items_seized, field="items_seized", required=False, limit=TEXT_MAX)
    summary = _text(data.summary, field="summary", required=False, limit=TEXT_MAX)
    for name in ("persons_rescued", "persons_arrested"):
        value = getattr(data, name)
        if value is None or not 0 <= value <= COUNT_MAX:
            raise CaseFileError(_("Give a number, zero or more."), field=name)
    for name, persons, count in (
        ("rescued_persons", data.rescued_persons, data.persons_rescued),
        ("arrested_persons", data.arrested_persons, data.persons_arrested),
    ):
        if any(person.case_file_id != case_file.pk for person in persons):
            raise CaseFileError(_("Choose persons of this case file."), field=name)
        if len({person.identity_id for person in persons}) > count:
            raise CaseFileError(_("More persons are chosen than the number counted."), field=name)
    operation = Operation.objects.create(
        case_file=case_file,
        number=_next_number(Operation.objects.filter(case_file=case_file), "number"),
        occurred_at=occurred_at,
        place=place,
        district=data.district,
        persons_rescued=data.persons_rescued,
        persons_arrested=data.persons_arrested,
        items_seized=items_seized,
        summary=summary,
        recorded_by=actor,
    )
    operation.units.set(data.units)
    operation.rescued_persons.set(data.rescued_persons)
    operation.arrested_persons.set(data.arrested_persons)
    audit_record(
        event=AuditEventType.CASE_OPERATION_ADDED,
        obj=case_file,
        actor=actor,
        details={
            "operation": operation.number,
            "rescued": operation.persons_rescued,
            "arrested": operation.persons_arrested,
        },
    )
    return operation


# --------------------------------------------------------------------------------------------
# Exhibits and their chain of custody


@dataclass
class ExhibitData:
    description: str
    kind: str
    seized_on: datetime.date | None
    initial_holder: str
    initial_holder_unit: Unit | None = None
    operation: Operation | None = None
    seized_from: str = ""
    storage_place: str = ""


@retry_on_contention()
def case_exhibit_add(*, actor: Any, case_file: CaseFile | int, data: ExhibitData) -> Exhibit:
    """Record an exhibit; its code is the next of the case file ("EV-001", "EV-002", ...)."""
    case_file = _locked_case(actor, case_file)
    description = _text(
        data.description, field="description", required=True, limit=TEXT_MAX, message=_("Describe the exhibit.")
    )
    if data.kind not in ExhibitKind.values:
        raise CaseFileError(_("Choose the kind of exhibit."), field="kind")
    seized_on = _not_future_date(data.seized_on, field="seized_on")
    initial_holder = _text(
        data.initial_holder,
        field="initial_holder",
        required=True,
        limit=NAME_MAX,
        message=_("Give who holds the exhibit first."),
    )
    seized_from = _text(data.seized_from, field="seized_from", required=False, limit=PLACE_MAX)
    storage_place = _text(data.storage_place, field="storage_place", required=False, limit=PLACE_MAX)
    if data.operation is not None:
        if data.operation.case_file_id != case_file.pk:
            raise CaseFileError(_("Choose an operation of this case file."), field="operation")
        if seized_on < timezone.localtime(data.operation.occurred_at).date():
            raise CaseFileError(_("The exhibit cannot be seized before its operation."), field="seized_on")
    sequence = _next_number(Exhibit.objects.filter(case_file=case_file), "sequence")
    exhibit = Exhibit.objects.create(
        case_file=case_file,
        sequence=sequence,
        code=exhibit_code(sequence),
        description=description,
        kind=data.kind,
        seized_on=seized_on,
        operation=data.operation,
        seized_from=seized_from,
        initial_holder=initial_holder,
        initial_holder_unit=data.initial_holder_unit,
        storage_place=storage_place,
        recorded_by=actor,
    )
    audit_record(
        event=AuditEventType.CASE_EXHIBIT_ADDED,
        obj=case_file,
        actor=actor,
        details={"exhibit": exhibit.code, "kind": exhibit.kind},
    )
    return exhibit


@dataclass
class TransferData:
    from_holder: str
    to_holder: str
    handed_at: datetime.datetime | None
    reason: str
    from_unit: Unit | None = None
    to_unit: Unit | None = None


@retry_on_contention()
def case_custody_transfer(
    *, actor: Any, case_file: CaseFile | int, exhibit_id: int, data: TransferData
) -> CustodyTransfer:
    """One hand-over in the exhibit's chain of custody: it is handed over by its current holder,
    not before the previous hand-over (nor before its seizure) and not in the future."""
    case_file = _locked_case(actor, case_file)
    exhibit = Exhibit.objects.select_for_update().filter(case_file=case_file, pk=exhibit_id).first()
    if exhibit is None:
        raise CaseFileError(_("This exhibit does not exist."))
    from_holder = _text(
        data.from_holder, field="from_holder", required=True, limit=NAME_MAX, message=_("Give who hands it over.")
    )
    to_holder = _text(
        data.to_holder, field="to_holder", required=True, limit=NAME_MAX, message=_("Give who receives it.")
    )
    reason = _text(data.reason, field="reason", required=True, limit=TEXT_MAX, message=_("Give the reason."))
    handed_at = _not_future_moment(data.handed_at, field="handed_at")
    last = exhibit.transfers.order_by("-handed_at", "-pk").first()
    current = last.to_holder if last else exhibit.initial_holder
    if not _same_holder(from_holder, current):
        raise CaseFileError(
            _("Only the current holder (%(holder)s) can hand the exhibit over.") % {"holder": current},
            field="from_holder",
        )
    if _same_holder(to_holder, current):
        raise CaseFileError(_("The exhibit is already held by this person."), field="to_holder")
    if last is not None and handed_at < last.handed_at:
        raise CaseFileError(_("The hand-over cannot be before the previous one."), field="handed_at")
    if timezone.localtime(handed_at).date() < exhibit.seized_on:
        raise CaseFileError(_("The hand-over cannot be before the seizure."), field="handed_at")
    transfer = CustodyTransfer.objects.create(
        exhibit=exhibit,
        from_holder=from_holder,
        from_unit=data.from_unit,
        to_holder=to_holder,
        to_unit=data.to_unit,
        handed_at=handed_at,
        reason=reason,
        recorded_by=actor,
    )
    audit_record(
        event=AuditEventType.CASE_CUSTODY_TRANSFERRED,
        obj=case_file,
        actor=actor,
        details={"exhibit": exhibit.code, "transfer": transfer.pk},
    )
    return transfer


# --------------------------------------------------------------------------------------------
# Diligencias


def attachable_diligences(user: Any, case_file: CaseFile) -> QuerySet[Diligence]:
    """The diligencias the user sees that the case file does not list yet (not of a linked
    complaint, not attached), and not replaced by a correction."""
    linked = CaseComplaint.objects.filter(case_file=case_file).values("complaint_id")
    attached = CaseDiligence.objects.filter(case_file=case_file).values("diligence_id")
    return (
        Diligence.objects.visible_to(user)
        .exclude(complaint_id__in=linked)
        .exclude(pk__in=attached)
        .filter(corrections__isnull=True)
        .select_related("complaint")
        .order_by("complaint__number", "sequence")
    )


@retry_on_contention()
def case_diligence_attach(*, actor: Any, case_file: CaseFile | int, diligence_id: int) -> CaseDiligence:
    """Attach a diligencia of another complaint the actor sees."""
    case_file = _locked_case(actor, case_file)
    diligence = Diligence.objects.visible_to(actor).filter(pk=diligence_id).select_related("complaint").first()
    if diligence is None:
        raise CaseFileError(_("No diligencia you may see has this number."), field="diligence")
    if CaseComplaint.objects.filter(case_file=case_file, complaint_id=diligence.complaint_id).exists():
        raise CaseFileError(_("The diligencias of the case file's complaints are listed already."), field="diligence")
    if CaseDiligence.objects.filter(case_file=case_file, diligence=diligence).exists():
        raise CaseFileError(_("This diligencia is attached already."), field="diligence")
    link = CaseDiligence.objects.create(case_file=case_file, diligence=diligence, attached_by=actor)
    audit_record(
        event=AuditEventType.CASE_DILIGENCE_ATTACHED,
        obj=case_file,
        actor=actor,
        details={"complaint": diligence.complaint.number, "diligence": diligence.sequence},
    )
    return link


# --------------------------------------------------------------------------------------------
# Journal


@retry_on_contention()
def case_journal_write(
    *,
    actor: Any,
    case_file: CaseFile | int,
    entry_date: datetime.date | None,
    text: str,
    kind: str = JournalKind.NOTE,
    person: CasePerson | None = None,
    corrects_id: int | None = None,
) -> JournalEntry:
    """A new journal entry, numbered next ("#n"). With `corrects_id`, it corrects that entry
    (which stays as it was, shown as corrected); an entry is corrected once (correct the
    correction for a later mistake)."""
    case_file = _locked_case(actor, case_file)
    entry_date = _not_future_date(entry_date, field="entry_date")
    text = _text(text, field="text", required=True, limit=TEXT_MAX, message=_("Write the entry."))
    if kind not in JournalKind.values:
        raise CaseFileError(_("Choose the kind of entry."), field="kind")
    if person is not None and person.case_file_id != case_file.pk:
        raise CaseFileError(_("Choose a person of this case file."), field="person")
    corrects = None
    if corrects_id is not None:
        corrects = JournalEntry.objects.filter(case_file=case_file, pk=corrects_id).first()
        if corrects is None:
            raise CaseFileError(_("This entry does not exist."))
        if JournalEntry.objects.filter(corrects=corrects).exists():
            raise CaseFileError(_("This entry was corrected already: correct the correction."))
    entry = JournalEntry.objects.create(
        case_file=case_file,
        sequence=_next_number(JournalEntry.objects.filter(case_file=case_file), "sequence"),
        entry_date=entry_date,
        kind=kind,
        person=person,
        text=text,
        author=actor,
        corrects=corrects,
    )
    audit_record(
        event=AuditEventType.CASE_JOURNAL_WRITTEN,
        obj=case_file,
        actor=actor,
        details={"entry": entry.sequence, "kind": kind, "corrects": corrects.sequence if corrects else None},
    )
    return entry


# --------------------------------------------------------------------------------------------
# Reads


def exhibits_with_holder(queryset: QuerySet[Exhibit]) -> QuerySet[Exhibit]:
    """Exhibits annotated with their last hand-over's receiver (`Exhibit.current_holder` reads it
    without a query)."""
    last = CustodyTransfer.objects.filter(exhibit=OuterRef("pk")).order_by("-handed_at", "-pk")
    return queryset.annotate(
        last_to_holder=Subquery(last.values("to_holder")[:1]),
        last_to_unit=Subquery(last.values("to_unit__name")[:1]),
    )


def diligences_of(case_file: CaseFile) -> list[dict[str, Any]]:
    """The diligencias of the case file: those of its linked complaints, then those attached (each
    with `attached`: the CaseDiligence or None). Two queries."""
    linked = CaseComplaint.objects.filter(case_file=case_file).values("complaint_id")
    links = {
        link.diligence_id: link
        for link in CaseDiligence.objects.filter(case_file=case_file).select_related("attached_by")
    }
    rows = (
        Diligence.objects.filter(Q(complaint_id__in=linked) | Q(pk__in=list(links)))
        .select_related("complaint", "corrects")
        .order_by("complaint__number", "sequence")
    )
    return [{"diligence": row, "attached": links.get(row.pk)} for row in rows]


def journal_of(case_file: CaseFile) -> list[JournalEntry]:
    """The journal in order, each entry with `corrected_by` (the correcting entry, or None)."""
    entries = list(
        JournalEntry.objects.filter(case_file=case_file).select_related("author", "corrects", "person__identity")
    )
    by_corrected = {entry.corrects_id: entry for entry in entries if entry.corrects_id}
    for entry in entries:
        entry.corrected_by = by_corrected.get(entry.pk)
    return entries


def statements_of(case_file: CaseFile) -> list[JournalEntry]:
    """The journal's statements that are in force (not corrected), oldest first: the proof matrix
    links them to the elements they support."""
    return [entry for entry in journal_of(case_file) if entry.is_statement and entry.corrected_by is None]


def work_of(case_file: CaseFile) -> dict[str, Any]:
    """Everything the "Trabajo" page shows, in a fixed number of queries."""
    tasks = sorted(  # the open tasks first, by deadline
        CaseTask.objects.filter(case_file=case_file).select_related("assignee", "closed_by"),
        key=lambda task: (task.status != TaskStatus.OPEN, task.due_on, task.pk),
    )
    operations = list(
        Operation.objects.filter(case_file=case_file)
        .select_related("district")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("name")),
            Prefetch("rescued_persons", queryset=CasePerson.objects.only("pk")),
            Prefetch("arrested_persons", queryset=CasePerson.objects.only("pk")),
        )
    )
    exhibits = list(
        exhibits_with_holder(Exhibit.objects.filter(case_file=case_file)).select_related(
            "operation", "initial_holder_unit"
        )
    )
    return {
        "tasks": tasks,
        "operations": operations,
        "exhibits": exhibits,
        "diligences": diligences_of(case_file),
        "journal": journal_of(case_file),
    }


def exhibit_with_chain(case_file: CaseFile, exhibit_pk: Any) -> Exhibit | None:
    """The exhibit of the case file with its chain of custody in order (`chain`), or None."""
    exhibit = (
        exhibits_with_holder(Exhibit.objects.filter(case_file=case_file, pk=exhibit_pk))
        .select_related("operation", "initial_holder_unit", "recorded_by")
        .first()
    )
    if exhibit is None:
        return None
    exhibit.chain = list(
        CustodyTransfer.objects.filter(exhibit=exhibit)
        .select_related("from_unit", "to_unit", "recorded_by")
        .order_by("handed_at", "pk")
    )
    return exhibit


def person_choices(case_file: CaseFile) -> list[tuple[int, str]]:
    """(pk, "role: shown name") of the persons of the case file, as its pages show them."""
    return [(row.pk, f"{row.role}: {row.shown}") for row in persons_of(case_file)]


__all__ = [
    "ExhibitData",
    "OperationData",
    "TransferData",
    "attachable_diligences",
    "case_custody_transfer",
    "case_diligence_attach",
    "case_exhibit_add",
    "case_journal_write",
    "case_operation_add",
    "case_task_add",
    "case_task_close",
    "current_investigators",
    "diligences_of",
    "exhibit_with_chain",
    "exhibits_with_holder",
    "journal_of",
    "person_choices",
    "statements_of",
    "work_of",
]
