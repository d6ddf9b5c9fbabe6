"""Permission-matrix rows of the HTCDS export (see tests/permissions.py).

The roles that may export the statistics may use it, each in its own scope: regional and national
investigators, the verified national administrator, the monitor. The station, the hotline, the
auditor (aggregates only) and the outsider get 403. Neither page changes anything: a POST is 405.
"""

from __future__ import annotations

from tests.permissions import POST_REFUSED, Route, only

EXPORTERS = only({"regional_investigator": 200, "national_investigator": 200, "national_admin": 200, "monitor": 200})
PERIOD = {"year_from": "2010", "year_to": "2011"}

ROUTES: list[Route] = [
    Route("htcds:export", "get", EXPORTERS, data=PERIOD),
    Route("htcds:export", "post", POST_REFUSED),
    Route("htcds:download", "get", EXPORTERS, kwargs=lambda ctx: {"fmt": "csv"}, data=PERIOD),
    Route("htcds:download", "get", EXPORTERS, kwargs=lambda ctx: {"fmt": "xlsx"}, data=PERIOD),
    Route("htcds:download", "post", POST_REFUSED, kwargs=lambda ctx: {"fmt": "csv"}),
]
