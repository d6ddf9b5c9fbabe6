"""Authentication signals -> audit events (connected in AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(event=AuditEventType.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(event=AuditEventType.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    audit_record(
        event=AuditEventType.LOGIN_FAILED,
        user_name=str(credentials.get("username", ""))[:150],
        outcome=AuditEvent.Outcome.FAILURE,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        event=AuditEventType.LOCKOUT,
        user_name=str(username or "")[:150],
        outcome=AuditEvent.Outcome.DENIED,
        request=request,
    )
