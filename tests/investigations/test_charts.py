"""The charts of a case file: the SVG renderers (pure), the data they are drawn from (masked as
the case page), and the page (bounded queries, audited, victims' names never in the SVG)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from investigations import chart_data, services
from investigations.charts import Edge, Event, Node, association_chart, sorted_events, timeline_chart
from tests.conftest import signed_in_client
from tests.investigations.conftest import open_case

# ---------------------------------------------------------------- the renderers (no database)


def _nodes(svg: str) -> list[str]:
    return re.findall(r'<g class="node" data-node="([^"]+)"', svg)


def test_the_association_chart_draws_one_node_per_element_and_its_links() -> None:
    nodes = [
        Node("person-1", "person", "J.P.", "Alleged trafficker"),
        Node("person-2", "person", "Identity protected", "Victim"),
        Node("phone-1", "phone", "+51987654321"),
        Node("place-1", "place", "Bar La Pantera", "nightclub"),
    ]
    edges = [Edge("phone-1", "person-1", "holder"), Edge("person-2", "person-1", "recruited by")]
    svg = str(association_chart(title="Chart", nodes=nodes, edges=edges))
    assert _nodes(svg) == ["person-1", "person-2", "phone-1", "place-1"]
    assert svg.count('<g class="edge"') == 2
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'width="960"' in svg and "<script" not in svg


def test_the_layout_is_deterministic() -> None:
    nodes = [Node(f"person-{i}", "person", f"P{i}") for i in range(12)] + [Node("place-1", "place", "Bar")]
    edges = [Edge(f"person-{i}", "place-1", "at") for i in range(12)]
    assert association_chart(title="x", nodes=nodes, edges=edges) == association_chart(
        title="x", nodes=nodes, edges=edges
    )


def test_labels_are_escaped() -> None:
    evil = "<script>alert(1)</script>"
    svg = str(association_chart(title=evil, nodes=[Node("a", "person", evil, evil)], edges=[Edge("a", "a", evil)]))
    svg += str(timeline_chart(title=evil, events=[Event(datetime.date(2026, 1, 1), "facts", evil, url='"><x')]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '"><x' not in svg


def test_the_timeline_lists_events_in_date_order() -> None:
    events = [
        Event(datetime.date(2026, 5, 2), "operation", "third"),
        Event(datetime.date(2025, 12, 1), "facts", "first"),
        Event(datetime.date(2026, 5, 2), "status", "second", time=datetime.time(9, 0)),
        Event(datetime.date(2026, 5, 2), "journal", "fourth", time=datetime.time(18, 0)),
    ]
    assert [event.label for event in sorted_events(events)] == ["first", "third", "second", "fourth"]
    svg = str(timeline_chart(title="t", events=events))
    assert re.findall(r'data-day="([^"]+)"', svg) == ["2025-12-01", "2026-05-02", "2026-05-02", "2026-05-02"]
    assert svg.index(">Facts: first<") < svg.index(">Operation: third<")  # English: no active language
    assert "days later" in svg  # the gap of five months is marked


def test_an_empty_chart_says_so() -> None:
    assert "Nothing to draw yet." in str(association_chart(title="x", nodes=[], edges=[]))
    assert "Nothing to draw yet." in str(timeline_chart(title="x", events=[]))


# ---------------------------------------------------------------- the data and the page


@pytest.mark.django_db
def test_the_charts_show_the_persons_masked_and_the_complaints_events(
    case_file: Any, personas: dict, complaints: dict
) -> None:
    from complaints.models import ComplaintVictim

    actor = personas["regional_investigator"]
    services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    services.case_file_change_status(actor=actor, case_file=case_file, to_status="under_investigation")
    nodes, edges = chart_data.association(case_file)
    persons = [node for node in nodes if node.kind == "person"]
    assert len(persons) == case_file.persons.count() > 0
    assert [node.kind for node in nodes].count("complaint") == 1
    assert len(edges) == len(persons)  # each person to the complaint she comes from
    events = chart_data.timeline(case_file)
    assert [event.day for event in events] == sorted(event.day for event in events)
    kinds = {event.kind for event in events}
    assert {"facts", "registered", "opened", "status", "assignment"} <= kinds

    response = signed_in_client(actor).get(reverse("investigations:case_charts", args=[case_file.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert len(_nodes(svg)) == len(nodes)
    victims = ComplaintVictim.objects.filter(complaint=complaints["frozen"]).select_related("person")
    names = [row.person.full_name for row in victims if row.person.full_name]
    assert names and all(name not in page for name in names)
    assert page.count('class="chart-node"') == len(nodes)
    assert page.count('class="chart-event"') == len(events)
    assert AuditEvent.objects.filter(event="case_charts_viewed", object_id=str(case_file.pk)).count() == 1


@pytest.mark.django_db
def test_the_charts_page_runs_a_bounded_number_of_queries(
    personas: dict, complaints: dict, units: dict, django_assert_max_num_queries: Any
) -> None:
    from tests.factories.administration import UserFactory

    case_file = open_case(personas, complaints["frozen"])
    actor = personas["regional_investigator"]
    services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    for index in range(8):
        user = UserFactory(username=f"inv.{index}", unit=units["DIRTEPOL-CUSCO-TRATA"], role="regional_investigator")
        services.case_file_assign(actor=actor, case_file=case_file, investigator=user)
    for status in ("under_investigation", "report_sent"):
        services.case_file_change_status(actor=actor, case_file=case_file, to_status=status)
    client = signed_in_client(actor)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("investigations:case_charts", args=[case_file.pk]))
    assert response.content.decode().count('data-kind="assignment"') >= 2 * 9  # the SVG and the table
