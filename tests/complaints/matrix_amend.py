"""Permission-matrix rows of the complaint amend screens (see tests/permissions.py).

The `complaints` fixture holds a frozen complaint of the Cusco station about facts in Madre de
Dios, and a draft of the same station. Amending: only the (verified) national administrator;
whoever else can see the complaint gets 403, the hotline and the Lima station 404 (outside their
scope). An empty POST by the administrator re-renders the page (nothing to save). The history
follows the scope of the complaint; a draft only in its own unit.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, POST_REFUSED, SIGNED_IN, Route, only


def _frozen(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


def _draft(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["draft"].pk}


OUT_OF_SCOPE = {"hotline_operator": 404, "outsider": 404}
AMEND = only({"national_admin": 200, **OUT_OF_SCOPE})
# A draft is not amended: its own unit edits it (403 here), nobody else sees it (404).
AMEND_DRAFT = {**{name: 404 for name in SIGNED_IN}, "station_officer": 403, **LOGIN_REDIRECT}
SEE_FROZEN = {**SIGNED_IN, **OUT_OF_SCOPE, **LOGIN_REDIRECT}
SEE_DRAFT = {**{name: 404 for name in SIGNED_IN}, "station_officer": 200, **LOGIN_REDIRECT}

ROUTES: list[Route] = [
    Route("complaints:complaint_amend", "get", AMEND, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_amend", "post", AMEND, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_amend", "get", AMEND_DRAFT, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_amend", "post", AMEND_DRAFT, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_history", "get", SEE_FROZEN, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_history", "get", SEE_DRAFT, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_history", "post", POST_REFUSED, kwargs=_frozen, fixtures=("complaints",)),
]
