"""Numbers stay unique when many stations submit at the same moment (SECURITY.md 25)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from complaints import services
from complaints.models import Complaint
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 20


def test_twenty_concurrent_submissions_get_twenty_distinct_numbers(personas: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    officer = personas["station_officer"]
    drafts = [services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios()) for _ in range(SUBMISSIONS)]
    barrier = threading.Barrier(SUBMISSIONS)
    errors: list[BaseException] = []

    def submit(draft: Complaint) -> None:
        try:
            barrier.wait(timeout=30)
            services.complaint_submit(actor=officer, complaint=draft)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    numbers = list(Complaint.objects.filter(status="submitted").values_list("number", flat=True))
    assert len(numbers) == SUBMISSIONS
    assert len(set(numbers)) == SUBMISSIONS
    assert sorted(int(number[-6:]) for number in numbers) == list(range(1, SUBMISSIONS + 1))
