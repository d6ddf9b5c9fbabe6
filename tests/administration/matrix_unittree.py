"""Permission-matrix rows of the unit tree's operations (see tests/permissions.py): create,
rename, move, merge, split a directorate, and the bulk load of stations. National administrators
only; the others get 403, the anonymous the sign-in page. A valid POST changes the tree (302)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permissions import Route, only

ADMIN_GET = only({"national_admin": 200})
ADMIN_POST = only({"national_admin": 302})


def _yesterday() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def _unit(code: str) -> Any:
    return lambda ctx: {"pk": ctx["units"][code].pk}


def _new_unit(ctx: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "DIRTEPOL-LIMA-CPNP-9",
        "name": "Comisaría PNP Miraflores",
        "kind": "station",
        "parent": ctx["units"]["DIRTEPOL-LIMA"].pk,
        "valid_from": _yesterday(),
    }


def _split(ctx: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "DIRTEPOL-CUSCO-SUR",
        "name": "DIRTEPOL Cusco Sur",
        "units": [ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"].pk],
        "on": _yesterday(),
    }


def _stations(ctx: dict[str, Any]) -> dict[str, Any]:
    district = ctx["units"]["DIRTEPOL-LIMA-CPNP-1"].district_id
    text = f"code,name,parent,district\nDIRTEPOL-LIMA-CPNP-8,Comisaría PNP Surco,DIRTEPOL-LIMA,{district}\n"
    return {
        "file": SimpleUploadedFile("comisarias.csv", text.encode(), content_type="text/csv"),
        "valid_from": _yesterday(),
    }


ROUTES: list[Route] = [
    Route("administration:unit_create", "get", ADMIN_GET),
    Route("administration:unit_create", "post", ADMIN_POST, data=_new_unit),
    Route("administration:unit_rename", "get", ADMIN_GET, kwargs=_unit("DIRTEPOL-LIMA")),
    Route(
        "administration:unit_rename",
        "post",
        ADMIN_POST,
        kwargs=_unit("DIRTEPOL-LIMA"),
        data=lambda ctx: {"name": "Región Policial Lima", "on": _yesterday()},
    ),
    Route("administration:unit_move", "get", ADMIN_GET, kwargs=_unit("DIRTEPOL-LIMA-TRATA")),
    Route(
        "administration:unit_move",
        "post",
        ADMIN_POST,
        kwargs=_unit("DIRTEPOL-LIMA-TRATA"),
        data=lambda ctx: {"parent": ctx["units"]["DIRTEPOL-CUSCO"].pk, "on": _yesterday()},
    ),
    Route("administration:unit_merge", "get", ADMIN_GET, kwargs=_unit("DIRTEPOL-MADRE-DE-DIOS-TRATA")),
    Route(
        "administration:unit_merge",
        "post",
        ADMIN_POST,
        kwargs=_unit("DIRTEPOL-MADRE-DE-DIOS-TRATA"),
        data=lambda ctx: {"into": ctx["units"]["DIRTEPOL-MADRE-DE-DIOS"].pk, "on": _yesterday()},
    ),
    Route("administration:directorate_split", "get", ADMIN_GET, kwargs=_unit("DIRTEPOL-CUSCO")),
    Route("administration:directorate_split", "post", ADMIN_POST, kwargs=_unit("DIRTEPOL-CUSCO"), data=_split),
    Route("administration:stations_load", "get", ADMIN_GET),
    Route("administration:stations_load", "post", ADMIN_POST, data=_stations),
]
