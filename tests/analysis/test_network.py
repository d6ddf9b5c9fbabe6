"""The network of cross-case analysis (issue 12, item 4) and its exports (item 5): expansion to a
depth, the cap, the filters, the scope (a regional investigator never sees a record outside it,
only their count), the masking (no victim's name in the SVG, the GraphML or the CSV), audited
exports, bounded queries."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.network import Filters, build_network, find_start
from audit.models import AuditEvent
from tests.analysis.network_world import PHONE, TRAFFICKER, build_world
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def world(personas: dict, complaints: dict, units: dict) -> dict[str, Any]:
    return build_world(personas, complaints, units)


def _ids(network: Any, kind: str) -> set[str]:
    return {node.id for node in network.nodes if node.id.startswith(f"{kind}-")}


def _victim_names(complaints: dict, world: dict) -> list[str]:
    from complaints.models import ComplaintVictim

    rows = ComplaintVictim.objects.filter(complaint__in=[complaints["frozen"], world["lima_complaint"]])
    names = [row.person.full_name for row in rows.select_related("person")]
    names += [row.person.last_names for row in rows.select_related("person")]
    return [name for name in names if name]


def test_the_search_finds_a_case_file_a_complaint_a_phone_and_a_plate(world: dict, personas: dict) -> None:
    user = personas["national_investigator"]
    assert find_start(user, world["case_a"].number) == f"casefile-{world['case_a'].pk}"
    assert find_start(user, world["case_a"].number.lower()) == f"casefile-{world['case_a'].pk}"
    assert find_start(user, world["lima_complaint"].number) == f"complaint-{world['lima_complaint'].pk}"
    assert find_start(user, "987 654 321").startswith("phone-")
    assert find_start(user, "abc-123").startswith("vehicle-")
    assert find_start(user, TRAFFICKER[1]) is None  # never by name
    # Outside the scope: as if it did not exist.
    assert find_start(personas["regional_investigator"], world["case_b"].number) is None


def test_depth_expands_around_the_start(world: dict, personas: dict) -> None:
    user = personas["national_investigator"]
    start = f"casefile-{world['case_a'].pk}"
    one = build_network(user, start, Filters(depth=1))
    two = build_network(user, start, Filters(depth=2))
    three = build_network(user, start, Filters(depth=3))
    # Depth 1: the case file's own complaint, persons, phones, plate, places.
    assert _ids(one, "complaint") == {f"complaint-{world['case_a'].complaint_links.get().complaint_id}"}
    assert f"person-{world['trafficker'].pk}" in _ids(one, "person")
    assert len(_ids(one, "phone")) == 2 and len(_ids(one, "vehicle")) == 1
    assert _ids(one, "casefile") == {start}
    # Depth 2: through the trafficker, the phone and the plate, case file B (DIVINTRAP: national).
    assert f"casefile-{world['case_b'].pk}" in _ids(two, "casefile")
    labels = {edge.label for edge in two.edges}
    assert {"teléfono compartido", "placa compartida"} & labels or {"shared phone", "shared plate"} <= labels
    assert len(two.nodes) < len(three.nodes)
    assert f"complaint-{world['lima_complaint'].pk}" in _ids(three, "complaint")
    assert all(edge.source in {n.id for n in three.nodes} for edge in three.edges)
    assert one.hidden == two.hidden == 0


def test_the_cap_cuts_the_network_and_says_so(world: dict, personas: dict) -> None:
    user = personas["national_investigator"]
    network = build_network(user, f"casefile-{world['case_a'].pk}", Filters(depth=3, cap=5))
    assert len(network.nodes) == 5 and network.capped
    assert not build_network(user, f"casefile-{world['case_a'].pk}", Filters(depth=1)).capped


def test_a_regional_investigator_sees_only_the_count_of_what_is_outside_the_scope(world: dict, personas: dict) -> None:
    user = personas["regional_investigator"]
    network = build_network(user, f"casefile-{world['case_a'].pk}", Filters(depth=3))
    assert _ids(network, "casefile") == {f"casefile-{world['case_a'].pk}"}
    assert f"complaint-{world['lima_complaint'].pk}" not in _ids(network, "complaint")
    assert network.hidden >= 1  # case file B (same trafficker, phone, plate), and its complaint
    assert world["case_b"].number not in {node.label for node in network.nodes}
    # A start outside the scope is no network at all.
    assert build_network(user, f"casefile-{world['case_b'].pk}", Filters()) is None
    assert build_network(user, "casefile-x", Filters()) is None


def test_filters_by_period_region_and_role(world: dict, personas: dict) -> None:
    user = personas["national_investigator"]
    start = f"casefile-{world['case_a'].pk}"
    opened = timezone.localdate(world["case_a"].opened_at)  # the day in Lima, as the filter reads it
    later = Filters(depth=2, date_from=opened + datetime.timedelta(days=1))
    assert build_network(user, start, later) is None  # the start itself is outside the period
    before = Filters(depth=2, date_to=opened - datetime.timedelta(days=1))
    assert build_network(user, start, before) is None
    # Region: case file B belongs to Lima; with Madre de Dios (the facts of A) B is left out.
    madre = build_network(user, start, Filters(depth=2, department="17"))
    assert f"casefile-{world['case_b'].pk}" not in _ids(madre, "casefile")
    assert madre.hidden == 0  # left out by a filter is not "outside the scope"
    assert f"casefile-{world['case_b'].pk}" in _ids(build_network(user, start, Filters(depth=2)), "casefile")
    # Role: only the alleged traffickers among the persons.
    traffickers = build_network(user, start, Filters(depth=1, role="alleged_trafficker"))
    roles = {node.role for node in traffickers.nodes if node.kind == "person"}
    assert roles and all("tratante" in role.lower() or "trafficker" in role.lower() for role in roles)


def test_a_victim_is_never_named(world: dict, personas: dict, complaints: dict) -> None:
    user = personas["national_investigator"]
    network = build_network(user, f"casefile-{world['case_a'].pk}", Filters(depth=3))
    victim_node = f"person-{world['victim'].identity_id}"
    labels = {node.id: node.label for node in network.nodes}
    assert victim_node in labels and "protegida" in labels[victim_node].lower() + "protegida"
    assert world["victim"].identity.initials not in labels[victim_node]
    assert "+51999888777" not in labels.values() and any(label == "•••777" for label in labels.values())
    assert labels[f"person-{world['trafficker'].pk}"].startswith("J.H.C.")
    assert PHONE in labels.values()


def _get(user: Any, name: str, **params: Any) -> Any:
    return signed_in_client(user).get(reverse(name), params)


def test_the_page_draws_the_network_and_its_tables_without_names(
    world: dict, personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    user = personas["national_investigator"]
    with django_assert_max_num_queries(100):  # a fixed number per level of the expansion
        response = _get(user, "analysis:network", q=world["case_a"].number, depth=3)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="chart association-chart"' in page
    assert page.count('class="network-node"') == page.count('<g class="node"') > 5
    assert 'class="chart timeline-chart"' in page
    assert all(name not in page for name in _victim_names(complaints, world))
    assert TRAFFICKER[1] not in page
    event = AuditEvent.objects.get(event="analysis_network_viewed")
    assert event.details["nodes"] > 5 and event.details["filters"]["depth"] == 3 and event.details["scope"]
    # Expanding around a node of the table: a link with its start.
    assert f"start=casefile-{world['case_b'].pk}" in page


def test_bad_input_gets_a_clear_message(world: dict, personas: dict) -> None:
    user = personas["national_investigator"]
    page = _get(user, "analysis:network", q="no-existe-123").content.decode()
    assert 'role="alert"' in page and "<svg" not in page
    page = _get(user, "analysis:network", q=world["case_a"].number, date_from="2026-05-01", date_to="2026-01-01")
    assert 'role="alert"' in page.content.decode()
    assert _get(user, "analysis:network", start="casefile-1; drop").status_code == 200
    assert not AuditEvent.objects.filter(event="analysis_network_viewed").exists()


def test_graphml_parses_and_holds_the_network_without_names(world: dict, personas: dict, complaints: dict) -> None:
    user = personas["national_investigator"]
    response = _get(user, "analysis:network_graphml", q=world["case_a"].number, depth=2)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    root = ET.fromstring(response.content)  # noqa: S314 - our own export, parsed as the brief asks
    graph = root.find(f"{GRAPHML}graph")
    nodes = graph.findall(f"{GRAPHML}node")
    edges = graph.findall(f"{GRAPHML}edge")
    network = build_network(user, f"casefile-{world['case_a'].pk}", Filters(depth=2))
    assert len(nodes) == len(network.nodes) and len(edges) == len(network.edges) > 0
    ids = {node.get("id") for node in nodes}
    assert all(edge.get("source") in ids and edge.get("target") in ids for edge in edges)
    text = response.content.decode()
    assert all(name not in text for name in _victim_names(complaints, world))
    event = AuditEvent.objects.get(event="analysis_network_exported")
    assert event.details["format"] == "graphml" and event.details["nodes"] == len(nodes)
    assert event.details["links"] == len(edges) and "scope" in event.details and "filters" in event.details


@pytest.mark.parametrize(
    "name", ["analysis:network_nodes_csv", "analysis:network_links_csv", "analysis:network_i2_csv"]
)
def test_the_csv_exports_are_attachments_masked_and_audited(
    world: dict, personas: dict, complaints: dict, name: str
) -> None:
    user = personas["national_investigator"]
    response = _get(user, name, q=world["case_a"].number, depth=2)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode()
    assert all(victim not in text for victim in _victim_names(complaints, world))
    assert TRAFFICKER[1] not in text
    assert len(text.strip().splitlines()) > 3
    if name == "analysis:network_i2_csv":
        assert text.lstrip("\ufeff").startswith("Entity1 Type,Entity1 Identity,Entity1 Label,Link Type")
    assert AuditEvent.objects.filter(event="analysis_network_exported").count() == 1


def test_the_exports_keep_the_scope_of_the_user(world: dict, personas: dict) -> None:
    user = personas["regional_investigator"]
    response = _get(user, "analysis:network_graphml", q=world["case_a"].number, depth=3)
    text = response.content.decode()
    assert world["case_b"].number not in text and world["lima_complaint"].number not in text
    assert AuditEvent.objects.get(event="analysis_network_exported").details["hidden"] >= 1
    # Nothing to export without a start: a clear message, nothing audited.
    assert _get(user, "analysis:network_graphml").status_code == 400
    assert AuditEvent.objects.filter(event="analysis_network_exported").count() == 1


def test_only_investigators_may_use_the_network(world: dict, personas: dict) -> None:
    for name in ("national_admin", "monitor", "auditor", "station_officer"):
        assert _get(personas[name], "analysis:network", q=world["case_a"].number).status_code == 403
        assert _get(personas[name], "analysis:network_graphml", q=world["case_a"].number).status_code == 403


def test_the_queries_do_not_grow_with_the_rows(world: dict, personas: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from investigations.models import CasePerson, CasePhone
    from people.models import Identity

    user = personas["national_investigator"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _get(user, "analysis:network", q=world["case_a"].number, depth=3).status_code == 200
        return len(queries)

    before = count()
    for index in range(8):
        for case_file in (world["case_a"], world["case_b"]):
            person = CasePerson.objects.create(
                case_file=case_file,
                identity=Identity.objects.create(first_names="Socio", last_names=f"Número {index}"),
                role="alleged_trafficker",
                added_by=user,
            )
            CasePhone.objects.create(case_file=case_file, number=f"+5198100{index:04d}", holder=person, added_by=user)
    assert count() == before


def test_a_confirmed_merge_makes_one_person_of_two_identities(world: dict, personas: dict) -> None:
    """Case file B records the trafficker under a second identity (no shared phone or plate there);
    once the analysts merge the two, the network shows one person, reaching case file B through her."""
    from investigations.models import CasePerson, CasePhone, CaseVehicle
    from people.models import Identity
    from people.services import identity_merge

    user = personas["national_investigator"]
    case_b = world["case_b"]
    CasePhone.objects.filter(case_file=case_b).delete()
    CaseVehicle.objects.filter(case_file=case_b).delete()
    second = Identity.objects.create(first_names="Julio", last_names="Huaman Ccori")
    CasePerson.objects.filter(case_file=case_b, identity=world["trafficker"]).update(identity=second)
    start = f"casefile-{world['case_a'].pk}"

    before = build_network(user, start, Filters(depth=2))
    assert f"casefile-{case_b.pk}" not in _ids(before, "casefile")

    identity_merge(actor=user, survivor=world["trafficker"], merged=second, reason="Mismo DNI en RENIEC.")
    after = build_network(user, start, Filters(depth=2))
    assert f"person-{second.pk}" not in _ids(after, "person")
    assert f"person-{world['trafficker'].pk}" in _ids(after, "person")
    assert f"casefile-{case_b.pk}" in _ids(after, "casefile")
