"""Decisions on candidate matches, merges and unmerges of identities, "seen elsewhere" (issue 12,
items 2 and 3): a merge keeps every record's own values and the survivor lists its sources; an
unmerge restores exactly; a rejected pair is never proposed again; every decision is audited; two
analysts confirming the same pair at once merge it once; each page keeps to the user's scope."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse

from analysis import services
from analysis.models import MatchDecision
from analysis.seen import seen_elsewhere, sources
from audit.models import AuditEvent
from investigations.models import CasePerson
from people.models import Identity, IdentityMerge, IdentityUnmerge
from people.services import MergeError, identity_family, identity_family_ids

pytestmark = pytest.mark.django_db


def _snapshot(identity: Identity) -> dict[str, Any]:
    """Everything an identity holds: its own fields and every row of it, and what points at it."""
    identity.refresh_from_db()
    return {
        "fields": {f.name: getattr(identity, f.attname) for f in Identity._meta.concrete_fields},
        "names": list(identity.names.values_list("pk", "kind", "name", "source")),
        "documents": list(identity.documents.values_list("pk", "document_type", "number", "key")),
        "phones": list(identity.phones.values_list("pk", "number")),
        "case_roles": list(CasePerson.objects.filter(identity=identity).values_list("pk", "case_file", "role")),
    }


def _confirm(personas: dict, two_cases: dict, reason: str = "Mismo DNI, misma fecha.") -> MatchDecision:
    first, second = two_cases["first"].identity, two_cases["second"].identity
    return services.match_confirm(personas["national_investigator"], first, second, reason)


def test_a_merge_keeps_every_records_values_and_the_survivor_lists_its_sources(personas: dict, two_cases: dict) -> None:
    first, second = two_cases["first"].identity, two_cases["second"].identity
    before_second = _snapshot(second)
    decision = _confirm(personas, two_cases)

    assert decision.decision == MatchDecision.Decision.CONFIRMED
    assert (decision.identity_a_id, decision.identity_b_id) == tuple(sorted((first.pk, second.pk)))
    merged = Identity.objects.get(pk=second.pk)
    assert merged.merged_into_id == first.pk and merged.resolved().pk == first.pk
    after_second = _snapshot(second)
    # The merged identity keeps its own name, rows and case roles: only the pointer is new.
    assert after_second["fields"].pop("merged_into") == first.pk
    assert before_second["fields"].pop("merged_into") is None
    assert after_second == before_second
    assert CasePerson.objects.get(pk=two_cases["second"].pk).identity_id == second.pk
    assert [member.pk for member in identity_family(second)] == [first.pk, second.pk]
    # The pointer is a change in the identity's own history (the person's history page reads it).
    assert Identity.history.filter(id=second.pk, merged_into=first.pk).exists()

    rows = sources(identity_family_ids(first), personas["national_investigator"])
    assert {(row.kind, row.number) for row in rows} == {
        ("case_file", two_cases["cusco"].number),
        ("case_file", two_cases["lima"].number),
    }
    page = _client(personas["national_investigator"]).get(reverse("analysis:identity", args=[second.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert two_cases["cusco"].number in body and two_cases["lima"].number in body
    assert "Huamán" not in body and "44556677" not in body  # masked: initials only


def test_an_unmerge_restores_exactly(personas: dict, two_cases: dict) -> None:
    first, second = two_cases["first"].identity, two_cases["second"].identity
    before = (_snapshot(first), _snapshot(second))
    decision = _confirm(personas, two_cases)
    services.match_undo(personas["national_investigator"], decision.merge, "Eran hermanos.")

    assert (_snapshot(first), _snapshot(second)) == before
    assert identity_family_ids(second) == [second.pk]
    assert IdentityMerge.objects.count() == 1 and IdentityUnmerge.objects.count() == 1  # nothing deleted
    undone = MatchDecision.objects.get(decision=MatchDecision.Decision.UNDONE)
    assert undone.reverses_id == decision.pk
    with pytest.raises(MergeError):
        services.match_undo(personas["national_investigator"], decision.merge, "Otra vez.")


def test_a_merge_chain_unmerges_one_link_only(personas: dict, two_cases: dict) -> None:
    from tests.analysis.conftest import add_person

    third = add_person(two_cases["lima"], personas["national_investigator"], "J.", "Huamán", role="victim").identity
    first_merge = _confirm(personas, two_cases).merge
    services.match_confirm(personas["national_investigator"], third, two_cases["second"].identity, "Mismo DNI.")
    assert set(identity_family_ids(third)) == {
        two_cases["first"].identity.pk,
        two_cases["second"].identity.pk,
        third.pk,
    }
    services.match_undo(personas["national_investigator"], first_merge, "Error.")
    assert set(identity_family_ids(third)) == {two_cases["first"].identity.pk, third.pk}
    assert identity_family_ids(two_cases["second"].identity) == [two_cases["second"].identity.pk]


def test_decisions_are_audited(personas: dict, two_cases: dict) -> None:
    from tests.analysis.conftest import add_person

    decision = _confirm(personas, two_cases)
    services.match_undo(personas["national_investigator"], decision.merge, "Error.")
    other = add_person(two_cases["lima"], personas["national_investigator"], "Pedro", "Quispe", dni="11223344").identity
    services.match_reject(personas["national_investigator"], two_cases["first"].identity, other, "Otra persona.")
    events = list(AuditEvent.objects.values_list("event", flat=True))
    for event in ("identity_merged", "identity_unmerged", "match_confirmed", "match_rejected"):
        assert event in events, event
    assert events.count("identity_merged") == 2  # one per identity, shown in each one's history


def test_a_reason_is_required_and_nothing_is_saved_without_it(personas: dict, two_cases: dict) -> None:
    first, second = two_cases["first"].identity, two_cases["second"].identity
    client = _client(personas["national_investigator"])
    url = reverse("analysis:candidate", args=[first.pk, second.pk])
    response = client.post(url, {"decision": "confirmed", "reason": "   "})
    assert response.status_code == 400
    assert "motivo" in response.content.decode().lower()
    assert not MatchDecision.objects.exists() and not IdentityMerge.objects.exists()
    response = client.post(url, {"decision": "confirmed", "reason": "Mismo DNI."})
    assert response.status_code == 302
    assert IdentityMerge.objects.count() == 1


def test_a_rejected_pair_is_not_proposed_again(personas: dict, two_cases: dict) -> None:
    from analysis.queue import queue_for

    national = personas["national_investigator"]
    first, second = two_cases["first"].identity, two_cases["second"].identity
    pair = tuple(sorted((first.pk, second.pk)))
    assert pair in {(row.a, row.b) for row in queue_for(national).rows}
    services.match_reject(national, first, second, "Homónimos con DNI mal digitado.")
    assert pair not in {(row.a, row.b) for row in queue_for(national).rows}
    with pytest.raises(MergeError):
        services.match_reject(national, second, first, "Otra vez.")


def test_seen_elsewhere_keeps_to_the_scope(personas: dict, two_cases: dict) -> None:
    _confirm(personas, two_cases)
    cusco_person = two_cases["first"]
    regional = seen_elsewhere(
        cusco_person.identity, personas["regional_investigator"], exclude_case_file=two_cases["cusco"]
    )
    assert regional.visible == [] and regional.outside_count == 1 and regional.outside_units == ["DIVINTRAP"]
    national = seen_elsewhere(
        cusco_person.identity, personas["national_investigator"], exclude_case_file=two_cases["cusco"]
    )
    assert [row.number for row in national.visible] == [two_cases["lima"].number] and national.outside_count == 0

    page = _client(personas["regional_investigator"]).get(
        reverse("investigations:case_person_detail", args=[two_cases["cusco"].pk, cusco_person.pk])
    )
    body = page.content.decode()
    assert 'id="seen-elsewhere"' in body and "DIVINTRAP" in body and two_cases["lima"].number not in body


def test_pages_keep_to_the_scope(personas: dict, two_cases: dict) -> None:
    first, second = two_cases["first"].identity, two_cases["second"].identity
    regional = _client(personas["regional_investigator"])
    assert regional.get(reverse("analysis:identity", args=[first.pk])).status_code == 200
    assert regional.get(reverse("analysis:identity", args=[second.pk])).status_code == 404
    assert regional.get(reverse("analysis:candidate", args=[first.pk, second.pk])).status_code == 404
    assert _client(personas["station_officer"]).get(reverse("analysis:candidates")).status_code == 403


def test_pages_run_a_bounded_number_of_queries(
    personas: dict, two_cases: dict, django_assert_max_num_queries: Any
) -> None:
    _confirm(personas, two_cases)
    client = _client(personas["national_investigator"])
    with django_assert_max_num_queries(40):
        assert client.get(reverse("analysis:identity", args=[two_cases["first"].identity.pk])).status_code == 200


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_of_one_pair_merge_once(personas: dict, complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    from tests.analysis.conftest import build_two_cases

    cases = build_two_cases(personas, complaints["frozen"])
    first, second = cases["first"].identity, cases["second"].identity
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def confirm(a: Identity, b: Identity) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(services.match_confirm(personas["national_investigator"], a, b, "Mismo DNI."))
        except MergeError as error:
            outcomes.append(error)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(("unexpected", error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 2 and not any(isinstance(o, tuple) for o in outcomes), outcomes
    assert sum(isinstance(o, MergeError) for o in outcomes) == 1
    assert IdentityMerge.objects.count() == 1
    assert MatchDecision.objects.count() == 1


def _client(user: Any) -> Any:
    from tests.conftest import signed_in_client

    return signed_in_client(user)


def test_every_caller_of_the_index_skips_a_decided_pair(personas: dict, two_cases: dict) -> None:
    from analysis.candidates import candidates_for

    first, second = two_cases["first"].identity, two_cases["second"].identity
    assert second.pk in {c.other_id for c in candidates_for(first.pk)}
    services.match_reject(personas["national_investigator"], first, second, "Personas distintas.")
    assert second.pk not in {c.other_id for c in candidates_for(first.pk)}  # no exclude_pairs given
