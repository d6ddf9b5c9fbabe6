"""Submissions under contention never fail and never lose a record (SECURITY.md 24-26): many
registrations of one unit at the same moment, through the services and through HTTP; one paper
serial entered by several officers at once; two administrators amending one complaint at once.

On MariaDB only (row locks, deadlock detection); each thread opens its own connection and closes
it, and a barrier makes the threads start together. The retries of `reta.transactions` are counted
from its log: the fixed order of locks (administration.numbering) should make them rare."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from administration.models import Role
from complaints import services
from complaints.catalogues import Origin
from complaints.models import Complaint
from paperforms.services import paper_form_batch_issue
from tests.complaints.test_amend import amend_url, form_data, second_admin
from tests.complaints.test_form import post_data
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]

THREADS = 30
STATION = "DIRTEPOL-CUSCO-CPNP-1"


@pytest.fixture(autouse=True)
def _mysql_only() -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")


def run_together(work: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run each callable in its own thread, all released at once; their results and errors."""
    barrier = threading.Barrier(len(work))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            result = job()
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 - reported by the caller's assertions
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return results, errors


def retries(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for record in caplog.records if record.name == "reta.transactions" and "attempt" in record.message)


def assert_consecutive(numbers: list[str], count: int) -> None:
    assert len(numbers) == count and len(set(numbers)) == count
    assert sorted(int(number[-6:]) for number in numbers) == list(range(1, count + 1))


def test_thirty_registrations_of_one_unit_at_once_all_succeed_with_consecutive_numbers(
    personas: dict, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="reta.transactions")
    officer = personas["station_officer"]
    jobs = [
        (lambda n=n: services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), form_token=f"t-{n}"))
        for n in range(THREADS)
    ]
    results, errors = run_together(jobs)
    print(f"\n{THREADS} concurrent registrations: {len(errors)} errors, {retries(caplog)} retries")
    assert errors == []
    assert len(results) == THREADS
    numbers = list(Complaint.objects.filter(status="submitted").values_list("number", flat=True))
    assert_consecutive(numbers, THREADS)
    assert Complaint.objects.count() == THREADS


def to_review(client: Any, url: str, payload: dict) -> tuple[str, dict]:
    """ "Register complaint" (issue 10.2 saves the draft and shows the review): the review's URL and
    the confirmation it sends."""
    response = client.post(url, payload)
    assert response.status_code == 302, response.status_code
    review = client.get(response["Location"])
    # The officers register the same facts at once: each one answers the duplicate check (issue
    # 10.3) "not the same case", as the review asks when another one was registered meanwhile.
    confirm = {"action": "confirm", "fingerprint": review.context["fingerprint"], "duplicate_decision": "not_same"}
    return response["Location"], confirm


def test_thirty_officers_posting_the_form_at_once_are_all_redirected_to_their_complaint(
    units: dict, personas: dict, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="reta.transactions")
    officers = [
        UserFactory(username=f"agente{n}", unit=units[STATION], role=Role.STATION_OFFICER) for n in range(THREADS)
    ]
    clients = [signed_in_client(officer) for officer in officers]
    payloads = [post_data(bar_in_madre_de_dios(), token=f"http-{n}") for n in range(THREADS)]
    create = reverse("complaints:complaint_create")
    reviews = [to_review(client, create, payload) for client, payload in zip(clients, payloads, strict=True)]
    results, errors = run_together(
        [(lambda c=c, r=r: c.post(r[0], r[1])) for c, r in zip(clients, reviews, strict=True)]
    )
    statuses = sorted(response.status_code for response in results)
    print(f"\n{THREADS} concurrent HTTP registrations: statuses {statuses}, {retries(caplog)} retries")
    assert errors == []
    assert statuses == [302] * THREADS
    complaints = Complaint.objects.filter(status="submitted")
    assert complaints.count() == THREADS
    pks = complaints.values_list("pk", flat=True)
    expected = {reverse("complaints:complaint_result", kwargs={"pk": pk}) for pk in pks}
    assert {response["Location"] for response in results} == expected
    assert_consecutive(list(complaints.values_list("number", flat=True)), THREADS)


def test_a_confirmation_sent_twice_at_once_registers_once_and_both_go_to_the_result(personas: dict) -> None:
    """The double click on "Confirm" of an old computer, or a confirmation sent again over a bad
    connection while the first is being registered: the second waits for the draft's lock, finds
    it registered, and goes to the same result page (never a 403 or a 500)."""
    client = signed_in_client(personas["station_officer"])
    review_url, confirm = to_review(
        client, reverse("complaints:complaint_create"), post_data(bar_in_madre_de_dios(), token="twice")
    )
    again = Client()  # the same browser: the same session cookie
    again.cookies = copy.deepcopy(client.cookies)
    results, errors = run_together([lambda: client.post(review_url, confirm), lambda: again.post(review_url, confirm)])
    assert errors == []
    complaint = Complaint.objects.get()
    assert complaint.status == "submitted" and complaint.number
    result = reverse("complaints:complaint_result", kwargs={"pk": complaint.pk})
    assert [(response.status_code, response["Location"]) for response in results] == [(302, result)] * 2


@pytest.mark.parametrize("entries", [2, 10])
def test_one_paper_serial_entered_at_once_makes_one_complaint_the_others_get_the_duplicate_message(
    units: dict, personas: dict, entries: int
) -> None:
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=units[STATION], count=1).serials.get()
    officers = [
        UserFactory(username=f"papel{n}", unit=units[STATION], role=Role.STATION_OFFICER) for n in range(entries)
    ]
    data = [bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial.serial) for _ in range(entries)]
    results, errors = run_together(
        [(lambda o=o, d=d: services.complaint_file(actor=o, data=d)) for o, d in zip(officers, data, strict=True)]
    )
    assert len(results) == 1, errors
    assert len(errors) == entries - 1
    for error in errors:
        assert isinstance(error, services.ComplaintError), repr(error)
        assert error.field == "paper_serial"
        assert error.message.startswith(f"El formulario {serial.serial} ya fue registrado en la denuncia")
    assert Complaint.objects.count() == 1
    serial.refresh_from_db()
    assert serial.entered_complaint_id == results[0].pk


def test_one_paper_serial_entered_at_once_in_two_units_of_its_directorate_makes_one_complaint(
    units: dict, personas: dict, caplog: pytest.LogCaptureFixture
) -> None:
    """Two units do not share a unit lock: the serial's row decides, and the registration that
    comes second is refused (alerts to the specialised unit may make them wait on each other:
    the retry settles it)."""
    caplog.set_level(logging.WARNING, logger="reta.transactions")
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=units[STATION], count=1).serials.get()
    officers = [personas["station_officer"], personas["regional_investigator"]]  # station, specialised unit
    data = [bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial.serial) for _ in officers]
    results, errors = run_together(
        [(lambda o=o, d=d: services.complaint_file(actor=o, data=d)) for o, d in zip(officers, data, strict=True)]
    )
    print(f"\none serial in two units: {len(errors)} refused, {retries(caplog)} retries")
    assert len(results) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], services.ComplaintError), repr(errors[0])
    assert errors[0].message.startswith(f"El formulario {serial.serial} ya fue registrado en la denuncia")
    assert Complaint.objects.count() == 1


def test_one_paper_serial_posted_at_once_gives_one_complaint_and_the_form_error_never_a_500(
    units: dict, personas: dict
) -> None:
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=units[STATION], count=1).serials.get()
    officers = [UserFactory(username=f"hoja{n}", unit=units[STATION], role=Role.STATION_OFFICER) for n in range(5)]
    clients = [signed_in_client(officer) for officer in officers]
    payloads = [
        post_data(bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial.serial), token=f"p-{n}")
        for n in range(5)
    ]
    create = reverse("complaints:complaint_create")
    reviews = [to_review(client, create, payload) for client, payload in zip(clients, payloads, strict=True)]
    results, errors = run_together(
        [(lambda c=c, r=r: c.post(r[0], r[1])) for c, r in zip(clients, reviews, strict=True)]
    )
    assert errors == []
    assert sorted(response.status_code for response in results) == [200, 200, 200, 200, 302]
    for response in results:
        if response.status_code == 200:
            assert f"El formulario {serial.serial} ya fue registrado en la denuncia" in response.content.decode()
    assert Complaint.objects.filter(status="submitted").count() == 1  # the others stay drafts


def test_two_administrators_amending_at_once_lose_nothing_the_second_gets_the_conflict(
    units: dict, personas: dict, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    admins = [signed_in_client(personas["national_admin"]), signed_in_client(second_admin(units))]
    url = amend_url(frozen)
    forms = [
        form_data(client.get(url), narrative=f"Relato enmendado por el administrador {n}.", reason=f"Corrección {n}")
        for n, client in enumerate(admins)
    ]
    results, errors = run_together([(lambda c=c, f=f: c.post(url, f)) for c, f in zip(admins, forms, strict=True)])
    assert errors == []
    assert sorted(response.status_code for response in results) == [200, 302]
    refused = next(response for response in results if response.status_code == 200)
    assert "Otra persona enmendó esta denuncia" in refused.content.decode()
    frozen.refresh_from_db()
    assert frozen.version == 2
    reasons = list(frozen.history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True))
    winner = next(n for n in range(2) if f"Corrección {n}" in reasons)
    assert f"Corrección {1 - winner}" not in reasons
    assert frozen.narrative == f"Relato enmendado por el administrador {winner}."  # the change kept is the one shown
