"""Permission-matrix rows of the diligences screens (see tests/permissions.py).

The complaint is the frozen complaint of the Cusco station (`complaints` fixture): the hotline and
the Lima outsider cannot see it (404); monitor, auditor and the national administrator read the
register and its files but never write (403); filing and investigating roles write."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permissions import PERSONA_NAMES, POST_REFUSED, Route

READ = {
    **{name: 200 for name in PERSONA_NAMES},
    "hotline_operator": 404,
    "outsider": 404,
    "anonymous": 302,
}
WRITE_PAGE = {**READ, "national_admin": 403, "monitor": 403, "auditor": 403}
WRITE_POST = {
    **WRITE_PAGE,
    **{name: 302 for name in ("station_officer", "regional_investigator", "national_investigator")},
}


def _entry_post(ctx: dict[str, Any], **extra: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()  # read when the test runs, not when it is collected
    return {
        "kind": "inspection",
        "date": today,
        "officer": "S3 PNP Rosa Huamán Quispe",
        "description": "Inspección.",
        **extra,
    }


def _answer_post(ctx: dict[str, Any], **extra: str) -> dict[str, Any]:
    return {"received_on": timezone.localdate().isoformat(), "summary": "Respuesta recibida.", **extra}


def _complaint(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk}


def _entry_of(ctx: dict[str, Any]) -> Any:
    from diligences import services

    complaint = ctx["complaints"]["frozen"]
    data = services.DiligenceData(kind="rescue", date=timezone.localdate(), officer="S3 PNP Rosa Huamán Quispe")
    return services.diligence_record(actor=ctx["personas"]["station_officer"], complaint=complaint, data=data)


def _entry(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["complaints"]["frozen"].pk, "diligence_pk": _entry_of(ctx).pk}


def _answer(ctx: dict[str, Any]) -> dict[str, Any]:
    """An answer with a PNG scan, stored under the test's temporary MEDIA_ROOT."""
    from PIL import Image

    from diligences import services

    ctx["settings"].MEDIA_ROOT = ctx["tmp_path"] / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    answer = services.answer_record(
        actor=ctx["personas"]["station_officer"],
        diligence=_entry_of(ctx),
        data=services.AnswerData(received_on=timezone.localdate(), summary="Ficha RENIEC."),
        scan=SimpleUploadedFile("ficha.png", buffer.getvalue()),
    )
    return {"pk": ctx["complaints"]["frozen"].pk, "answer_pk": answer.pk}


def _document(ctx: dict[str, Any]) -> dict[str, Any]:
    from diligences import services

    document = services.document_generate(
        actor=ctx["personas"]["station_officer"],
        complaint=ctx["complaints"]["frozen"],
        kind="reniec",
        fields={"addressee": "RENIEC", "city": "Cusco", "person": "Alias «La Tía»", "purpose": ""},
    )
    return {"pk": ctx["complaints"]["frozen"].pk, "document_pk": document.pk}


def _kind(kind: str) -> Any:
    return lambda ctx: {"pk": ctx["complaints"]["frozen"].pk, "kind": kind}


COMPLAINTS = ("complaints",)
WITH_MEDIA = ("complaints", "settings", "tmp_path")

ROUTES: list[Route] = [
    Route("diligences:diligence_list", "get", READ, kwargs=_complaint, fixtures=COMPLAINTS),
    Route("diligences:diligence_create", "get", WRITE_PAGE, kwargs=_complaint, fixtures=COMPLAINTS),
    Route("diligences:diligence_create", "post", WRITE_POST, kwargs=_complaint, data=_entry_post, fixtures=COMPLAINTS),
    Route("diligences:diligence_correct", "get", WRITE_PAGE, kwargs=_entry, fixtures=COMPLAINTS),
    Route(
        "diligences:diligence_correct",
        "post",
        WRITE_POST,
        kwargs=_entry,
        data=lambda ctx: _entry_post(ctx, reason="Tipo de diligencia equivocado."),
        fixtures=COMPLAINTS,
    ),
    Route("diligences:diligence_answer_create", "get", WRITE_PAGE, kwargs=_entry, fixtures=COMPLAINTS),
    Route(
        "diligences:diligence_answer_create", "post", WRITE_POST, kwargs=_entry, data=_answer_post, fixtures=COMPLAINTS
    ),
    Route("diligences:diligence_answer_correct", "get", WRITE_PAGE, kwargs=_answer, fixtures=WITH_MEDIA),
    Route(
        "diligences:diligence_answer_correct",
        "post",
        WRITE_POST,
        kwargs=_answer,
        data=lambda ctx: _answer_post(ctx, reason="Resumen incompleto."),
        fixtures=WITH_MEDIA,
    ),
    Route("diligences:diligence_answer_scan", "get", READ, kwargs=_answer, fixtures=WITH_MEDIA),
    *[
        Route("diligences:diligence_document_create", "get", WRITE_PAGE, kwargs=_kind(kind), fixtures=COMPLAINTS)
        for kind in ("forensic_exam", "search_warrant", "reniec", "migraciones", "notification", "statement")
    ],
    Route(
        "diligences:diligence_document_create",
        "post",
        WRITE_POST,
        kwargs=_kind("forensic_exam"),
        data={"addressee": "Médico legal", "city": "Cusco", "victim": "1", "examinations": ["physical", "age"]},
        fixtures=COMPLAINTS,
    ),
    Route("diligences:diligence_document_download", "get", READ, kwargs=_document, fixtures=COMPLAINTS),
    Route("diligences:diligence_list", "post", POST_REFUSED, kwargs=_complaint, fixtures=COMPLAINTS),
    Route("diligences:diligence_answer_scan", "post", POST_REFUSED, kwargs=_answer, fixtures=WITH_MEDIA),
    Route("diligences:diligence_document_download", "post", POST_REFUSED, kwargs=_document, fixtures=COMPLAINTS),
]
