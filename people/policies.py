"""Who may see identities. Complaints, case files and their templates ask these same functions
(through `people.privacy.sight`, which turns them into what one viewer sees of one complaint)."""

from __future__ import annotations

from typing import Any

from administration.policies import is_national_admin, is_signed_in
from administration.roles import Role

# Roles with a need to know identities (SECURITY.md 15), always through a logged action
# (`people.privacy`): investigators and national administrators (with their second factor).
IDENTITY_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN})
# The roles with an investigative need (administration.roles): the only ones who may see a minor's
# identity, on request and logged, for a complaint in their scope (issue 10, item 5).
INVESTIGATOR_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR})
# The roles that register complaints (complaints.policies.FILING_ROLES): their users in the
# complaint's registering unit are its filing station. Read-only roles never are.
FILING_STATION_ROLES = frozenset(
    {Role.STATION_OFFICER, Role.HOTLINE_OPERATOR, Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR}
)


def can_view_identity(user: Any) -> bool:
    """A role with a need to know identities in general (adults, complainants, alleged
    traffickers), on request and logged."""
    if not is_signed_in(user) or user.role not in IDENTITY_ROLES:
        return False
    return user.role != Role.NATIONAL_ADMIN or is_national_admin(user)


def can_view_minor_identity(user: Any) -> bool:
    """The investigators (regional, DIVINTRAP) may see a protected victim's identity, on request
    and logged, in the complaints of their scope; nobody else ever."""
    return is_signed_in(user) and user.role in INVESTIGATOR_ROLES


def is_filing_station(user: Any, complaint: Any) -> bool:
    """`user` works in the unit that registered `complaint` (anything with `registering_unit_id`):
    it must notify the complainant and write the requests (issue 10, item 5)."""
    return (
        complaint is not None
        and is_signed_in(user)
        and user.role in FILING_STATION_ROLES
        and getattr(complaint, "registering_unit_id", None) is not None
        and complaint.registering_unit_id == user.unit_id
    )


def can_reveal(user: Any, complaint: Any) -> bool:
    """May ask for the logged reveal of `complaint`'s identities: a role with the need to know,
    or the filing station (its adult victims)."""
    return can_view_identity(user) or is_filing_station(user, complaint)


__all__ = [
    "FILING_STATION_ROLES",
    "IDENTITY_ROLES",
    "INVESTIGATOR_ROLES",
    "can_reveal",
    "can_view_identity",
    "can_view_minor_identity",
    "is_filing_station",
]
