"""What an investigator hands over when she moves to another unit (administration.handover,
registered in InvestigationsConfig.ready()).

- `case_assignments`: her current assignments to the case files of the unit she leaves (owned in
  its subtree, not closed) end (`ended_at`/`ended_by`, the row and its history stay) and the
  colleague is assigned instead (a new assignment row), unless already assigned; where she led the
  case file the colleague becomes its lead (the case file's history keeps who led it before). The
  case file's trail gets the usual assigned/unassigned events. The ids are the case files'.
- `case_tasks`: her open tasks in those case files go to the colleague (each task's history keeps
  who had it before). Closed tasks stay hers: they are what she did.

Only an account that works case files (an investigator) may receive them: otherwise the whole
move is refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.handover import HandOverRefused
from audit.events import AuditEventType
from audit.services import audit_record
from investigations.models import CaseAssignment, CaseFile, CaseStatus, CaseTask, TaskStatus
from investigations.models.case_files import CASE_ROLES


def _case_files(old_unit: Any) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(owning_unit__path__startswith=old_unit.path).exclude(status=CaseStatus.CLOSED)


def _refuse_unless_investigator(colleague: Any) -> None:
    if colleague.role not in CASE_ROLES:
        raise HandOverRefused(
            _("{name} does not work case files: choose an investigator of the unit to receive them.").format(
                name=colleague.get_username()
            )
        )


def hand_over_assignments(*, actor: Any, officer: Any, colleague: Any, old_unit: Any) -> list[int]:
    assignments = list(
        CaseAssignment.objects.select_for_update()
        .filter(investigator=officer, ended_at__isnull=True, case_file__in=_case_files(old_unit))
        .select_related("case_file")
    )
    if not assignments:
        return []
    _refuse_unless_investigator(colleague)
    now = timezone.now()
    passed = []
    for assignment in assignments:
        case_file = CaseFile.objects.select_for_update().get(pk=assignment.case_file_id)
        current = CaseAssignment.objects.filter(case_file=case_file, ended_at__isnull=True)
        if not current.filter(investigator=colleague).exists():
            CaseAssignment.objects.create(
                case_file=case_file, investigator=colleague, assigned_by=actor, assigned_at=now
            )
            audit_record(
                event=AuditEventType.CASE_FILE_ASSIGNED,
                obj=case_file,
                actor=actor,
                details={"investigator": colleague.get_username(), "handover_from": officer.get_username()},
            )
        assignment.ended_at = now
        assignment.ended_by = actor
        assignment._change_reason = "hand-over"
        assignment.save(update_fields=["ended_at", "ended_by"])
        audit_record(
            event=AuditEventType.CASE_FILE_UNASSIGNED,
            obj=case_file,
            actor=actor,
            details={"investigator": officer.get_username(), "handover_to": colleague.get_username()},
        )
        if case_file.lead_id == officer.pk:
            case_file.lead = colleague
            case_file._change_reason = "hand-over"
            case_file.save(update_fields=["lead"])
        passed.append(case_file.pk)
    return passed


def hand_over_tasks(*, actor: Any, officer: Any, colleague: Any, old_unit: Any) -> list[int]:
    tasks = list(
        CaseTask.objects.select_for_update().filter(
            assignee=officer, status=TaskStatus.OPEN, case_file__in=_case_files(old_unit)
        )
    )
    if not tasks:
        return []
    _refuse_unless_investigator(colleague)
    for task in tasks:
        task.assignee = colleague
        task._change_reason = "hand-over"
        task.save(update_fields=["assignee"])
    return [task.pk for task in tasks]
