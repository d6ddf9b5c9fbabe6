"""Who may do what with the printed forms (SECURITY.md 8-9); views and templates ask the same
functions, so buttons hide themselves.

- Issuing a batch is a write: national administrators only (TOTP-verified sessions).
- The monitoring secretariat (SPDH) distributes the printed forms, but its role stays read-only
  (SECURITY.md 9 holds without exception): it sees the national register and downloads the PDF
  of a batch already issued, which is a printed document (audited), not a change. Keeping the
  issue of serials out of the secretariat's hands also keeps it independent of the register it
  monitors (outstanding serials are forms filled in and never entered).
- Every signed-in user sees the register within the tree of command (`selectors`): a station
  sees its own forms, a directorate its stations'.
- Printing (batch PDF, or one set again) is for the roles that handle paper: station officers,
  investigators, national administrators and the secretariat; the hotline and the auditor have
  no use for blank forms.

Owns: the policies of the paper forms. Imports `administration` (roles, policies, access) only.
"""

from __future__ import annotations

from typing import Any

from administration.access import CommandLineActor
from administration.policies import is_national_admin, is_national_admin_account, is_signed_in
from administration.roles import Role

PRINT_ROLES = frozenset(
    {Role.STATION_OFFICER, Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN, Role.MONITOR}
)


def can_issue_paper_forms(user: Any) -> bool:
    """Issuing serials is a write: national administrators only (see the module docstring for
    why the monitoring secretariat, which distributes the forms, does not issue them)."""
    return is_national_admin(user)


def can_issue_paper_forms_as(actor: Any) -> bool:
    """What the issuing service checks: a usable national administrator's account (the screen has
    checked the session's second factor with `can_issue_paper_forms`), or the command line, an
    explicit national actor (`issue_forms` without `--user`)."""
    return isinstance(actor, CommandLineActor) or is_national_admin_account(actor)


def can_view_paper_forms(user: Any) -> bool:
    if not is_signed_in(user):
        return False
    return user.role != Role.NATIONAL_ADMIN or is_national_admin(user)


def can_print_paper_forms(user: Any) -> bool:
    return can_view_paper_forms(user) and user.role in PRINT_ROLES


__all__ = [
    "PRINT_ROLES",
    "can_issue_paper_forms",
    "can_issue_paper_forms_as",
    "can_print_paper_forms",
    "can_view_paper_forms",
]
