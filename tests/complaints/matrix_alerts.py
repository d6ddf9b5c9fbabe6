"""Permission-matrix rows of the complaint alerts screens (see tests/permissions.py).

The inbox is for the roles that receive alerts (investigators, administrators): others 403. The
`complaints` fixture raised a high-priority alert to DIVINTRAP (national investigator and national
administrator); the Cusco regional investigator may see alerts but not this one (404).
"""

from __future__ import annotations

from typing import Any

from tests.permissions import PERSONA_NAMES, POST_REFUSED, Route, only


def _divintrap_alert(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].alerts.get(unit__code="DIVINTRAP").pk}


ALERT_ROLES = {"regional_investigator": 200, "national_investigator": 200, "national_admin": 200}

ROUTES: list[Route] = [
    Route("complaints:alert_list", "get", only(ALERT_ROLES), fixtures=("complaints",)),
    Route("complaints:alert_list", "post", POST_REFUSED, fixtures=("complaints",)),
    Route(
        "complaints:alert_acknowledge",
        "post",
        only({"national_investigator": 302, "national_admin": 302, "regional_investigator": 404}),
        kwargs=_divintrap_alert,
        fixtures=("complaints",),
    ),
    Route(
        "complaints:alert_acknowledge",
        "get",
        {**{name: 405 for name in PERSONA_NAMES if name != "anonymous"}, "anonymous": 302},
        kwargs=_divintrap_alert,
        fixtures=("complaints",),
    ),
]
