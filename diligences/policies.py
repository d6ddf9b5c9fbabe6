"""Who may read and write the preliminary investigation register (SECURITY.md 8-9); views and
templates ask the same functions.

Owns: the policies of the register. Imports the policies of `complaints` (the register is read by
whoever may see the complaint and written by the roles that file complaints or investigate).
"""

from __future__ import annotations

from typing import Any

from complaints import policies
from complaints.models import Complaint
from people import policies as identity_policies


def can_view_register(user: Any) -> bool:
    """Anyone who may see the complaint may read its register (the scope is checked by
    `access_complaint`)."""
    return policies.can_view_complaints(user)


def can_record_diligence(user: Any, complaint: Complaint) -> bool:
    """Filing and investigating roles, on a registered (frozen) complaint they may see."""
    return policies.can_file_complaint(user) and complaint.is_frozen


def can_generate_document(user: Any, complaint: Complaint) -> bool:
    return can_record_diligence(user, complaint)


def can_show_adult_names(user: Any) -> bool:
    """Whether a document may carry an ADULT victim's full name (never a minor's)."""
    return identity_policies.can_view_identity(user)


__all__ = ["can_generate_document", "can_record_diligence", "can_show_adult_names", "can_view_register"]
