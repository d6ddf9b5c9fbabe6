"""Permission-matrix rows of the auditor's screens (see tests/permissions.py): the trail of one
user, the trail of one record and the PDF audit report. Auditors and national administrators only;
the other roles get 403. The pages change nothing and answer a POST as a GET (the CSRF token is
still required); the list and the CSV keep their rows in tests/permissions.py."""

from __future__ import annotations

from typing import Any

from tests.permissions import AUDIT_ONLY, Route


def _user(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"user_name": ctx["personas"]["station_officer"].username}


def _record(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"object_type": "administration.user", "object_id": str(ctx["personas"]["station_officer"].pk)}


ROUTES: list[Route] = [
    Route("audit:user_trail", "get", AUDIT_ONLY, kwargs=_user),
    Route("audit:user_trail", "post", AUDIT_ONLY, kwargs=_user),
    Route("audit:object_trail", "get", AUDIT_ONLY, kwargs=_record),
    Route("audit:object_trail", "post", AUDIT_ONLY, kwargs=_record),
    Route("audit:event_report_pdf", "get", AUDIT_ONLY),
    Route("audit:event_report_pdf", "post", AUDIT_ONLY),
]
