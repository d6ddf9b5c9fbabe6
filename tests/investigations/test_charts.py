"""The charts of a case file: the SVG renderers (pure), the data they are drawn from (masked as
the case page), and the page (bounded queries, audited, victims' names never in the SVG)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from investigations import chart_data, services
from investigations.charts import Edge, Event, Node, association_chart, sorted_events, timeline_chart
from tests.conftest import signed_in_client
from tests.investigations.conftest import open_case

KIND = "forensic_exam_request"

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
    with translation.override("en"):
        svg = str(timeline_chart(title="t", events=events))
    assert re.findall(r'data-day="([^"]+)"', svg) == ["2025-12-01", "2026-05-02", "2026-05-02", "2026-05-02"]
    assert svg.index(">Facts: first<") < svg.index(">Operation: third<")
    assert "days later" in svg  # the gap of five months is marked


@translation.override("en")
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


def _things_and_work(case_file: Any, actor: Any, copies: int) -> dict[str, Any]:
    """`copies` of each thing and piece of work, linked to a trafficker and to the victim."""
    from investigations.models import (
        CaseAccount,
        CasePerson,
        CasePhone,
        CasePlace,
        CaseVehicle,
        CustodyTransfer,
        Exhibit,
        JournalEntry,
        Operation,
        RouteLeg,
    )
    from people.models import Identity

    services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    victim = CasePerson.objects.filter(case_file=case_file, role="victim").first()
    trafficker = CasePerson.objects.create(
        case_file=case_file,
        identity=Identity.objects.create(first_names="Julio", last_names="Huamán"),
        role="alleged_trafficker",
        added_by=actor,
    )
    day = datetime.date(2026, 3, 1)
    moment = timezone.make_aware(datetime.datetime(2026, 3, 20, 22, 30))
    for index in range(copies):
        CasePhone.objects.create(case_file=case_file, number=f"+5198765{index:04d}", holder=trafficker, added_by=actor)
        CasePhone.objects.create(case_file=case_file, number=f"+5199900{index:04d}", holder=victim, added_by=actor)
        CaseAccount.objects.create(
            case_file=case_file, network="facebook", handle=f"reclutador{index}", holder=trafficker, added_by=actor
        )
        vehicle = CaseVehicle.objects.create(
            case_file=case_file,
            plate=f"ABC-{index:03d}",
            plate_key=f"ABC{index:03d}",
            kind="bus",
            owner_person=trafficker,
            added_by=actor,
        )
        place = CasePlace.objects.create(case_file=case_file, kind="bar", name=f"Bar <b>{index}</b>", added_by=actor)
        RouteLeg.objects.create(
            case_file=case_file,
            sequence=index + 1,
            stage="transit",
            place=place,
            vehicle=vehicle,
            departed_on=day,
            arrived_on=day,
            added_by=actor,
        )
        operation = Operation.objects.create(
            case_file=case_file, number=index + 1, occurred_at=moment, place="Km 107", recorded_by=actor
        )
        operation.rescued_persons.add(victim)
        operation.arrested_persons.add(trafficker)
        exhibit = Exhibit.objects.create(
            case_file=case_file,
            sequence=index + 1,
            code=f"EV-{index}",
            description="Celular",
            kind="device",
            seized_on=day,
            initial_holder="SO1 Pérez",
            recorded_by=actor,
        )
        CustodyTransfer.objects.create(
            exhibit=exhibit,
            from_holder="SO1 Pérez",
            to_holder="Almacén",
            handed_at=moment,
            reason="Custodia",
            recorded_by=actor,
        )
        JournalEntry.objects.create(
            case_file=case_file, sequence=index + 1, entry_date=day, text="Texto reservado", author=actor
        )
    return {"victim": victim, "trafficker": trafficker}


@pytest.mark.django_db
def test_things_and_work_are_in_the_charts_and_a_victims_phone_is_masked(case_file: Any, personas: dict) -> None:
    from diligences.models import Diligence

    actor = personas["regional_investigator"]
    _things_and_work(case_file, actor, copies=2)
    complaint = case_file.complaints.get()
    first = Diligence.objects.create(
        complaint=complaint,
        sequence=1,
        kind=KIND,
        date=datetime.date(2026, 2, 1),
        officer="SO1 Pérez",
        unit=actor.unit,
        created_by=actor,
        created_by_name="Ana",
    )
    Diligence.objects.create(
        complaint=complaint,
        sequence=2,
        kind=KIND,
        date=datetime.date(2026, 2, 2),
        officer="SO1 Pérez",
        unit=actor.unit,
        created_by=actor,
        created_by_name="Ana",
        corrects=first,
        correction_reason="Fecha",
    )
    with translation.override("en"):
        nodes, edges = chart_data.association(case_file)
        events = chart_data.timeline(case_file)
    kinds = [node.kind for node in nodes]
    assert (kinds.count("phone"), kinds.count("account"), kinds.count("vehicle")) == (4, 2, 2)
    assert (kinds.count("place"), kinds.count("operation")) == (2, 2)
    labels = {node.label for node in nodes}
    assert "+51998000000" not in labels and "•••000" in labels  # the victim's phone
    assert "+51987650000" in labels  # the trafficker's
    edge_labels = [edge.label for edge in edges]
    assert edge_labels.count("holder") == 6 and edge_labels.count("owner") == 2
    assert edge_labels.count("rescued") == 2 and edge_labels.count("arrested") == 2
    kinds = [event.kind for event in events]
    assert kinds.count("operation") == 2 and kinds.count("journal") == 2 and kinds.count("custody") == 4
    assert kinds.count("route") == 4
    assert [e.day for e in events if e.kind == "diligence"] == [datetime.date(2026, 2, 2)]  # the correction only
    assert all("Texto reservado" not in event.label for event in events)
    assert [(e.day, e.time or datetime.time.min) for e in events] == sorted(
        (e.day, e.time or datetime.time.min) for e in events
    )
    page = signed_in_client(actor).get(reverse("investigations:case_charts", args=[case_file.pk])).content.decode()
    assert "Bar &lt;b&gt;0&lt;/b&gt;" in page and "Bar <b>0</b>" not in page


@pytest.mark.django_db
def test_the_charts_page_runs_a_bounded_number_of_queries(
    personas: dict, complaints: dict, units: dict, django_assert_max_num_queries: Any
) -> None:
    from tests.factories.administration import UserFactory

    case_file = open_case(personas, complaints["frozen"])
    actor = personas["regional_investigator"]
    _things_and_work(case_file, actor, copies=6)
    for index in range(8):
        user = UserFactory(username=f"inv.{index}", unit=units["DIRTEPOL-CUSCO-TRATA"], role="regional_investigator")
        services.case_file_assign(actor=actor, case_file=case_file, investigator=user)
    for status in ("under_investigation", "report_sent"):
        services.case_file_change_status(actor=actor, case_file=case_file, to_status=status)
    client = signed_in_client(actor)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("investigations:case_charts", args=[case_file.pk]))
    page = response.content.decode()
    assert page.count('data-kind="assignment"') >= 2 * 9  # the SVG and the table
    assert page.count('<g class="node"') == page.count('class="chart-node"') > 6 * 5
