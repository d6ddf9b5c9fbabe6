"""Case-file numbers stay unique when investigators of one unit open case files at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from investigations import services
from investigations.models import CaseFile

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]

OPENINGS = 10


def test_ten_concurrent_openings_get_ten_consecutive_numbers(personas: dict, complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    investigator = personas["regional_investigator"]
    complaint_pk = complaints["frozen"].pk
    barrier = threading.Barrier(OPENINGS)
    errors: list[BaseException] = []

    def open_one(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            data = services.OpenData(title=f"Carpeta {index}", complaint_ids=[complaint_pk])
            services.case_file_open(actor=investigator, data=data)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(index,)) for index in range(OPENINGS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = sorted(CaseFile.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, OPENINGS + 1))
    assert CaseFile.objects.values("number").distinct().count() == OPENINGS


# ---------------------------------------------------------------- Investigation work


def test_concurrent_exhibits_of_one_case_file_get_consecutive_codes(personas: dict, complaints: dict) -> None:
    """The exhibit codes come from the case file's row lock: recorded at the same moment, they
    are EV-001 to EV-008 without a gap or a repeat."""
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    from django.utils import timezone

    from investigations import work
    from investigations.models import Exhibit

    investigator = personas["regional_investigator"]
    case_file = services.case_file_open(
        actor=investigator, data=services.OpenData(title="Carpeta", complaint_ids=[complaints["frozen"].pk])
    )
    count = 8
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def add_one(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            data = work.ExhibitData(
                description=f"Evidencia {index}",
                kind="document",
                seized_on=timezone.localdate(),
                initial_holder="S3 PNP Rosa Huamán",
            )
            work.case_exhibit_add(actor=investigator, case_file=case_file.pk, data=data)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    codes = sorted(Exhibit.objects.filter(case_file=case_file).values_list("code", flat=True))
    assert codes == [f"EV-{number:03d}" for number in range(1, count + 1)]
