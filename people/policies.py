"""Who may see identities. Complaints, case files and their templates ask these same functions."""

from __future__ import annotations

from typing import Any

from administration.policies import is_national_admin, is_signed_in
from administration.roles import Role

# Roles with a need to know identities (SECURITY.md 15), always through a logged action
# (`people.privacy`): investigators and national administrators (with their second factor).
IDENTITY_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN})


def can_view_identity(user: Any) -> bool:
    if not is_signed_in(user) or user.role not in IDENTITY_ROLES:
        return False
    return user.role != Role.NATIONAL_ADMIN or is_national_admin(user)
