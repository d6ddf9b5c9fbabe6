"""Who may do what with complaints. Views, services and templates ask these same functions."""

from __future__ import annotations

from typing import Any

from administration.policies import is_national_admin, is_national_admin_account, is_signed_in
from administration.roles import Role

FILING_ROLES = frozenset(
    {Role.STATION_OFFICER, Role.HOTLINE_OPERATOR, Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR}
)
EXPORT_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN, Role.MONITOR})
ALERT_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR, Role.NATIONAL_ADMIN})


def can_file_complaint(user: Any) -> bool:
    return is_signed_in(user) and user.role in FILING_ROLES


def can_file_for_other_agency(user: Any) -> bool:
    """DIVINTRAP logs the cases of agencies that have no users (BRIEF.md workflow 2)."""
    return "other_agency" in allowed_origins(user)


# The origins each filing role may record (Origin codes, complaints.catalogues): a station takes
# complaints at its counter and enters the paper forms issued to it; only the 0800 hotline records
# hotline calls; DIVINTRAP also logs the cases of other agencies (BRIEF.md workflows 1-2).
ORIGINS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.STATION_OFFICER: ("station", "paper"),
    Role.HOTLINE_OPERATOR: ("hotline",),
    Role.REGIONAL_INVESTIGATOR: ("station", "paper"),
    Role.NATIONAL_INVESTIGATOR: ("station", "paper", "other_agency"),
}


def allowed_origins(user: Any) -> tuple[str, ...]:
    """The origins `user` may give a complaint it files (the form offers these, the services
    refuse any other)."""
    if not can_file_complaint(user):
        return ()
    return ORIGINS_BY_ROLE.get(user.role, ())


def can_edit_draft(user: Any, complaint: Any) -> bool:
    return (
        can_file_complaint(user)
        and complaint.status == complaint.Status.DRAFT
        and complaint.frozen_at is None
        and complaint.registering_unit_id == user.unit_id
    )


def can_amend_complaint(user: Any, complaint: Any) -> bool:
    return is_national_admin(user) and complaint.frozen_at is not None


def can_import_complaints(account: Any) -> bool:
    """The legacy import (`manage.py import_complaints --user`) runs under a usable national
    administrator's account: it writes frozen records that only that role may amend."""
    return is_national_admin_account(account)


def can_view_complaints(user: Any) -> bool:
    return is_signed_in(user)


def can_export_complaints(user: Any) -> bool:
    if not is_signed_in(user) or user.role not in EXPORT_ROLES:
        return False
    return user.role != Role.NATIONAL_ADMIN or is_national_admin(user)


def can_view_alerts(user: Any) -> bool:
    return is_signed_in(user) and user.role in ALERT_ROLES


def can_acknowledge_alert(user: Any, alert: Any) -> bool:
    return can_view_alerts(user) and alert.unit_id == user.unit_id
