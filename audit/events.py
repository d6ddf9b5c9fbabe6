"""The catalogue of audit events: every event name any module may write (like Zulip's
`AuditLogEventType`).

`audit.services.audit_record` refuses a name that is not listed here (ValueError), so a typo fails
the tests instead of writing an event nobody can filter on. The stored values are the names the
trail has always used: never change a value (existing rows keep it); to retire an event, keep its
member so old rows still show their label.

A new event: add a member (a stable snake_case value and a translated label, with its Spanish
entry in locale/es), and list it in one of the `GROUPS` (tests/audit/test_events.py checks both).
No migration is needed: `AuditEvent.event` reads its choices from `event_choices` when asked.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    # Sign-in and sessions
    LOGIN = "login", _("Sign-in")
    LOGOUT = "logout", _("Sign-out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKOUT = "lockout", _("User name locked after failed sign-ins")
    SESSION_EXPIRED = "session_expired", _("Session ended (expired or account no longer active)")
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    PASSWORD_CHANGED = "password_changed", _("Password changed by its owner")
    PASSWORD_RESET_BY_EMAIL = "password_reset_by_email", _("Password reset by e-mail")

    # Accounts
    USER_CREATED = "user_created", _("Account created")
    USER_UPDATED = "user_updated", _("Account updated")
    USER_HANDOVER = "user_handover", _("Account handed over (new unit or role)")
    USER_ACTIVATED = "user_activated", _("Account activated")
    USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
    USER_UNLOCKED = "user_unlocked", _("Account unlocked")
    PASSWORD_RESET_BY_ADMIN = "password_reset_by_admin", _("Temporary password given by an administrator")
    HANDOVER = "handover", _("Officer moved to another unit, her work handed over to a colleague")
    ACCOUNT_REVIEWED = "account_reviewed", _("Account reviewed (yearly review)")
    # The unit tree (administration.tree)
    UNIT_TREE_CHANGED = "unit_tree_changed", _("Unit tree changed (unit created, renamed, moved, merged or split)")
    STATIONS_LOADED = "stations_loaded", _("Police stations loaded from a CSV file")

    # Catalogues and new variables (administration, issue 13 item 2)
    CATALOGUE_ENTRY_ADDED = "catalogue_entry_added", _("Catalogue entry added")
    CATALOGUE_ENTRY_CHANGED = "catalogue_entry_changed", _("Catalogue entry changed")
    EXTRA_FIELD_ADDED = "extra_field_added", _("Research variable added")
    EXTRA_FIELD_CHANGED = "extra_field_changed", _("Research variable changed")
    CASE_FILE_VARIABLES_CHANGED = "case_file_variables_changed", _("Research variables of a case file changed")

    # Complaints
    COMPLAINT_DRAFT_CREATED = "complaint_draft_created", _("Complaint draft created")
    COMPLAINT_DRAFT_UPDATED = "complaint_draft_updated", _("Complaint draft updated")
    COMPLAINT_ENTRY_KEPT = "complaint_entry_kept", _("Complaint form kept after the session expired")
    COMPLAINT_ENTRY_RESTORED = "complaint_entry_restored", _("Complaint form kept after expiry handed back")
    COMPLAINT_SUBMITTED = "complaint_submitted", _("Complaint registered")
    COMPLAINT_AMENDED = "complaint_amended", _("Complaint amended")
    COMPLAINT_CHANGE_REFUSED = "complaint_change_refused", _("Change to a registered complaint refused")
    COMPLAINT_VIEWED = "complaint_viewed", _("Complaint viewed")
    COMPLAINT_HISTORY_VIEWED = "complaint_history_viewed", _("Complaint history viewed")
    COMPLAINT_PRINTED = "complaint_printed", _("Complaint printed")
    COMPLAINT_PDF = "complaint_pdf", _("Complaint downloaded as PDF")
    IDENTITY_SHOWN = "identity_shown", _("Identities shown")
    COMPLAINT_IMPORTED = "complaint_imported", _("Complaint imported from the previous system")
    COMPLAINT_DUPLICATES_CHECKED = "complaint_duplicates_checked", _("Possible duplicates of a complaint decided")
    COMPLAINTS_IMPORT = "complaints_import", _("Import of complaints from the previous system")
    ALERT_ACKNOWLEDGED = "alert_acknowledged", _("Alert acknowledged")
    ALERT_EMAIL_FAILED = "alert_email_failed", _("Alert e-mail not sent")
    ALERT_ESCALATED = "alert_escalated", _("Alert escalated (not acknowledged in time)")

    # Identities (people)
    IDENTITY_CREATED = "identity_created", _("Identity created")
    IDENTITY_CHANGED = "identity_changed", _("Identity completed")
    PERSON_SEARCH = "person_search", _("Search by a person's name or document")

    # Paper forms
    PAPER_FORMS_ISSUED = "paper_forms_issued", _("Paper forms issued")
    PAPER_FORMS_PRINTED = "paper_forms_printed", _("Paper forms printed")
    PAPER_FORM_ENTERED = "paper_form_entered", _("Paper form entered")

    # Preliminary actions and documents
    DILIGENCES_VIEWED = "diligences_viewed", _("Preliminary actions viewed")
    DILIGENCE_RECORDED = "diligence_recorded", _("Preliminary action recorded")
    DILIGENCE_CORRECTED = "diligence_corrected", _("Preliminary action corrected")
    DILIGENCE_ANSWER_RECORDED = "diligence_answer_recorded", _("Answer to a preliminary action recorded")
    DILIGENCE_ANSWER_CORRECTED = "diligence_answer_corrected", _("Answer to a preliminary action corrected")
    DILIGENCE_SCAN_DOWNLOADED = "diligence_scan_downloaded", _("Scan of an answer downloaded")
    DOCUMENT_GENERATED = "document_generated", _("Document generated")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")

    # Case files (Investigation module)
    CASE_FILE_OPENED = "case_file_opened", _("Case file opened")
    CASE_FILE_VIEWED = "case_file_viewed", _("Case file viewed")
    CASE_FILE_STATUS_CHANGED = "case_file_status_changed", _("Status of a case file changed")
    CASE_FILE_ASSIGNED = "case_file_assigned", _("Investigator assigned to a case file")
    CASE_FILE_UNASSIGNED = "case_file_unassigned", _("Investigator unassigned from a case file")
    CASE_FILE_SHARED = "case_file_shared", _("Case file shared with a unit")
    CASE_FILE_SHARE_REVOKED = "case_file_share_revoked", _("Share of a case file revoked")
    CASE_FILE_PERSONS_ADDED = "case_file_persons_added", _("Persons of the complaints added to a case file")
    # Persons in a case file (issue 11 item 2)
    CASE_PERSON_ADDED = "case_person_added", _("Person added to a case file")
    CASE_PERSON_VIEWED = "case_person_viewed", _("Person of a case file viewed")
    CASE_PERSON_CHANGED = "case_person_changed", _("Person of a case file changed")
    CASE_PERSON_IMAGE_ADDED = "case_person_image_added", _("Photograph or fingerprint card uploaded")
    CASE_PERSON_IMAGE_VIEWED = "case_person_image_viewed", _("Photograph or fingerprint card viewed")
    CASE_PERSON_OUTCOME_RECORDED = "case_person_outcome_recorded", _("Result for a victim recorded")
    CASE_PERSON_MEASURE_RECORDED = "case_person_measure_recorded", _("Protective measure recorded")

    # Proof matrix and police report (Investigation module, issue 11 items 5, 7, 8)
    CASE_PROOF_LINKED = "case_proof_linked", _("Support linked to a legal element of a case file")
    CASE_PROOF_WITHDRAWN = "case_proof_withdrawn", _("Support of a legal element withdrawn")
    CASE_REPORT_CONCLUSIONS = "case_report_conclusions", _("Conclusions of a police report written")
    CASE_REPORT_GENERATED = "case_report_generated", _("Police report generated")
    CASE_REPORT_DOWNLOADED = "case_report_downloaded", _("Police report or its package downloaded")
    CASE_REPORT_TRANSMITTED = "case_report_transmitted", _("Police report transmitted to the prosecutor")
    # Places and things of a case file (issue 11, item 3)
    CASE_PLACE_ADDED = "case_place_added", _("Place added to a case file")
    CASE_PLACE_CHANGED = "case_place_changed", _("Place of a case file changed")
    CASE_PLACE_REMOVED = "case_place_removed", _("Place removed from a case file")
    CASE_VEHICLE_ADDED = "case_vehicle_added", _("Vehicle added to a case file")
    CASE_VEHICLE_CHANGED = "case_vehicle_changed", _("Vehicle of a case file changed")
    CASE_VEHICLE_REMOVED = "case_vehicle_removed", _("Vehicle removed from a case file")
    CASE_PHONE_ADDED = "case_phone_added", _("Phone added to a case file")
    CASE_PHONE_CHANGED = "case_phone_changed", _("Phone of a case file changed")
    CASE_PHONE_REMOVED = "case_phone_removed", _("Phone removed from a case file")
    CASE_ACCOUNT_ADDED = "case_account_added", _("Account added to a case file")
    CASE_ACCOUNT_CHANGED = "case_account_changed", _("Account of a case file changed")
    CASE_ACCOUNT_REMOVED = "case_account_removed", _("Account removed from a case file")
    ROUTE_LEG_ADDED = "route_leg_added", _("Leg added to a route")
    ROUTE_LEG_CHANGED = "route_leg_changed", _("Leg of a route changed")
    ROUTE_LEG_REMOVED = "route_leg_removed", _("Leg removed from a route")
    ROUTE_LEG_MOVED = "route_leg_moved", _("Leg of a route moved")

    # Investigation work (Investigation module, issue 11 item 4)
    CASE_TASK_ADDED = "case_task_added", _("Task of a case file added")
    CASE_TASK_CLOSED = "case_task_closed", _("Task of a case file closed")
    CASE_OPERATION_ADDED = "case_operation_added", _("Operation recorded in a case file")
    CASE_EXHIBIT_ADDED = "case_exhibit_added", _("Exhibit recorded in a case file")
    CASE_CUSTODY_TRANSFERRED = "case_custody_transferred", _("Custody of an exhibit handed over")
    CASE_DILIGENCE_ATTACHED = "case_diligence_attached", _("Diligencia attached to a case file")
    CASE_JOURNAL_WRITTEN = "case_journal_written", _("Journal entry of a case file written")
    # Charts and history of a case file (issue 11, items 6 and 9)
    CASE_CHARTS_VIEWED = "case_charts_viewed", _("Charts of a case file viewed")
    CASE_HISTORY_VIEWED = "case_history_viewed", _("History of a case file viewed")
    CASE_PERSON_HISTORY_VIEWED = "case_person_history_viewed", _("History of a person in a case file viewed")

    # Cross-case analysis: network, routes and exports (issue 12, items 4 and 5)
    ANALYSIS_NETWORK_VIEWED = "analysis_network_viewed", _("Network of cross-case analysis viewed")
    ANALYSIS_NETWORK_EXPORTED = "analysis_network_exported", _("Network of cross-case analysis exported")
    ANALYSIS_ROUTES_VIEWED = "analysis_routes_viewed", _("National route map viewed")
    # Cross-case decisions, merges and seen elsewhere (issue 12, items 2 and 3)
    IDENTITY_MERGED = "identity_merged", _("Identities merged")
    IDENTITY_UNMERGED = "identity_unmerged", _("Merge of identities undone")
    MATCH_CONFIRMED = "match_confirmed", _("Candidate match confirmed")
    MATCH_REJECTED = "match_rejected", _("Candidate match rejected")
    MATCH_CANDIDATES_VIEWED = "match_candidates_viewed", _("Candidate matches viewed")
    MATCH_CANDIDATE_VIEWED = "match_candidate_viewed", _("Candidate match viewed")
    ANALYSIS_IDENTITY_VIEWED = "analysis_identity_viewed", _("Identity viewed in cross-case analysis")

    # Data
    EXPORT = "export", _("Export")
    SYNTHETIC_DATA_GENERATED = "synthetic_data_generated", _("Synthetic data generated")


E = AuditEventType
# The filter of the audit screen lists the events in these groups, in this order.
GROUPS: tuple[tuple[Any, tuple[AuditEventType, ...]], ...] = (
    (
        _("Sign-in and sessions"),
        (
            E.LOGIN,
            E.LOGOUT,
            E.LOGIN_FAILED,
            E.LOCKOUT,
            E.SESSION_EXPIRED,
            E.OTP_ENROLLED,
            E.OTP_FAILED,
            E.PASSWORD_CHANGED,
            E.PASSWORD_RESET_BY_EMAIL,
        ),
    ),
    (
        _("Accounts"),
        (
            E.USER_CREATED,
            E.USER_UPDATED,
            E.USER_HANDOVER,
            E.USER_ACTIVATED,
            E.USER_DEACTIVATED,
            E.USER_UNLOCKED,
            E.PASSWORD_RESET_BY_ADMIN,
            E.HANDOVER,
            E.ACCOUNT_REVIEWED,
            E.UNIT_TREE_CHANGED,
            E.STATIONS_LOADED,
        ),
    ),
    (
        _("Catalogues and research variables"),
        (E.CATALOGUE_ENTRY_ADDED, E.CATALOGUE_ENTRY_CHANGED, E.EXTRA_FIELD_ADDED, E.EXTRA_FIELD_CHANGED),
    ),
    (
        _("Complaints"),
        (
            E.COMPLAINT_DRAFT_CREATED,
            E.COMPLAINT_DRAFT_UPDATED,
            E.COMPLAINT_ENTRY_KEPT,
            E.COMPLAINT_ENTRY_RESTORED,
            E.COMPLAINT_SUBMITTED,
            E.COMPLAINT_AMENDED,
            E.COMPLAINT_CHANGE_REFUSED,
            E.COMPLAINT_VIEWED,
            E.COMPLAINT_HISTORY_VIEWED,
            E.COMPLAINT_PRINTED,
            E.COMPLAINT_PDF,
            E.IDENTITY_SHOWN,
            E.COMPLAINT_IMPORTED,
            E.COMPLAINT_DUPLICATES_CHECKED,
            E.COMPLAINTS_IMPORT,
            E.ALERT_ACKNOWLEDGED,
            E.ALERT_EMAIL_FAILED,
            E.ALERT_ESCALATED,
        ),
    ),
    (_("Identities"), (E.IDENTITY_CREATED, E.IDENTITY_CHANGED, E.PERSON_SEARCH)),
    # Cross-case decisions, merges and seen elsewhere (issue 12, items 2 and 3)
    (
        _("Cross-case analysis"),
        (
            E.IDENTITY_MERGED,
            E.IDENTITY_UNMERGED,
            E.MATCH_CONFIRMED,
            E.MATCH_REJECTED,
            E.MATCH_CANDIDATES_VIEWED,
            E.MATCH_CANDIDATE_VIEWED,
            E.ANALYSIS_IDENTITY_VIEWED,
            E.ANALYSIS_NETWORK_VIEWED,
            E.ANALYSIS_NETWORK_EXPORTED,
            E.ANALYSIS_ROUTES_VIEWED,
        ),
    ),
    (_("Paper forms"), (E.PAPER_FORMS_ISSUED, E.PAPER_FORMS_PRINTED, E.PAPER_FORM_ENTERED)),
    (
        _("Preliminary actions and documents"),
        (
            E.DILIGENCES_VIEWED,
            E.DILIGENCE_RECORDED,
            E.DILIGENCE_CORRECTED,
            E.DILIGENCE_ANSWER_RECORDED,
            E.DILIGENCE_ANSWER_CORRECTED,
            E.DILIGENCE_SCAN_DOWNLOADED,
            E.DOCUMENT_GENERATED,
            E.DOCUMENT_DOWNLOADED,
        ),
    ),
    (
        _("Case files"),
        (
            E.CASE_FILE_OPENED,
            E.CASE_FILE_VIEWED,
            E.CASE_FILE_STATUS_CHANGED,
            E.CASE_FILE_VARIABLES_CHANGED,
            E.CASE_FILE_ASSIGNED,
            E.CASE_FILE_UNASSIGNED,
            E.CASE_FILE_SHARED,
            E.CASE_FILE_SHARE_REVOKED,
            E.CASE_FILE_PERSONS_ADDED,
            # Proof matrix and police report
            E.CASE_PROOF_LINKED,
            E.CASE_PROOF_WITHDRAWN,
            E.CASE_REPORT_CONCLUSIONS,
            E.CASE_REPORT_GENERATED,
            E.CASE_REPORT_DOWNLOADED,
            E.CASE_REPORT_TRANSMITTED,
            # Places and things of a case file
            E.CASE_PLACE_ADDED,
            E.CASE_PLACE_CHANGED,
            E.CASE_PLACE_REMOVED,
            E.CASE_VEHICLE_ADDED,
            E.CASE_VEHICLE_CHANGED,
            E.CASE_VEHICLE_REMOVED,
            E.CASE_PHONE_ADDED,
            E.CASE_PHONE_CHANGED,
            E.CASE_PHONE_REMOVED,
            E.CASE_ACCOUNT_ADDED,
            E.CASE_ACCOUNT_CHANGED,
            E.CASE_ACCOUNT_REMOVED,
            E.ROUTE_LEG_ADDED,
            E.ROUTE_LEG_CHANGED,
            E.ROUTE_LEG_REMOVED,
            E.ROUTE_LEG_MOVED,
            # Persons in a case file
            E.CASE_PERSON_ADDED,
            E.CASE_PERSON_VIEWED,
            E.CASE_PERSON_CHANGED,
            E.CASE_PERSON_IMAGE_ADDED,
            E.CASE_PERSON_IMAGE_VIEWED,
            E.CASE_PERSON_OUTCOME_RECORDED,
            E.CASE_PERSON_MEASURE_RECORDED,
            # Investigation work
            E.CASE_TASK_ADDED,
            E.CASE_TASK_CLOSED,
            E.CASE_OPERATION_ADDED,
            E.CASE_EXHIBIT_ADDED,
            E.CASE_CUSTODY_TRANSFERRED,
            E.CASE_DILIGENCE_ATTACHED,
            E.CASE_JOURNAL_WRITTEN,
            # Charts and history of a case file
            E.CASE_CHARTS_VIEWED,
            E.CASE_HISTORY_VIEWED,
            E.CASE_PERSON_HISTORY_VIEWED,
        ),
    ),
    # Cross-case analysis: network, routes and exports
    (_("Data"), (E.EXPORT, E.SYNTHETIC_DATA_GENERATED)),
)
del E


def event_choices() -> list[tuple[str, Any]]:
    """(value, label) of every event: the choices of `AuditEvent.event` (a callable, so that a new
    event needs no migration)."""
    return AuditEventType.choices


OTHER_GROUP = _("Other events")


def event_groups() -> list[tuple[str, Any, tuple[AuditEventType, ...]]]:
    """(key, title, members) of every group, in the order of `GROUPS`, then "Other events" with
    the members of the catalogue that no group lists (so a new event shows up in the filters of
    the audit screen before anyone files it in a group). The key is the English title, slugified:
    stable in URLs whatever the language of the screen."""
    listed = {event for _title, members in GROUPS for event in members}
    groups = [(title, members) for title, members in GROUPS]
    rest = tuple(event for event in AuditEventType if event not in listed)
    if rest:
        groups.append((OTHER_GROUP, rest))
    with translation.override("en"):
        return [(slugify(str(title)), title, members) for title, members in groups]


def group_choices() -> list[tuple[str, Any]]:
    return [(key, title) for key, title, _members in event_groups()]


def group_members(key: str) -> list[str]:
    """The stored values of the events of the group `key` (empty for an unknown key)."""
    return [event.value for group, _title, members in event_groups() if group == key for event in members]


def grouped_event_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The events by group, for a select box (optgroups)."""
    return [(title, [(event.value, event.label) for event in members]) for _key, title, members in event_groups()]


def audit_event_type(event: str) -> AuditEventType:
    """The catalogue member named `event` (a member or its stored value); ValueError if unknown."""
    try:
        return AuditEventType(event)
    except ValueError:
        raise ValueError(
            f"Unknown audit event {event!r}: add it to audit.events.AuditEventType before writing it."
        ) from None


__all__ = [
    "GROUPS",
    "AuditEventType",
    "audit_event_type",
    "event_choices",
    "event_groups",
    "group_choices",
    "group_members",
    "grouped_event_choices",
]
