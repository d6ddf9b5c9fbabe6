"""The national route map (issue 12, item 4): movements between departments counted from the
complaints' places of the route and the case files' legs, within the user's scope and period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from analysis.routes import flows_svg, route_flows
from audit.models import AuditEvent
from tests.analysis.network_world import build_world
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: dict, complaints: dict, units: dict) -> dict[str, Any]:
    return build_world(personas, complaints, units)


def _add_complaint_with_route(personas: dict) -> Any:
    """A Cusco complaint: recruited in Cusco, through Puno... (not in the test tree) and Lima,
    exploited in Madre de Dios."""
    from administration.models import District
    from complaints.services import PlaceData, complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    data = bar_in_madre_de_dios(
        places=[
            PlaceData(role="recruitment", district=District.objects.get(code="080101")),
            PlaceData(role="transit", district=District.objects.get(code="150101")),
        ]
    )
    return complaint_file(actor=personas["station_officer"], data=data)


def test_counts_between_departments(world: dict, personas: dict) -> None:
    # National: case file A (Cusco → Madre de Dios by its legs); the Lima complaint and case file B
    # have no route between departments (facts in Lima, no places of the route, no legs).
    flows = route_flows(personas["national_investigator"])
    assert ("08", "17", 1) in flows.flows
    assert flows.records == 1
    _add_complaint_with_route(personas)
    flows = route_flows(personas["national_investigator"])
    counts = {(a, b): n for a, b, n in flows.flows}
    assert counts[("08", "17")] == 1 and counts[("08", "15")] == 1 and counts[("15", "17")] == 1
    assert flows.records == 2
    # The complaint that grew into case file A counts once (through the case file's route).
    assert sum(n for (a, b), n in counts.items() if (a, b) == ("08", "17")) == 1


def test_the_scope_and_the_period(world: dict, personas: dict) -> None:
    _add_complaint_with_route(personas)
    lima = {(a, b): n for a, b, n in route_flows(world["lima"]).flows}
    # Case file A is not in Lima's scope; the new complaint is (Lima was alerted: it passed through).
    assert ("08", "17") not in lima and lima == {("08", "15"): 1, ("15", "17"): 1}
    far = datetime.date(2000, 1, 1)
    assert route_flows(personas["national_investigator"], date_to=far).flows == []


def test_the_page_draws_the_map_and_the_table(world: dict, personas: dict, django_assert_max_num_queries: Any) -> None:
    client = signed_in_client(personas["regional_investigator"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("analysis:routes"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<path class="flow"') == page.count('class="flow-row"') == 1
    assert 'data-origin="08" data-destination="17" data-count="1"' in page
    assert AuditEvent.objects.get(event="analysis_routes_viewed").details["flows"] == 1
    bad = client.get(reverse("analysis:routes"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert 'role="alert"' in bad.content.decode() and "<svg" not in bad.content.decode()
    assert signed_in_client(personas["monitor"]).get(reverse("analysis:routes")).status_code == 403


def test_the_map_svg_weights_the_arrows() -> None:
    from analysis.routes import RouteFlows

    svg = str(flows_svg(RouteFlows(flows=[("08", "17", 4), ("15", "17", 1)]), title="<x>"))
    assert svg.count('<path class="flow"') == 2 and "&lt;x&gt;" in svg and 'role="img"' in svg
    widths = [
        float(part.split('"')[0])
        for part in svg.split('class="flow"')[1:]
        for part in [part.split('stroke-width="')[1]]
    ]
    assert widths[0] > widths[1]
