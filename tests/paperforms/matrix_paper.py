"""Permission-matrix rows of the register of paper forms (see tests/permissions.py).

The batch is two forms issued to the Cusco station (station_officer's unit), created on first use.
The register is seen by everyone within the tree of command (404 outside it); only the national
administrator issues (403 for every other role, the monitor included: SECURITY.md 9); printing is
for the roles that handle paper, so the auditor gets 403.
"""

from __future__ import annotations

from typing import Any

from tests.permissions import LOGIN_REDIRECT, POST_REFUSED, SIGNED_IN, Route, only


def _batch(ctx: dict[str, Any]) -> Any:
    from paperforms.models import PaperFormBatch
    from paperforms.services import paper_form_batch_issue

    unit = ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"]
    batch = PaperFormBatch.objects.filter(unit=unit).first()
    if batch is None:
        batch = paper_form_batch_issue(actor=ctx["personas"]["national_admin"], unit=unit, count=2)
    return batch


def _batch_pk(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _batch(ctx).pk}


def _serial(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"serial": _batch(ctx).first_serial}


REGISTER = {**SIGNED_IN, **LOGIN_REDIRECT}
CUSCO_BATCH = {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}
CUSCO_PRINT = {**CUSCO_BATCH, "auditor": 403}

ROUTES: list[Route] = [
    Route("paperforms:paperform_list", "get", REGISTER),
    Route("paperforms:paperform_issue", "get", only({"national_admin": 200})),
    # A POST without a unit re-renders the form with its errors for the administrator; 403 for the others.
    Route("paperforms:paperform_issue", "post", only({"national_admin": 200}), data={"count": "1"}),
    Route("paperforms:paperform_detail", "get", CUSCO_BATCH, kwargs=_batch_pk),
    Route("paperforms:paperform_pdf", "get", CUSCO_PRINT, kwargs=_batch_pk),
    Route("paperforms:paperform_serial_pdf", "get", CUSCO_PRINT, kwargs=_serial),
    Route("paperforms:paperform_list", "post", POST_REFUSED),
    Route("paperforms:paperform_detail", "post", POST_REFUSED, kwargs=_batch_pk),
    Route("paperforms:paperform_pdf", "post", POST_REFUSED, kwargs=_batch_pk),
    Route("paperforms:paperform_serial_pdf", "post", POST_REFUSED, kwargs=_serial),
]
