"""Permission-matrix rows of the network, the national route map and the network's exports
(issue 12, items 4 and 5; see tests/permissions.py, which finds this module by its name).

Only the investigators (regional and DIVINTRAP) use them, each within its scope: 200 for them, 403
for every other role, the sign-in page for the anonymous; GET only (405 to a POST). The network is
asked around a case file the regional investigator opened (in both investigators' scope).
"""

from __future__ import annotations

from typing import Any

from tests.permissions import POST_REFUSED, Route, only

INVESTIGATORS = only({"regional_investigator": 200, "national_investigator": 200})
COMPLAINTS = ("complaints",)


def _around_a_case_file(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import services

    if "case_file" not in ctx:
        data = services.OpenData(title="Bar en Madre de Dios", complaint_ids=[ctx["complaints"]["frozen"].pk])
        ctx["case_file"] = services.case_file_open(actor=ctx["personas"]["regional_investigator"], data=data)
    return {"q": ctx["case_file"].number, "depth": "2"}


NETWORK_ROUTES = (
    "analysis:network",
    "analysis:network_graphml",
    "analysis:network_nodes_csv",
    "analysis:network_links_csv",
    "analysis:network_i2_csv",
)

ROUTES: list[Route] = [
    *(Route(name, "get", INVESTIGATORS, data=_around_a_case_file, fixtures=COMPLAINTS) for name in NETWORK_ROUTES),
    *(Route(name, "post", POST_REFUSED) for name in NETWORK_ROUTES),
    Route("analysis:routes", "get", INVESTIGATORS),
    Route("analysis:routes", "post", POST_REFUSED),
]
