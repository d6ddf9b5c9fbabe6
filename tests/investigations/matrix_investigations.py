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
]


# ---------------------------------------------------------------- Investigation work (issue 11 item 4)


def _today(days: int = 0) -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _yesterday_moment() -> str:
    import datetime

    from django.utils import timezone

    return timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def _task(ctx: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from investigations import work

    case_file = _case_file(ctx)
    lead = ctx["personas"]["regional_investigator"]
    task = work.case_task_add(
        actor=lead, case_file=case_file, title="Pedir RENIEC", assignee=lead, due_on=timezone.localdate()
    )
    return {"pk": case_file.pk, "task_pk": task.pk}


def _exhibit(ctx: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from investigations import work

    case_file = _case_file(ctx)
    data = work.ExhibitData(
        description="Celular", kind="device", seized_on=timezone.localdate(), initial_holder="S3 PNP Rosa Huamán"
    )
    exhibit = work.case_exhibit_add(actor=ctx["personas"]["regional_investigator"], case_file=case_file, data=data)
    return {"pk": case_file.pk, "exhibit_pk": exhibit.pk}


def _entry(ctx: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from investigations import work

    case_file = _case_file(ctx)
    entry = work.case_journal_write(
        actor=ctx["personas"]["regional_investigator"],
        case_file=case_file,
        entry_date=timezone.localdate(),
        text="Nota.",
    )
    return {"pk": case_file.pk, "entry_pk": entry.pk}


def _other_diligence(ctx: dict[str, Any]) -> dict[str, Any]:
    """A diligencia of another complaint of the Cusco station (not linked to the case file)."""
    from django.utils import timezone

    from complaints.services import complaint_file
    from diligences import services as register
    from tests.factories.complaints import bar_in_madre_de_dios

    officer = ctx["personas"]["station_officer"]
    complaint = complaint_file(actor=officer, data=bar_in_madre_de_dios())
    data = register.DiligenceData(
        kind="rescue",
        date=timezone.localdate(),
        officer="S3 PNP Rosa Huamán",
        addressee="",
        document_number="",
        description="Rescate.",
    )
    return {"diligence": register.diligence_record(actor=officer, complaint=complaint, data=data).pk}


def _post(route: str, kwargs: Any, data: Any) -> Route:
    return Route(route, "post", CASE_POST, kwargs=kwargs, data=data, fixtures=COMPLAINTS)


def _get(route: str, kwargs: Any = _case) -> Route:
    return Route(route, "get", CASE_PAGE, kwargs=kwargs, fixtures=COMPLAINTS)


ROUTES += [
    _get("investigations:case_work"),
    Route("investigations:case_work", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    _get("investigations:case_task_add"),
    _post(
        "investigations:case_task_add",
        _case,
        lambda ctx: {
            "title": "Pedir RENIEC",
            "assignee": ctx["personas"]["regional_investigator"].pk,
            "due_on": _today(3),
        },
    ),
    _get("investigations:case_task_close", _task),
    _post("investigations:case_task_close", _task, {"status": "done", "closing_note": "Hecho."}),
    _get("investigations:case_operation_add"),
    _post(
        "investigations:case_operation_add",
        _case,
        lambda ctx: {
            "occurred_at": _yesterday_moment(),
            "place": "Bar El Dorado, Laberinto",
            "persons_rescued": "1",
            "persons_arrested": "0",
            "units": [ctx["units"]["DIRTEPOL-CUSCO-TRATA"].pk],
        },
    ),
    _get("investigations:case_exhibit_add"),
    _post(
        "investigations:case_exhibit_add",
        _case,
        lambda ctx: {
            "description": "Celular Samsung",
            "kind": "device",
            "seized_on": _today(),
            "initial_holder": "S3 PNP Rosa Huamán",
        },
    ),
    _get("investigations:case_exhibit_detail", _exhibit),
    Route("investigations:case_exhibit_detail", "post", POST_REFUSED, kwargs=_exhibit, fixtures=COMPLAINTS),
    _get("investigations:case_custody_transfer", _exhibit),
    _post(
        "investigations:case_custody_transfer",
        _exhibit,
        lambda ctx: {
            "from_holder": "S3 PNP Rosa Huamán",
            "to_holder": "Perito Juan Quispe",
            "handed_at": _today() + "T00:00",
            "reason": "Para pericia.",
        },
    ),
    _get("investigations:case_diligence_attach"),
    _post("investigations:case_diligence_attach", _case, _other_diligence),
    _get("investigations:case_journal_add"),
    _post(
        "investigations:case_journal_add",
        _case,
        lambda ctx: {"entry_date": _today(), "kind": "statement", "text": "La víctima declaró."},
    ),
    _get("investigations:case_journal_correct", _entry),
    _post(
        "investigations:case_journal_correct",
        _entry,
        lambda ctx: {"entry_date": _today(), "kind": "note", "text": "Nota corregida."},
    ),
]
