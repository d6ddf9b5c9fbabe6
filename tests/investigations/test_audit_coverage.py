"""Every page of a case file that shows a person's identity, a photograph or fingerprint card, an
export or a report writes an audit event (issue 11, item 9).

`AUDITED` is the list of those pages (URL names under /carpetas/); `NOT_AUDITED` the GET pages
that show none of that (forms, the list) and need no event. A new GET page whose name speaks of a
person, an image, a report, an export or a history must be put in one of the two lists: the
completeness test fails until it is. Each audited page is fetched by the regional investigator with
the kwargs of its permission-matrix row (tests/investigations/matrix_investigations.py), and must
answer 200 and add at least one audit event (the pages of parts not merged on a branch are
skipped there).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from tests.conftest import signed_in_client
from tests.permissions import MATRIX

AUDITED = (
    "investigations:case_file_detail",  # the persons in roles
    "investigations:case_charts",  # the association chart shows the persons
    "investigations:case_history",
    "investigations:case_person_history",
    # The other parts of issue 11 (checked once they are merged: skipped while their URL is absent).
    "investigations:case_person_list",
    "investigations:case_person_detail",  # a person's identity
    "investigations:case_person_image",  # a photograph or a fingerprint card
    "investigations:case_report_pdf",  # the police report
    "investigations:case_report_package",  # the export for the Public Ministry
    # Pages that show the persons' phones, accounts, vehicles, statements and exhibits.
    "investigations:case_things",
    "investigations:case_route",
    "investigations:case_work",
    "investigations:case_exhibit_detail",
    "investigations:case_proof",
    # The compliance monitoring's export (figures per unit, no persons): every export is audited.
    "investigations:compliance_export",
)
NOT_AUDITED = (
    "investigations:case_file_list",
    "investigations:case_file_open",
    "investigations:case_file_status",
    "investigations:case_file_assign",
    "investigations:case_file_share",
    # Forms of the other parts: they show no identity (the writes are audited by their services).
    "investigations:case_person_add",
    "investigations:case_person_edit",
    "investigations:case_person_fact_add",
    "investigations:case_person_image_add",
    # The report's page lists the versions; reading one (PDF, package) is audited above.
    "investigations:case_report",
)
SENSITIVE = re.compile(
    r"person|persona|photo|foto|image|imagen|finger|huella|report|informe|export|package|paquete|pdf|json|histor|chart"
)


def _investigation_urls() -> set[str]:
    resolver = get_resolver()
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "investigations":
                names.add(f"investigations:{pattern.name}")

    walk(resolver.url_patterns, "")
    return names


def test_every_sensitive_page_of_a_case_file_is_classified() -> None:
    names = _investigation_urls()
    get_pages = {route.name for route in MATRIX if route.method == "get" and route.name in names}
    get_pages = {
        name
        for name in get_pages
        if 200 in next(r for r in MATRIX if r.name == name and r.method == "get").expected.values()
    }
    unclassified = {name for name in get_pages if SENSITIVE.search(name)} - set(AUDITED) - set(NOT_AUDITED)
    assert not unclassified, (
        f"Pages of a case file to add to AUDITED (and audit) or NOT_AUDITED: {sorted(unclassified)}"
    )
    assert set(AUDITED[:4]) <= names  # the pages of this branch (the case file, charts, history)


@pytest.mark.django_db
@pytest.mark.parametrize("name", AUDITED)
def test_each_page_that_shows_a_person_an_image_or_a_report_writes_an_audit_event(
    name: str, units: dict, personas: dict, request: pytest.FixtureRequest
) -> None:
    if name not in _investigation_urls():
        pytest.skip(f"{name}: that part of the case file is not merged on this branch")
    route = next(route for route in MATRIX if route.name == name and route.method == "get")
    ctx: dict[str, Any] = {"units": units, "personas": personas}
    ctx.update({fixture: request.getfixturevalue(fixture) for fixture in route.fixtures})
    kwargs = route.kwargs(ctx)
    url = reverse(name, kwargs=kwargs)
    client = signed_in_client(personas["regional_investigator"])
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200, url
    new = list(AuditEvent.objects.order_by("pk")[before:])
    assert new, f"GET {url} wrote no audit event"
