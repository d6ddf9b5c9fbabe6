"""Permission-matrix rows of the compliance monitoring page (issue 13, item 5; see tests/permissions.py).

The page: the monitor, DIVINTRAP, the national administrators and a regional investigator (her
directorate); stations, the hotline, the auditor and the outsider (a station officer) are refused.
The exports: those of them that may export the statistics (all four here: the administrator's
session has its second factor). Nothing is written: a POST is answered like a GET."""

from __future__ import annotations

from tests.permissions import Route, only

SEE = only({"regional_investigator": 200, "national_investigator": 200, "national_admin": 200, "monitor": 200})
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

ROUTES: list[Route] = [
    Route("investigations:compliance", "get", SEE, data=PERIOD),
    Route("investigations:compliance", "post", SEE),
    Route("investigations:compliance_export", "get", SEE, kwargs=lambda ctx: {"fmt": "csv"}, data=PERIOD),
    Route("investigations:compliance_export", "post", SEE, kwargs=lambda ctx: {"fmt": "xlsx"}),
]
