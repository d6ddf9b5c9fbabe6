"""Permission-matrix rows of cross-case analysis (see tests/permissions.py).

Only the investigating roles use it: DIVINTRAP (national) and the regional investigator (both
identities of the pair in her scope: here, two persons of the Cusco case file); every other role
gets 403. Undoing a merge is DIVINTRAP's only. Pages that change nothing refuse a POST (405).
"""

from __future__ import annotations

from typing import Any

from tests.permissions import POST_REFUSED, Route, only

INVESTIGATORS = ("regional_investigator", "national_investigator")
PAGE = only({name: 200 for name in INVESTIGATORS})
DECIDE = only({name: 302 for name in INVESTIGATORS})
UNDO = only({"national_investigator": 302})
COMPLAINTS = ("complaints",)


def _pair(ctx: dict[str, Any]) -> tuple[Any, Any]:
    from investigations import services
    from tests.analysis.conftest import add_person

    if "pair" not in ctx:
        case_file = services.case_file_open(
            actor=ctx["personas"]["regional_investigator"],
            data=services.OpenData(title="Bar en Madre de Dios", complaint_ids=[ctx["complaints"]["frozen"].pk]),
        )
        actor = ctx["personas"]["regional_investigator"]
        first = add_person(case_file, actor, "Julio", "Huamán Quispe").identity
        second = add_person(case_file, actor, "Julio", "Huaman Quispe", role="victim").identity
        ctx["pair"] = (first, second)
    return ctx["pair"]


def _candidate(ctx: dict[str, Any]) -> dict[str, Any]:
    first, second = _pair(ctx)
    return {"a": first.pk, "b": second.pk}


def _identity(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _pair(ctx)[0].pk}


def _merge(ctx: dict[str, Any]) -> dict[str, Any]:
    from people.services import identity_merge

    first, second = _pair(ctx)
    merge = identity_merge(ctx["personas"]["national_investigator"], first, second, "Mismo DNI.")
    return {"pk": merge.pk}


ROUTES: list[Route] = [
    Route("analysis:candidates", "get", PAGE),
    Route("analysis:candidates", "post", POST_REFUSED),
    Route("analysis:candidate", "get", PAGE, kwargs=_candidate, fixtures=COMPLAINTS),
    Route(
        "analysis:candidate",
        "post",
        DECIDE,
        kwargs=_candidate,
        data={"decision": "rejected", "reason": "Personas distintas."},
        fixtures=COMPLAINTS,
    ),
    Route("analysis:identity", "get", PAGE, kwargs=_identity, fixtures=COMPLAINTS),
    Route("analysis:identity", "post", POST_REFUSED, kwargs=_identity, fixtures=COMPLAINTS),
    Route("analysis:merge_undo", "get", POST_REFUSED, kwargs=_merge, fixtures=COMPLAINTS),
    Route("analysis:merge_undo", "post", UNDO, kwargs=_merge, data={"reason": "Error."}, fixtures=COMPLAINTS),
]
