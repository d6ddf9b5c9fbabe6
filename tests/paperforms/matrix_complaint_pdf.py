"""Permission-matrix rows of the complaint as a PDF (see tests/permissions.py).

The frozen complaint of the `complaints` fixture is registered by the Cusco station: the hotline and
the Lima station do not see it (404). The masked PDF (GET) is for everyone who sees it; the copy
with identities (POST) for the roles with a need to know and the filing station (403 for the
others); the complainant's copy for the filing station only.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, SIGNED_IN, Route


def _frozen(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


MASKED = {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}
# The filing station (the Cusco station) may ask for the reveal of its adult victims.
WITH_IDENTITIES = {**MASKED, "monitor": 403, "auditor": 403}
# The complainant's copy: the filing station only.
COMPLAINANT_COPY = {
    name: (status if name == "station_officer" or status != 200 else 403) for name, status in MASKED.items()
}
GET_ONLY = {**{name: 405 for name in SIGNED_IN}, **LOGIN_REDIRECT}

ROUTES: list[Route] = [
    Route("paperforms:complaint_pdf", "get", MASKED, kwargs=_frozen, fixtures=("complaints",)),
    Route("paperforms:complaint_pdf", "post", WITH_IDENTITIES, kwargs=_frozen, fixtures=("complaints",)),
    Route("paperforms:complainant_copy_pdf", "get", COMPLAINANT_COPY, kwargs=_frozen, fixtures=("complaints",)),
    Route("paperforms:complainant_copy_pdf", "post", GET_ONLY, kwargs=_frozen, fixtures=("complaints",)),
]
