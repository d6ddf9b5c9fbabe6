"""complaints.freeze.registration_checked: the registration, holding its draft's lock, answers the
freeze guard's question for the one save of each row it writes (issue 14, the submit path), and
the guard stays whole: a frozen row is refused, an answer is used once, the complaint's own save
ends them all, a queryset update forgets them, and nothing is answered outside the block."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.freeze import FrozenRecordError, registration_checked
from complaints.models import Complaint, Person

pytestmark = pytest.mark.django_db


def _people(complaint: Complaint) -> list[Person]:
    return [complaint.complainant, *(row.person for row in complaint.victims.all())]


def _asked(capture: CaptureQueriesContext) -> int:
    """The freeze guard's questions about people (`Person.is_frozen`'s EXISTS)."""
    return sum('FROM "complaints_person"' in q["sql"] or "FROM `complaints_person`" in q["sql"] for q in capture)


def _locked(draft: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("complainant").get(pk=draft.pk)


def test_inside_the_block_each_checked_row_is_saved_once_without_asking_again(complaints: dict) -> None:
    with transaction.atomic():
        draft = _locked(complaints["draft"])
        complainant, victim = _people(draft)
        with registration_checked(draft, [complainant, victim]):
            with CaptureQueriesContext(connection) as first:
                complainant.save()
                victim.save()
            with CaptureQueriesContext(connection) as second:
                complainant.save()  # its answer was used: asked again
        with CaptureQueriesContext(connection) as outside:
            victim.save()
    assert (_asked(first), _asked(second), _asked(outside)) == (0, 1, 1)


def test_a_frozen_person_is_refused_inside_the_block(complaints: dict) -> None:
    frozen_victim = complaints["frozen"].victims.get().person
    with transaction.atomic():
        draft = _locked(complaints["draft"])
        with registration_checked(draft, [*_people(draft), frozen_victim]):
            frozen_victim.alias = "Otro"
            with pytest.raises(FrozenRecordError):
                frozen_victim.save()


def test_the_complaints_own_save_ends_every_answer(complaints: dict) -> None:
    with transaction.atomic():
        draft = _locked(complaints["draft"])
        complainant, victim = _people(draft)
        with registration_checked(draft, [complainant, victim]):
            complainant.save()
            draft.frozen_at = timezone.now()
            draft.save()  # freezes it, and its people with it
            victim.alias = "Otro"
            with pytest.raises(FrozenRecordError):
                victim.save()
            with pytest.raises(FrozenRecordError):
                draft.save()


def test_a_queryset_update_in_the_block_forgets_the_answers(complaints: dict) -> None:
    with transaction.atomic():
        draft = _locked(complaints["draft"])
        with registration_checked(draft, _people(draft)):
            Complaint.objects.filter(pk=draft.pk).update(frozen_at=timezone.now())
            with pytest.raises(FrozenRecordError):
                draft.save()


def test_a_frozen_complaint_gets_no_answer(complaints: dict, django_assert_num_queries: Any) -> None:
    with transaction.atomic():
        frozen = _locked(complaints["frozen"])
        people = _people(frozen)
        with django_assert_num_queries(0), registration_checked(frozen, people):
            pass  # nothing asked, nothing answered
        with registration_checked(frozen, []), pytest.raises(FrozenRecordError):
            frozen.save()
