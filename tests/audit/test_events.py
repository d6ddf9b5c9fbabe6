"""The catalogue of audit events (audit.events): only listed names are written, old names never
change, and the audit screen filters by the catalogue with Spanish labels."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from audit.events import GROUPS, AuditEventType, event_choices, grouped_event_choices
from audit.models import AuditEvent
from audit.services import audit_record
from tests.conftest import signed_in_client

ROOT = Path(__file__).resolve().parents[2]

# The names the trail has stored since the first release. Rows carry them: they must never change.
STORED_NAMES = frozenset(
    {
        "alert_acknowledged",
        "complaint_amended",
        "complaint_change_refused",
        "complaint_draft_created",
        "complaint_draft_updated",
        "complaint_history_viewed",
        "complaint_imported",
        "complaint_pdf",
        "complaint_printed",
        "complaint_submitted",
        "complaint_viewed",
        "complaints_import",
        "diligence_answer_corrected",
        "diligence_answer_recorded",
        "diligence_corrected",
        "diligence_recorded",
        "diligence_scan_downloaded",
        "diligences_viewed",
        "document_downloaded",
        "document_generated",
        "export",
        "identity_shown",
        "lockout",
        "login",
        "login_failed",
        "logout",
        "otp_enrolled",
        "otp_failed",
        "paper_form_entered",
        "paper_forms_issued",
        "paper_forms_printed",
        "password_changed",
        "password_reset_by_admin",
        "password_reset_by_email",
        "session_expired",
        "synthetic_data_generated",
        "user_activated",
        "user_created",
        "user_deactivated",
        "user_handover",
        "user_unlocked",
        "user_updated",
    }
)


def test_every_name_ever_stored_is_still_in_the_catalogue() -> None:
    assert set(AuditEventType.values) >= STORED_NAMES


def test_every_event_is_in_exactly_one_group_of_the_filter() -> None:
    listed = [event for _title, members in GROUPS for event in members]
    assert sorted(listed) == sorted(AuditEventType)
    assert len(listed) == len(set(listed))


def test_every_event_has_a_spanish_label() -> None:
    for title, _members in GROUPS:
        with translation.override("en"):
            english = [str(title), *(str(event.label) for event in AuditEventType)]
        with translation.override("es"):
            spanish = [str(title), *(str(event.label) for event in AuditEventType)]
        assert [pair for pair in zip(english, spanish, strict=True) if pair[0] == pair[1]] == []


@pytest.mark.django_db
def test_it_refuses_an_unknown_event_name_and_writes_nothing(personas: dict) -> None:
    misspelt = "complaint_submited"
    with pytest.raises(ValueError, match=misspelt):
        audit_record(event=misspelt, actor=personas["auditor"])
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_member_and_its_stored_name_write_the_same_plain_value(personas: dict) -> None:
    by_member = audit_record(event=AuditEventType.LOGIN, actor=personas["auditor"])
    by_name = audit_record(event="login", actor=personas["auditor"])
    stored = list(AuditEvent.objects.filter(pk__in=[by_member.pk, by_name.pk]).values_list("event", flat=True))
    assert stored == ["login", "login"]
    assert type(by_member.event) is str and by_member.event == "login"
    with translation.override("es"):
        assert by_member.get_event_display() == "Ingreso al sistema"


def _event_literals(path: Path) -> list[tuple[int, str]]:
    """String constants passed as `event=` to audit_record or audit_event, or to a queryset's filter/get/exclude."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in {"audit_record", "audit_event", "filter", "get", "exclude"}:
            continue
        for keyword in node.keywords:
            if keyword.arg != "event":
                continue
            value = keyword.value
            values = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            found += [
                (node.lineno, v.value) for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
    return found


def test_every_event_name_written_or_looked_up_in_the_code_is_in_the_catalogue() -> None:
    """A misspelt name in `AuditEvent.objects.filter(event=...)` would make a "not exists" assertion
    pass for nothing; one in `audit_record` fails at run time, but only on the path that writes it."""
    known = set(AuditEventType.values)
    sources = [path for path in ROOT.rglob("*.py") if ".venv" not in path.parts and "migrations" not in path.parts]
    assert len(sources) > 50
    unknown = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in sources
        for line, name in _event_literals(path)
        if name not in known
    ]
    assert unknown == []


def test_the_model_field_reads_its_choices_from_the_catalogue() -> None:
    field = AuditEvent._meta.get_field("event")
    assert [value for value, _label in field.flatchoices] == [value for value, _label in event_choices()]


@pytest.mark.django_db
def test_the_audit_screen_filters_by_a_list_of_events_with_spanish_labels(personas: dict) -> None:
    audit_record(event=AuditEventType.LOGIN_FAILED, user_name="alguien")
    audit_record(event=AuditEventType.LOGIN, actor=personas["station_officer"])
    client = signed_in_client(personas["auditor"])
    page = client.get(reverse("audit:event_list"), {"event": "login_failed"})
    html = page.content.decode()
    assert '<select name="event"' in html
    assert '<option value="login_failed" selected>Ingreso fallido</option>' in html
    assert '<optgroup label="Ingreso y sesiones">' in html
    shown = list(page.context["page"])
    assert [event.event for event in shown] == ["login_failed"]
    assert '<td title="login_failed">Ingreso fallido</td>' in html


@pytest.mark.django_db
def test_the_audit_screen_refuses_an_event_outside_the_catalogue(personas: dict) -> None:
    client = signed_in_client(personas["auditor"])
    page = client.get(reverse("audit:event_list"), {"event": "no_such_event"})
    assert page.status_code == 200
    assert page.context["form"].errors["event"]


def test_the_grouped_choices_follow_the_groups() -> None:
    groups = grouped_event_choices()
    assert [len(choices) for _title, choices in groups] == [len(members) for _title, members in GROUPS]
