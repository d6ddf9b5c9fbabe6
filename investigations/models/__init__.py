"""The models of the Investigation module, one file per part of a case file:

- `case_files`: the case file, its complaints, status workflow, assignments, shares and the
  persons in roles (pointers at people.Identity).
- `things`: places and things (places, vehicles, phones, accounts) and the route's legs.
- `persons`: the images of a person (photographs, fingerprint cards), the results for a victim and
  the protective measures.
- `report`: the proof matrix's links and the police report (with its generated versions).
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
    CaseFileExtraValue,
    CasePerson,
    CasePersonRole,
    CaseShare,
    CaseShareRevocation,
    CaseStatus,
    CaseStatusChange,
    OrganisationRole,
    RecruitmentMethod,
)

# Persons in roles (issue 11 item 2)
from investigations.models.persons import (
    ImageKind,
    MeasureKind,
    PersonImage,
    ProtectiveMeasure,
    VictimOutcome,
)

# report (issue 11, items 5 and 7)
from investigations.models.report import (
    CaseReport,
    CaseReportStatus,
    CaseReportVersion,
    ProofLink,
)

# Places and things (issue 11, item 3)
from investigations.models.things import (
    CaseAccount,
    CasePhone,
    CasePlace,
    CaseVehicle,
    LegStage,
    PlaceKind,
    RouteLeg,
    VehicleKind,
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
    "CaseFileExtraValue",
    "CasePerson",
    "CasePersonRole",
    "CaseShare",
    "CaseShareRevocation",
    "CaseStatus",
    "CaseStatusChange",
    # report
    "CaseReport",
    "CaseReportStatus",
    "CaseReportVersion",
    "ProofLink",
    "OrganisationRole",
    "RecruitmentMethod",
    # Persons in roles
    "ImageKind",
    "MeasureKind",
    "PersonImage",
    "ProtectiveMeasure",
    "VictimOutcome",
    # Places and things
    "CaseAccount",
    "CasePhone",
    "CasePlace",
    "CaseVehicle",
    "LegStage",
    "PlaceKind",
    "RouteLeg",
    "VehicleKind",
    # Persons in roles
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
