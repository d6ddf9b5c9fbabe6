"""Who may do what with case files. Views, services and templates ask these same functions.

Only the investigating roles work case files (investigations.models.CASE_ROLES): a regional
investigator in her specialised unit, DIVINTRAP nationwide. Scope (which case files) is
`CaseFile.visible_q`; these functions say what a user may do with one she sees (403 otherwise).
The monitor sees no case file (counts only, through the statistics, once they exist); the auditor
none (the audit trail records every action on them); the administrator none (accounts, not
investigations).
"""

from __future__ import annotations

from typing import Any

from administration.access import scope_of
from administration.policies import is_signed_in
from administration.roles import Role
from investigations.models import CASE_ROLES


def can_view_case_files(user: Any) -> bool:
    return is_signed_in(user) and user.role in CASE_ROLES


def can_open_case_file(user: Any) -> bool:
    return can_view_case_files(user)


def can_open_for_other_agency(user: Any) -> bool:
    """Only DIVINTRAP opens case files for the cases of other agencies (BRIEF.md workflow 2)."""
    return is_signed_in(user) and user.role == Role.NATIONAL_INVESTIGATOR


def can_work_case_file(user: Any, case_file: Any) -> bool:
    """Change the status, assign investigators, share: the owning unit's investigators and
    DIVINTRAP; a unit the case file is shared with reads it only."""
    if not can_view_case_files(user):
        return False
    scope = scope_of(user)
    return scope.is_national or (not scope.is_nothing and case_file.owning_unit.path.startswith(scope.root_path))


# ---------------------------------------------------------------- proof matrix, report, completeness


def can_write_conclusions(user: Any, case_file: Any) -> bool:
    """The conclusions of the police report are the lead investigator's, and so is its
    transmission to the prosecutor (she signs it)."""
    return can_work_case_file(user, case_file) and user.pk == case_file.lead_id


def can_transmit_report(user: Any, case_file: Any) -> bool:
    return can_write_conclusions(user, case_file)


def can_view_completeness(user: Any) -> bool:
    """The completeness list: the investigators (their scope) and the monitoring secretariat
    (national; numbers, units, statuses and missing items only, never the contents)."""
    return is_signed_in(user) and (user.role in CASE_ROLES or user.role == Role.MONITOR)


def is_monitor(user: Any) -> bool:
    """The navigation entry of the completeness list (investigators reach it from their list)."""
    return is_signed_in(user) and user.role == Role.MONITOR


# ---------------------------------------------------------------- compliance monitoring (issue 13, item 5)

# The Permanent Secretariat's monitoring (investigations.compliance): the monitor, and the roles the
# statistics already give national figures to and that oversee units (DIVINTRAP, the national
# administrators), and a regional investigator for her own directorate (the statistics' rule:
# each sees the figures of its scope). Stations, the hotline and the auditor do not: it is the
# oversight of units, not their own figures, and the auditor has the audit trail.
COMPLIANCE_ROLES = frozenset(
    {Role.MONITOR, Role.NATIONAL_ADMIN, Role.NATIONAL_INVESTIGATOR, Role.REGIONAL_INVESTIGATOR}
)


def can_view_compliance(user: Any) -> bool:
    return is_signed_in(user) and user.role in COMPLIANCE_ROLES


def can_export_compliance(user: Any) -> bool:
    """The export follows the statistics' export permission (the roles that may export complaints)."""
    from stats.policies import can_export_statistics

    return can_view_compliance(user) and can_export_statistics(user)
