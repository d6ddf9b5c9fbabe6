"""Permission-matrix rows of the complaint lists screens (see tests/permissions.py).

The `complaints` fixture holds a frozen complaint of the Cusco station about facts in Madre de
Dios, and a draft of the same station. Who sees it: the station itself, the Cusco directorate
(registering unit in its subtree), everyone national; not the hotline nor the Lima station (404,
no probing by id). Drafts only in their own unit.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, POST_REFUSED, SIGNED_IN, Route, only


def _frozen(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


def _draft(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["draft"].pk}


OUT_OF_SCOPE = {"hotline_operator": 404, "outsider": 404}
SEE_FROZEN = {**SIGNED_IN, **OUT_OF_SCOPE, **LOGIN_REDIRECT}
# A draft: only its own unit, whatever the role.
SEE_DRAFT = {**{name: 404 for name in SIGNED_IN}, "station_officer": 200, **LOGIN_REDIRECT}
# Identities: investigators, (verified) administrators and the filing station (the Cusco station
# registered it: its adult victims, issue 10 item 5); 404 before 403 outside the scope.
SHOW_IDENTITY = only(
    {
        "station_officer": 200,
        "regional_investigator": 200,
        "national_investigator": 200,
        "national_admin": 200,
        **OUT_OF_SCOPE,
    }
)
EXPORT = only({"regional_investigator": 200, "national_investigator": 200, "national_admin": 200, "monitor": 200})

ROUTES: list[Route] = [
    Route("complaints:complaint_list", "get", {**SIGNED_IN, **LOGIN_REDIRECT}, fixtures=("complaints",)),
    # The search form is POSTed (the text stays out of the URL) and redirected to the list.
    Route("complaints:complaint_list", "post", {**{n: 302 for n in SIGNED_IN}, **LOGIN_REDIRECT}, data={"q": "x"}),
    Route("complaints:complaint_export", "get", EXPORT, fixtures=("complaints",)),
    Route("complaints:complaint_detail", "get", SEE_FROZEN, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_detail", "get", SEE_DRAFT, kwargs=_draft, fixtures=("complaints",)),
    Route("complaints:complaint_print", "get", SEE_FROZEN, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_show_identity", "post", SHOW_IDENTITY, kwargs=_frozen, fixtures=("complaints",)),
    Route(
        "complaints:complaint_show_identity",
        "get",
        {**{n: 405 for n in SIGNED_IN}, **LOGIN_REDIRECT},
        kwargs=_frozen,
        fixtures=("complaints",),
    ),
    Route("complaints:complaint_export", "post", POST_REFUSED, fixtures=("complaints",)),
    Route("complaints:complaint_detail", "post", POST_REFUSED, kwargs=_frozen, fixtures=("complaints",)),
    Route("complaints:complaint_print", "post", POST_REFUSED, kwargs=_frozen, fixtures=("complaints",)),
]
