"""Permission-matrix rows of the complaint form screens (see tests/permissions.py).

The `complaints` fixture holds a frozen complaint and a draft, both of the Cusco station
(station_officer's unit), about facts in Madre de Dios.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, PERSONA_NAMES, POST_REFUSED, SIGNED_IN, Route, only

# Who may file: station officers (the outsider is one, in Lima), the hotline, the investigators.
FILERS = {"station_officer": 200, "hotline_operator": 200, "regional_investigator": 200, "national_investigator": 200}
FILERS["outsider"] = 200


def _draft(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["draft"].pk}


def _frozen(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


# A draft is seen by its own unit only (Complaint.visible_q): 404 for everyone else.
DRAFT_OWN_UNIT_ONLY = {name: 404 for name in PERSONA_NAMES} | {"station_officer": 200, "anonymous": 302}
# The frozen complaint is seen by the Cusco station, the Cusco directorate and the national roles;
# nobody may edit it (403), the hotline and the Lima station do not see it (404).
FROZEN_EDIT = {name: 403 for name in PERSONA_NAMES} | {"hotline_operator": 404, "outsider": 404, "anonymous": 302}
FROZEN_RESULT = {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}
FROZEN_REVIEW = {**{name: 302 for name in SIGNED_IN}, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}

ROUTES: list[Route] = [
    Route("complaints:complaint_create", "get", only(FILERS)),
    # An empty POST re-renders the form (nothing saved) for those who may file; 403 for the others.
    Route("complaints:complaint_create", "post", only(FILERS)),
    Route("complaints:complaint_edit", "get", DRAFT_OWN_UNIT_ONLY, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_edit", "post", DRAFT_OWN_UNIT_ONLY, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_edit", "get", FROZEN_EDIT, kwargs=_frozen, fixtures=("complaints",)),
    Route(
        "complaints:complaint_edit",
        "post",
        FROZEN_EDIT,
        kwargs=_frozen,
        data={"action": "register"},
        fixtures=("complaints",),
    ),
    Route("complaints:complaint_result", "get", FROZEN_RESULT, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_result", "get", DRAFT_OWN_UNIT_ONLY, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:ubigeo_children", "get", {**SIGNED_IN, **LOGIN_REDIRECT}, kwargs=lambda ctx: {"code": "17"}),
    Route("complaints:complaint_result", "post", POST_REFUSED, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:ubigeo_children", "post", POST_REFUSED, kwargs=lambda ctx: {"code": "17"}),
    # The review before the freeze: a draft's own unit only; a registered complaint goes to its result.
    Route("complaints:complaint_review", "get", DRAFT_OWN_UNIT_ONLY, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_review", "post", DRAFT_OWN_UNIT_ONLY, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_review", "get", FROZEN_REVIEW, kwargs=_frozen, fixtures=("complaints",)),
    Route(
        "complaints:complaint_review",
        "post",
        FROZEN_REVIEW,
        kwargs=_frozen,
        data={"action": "confirm"},
        fixtures=("complaints",),
    ),
    Route("complaints:complaint_help", "get", {**SIGNED_IN, **LOGIN_REDIRECT}),
    Route("complaints:complaint_help", "post", POST_REFUSED),
    Route("complaints:session_keepalive", "get", {**{name: 204 for name in SIGNED_IN}, **LOGIN_REDIRECT}),
    Route("complaints:session_keepalive", "post", POST_REFUSED),
]
