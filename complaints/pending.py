"""Nothing typed is lost when the session expires while the complaint form is open (issue 10.1).

Every rendering of the form carries `resume_key`: the user's id, the form's token and the draft
being edited, signed by the server (`django.core.signing`, salted, timestamped). When the form
is sent after the session expired, `reta.middleware.SessionLimitsMiddleware` lets that POST reach
the form's view signed out (the view is marked `keeps_expired_post`; the CSRF check still runs),
and the view hands it to `keep()`: with a valid key, the fields sent are kept as a
`PendingEntry` of the user named by the key, never in a URL. After signing in again, the same
user, and nobody else (`PendingEntry.objects.visible_to`), gets them back on the form once
(`take()`); entries older than `PENDING_ENTRY_HOURS` are never handed back and are purged.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from administration.models import User
from administration.policies import can_sign_in
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import Complaint, PendingEntry

SALT = "complaints.pending-entry"
KEY_FIELD = "resume_key"
# Never kept: the CSRF token and the key itself (a fresh one comes with the restored form).
NOT_KEPT = frozenset({"csrfmiddlewaretoken", KEY_FIELD})


def _token(form_token: str, complaint_id: int | None) -> str:
    return form_token or (f"complaint-{complaint_id}" if complaint_id else "")


def resume_key(user: Any, form_token: str, complaint: Complaint | None = None) -> str:
    """The signed key the form carries, for `user` (the signed-in user who opened it)."""
    complaint_id = complaint.pk if complaint is not None else None
    return signing.dumps({"u": user.pk, "t": _token(form_token, complaint_id), "c": complaint_id}, salt=SALT)


def _read_key(value: str) -> dict[str, Any] | None:
    try:
        payload = signing.loads(value, salt=SALT, max_age=settings.SESSION_ABSOLUTE_SECONDS)
    except signing.BadSignature:  # tampered, forged or too old (SignatureExpired is a BadSignature)
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not payload.get("t"):
        return None
    return payload


def _cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.PENDING_ENTRY_HOURS)


def keep(post: QueryDict, *, complaint_id: int | None) -> PendingEntry | None:
    """Keep the fields of a form sent without a session, for the user its key names.

    None (nothing kept) without a valid key, when the key names another draft or form than the one
    sent, or when the account can no longer be used."""
    payload = _read_key(post.get(KEY_FIELD, ""))
    if payload is None or payload.get("c") != complaint_id:
        return None
    if payload["t"] != _token(post.get("form_token", ""), complaint_id):
        return None
    user = User.objects.select_related("unit").filter(pk=payload["u"]).first()
    if user is None or not can_sign_in(user):
        return None
    data = {name: post.getlist(name) for name in post if name not in NOT_KEPT}
    with transaction.atomic():
        PendingEntry.objects.filter(created_at__lt=_cutoff()).delete()
        entry, _created = PendingEntry.objects.update_or_create(
            user=user,
            form_token=payload["t"],
            defaults={"complaint_id": complaint_id, "data": data, "created_at": timezone.now()},
        )
        audit_record(
            event=AuditEventType.COMPLAINT_ENTRY_KEPT,
            actor=user,
            object_repr=f"{'borrador ' + str(complaint_id) if complaint_id else 'denuncia nueva'}",
            details={"complaint": complaint_id},
        )
    return entry


def take(user: Any, *, complaint: Complaint | None) -> QueryDict | None:
    """The latest form of `user` kept for this page (a new complaint, or the draft `complaint`),
    as it was sent; deleted as it is handed back. None when there is none."""
    entries = PendingEntry.objects.visible_to(user).filter(created_at__gte=_cutoff())
    entry = entries.filter(complaint=complaint).order_by("-created_at").first()
    if entry is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in entry.data.items():
        if isinstance(values, list):
            data.setlist(name, [str(value) for value in values])
    with transaction.atomic():
        PendingEntry.objects.visible_to(user).filter(pk=entry.pk).delete()
        audit_record(
            event=AuditEventType.COMPLAINT_ENTRY_RESTORED,
            actor=user,
            object_repr=f"{'borrador ' + str(complaint.pk) if complaint else 'denuncia nueva'}",
            details={"complaint": complaint.pk if complaint else None},
        )
    return data


def pending_count(user: Any) -> int:
    return PendingEntry.objects.visible_to(user).filter(created_at__gte=_cutoff()).count()
