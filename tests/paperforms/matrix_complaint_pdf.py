"""Permission-matrix rows of the complaint as a PDF (see tests/permissions.py).

The frozen complaint of the `complaints` fixture is registered by the Cusco station: the hotline and
the Lima station do not see it (404). The masked PDF (GET) is for everyone who sees it; the copy
with identities (POST) only for the roles with a need to know (403 for the others).
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, SIGNED_IN, Route


def _frozen(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


MASKED = {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}
WITH_IDENTITIES = {**MASKED, "station_officer": 403, "monitor": 403, "auditor": 403}

ROUTES: list[Route] = [
    Route("paperforms:complaint_pdf", "get", MASKED, kwargs=_frozen, fixtures=("complaints",)),
    Route("paperforms:complaint_pdf", "post", WITH_IDENTITIES, kwargs=_frozen, fixtures=("complaints",)),
]
