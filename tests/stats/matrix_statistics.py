"""Permission-matrix rows of the statistics screens (see tests/permissions.py).

Every signed-in role sees the statistics of its own scope (the auditor: national aggregates, as
read-only oversight). Exporting is a permission of its own: the roles that may export complaints
(regional and national investigators, verified national administrators, the monitor)."""

from __future__ import annotations

from tests.permissions import LOGIN_REDIRECT, SIGNED_IN, Route, only

SEE = {**SIGNED_IN, **LOGIN_REDIRECT}
EXPORT = only({"regional_investigator": 200, "national_investigator": 200, "national_admin": 200, "monitor": 200})
PERIOD = {"year_from": "2010", "year_to": "2011"}
CROSSTAB = {"rows": "category", "columns": "directorate", **PERIOD}

ROUTES: list[Route] = [
    Route("stats:overview", "get", SEE, data=PERIOD),
    Route("stats:table", "get", SEE, kwargs=lambda ctx: {"name": "cases_by_unit_year"}, data=PERIOD),
    Route(
        "stats:table_export",
        "get",
        EXPORT,
        kwargs=lambda ctx: {"name": "persons_by_year", "fmt": "csv"},
        data=PERIOD,
    ),
    Route("stats:crosstab", "get", SEE, data=CROSSTAB),
    Route("stats:crosstab_export", "get", EXPORT, kwargs=lambda ctx: {"fmt": "xlsx"}, data=CROSSTAB),
    # The statistics change nothing: a POST is answered like a GET (the CSRF token is still required).
    Route("stats:overview", "post", SEE),
    Route("stats:table", "post", SEE, kwargs=lambda ctx: {"name": "cases_by_unit_year"}),
    Route(
        "stats:table_export",
        "post",
        EXPORT,
        kwargs=lambda ctx: {"name": "persons_by_year", "fmt": "csv"},
    ),
    Route("stats:crosstab", "post", SEE),
    Route("stats:crosstab_export", "post", EXPORT, kwargs=lambda ctx: {"fmt": "xlsx"}),
]
