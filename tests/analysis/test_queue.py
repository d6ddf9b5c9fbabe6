"""The stored candidate queue (issue 12): the national list of candidates reads
`analysis.CandidatePair`, kept current after every change of an identity's keys (the signals, on
commit), so that an identity recorded long ago gets its candidates listed like today's; decided
pairs leave it for good; a regional investigator sees the pairs whose both sides she may see and
the count of the others; the list is paginated with a bounded number of queries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from analysis import services
from analysis.models import CandidatePair
from analysis.queue import Filters, queue_page, refresh_identities
from audit.models import AuditEvent
from people.models import Identity, IdentityDocument
from tests.analysis.conftest import add_person

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Any:
    from tests.conftest import signed_in_client

    return signed_in_client(user)


def _pairs(user: Any, **filters: Any) -> set[tuple[int, int]]:
    found = queue_page(user, Filters(**filters), per_page=1000)
    return {(row.a, row.b) for row in found.rows}


def _shown(pair: tuple[int, int]) -> str:
    """How the list names a pair (identity numbers, no names)."""
    return f">#{pair[0]} · #{pair[1]}</th>"


def _pair(a: Any, b: Any) -> tuple[int, int]:
    return tuple(sorted((a.pk, b.pk)))  # type: ignore[return-value]


def test_adding_a_dni_to_an_identity_makes_its_pair_appear(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    national = personas["national_investigator"]
    first = two_cases["first"].identity
    other = add_person(two_cases["lima"], national, "Rosa", "Ccama Flores", dni="70809010", role="victim").identity
    assert _pair(first, other) not in _pairs(national)

    with django_capture_on_commit_callbacks(execute=True):  # the officer's write commits: the signals run
        IdentityDocument.objects.create(identity=other, document_type="dni", number="44556677", source="investigation")

    assert _pair(first, other) in _pairs(national)
    row = CandidatePair.objects.get(identity_a=min(_pair(first, other)), identity_b=max(_pair(first, other)))
    assert row.strong and row.score >= 0.9
    body = _client(national).get(reverse("analysis:candidates")).content.decode()
    assert _shown(_pair(first, other)) in body and "mismo DNI" in body

    with django_capture_on_commit_callbacks(execute=True):  # and removing it removes the pair
        IdentityDocument.objects.filter(identity=other).delete()
    assert _pair(first, other) not in _pairs(national)


def test_a_phone_of_a_case_file_moves_the_pairs_of_its_holders(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    from investigations.models import CasePhone

    national = personas["national_investigator"]
    cusco, lima = two_cases["cusco"], two_cases["lima"]
    holder = add_person(cusco, personas["regional_investigator"], "Rosa", "Ccama", dni="70809010", role="victim")
    other = add_person(lima, national, "Pedro", "Apaza", dni="10203040", role="victim")
    pair = _pair(holder.identity, other.identity)
    assert pair not in _pairs(national)

    with django_capture_on_commit_callbacks(execute=True):
        CasePhone.objects.create(case_file=lima, number="+51984111222", holder=other, added_by=national)
        phone = CasePhone.objects.create(
            case_file=cusco, number="+51984111222", holder=holder, added_by=personas["regional_investigator"]
        )
    assert pair in _pairs(national)
    assert "same_phone" in CandidatePair.objects.get(identity_a=pair[0], identity_b=pair[1]).reasons

    with django_capture_on_commit_callbacks(execute=True):  # the phone is nobody's now: its old holder's pair goes
        phone.holder = None
        phone.save()
    assert pair not in _pairs(national)


def test_a_rejected_pair_leaves_the_queue_and_never_returns(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    national = personas["national_investigator"]
    first, second = two_cases["first"].identity, two_cases["second"].identity
    pair = _pair(first, second)
    assert pair in _pairs(national)

    services.match_reject(national, first, second, "Homónimos con DNI mal digitado.")
    assert not CandidatePair.objects.filter(identity_a=pair[0], identity_b=pair[1]).exists()

    with django_capture_on_commit_callbacks(execute=True):  # a later edit of either identity
        IdentityDocument.objects.create(identity=second, document_type="ce", number="44556677", source="investigation")
    refresh_identities(pair)
    call_command("rebuild_candidate_queue", stdout=io.StringIO())
    assert not CandidatePair.objects.filter(identity_a=pair[0], identity_b=pair[1]).exists()
    # Even a row written by a refresh that raced the decision is never listed.
    CandidatePair.objects.create(identity_a_id=pair[0], identity_b_id=pair[1], score=0.95, strong=True)
    assert pair not in _pairs(national)
    assert _shown(pair) not in _client(national).get(reverse("analysis:candidates")).content.decode()


def test_a_confirmed_pair_and_the_pairs_inside_its_family_leave_the_queue(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    national = personas["national_investigator"]
    first, second = two_cases["first"].identity, two_cases["second"].identity
    third = add_person(two_cases["lima"], national, "J.", "Huamán", role="victim").identity  # the same DNI
    assert {_pair(first, second), _pair(first, third), _pair(second, third)} <= _pairs(national)

    with django_capture_on_commit_callbacks(execute=True):
        services.match_confirm(national, first, second, "Mismo DNI, misma fecha.")
        services.match_confirm(national, third, first, "Mismo DNI.")

    remaining = _pairs(national)
    # Nothing left inside the family: the confirmed pairs, and second-third (now one family).
    assert not {_pair(first, second), _pair(first, third), _pair(second, third)} & remaining
    assert not CandidatePair.objects.filter(identity_a__in=[first.pk, second.pk, third.pk]).exists()


def test_an_unmerge_brings_back_no_rejected_pair(
    personas: dict, two_cases: dict, django_capture_on_commit_callbacks: Any
) -> None:
    national = personas["national_investigator"]
    a, b = two_cases["first"].identity, two_cases["second"].identity  # four identities, one DNI
    c = add_person(two_cases["lima"], national, "J.", "Huamán", role="victim").identity
    d = add_person(two_cases["lima"], national, "Julio", "Huamán Q.", role="suspect").identity
    services.match_reject(national, a, c, "Otra persona: el padre.")
    with django_capture_on_commit_callbacks(execute=True):
        first_merge = services.match_confirm(national, a, b, "Mismo DNI.").merge
        services.match_confirm(national, a, d, "Mismo DNI.")
    assert _pairs(national) == {_pair(b, c), _pair(c, d)}  # b-d: one family now

    with django_capture_on_commit_callbacks(execute=True):
        services.match_undo(national, first_merge, "Eran hermanos.")

    # b stands alone again: b-d comes back; neither the rejected a-c nor the undone a-b does.
    assert _pairs(national) == {_pair(b, c), _pair(c, d), _pair(b, d)}


def test_an_old_identity_is_listed_behind_more_than_300_newer_ones(personas: dict, two_cases: dict) -> None:
    national = personas["national_investigator"]
    pair = _pair(two_cases["first"].identity, two_cases["second"].identity)
    Identity.objects.bulk_create(
        Identity(first_names=f"Persona {n}", last_names="Reciente", sex="F") for n in range(320)
    )
    assert Identity.objects.filter(pk__gt=pair[1]).count() > 300
    response = _client(national).get(reverse("analysis:candidates"))
    assert _shown(pair) in response.content.decode()


def test_a_regional_investigator_sees_pairs_of_her_scope_and_counts_the_others(personas: dict, two_cases: dict) -> None:
    regional, national = personas["regional_investigator"], personas["national_investigator"]
    cusco = two_cases["cusco"]
    inside_a = add_person(cusco, regional, "Ana", "Condori Mamani", dni="11112222", role="victim").identity
    inside_b = add_person(cusco, regional, "Ana María", "Condori Mamani", dni="11112222", role="victim").identity
    across = _pair(two_cases["first"].identity, two_cases["second"].identity)  # Cusco and DIVINTRAP
    inside = _pair(inside_a, inside_b)

    assert _pairs(national) == {across, inside}
    found = queue_page(regional, Filters())
    assert {(row.a, row.b) for row in found.rows} == {inside} and found.outside_count == 1

    body = _client(regional).get(reverse("analysis:candidates")).content.decode()
    assert _shown(inside) in body and _shown(across) not in body
    assert "1 candidato involucra registros fuera de su ámbito" in body
    assert queue_page(regional, Filters(min_score=0.99)).outside_count == 0  # the filters count too


def test_the_filters_keep_strong_pairs_a_region_and_a_minimum_score(
    personas: dict, units: dict, two_cases: dict
) -> None:
    national = personas["national_investigator"]
    across = _pair(two_cases["first"].identity, two_cases["second"].identity)
    weak_a, weak_b = Identity.objects.bulk_create([Identity(first_names="X", last_names="Y") for _ in range(2)])
    CandidatePair.objects.create(identity_a=weak_a, identity_b=weak_b, score=0.5, strong=False, reasons="same_alias")

    assert _pairs(national) == {across, (weak_a.pk, weak_b.pk)}
    assert _pairs(national, strong_only=True) == {across}
    assert _pairs(national, min_score=0.6) == {across}
    assert _pairs(national, region=units["DIRTEPOL-CUSCO"]) == {across}  # the Cusco side is there
    assert _pairs(national, region=units["DIRTEPOL-LIMA"]) == set()

    client = _client(national)
    url = reverse("analysis:candidates")
    filtered = client.get(url, {"strong": "on", "region": units["DIRTEPOL-CUSCO"].pk, "min_score": "0.6"})
    assert filtered.status_code == 200 and _shown(across) in filtered.content.decode()
    assert _shown((weak_a.pk, weak_b.pk)) not in filtered.content.decode()
    wrong = client.get(url, {"min_score": "2"})
    assert wrong.status_code == 400 and 'role="alert"' in wrong.content.decode()
    page = client.get(url).content.decode()
    for label in ('for="id_strong"', 'for="id_region"', 'for="id_min_score"', "Puntaje mínimo"):
        assert label in page
    event = AuditEvent.objects.filter(event="match_candidates_viewed").order_by("-pk").first()
    assert event is not None and event.details["shown"] == 2


def _bulk_pairs(count: int, *, score_step: float = 0.001) -> list[tuple[int, int]]:
    identities = Identity.objects.bulk_create([Identity(first_names="N", last_names="N") for _ in range(2 * count)])
    rows = [
        CandidatePair(
            identity_a=identities[2 * n],
            identity_b=identities[2 * n + 1],
            score=round(0.9 - n * score_step, 4),
            strong=True,
            reasons="same_phone",
        )
        for n in range(count)
    ]
    CandidatePair.objects.bulk_create(rows)
    return [(row.identity_a_id, row.identity_b_id) for row in rows]


def test_the_list_is_paginated_best_score_first_keeping_the_filters(personas: dict) -> None:
    pairs = _bulk_pairs(60)
    client = _client(personas["national_investigator"])
    url = reverse("analysis:candidates")

    first = client.get(url, {"strong": "on"}).content.decode()
    assert _shown(pairs[0]) in first and _shown(pairs[24]) in first
    assert _shown(pairs[25]) not in first
    assert "Página 1 de 3" in first and "strong=on" in first and "page=2" in first

    last = client.get(url, {"strong": "on", "page": "3"}).content.decode()
    assert _shown(pairs[59]) in last and _shown(pairs[0]) not in last
    assert client.get(url, {"page": "99"}).status_code == 200  # past the end: the last page
    # Ties on the score: the newest identity first.
    tie = _bulk_pairs(2, score_step=0)
    rows = queue_page(personas["national_investigator"], Filters(min_score=0.9)).rows
    assert [(row.a, row.b) for row in rows][:2] == [tie[1], tie[0]]


@pytest.mark.parametrize("persona", ["national_investigator", "regional_investigator"])
def test_a_page_runs_the_same_queries_whatever_the_size_of_the_queue(
    personas: dict, two_cases: dict, django_assert_max_num_queries: Any, persona: str
) -> None:
    client = _client(personas[persona])
    url = reverse("analysis:candidates")
    _bulk_pairs(5)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url, {"page": "1"}).status_code == 200
    _bulk_pairs(400)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"page": "2", "strong": "on"}).status_code == 200


def test_the_rebuild_command_writes_the_queue_from_the_whole_index(personas: dict, two_cases: dict) -> None:
    pair = _pair(two_cases["first"].identity, two_cases["second"].identity)
    stray_a, stray_b = Identity.objects.bulk_create([Identity(first_names="X", last_names="Y") for _ in range(2)])
    CandidatePair.objects.all().delete()
    CandidatePair.objects.create(identity_a=stray_a, identity_b=stray_b, score=0.4)  # the index proposes nothing

    out = io.StringIO()
    call_command("rebuild_candidate_queue", "--chunk-size", "1", stdout=out)

    assert set(CandidatePair.objects.values_list("identity_a", "identity_b")) == {pair}
    assert "1 pairs (1 strong) from 2 identities" in out.getvalue() and "1 old rows deleted" in out.getvalue()
