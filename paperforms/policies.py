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

Owns: the policies of the paper forms. Imports `administration` (roles) only.
"""

from __future__ import annotations

from typing import Any

from administration.models import Role
from administration.policies import is_national_admin

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


__all__ = ["PRINT_ROLES", "can_issue_paper_forms", "can_print_paper_forms", "can_view_paper_forms"]
