"""Permission-matrix rows of the case-file pages (see tests/permissions.py).

The case file is opened by the regional investigator (Cusco's specialised unit) from the frozen
complaint of the Cusco station. Only the investigating roles see case files: the list and the
opening form answer 403 to every other role; a case file's pages answer 404 to everyone but the
regional investigator (owning unit's directorate) and DIVINTRAP (national), who may also work it.
"""

from __future__ import annotations

from collections.abc import Callable
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


# ---------------------------------------------------------------- persons in a case file


def _case_person(ctx: dict[str, Any]) -> Any:
    from investigations import person_services

    if "case_person" not in ctx:
        data = person_services.PersonData(
            role="alleged_trafficker", first_names="Rómulo", last_names="Quispe", phone="987654321"
        )
        ctx["case_person"] = person_services.case_person_add(
            actor=ctx["personas"]["regional_investigator"], case_file=_case_file(ctx), data=data
        )
    return ctx["case_person"]


def _person(ctx: dict[str, Any]) -> dict[str, Any]:
    person = _case_person(ctx)
    return {"pk": person.case_file_id, "person_pk": person.pk}


def _person_fact_kind(ctx: dict[str, Any]) -> dict[str, Any]:
    return {**_person(ctx), "kind": "documento"}


def _person_phone(ctx: dict[str, Any]) -> dict[str, Any]:
    phone = _case_person(ctx).identity.phones.get()
    return {**_person(ctx), "kind": "telefono", "fact_pk": phone.pk}


def _jpeg_upload() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _person_image(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import person_services

    person = _case_person(ctx)
    image = person_services.case_person_add_image(
        actor=ctx["personas"]["regional_investigator"],
        case_file=person.case_file_id,
        case_person_id=person.pk,
        upload=_jpeg_upload(),
    )
    return {**_person(ctx), "image_pk": image.pk}


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
    Route("investigations:case_file_variables", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_file_variables", "post", CASE_POST, kwargs=_case, fixtures=COMPLAINTS),
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
    # Persons in a case file (issue 11 item 2)
    Route("investigations:case_person_list", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_person_list", "post", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_person_add", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route(
        "investigations:case_person_add",
        "post",
        CASE_POST,
        kwargs=_case,
        data={"role": "alleged_trafficker", "first_names": "Rómulo", "last_names": "Quispe"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_person_detail", "get", CASE_PAGE, kwargs=_person, fixtures=COMPLAINTS),
    Route("investigations:case_person_detail", "post", CASE_PAGE, kwargs=_person, fixtures=COMPLAINTS),
    Route("investigations:case_person_edit", "get", CASE_PAGE, kwargs=_person, fixtures=COMPLAINTS),
    Route(
        "investigations:case_person_edit",
        "post",
        CASE_POST,
        kwargs=_person,
        data={"organisation_role": "recruiter", "recruitment_method": "social_network"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_person_fact_add", "get", CASE_PAGE, kwargs=_person_fact_kind, fixtures=COMPLAINTS),
    Route(
        "investigations:case_person_fact_add",
        "post",
        CASE_POST,
        kwargs=_person_fact_kind,
        data={"document_type": "passport", "number": "PA1234567"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_person_fact_close", "get", ONLY_POST, kwargs=_person_phone, fixtures=COMPLAINTS),
    Route(
        "investigations:case_person_fact_close",
        "post",
        CASE_POST,
        kwargs=_person_phone,
        data={"valid_to": "2026-01-15"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_person_image_add", "get", CASE_PAGE, kwargs=_person, fixtures=COMPLAINTS),
    Route(
        "investigations:case_person_image_add",
        "post",
        CASE_POST,
        kwargs=_person,
        data=lambda ctx: {"kind": "photo", "file": _jpeg_upload()},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_person_image", "get", CASE_PAGE, kwargs=_person_image, fixtures=COMPLAINTS),
    Route("investigations:case_person_image", "post", POST_REFUSED, kwargs=_person_image, fixtures=COMPLAINTS),
]


# ---------------------------------------------------------------- proof matrix, police report, completeness
# The conclusions and the transmission are the lead's (the regional investigator who opened the case
# file): DIVINTRAP, who works it too, gets 403. The completeness list: investigators and the monitor.

COMPLETENESS = only({"regional_investigator": 200, "national_investigator": 200, "monitor": 200})
LEAD_POST = {**CASE_PAGE, "regional_investigator": 302, "national_investigator": 403}
OFFICE = "Fiscalía Provincial Especializada en Delitos de Trata de Personas de Madre de Dios"


def _working_case(ctx: dict[str, Any]) -> Any:
    from investigations import services

    case_file = _case_file(ctx)
    if case_file.status == "open":
        services.case_file_change_status(
            actor=ctx["personas"]["regional_investigator"], case_file=case_file, to_status="under_investigation"
        )
        case_file.refresh_from_db()
    return case_file


def _working(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _working_case(ctx).pk}


def _report(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import reporting

    if "report_version" not in ctx:
        case_file = _working_case(ctx)
        lead = ctx["personas"]["regional_investigator"]
        reporting.report_write_conclusions(actor=lead, case_file=case_file, conclusions="Se acredita la captación.")
        ctx["report_version"] = reporting.report_generate(actor=lead, case_file=case_file)
    return {"pk": ctx["report_version"].report.case_file_id, "report_pk": ctx["report_version"].report_id}


def _link(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _case_file(ctx).pk, "link_pk": 999999}  # none: the service says so, the page redirects


ROUTES += [
    Route("investigations:case_completeness", "get", COMPLETENESS),
    Route("investigations:case_completeness", "post", POST_REFUSED),
    Route("investigations:case_proof", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    # An empty form comes back with its errors (200); nothing is linked.
    Route("investigations:case_proof", "post", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_proof_withdraw", "get", ONLY_POST, kwargs=_link, fixtures=COMPLAINTS),
    Route(
        "investigations:case_proof_withdraw",
        "post",
        CASE_POST,
        kwargs=_link,
        data={"reason": "Error."},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_report", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_report", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_report_conclusions", "get", ONLY_POST, kwargs=_working, fixtures=COMPLAINTS),
    Route(
        "investigations:case_report_conclusions",
        "post",
        LEAD_POST,
        kwargs=_working,
        data={"conclusions": "Se acredita la captación."},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_report_generate", "get", ONLY_POST, kwargs=_working, fixtures=COMPLAINTS),
    Route("investigations:case_report_generate", "post", CASE_POST, kwargs=_working, fixtures=COMPLAINTS),
    Route("investigations:case_report_transmit", "get", ONLY_POST, kwargs=_report, fixtures=COMPLAINTS),
    Route(
        "investigations:case_report_transmit",
        "post",
        LEAD_POST,
        kwargs=_report,
        data={"prosecutor_office": OFFICE},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_report_pdf", "get", CASE_PAGE, kwargs=_report, fixtures=COMPLAINTS),
    Route("investigations:case_report_pdf", "post", POST_REFUSED, kwargs=_report, fixtures=COMPLAINTS),
    Route("investigations:case_report_package", "get", CASE_PAGE, kwargs=_report, fixtures=COMPLAINTS),
    Route("investigations:case_report_package", "post", POST_REFUSED, kwargs=_report, fixtures=COMPLAINTS),
]
# ---------------------------------------------------------------- places and things, the route


def _place(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import things

    case_file = _case_file(ctx)
    place = things.place_save(
        actor=ctx["personas"]["regional_investigator"], case_file=case_file, data={"kind": "bar", "name": "Bar"}
    )
    return {"pk": case_file.pk, "kind": "lugar", "thing_pk": place.pk}


def _phone(ctx: dict[str, Any]) -> dict[str, Any]:
    from investigations import things

    case_file = _case_file(ctx)
    phone = things.phone_save(
        actor=ctx["personas"]["regional_investigator"], case_file=case_file, data={"number": "987654321"}
    )
    return {"pk": case_file.pk, "kind": "telefono", "thing_pk": phone.pk}


def _second_leg(ctx: dict[str, Any]) -> dict[str, Any]:
    from administration.models import District
    from investigations import things

    case_file = _case_file(ctx)
    actor = ctx["personas"]["regional_investigator"]
    for stage, code in (("recruitment", "080101"), ("destination", "170101")):
        leg = things.leg_save(
            actor=actor, case_file=case_file, data={"stage": stage, "district": District.objects.get(pk=code)}
        )
    return {"pk": case_file.pk, "leg_pk": leg.pk}


def _kind(slug: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda ctx: {"pk": _case_file(ctx).pk, "kind": slug}


THINGS_ROUTES: list[Route] = [
    Route("investigations:case_things", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    # POST: the logged reveal of the private homes' addresses (a reading: the page itself).
    Route("investigations:case_things", "post", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    *[
        Route("investigations:case_thing_add", "get", CASE_PAGE, kwargs=_kind(slug), fixtures=COMPLAINTS)
        for slug in ("lugar", "vehiculo", "telefono", "cuenta")
    ],
    Route(
        "investigations:case_thing_add",
        "post",
        CASE_POST,
        kwargs=_kind("lugar"),
        data={"kind": "nightclub", "name": "Discoteca"},
        fixtures=COMPLAINTS,
    ),
    Route(
        "investigations:case_thing_add",
        "post",
        CASE_POST,
        kwargs=_kind("vehiculo"),
        data={"kind": "car", "plate": "abc-123"},
        fixtures=COMPLAINTS,
    ),
    Route(
        "investigations:case_thing_add",
        "post",
        CASE_POST,
        kwargs=_kind("telefono"),
        data={"number": "987 654 321"},
        fixtures=COMPLAINTS,
    ),
    Route(
        "investigations:case_thing_add",
        "post",
        CASE_POST,
        kwargs=_kind("cuenta"),
        data={"network": "tiktok", "handle": "@captador"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_thing_edit", "get", CASE_PAGE, kwargs=_place, fixtures=COMPLAINTS),
    Route(
        "investigations:case_thing_edit",
        "post",
        CASE_POST,
        kwargs=_place,
        data={"kind": "bar", "name": "Bar La Pampa"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:case_thing_remove", "get", ONLY_POST, kwargs=_phone, fixtures=COMPLAINTS),
    Route("investigations:case_thing_remove", "post", CASE_POST, kwargs=_phone, fixtures=COMPLAINTS),
    Route("investigations:case_route", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_route", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:route_leg_add", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route(
        "investigations:route_leg_add",
        "post",
        CASE_POST,
        kwargs=_case,
        data={"stage": "recruitment", "district": "080101"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:route_leg_edit", "get", CASE_PAGE, kwargs=_second_leg, fixtures=COMPLAINTS),
    Route(
        "investigations:route_leg_edit",
        "post",
        CASE_POST,
        kwargs=_second_leg,
        data={"stage": "destination", "district": "170101", "transport": "bus"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:route_leg_move", "get", ONLY_POST, kwargs=_second_leg, fixtures=COMPLAINTS),
    Route(
        "investigations:route_leg_move",
        "post",
        CASE_POST,
        kwargs=_second_leg,
        data={"direction": "up"},
        fixtures=COMPLAINTS,
    ),
    Route("investigations:route_leg_remove", "get", ONLY_POST, kwargs=_second_leg, fixtures=COMPLAINTS),
    Route("investigations:route_leg_remove", "post", CASE_POST, kwargs=_second_leg, fixtures=COMPLAINTS),
]
ROUTES += THINGS_ROUTES
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
    # Charts and history of a case file (issue 11, items 6 and 9): read pages; POST on a person's
    # history is the logged reveal (rendered, 200).
    Route("investigations:case_charts", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_charts", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_history", "get", CASE_PAGE, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_history", "post", POST_REFUSED, kwargs=_case, fixtures=COMPLAINTS),
    Route("investigations:case_person_history", "get", CASE_PAGE, kwargs=_person_for_history, fixtures=COMPLAINTS),
    Route("investigations:case_person_history", "post", CASE_PAGE, kwargs=_person_for_history, fixtures=COMPLAINTS),
]
