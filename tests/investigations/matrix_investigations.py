"""Permission-matrix rows of the case-file pages (see tests/permissions.py).

The case file is opened by the regional investigator (Cusco's specialised unit) from the frozen
complaint of the Cusco station. Only the investigating roles see case files: the list and the
opening form answer 403 to every other role; a case file's pages answer 404 to everyone but the
regional investigator (owning unit's directorate) and DIVINTRAP (national), who may also work it.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import PERSONA_NAMES, POST_REFUSED, Route, only

INVESTIGATORS = ("regional_investigator", "national_investigator")
LIST = only({name: 200 for name in INVESTIGATORS})
OPEN_POST = only({name: 302 for name in INVESTIGATORS})
CASE_PAGE = {**{name: 404 for name in PERSONA_NAMES}, "anonymous": 302, **{name: 200 for name in INVESTIGATORS}}
CASE_POST = {**CASE_PAGE, **{name: 302 for name in INVESTIGATORS}}
ONLY_POST = {**{name: 405 for name in PERSONA_NAMES}, "anonymous": 302}
COMPLAINTS = ("complaints",)


def _case_file(ctx: dict[str, Any]) -> Any:
    from investigations import services

    if "case_file" not in ctx:
        data = services.OpenData(title="Bar en Madre de Dios", complaint_ids=[ctx["complaints"]["frozen"].pk])
        ctx["case_file"] = services.case_file_open(actor=ctx["personas"]["regional_investigator"], data=data)
    return ctx["case_file"]


def _case(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _case_file(ctx).pk}


def _assignment(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import services

    case_file = _case_file(ctx)
    assignment = services.case_file_assign(
        actor=ctx["personas"]["regional_investigator"],
        case_file=case_file,
        investigator=ctx["personas"]["national_investigator"],
    )
    return {"pk": case_file.pk, "assignment_pk": assignment.pk}


def _share(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import services

    case_file = _case_file(ctx)
    share = services.case_file_share(
        actor=ctx["personas"]["regional_investigator"],
        case_file=case_file,
        unit=ctx["units"]["DIRTEPOL-MADRE-DE-DIOS-TRATA"],
        reason="Lugar de los hechos.",
    )
    return {"pk": case_file.pk, "share_pk": share.pk}


def _person_for_history(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations.models import CasePerson
    from people.models import Identity

    case_file = _case_file(ctx)
    person = CasePerson.objects.create(
        case_file=case_file,
        identity=Identity.objects.create(first_names="Julio", last_names="Huamán"),
        role="alleged_trafficker",
        added_by=ctx["personas"]["regional_investigator"],
    )
    return {"pk": case_file.pk, "person_pk": person.pk}


def _open_post(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Bar en Madre de Dios", "complaints": ctx["complaints"]["frozen"].number}


ROUTES: list[Route] = [
    Route("investigations:case_file_list", "get", LIST),
    Route("investigations:case_file_list", "post", POST_REFUSED),
    Route("investigations:case_file_open", "get", LIST),
    Route("investigations:case_file_open", "post", OPEN_POST, data=_open_post, fixtures=COMPLAINTS),
    Route("investigations:case_file_detail", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_file_detail", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_file_status", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route(
        "investigations:case_file_status",
        "post",
        CASE_POST,
        kwargs=_case,
        data={"to_status": "under_investigation"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_file_assign", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route(
        "investigations:case_file_assign",
        "post",
        CASE_POST,
        kwargs=_case,
        data=lambda ctx: {"investigator": ctx["personas"]["national_investigator"].pk},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_file_unassign", "get", ONLY_POST, kwargs=_assignment, fixtures=COMPLAINTS),
    Route("investigations:case_file_unassign", "post", CASE_POST, kwargs=_assignment, fixtures=COMPLAINTS),
    Route("investigations:case_file_share", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route(
        "investigations:case_file_share",
        "post",
        CASE_POST,
        kwargs=_case,
        data=lambda ctx: {"unit": ctx["units"]["DIRTEPOL-LIMA-TRATA"].pk, "reason": "Víctima en Lima."},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_file_revoke_share", "get", ONLY_POST, kwargs=_share, fixtures=COMPLAINTS),
    Route("investigations:case_file_revoke_share", "post", CASE_POST, kwargs=_share, fixtures=COMPLAINTS),
    Route("investigations:case_file_persons_add", "get", ONLY_POST, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_file_persons_add", "post", CASE_POST, kwargs=_case, fixtures=COMPLAINTS),
    # Charts and history of a case file (issue 11, items 6 and 9): read pages; POST on a person's
    # history is the logged reveal (rendered, 200).
    Route("investigations:case_charts", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_charts", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_history", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_history", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_person_history", "get", CASE_PAGE, kwargs=_person_for_history, fixtures=COMPLAINTS),
    Route("investigations:case_person_history", "post", CASE_PAGE, kwargs=_person_for_history, fixtures=COMPLAINTS),
]
