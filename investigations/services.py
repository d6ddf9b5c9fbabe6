"""Every write of the Investigation module: open a case file, move it along its workflow, assign
and unassign investigators, share it with a unit and revoke the share.

Each service is its own transaction, retried on contention (reta.transactions), checks the policy
(investigations.policies) and the scope (`CaseFile.visible_q`, the same rule the pages use),
refuses bad input with a Spanish message (`CaseFileError`, nothing saved) and writes its audit
event (audit.events) in the same transaction.

Numbering: `administration.numbering`, series `case_file`, per owning unit and year; the number is
`<UNIT CODE>-CI-<YEAR>-<000001>` (CI: *carpeta de investigación*), e.g. `DIRTEPOL-CUSCO-TRATA-CI-2026-000001`.
The owning unit's row is locked (numbering step 1) before any row pointing at it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from administration import numbering
from administration.access import visible_q
from administration.extra_fields import extra_values_write
from administration.models import Unit
from administration.roles import Role
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
from investigations import policies
from investigations.models import (
    CASE_ROLES,
    CaseAssignment,
    CaseComplaint,
    CaseFile,
    CaseFileExtraValue,
    CasePerson,
    CasePersonRole,
    CaseShare,
    CaseShareRevocation,
    CaseStatus,
    CaseStatusChange,
)
from reta.transactions import retry_on_contention

REASON_MAX = 2000

# The workflow: which status may follow which; a reason is required where it says so.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.OPEN: (CaseStatus.UNDER_INVESTIGATION, CaseStatus.CLOSED),
    CaseStatus.UNDER_INVESTIGATION: (CaseStatus.REPORT_SENT, CaseStatus.CLOSED),
    CaseStatus.REPORT_SENT: (CaseStatus.CLOSED, CaseStatus.UNDER_INVESTIGATION),
    CaseStatus.CLOSED: (CaseStatus.UNDER_INVESTIGATION,),
}
# Going back (reopening) needs a reason; so does closing.
REASON_REQUIRED = {
    (CaseStatus.CLOSED, CaseStatus.UNDER_INVESTIGATION),
    (CaseStatus.REPORT_SENT, CaseStatus.UNDER_INVESTIGATION),
    (CaseStatus.OPEN, CaseStatus.CLOSED),
    (CaseStatus.UNDER_INVESTIGATION, CaseStatus.CLOSED),
    (CaseStatus.REPORT_SENT, CaseStatus.CLOSED),
}


class CaseFileError(Exception):
    """Bad input or a step the rules refuse; `message` is for the user (Spanish), `field` the form
    field it is about (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowedError(CaseFileError):
    """The user may not do this (the views answer 403)."""


def format_number(unit: Unit, year: int, sequence: int) -> str:
    return f"{unit.code}-CI-{year}-{sequence:06d}"


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise CaseFileError(_("Give the reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise CaseFileError(_("The reason is too long."), field="reason")
    return reason


def _locked_case(actor: Any, case_file: CaseFile | int) -> CaseFile:
    """The case file read again under lock, within the actor's scope; 'not found' as a refusal."""
    pk = case_file.pk if isinstance(case_file, CaseFile) else int(case_file)
    found = (
        CaseFile.objects.select_for_update()
        .filter(visible_q(CaseFile, actor), pk=pk)
        .select_related("owning_unit")
        .first()
    )
    if found is None:
        raise NotAllowedError(_("You may not work on this case file."))
    if not policies.can_work_case_file(actor, found):
        raise NotAllowedError(_("You may not work on this case file."))
    return found


def _check_investigator(user: Any, owning_unit: Unit, *, field: str) -> None:
    """A lead or assignee: an active investigator of the owning unit's subtree, or of DIVINTRAP."""
    if user is None or not user.is_active or user.role not in CASE_ROLES or user.unit_id is None:
        raise CaseFileError(_("Choose an active investigator."), field=field)
    if user.role != Role.NATIONAL_INVESTIGATOR and not user.unit.path.startswith(owning_unit.path):
        raise CaseFileError(_("The investigator must belong to the owning unit."), field=field)


@dataclass
class OpenData:
    title: str
    summary: str = ""
    complaint_ids: Sequence[int] = field(default_factory=list)
    agency_name: str = ""
    agency_reference: str = ""
    lead: Any = None  # a User; the actor when None


@retry_on_contention()
def case_file_open(*, actor: Any, data: OpenData) -> CaseFile:
    """Open a case file owned by the actor's unit, from complaints the actor sees or for another
    agency's case (DIVINTRAP only). The lead defaults to the actor, who is assigned too."""
    if not policies.can_open_case_file(actor):
        raise NotAllowedError(_("You may not open case files."))
    title = (data.title or "").strip()
    if not title:
        raise CaseFileError(_("Give the case file a title."), field="title")
    if len(title) > 200:
        raise CaseFileError(_("The title is too long."), field="title")
    agency_name = (data.agency_name or "").strip()
    agency_reference = (data.agency_reference or "").strip()
    complaint_ids = sorted({int(pk) for pk in data.complaint_ids})
    if not complaint_ids and not agency_name:
        raise CaseFileError(_("Choose a complaint or name the other agency whose case this is."))
    if agency_name and not policies.can_open_for_other_agency(actor):
        raise NotAllowedError(_("Only DIVINTRAP opens case files for other agencies."))
    if agency_reference and not agency_name:
        raise CaseFileError(_("Name the other agency."), field="agency_name")
    complaints = list(
        Complaint.objects.visible_to(actor).filter(pk__in=complaint_ids, status=Complaint.Status.SUBMITTED)
    )
    if len(complaints) != len(complaint_ids):
        raise CaseFileError(_("A complaint chosen does not exist or is not yours to see."), field="complaints")
    owning_unit = actor.unit
    lead = data.lead or actor
    _check_investigator(lead, owning_unit, field="lead")

    numbering.lock_units([owning_unit])  # step 1 before any row that points at the unit
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = numbering.next_number(series=numbering.Series.CASE_FILE, unit=owning_unit, year=year)
    case_file = CaseFile.objects.create(
        number=format_number(owning_unit, year, sequence),
        owning_unit=owning_unit,
        year=year,
        sequence=sequence,
        title=title,
        summary=(data.summary or "").strip(),
        lead=lead,
        agency_name=agency_name,
        agency_reference=agency_reference,
        opened_by=actor,
        opened_at=now,
    )
    for complaint in complaints:
        CaseComplaint.objects.create(case_file=case_file, complaint=complaint, linked_by=actor, linked_at=now)
    CaseStatusChange.objects.create(
        case_file=case_file, from_status="", to_status=CaseStatus.OPEN, changed_by=actor, changed_at=now
    )
    CaseAssignment.objects.create(case_file=case_file, investigator=lead, assigned_by=actor, assigned_at=now)
    audit_record(
        event=AuditEventType.CASE_FILE_OPENED,
        obj=case_file,
        actor=actor,
        details={"complaints": [c.number for c in complaints], "agency": agency_name},
    )
    return case_file


@retry_on_contention()
def case_file_change_status(*, actor: Any, case_file: CaseFile | int, to_status: str, reason: str = "") -> CaseFile:
    """Move the case file along the workflow (TRANSITIONS); who, when and why are kept."""
    case_file = _locked_case(actor, case_file)
    if to_status not in CaseStatus.values:
        raise CaseFileError(_("Choose a status."), field="to_status")
    current = case_file.status
    if to_status not in TRANSITIONS.get(current, ()):
        raise CaseFileError(
            _("A case file cannot go from “%(from)s” to “%(to)s”.")
            % {"from": CaseStatus(current).label, "to": CaseStatus(to_status).label},
            field="to_status",
        )
    reason = _clean_reason(reason, required=(current, to_status) in REASON_REQUIRED)
    now = timezone.now()
    CaseStatusChange.objects.create(
        case_file=case_file, from_status=current, to_status=to_status, reason=reason, changed_by=actor, changed_at=now
    )
    case_file.status = to_status
    case_file._change_reason = reason or None
    case_file.save(update_fields=["status"])
    audit_record(
        event=AuditEventType.CASE_FILE_STATUS_CHANGED,
        obj=case_file,
        actor=actor,
        details={"from": current, "to": to_status},
    )
    return case_file


@retry_on_contention()
def case_file_assign(*, actor: Any, case_file: CaseFile | int, investigator: Any) -> CaseAssignment:
    case_file = _locked_case(actor, case_file)
    _check_investigator(investigator, case_file.owning_unit, field="investigator")
    if CaseAssignment.objects.filter(case_file=case_file, investigator=investigator, ended_at__isnull=True).exists():
        raise CaseFileError(_("This investigator is already assigned."), field="investigator")
    assignment = CaseAssignment.objects.create(case_file=case_file, investigator=investigator, assigned_by=actor)
    audit_record(
        event=AuditEventType.CASE_FILE_ASSIGNED,
        obj=case_file,
        actor=actor,
        details={"investigator": investigator.get_username()},
    )
    return assignment


@retry_on_contention()
def case_file_unassign(*, actor: Any, case_file: CaseFile | int, assignment_id: int) -> CaseAssignment:
    case_file = _locked_case(actor, case_file)
    assignment = (
        CaseAssignment.objects.select_for_update()
        .filter(case_file=case_file, pk=assignment_id, ended_at__isnull=True)
        .select_related("investigator")
        .first()
    )
    if assignment is None:
        raise CaseFileError(_("This assignment does not exist or has ended."))
    if assignment.investigator_id == case_file.lead_id:
        raise CaseFileError(_("The lead investigator stays assigned."))
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        event=AuditEventType.CASE_FILE_UNASSIGNED,
        obj=case_file,
        actor=actor,
        details={"investigator": assignment.investigator.get_username()},
    )
    return assignment


@retry_on_contention()
def case_file_share(*, actor: Any, case_file: CaseFile | int, unit: Unit | None, reason: str) -> CaseShare:
    case_file = _locked_case(actor, case_file)
    if unit is None:
        raise CaseFileError(_("Choose a unit."), field="unit")
    if unit.pk == case_file.owning_unit_id:
        raise CaseFileError(_("The owning unit sees its case file already."), field="unit")
    reason = _clean_reason(reason, required=True)
    if CaseShare.objects.filter(case_file=case_file, unit=unit, revocation__isnull=True).exists():
        raise CaseFileError(_("The case file is already shared with this unit."), field="unit")
    share = CaseShare.objects.create(case_file=case_file, unit=unit, reason=reason, granted_by=actor)
    audit_record(event=AuditEventType.CASE_FILE_SHARED, obj=case_file, actor=actor, details={"unit": unit.code})
    return share


@retry_on_contention()
def case_file_revoke_share(*, actor: Any, case_file: CaseFile | int, share_id: int, reason: str = "") -> CaseShare:
    case_file = _locked_case(actor, case_file)
    share = CaseShare.objects.filter(case_file=case_file, pk=share_id).select_related("unit").first()
    if share is None or CaseShareRevocation.objects.filter(share=share).exists():
        raise CaseFileError(_("This share does not exist or was revoked already."))
    reason = _clean_reason(reason, required=False)
    CaseShareRevocation.objects.create(share=share, reason=reason, revoked_by=actor)
    audit_record(
        event=AuditEventType.CASE_FILE_SHARE_REVOKED, obj=case_file, actor=actor, details={"unit": share.unit.code}
    )
    return share


@retry_on_contention()
def case_file_add_complaint_persons(*, actor: Any, case_file: CaseFile | int) -> int:
    """Make the identified victims and alleged traffickers of the case file's complaints persons of
    the case file, in the same role, by pointing at their identities (never a copy). Persons not yet
    identified (no identity) are left out; a person already in that role is not added twice. How
    many were added."""
    case_file = _locked_case(actor, case_file)
    complaint_ids = list(CaseComplaint.objects.filter(case_file=case_file).values_list("complaint_id", flat=True))
    wanted: dict[tuple[int, str], int] = {}
    for model, role in (
        (ComplaintVictim, CasePersonRole.VICTIM),
        (ComplaintSuspect, CasePersonRole.ALLEGED_TRAFFICKER),
    ):
        rows = (
            model.objects.filter(complaint_id__in=complaint_ids, person__identity__isnull=False)
            .order_by("complaint_id", "position", "pk")
            .values_list("person__identity_id", "complaint_id")
        )
        for identity_id, complaint_id in rows:
            wanted.setdefault((identity_id, role), complaint_id)
    present = set(CasePerson.objects.filter(case_file=case_file).values_list("identity_id", "role"))
    new = [
        CasePerson(
            case_file=case_file, identity_id=identity_id, role=role, source_complaint_id=complaint_id, added_by=actor
        )
        for (identity_id, role), complaint_id in wanted.items()
        if (identity_id, role) not in present
    ]
    for person in new:
        person.save()  # one by one: each gets its history row
    audit_record(event=AuditEventType.CASE_FILE_PERSONS_ADDED, obj=case_file, actor=actor, details={"added": len(new)})
    return len(new)


def assignable_investigators(case_file: CaseFile) -> Any:
    """The active investigators who may be assigned to the case file (the form's choices)."""
    unit = case_file.owning_unit
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=CASE_ROLES)
        .filter(Q(unit__path__startswith=unit.path) | Q(role=Role.NATIONAL_INVESTIGATOR))
        .select_related("unit")
        .order_by("last_name", "first_name", "username")
    )


__all__ = [
    "TRANSITIONS",
    "CaseFileError",
    "NotAllowedError",
    "OpenData",
    "assignable_investigators",
    "case_file_add_complaint_persons",
    "case_file_assign",
    "case_file_change_status",
    "case_file_open",
    "case_file_revoke_share",
    "case_file_share",
    "case_file_unassign",
    "format_number",
]


@retry_on_contention()
def case_file_variables_save(*, actor: Any, case_file: CaseFile | int, values: dict[Any, str]) -> CaseFile:
    """Write the research variables of a case file (administration.extra_fields): {variable: stored
    text}; a value emptied removes its row. Historised and audited (codes only, never the values)."""
    case_file = _locked_case(actor, case_file)
    changed = extra_values_write(
        case_file.extra_values.all(),
        values,
        lambda variable, text: CaseFileExtraValue(case_file=case_file, field=variable, value=text),
    )
    if changed:
        audit_record(
            event=AuditEventType.CASE_FILE_VARIABLES_CHANGED, obj=case_file, actor=actor, details={"variables": changed}
        )
    return case_file
