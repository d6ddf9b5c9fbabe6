"""The models of the Investigation module, one file per part of a case file:

- `case_files`: the case file, its complaints, status workflow, assignments, shares and the
  persons in roles (pointers at people.Identity).
- `work`: the investigation work (tasks, operations, exhibits and their chain of custody,
  attached diligencias, the investigator's journal).

Each part's module says what it holds; this package re-exports every model so that
`from investigations.models import X` and the migrations see one app.
"""

from investigations.models.case_files import (
    CASE_ROLES,
    CaseAssignment,
    CaseComplaint,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CaseShare,
    CaseShareRevocation,
    CaseStatus,
    CaseStatusChange,
)

# Investigation work (issue 11 item 4)
from investigations.models.work import (  # noqa: E402
    CaseDiligence,
    CaseTask,
    CustodyTransfer,
    Exhibit,
    ExhibitKind,
    JournalEntry,
    JournalKind,
    Operation,
    TaskStatus,
)

__all__ = [
    "CASE_ROLES",
    "CaseAssignment",
    "CaseComplaint",
    "CaseFile",
    "CasePerson",
    "CasePersonRole",
    "CaseShare",
    "CaseShareRevocation",
    "CaseStatus",
    "CaseStatusChange",
    # Investigation work
    "CaseDiligence",
    "CaseTask",
    "CustodyTransfer",
    "Exhibit",
    "ExhibitKind",
    "JournalEntry",
    "JournalKind",
    "Operation",
    "TaskStatus",
]
