"""Permission-matrix rows of rotation (see tests/permissions.py): moving an officer with a
hand-over, and the yearly review of accounts. National administrators only, as every other screen
of account management; the others get 403, the anonymous the sign-in page. The review list only
answers GET and marking reviewed only POST (405 to the administrator, 403 before it to the others).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.permissions import Route, only

ADMIN_GET = only({"national_admin": 200})
ADMIN_POST = only({"national_admin": 302})
ADMIN_405 = only({"national_admin": 405})


def _officer(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["personas"]["station_officer"].pk}


def _valid_move(ctx: dict[str, Any]) -> dict[str, Any]:
    """The station officer moves from Cusco to Lima, handing over to a colleague of Cusco."""
    from tests.factories.administration import UserFactory

    colleague = UserFactory(username="colega.cusco", unit=ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"])
    return {
        "to_unit": ctx["units"]["DIRTEPOL-LIMA-CPNP-1"].pk,
        "moved_on": timezone.localdate().isoformat(),
        "reason": "Rotación anual",
        "colleague": colleague.pk,
    }


ROUTES: list[Route] = [
    Route("administration:user_move", "get", ADMIN_GET, kwargs=_officer),
    Route("administration:user_move", "post", ADMIN_POST, kwargs=_officer, data=_valid_move),
    Route("administration:account_review", "get", ADMIN_GET),
    Route("administration:account_review", "post", ADMIN_405),
    Route("administration:user_mark_reviewed", "get", ADMIN_405, kwargs=_officer),
    Route("administration:user_mark_reviewed", "post", ADMIN_POST, kwargs=_officer),
]
