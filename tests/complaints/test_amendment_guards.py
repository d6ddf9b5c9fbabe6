"""Issue 9, items 2-3: the ORM freeze guard covers the base manager, `Model.save`'s UPDATE,
`bulk_update` and raw deletes; a failed amendment restores every guard (the context variable and,
on MariaDB, the database lease)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from complaints import freeze, services
from complaints.freeze import FrozenGuardQuerySet, FrozenRecordError, amendment, amendment_active
from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim, Person

pytestmark = pytest.mark.django_db

GUARDED = (Complaint, Person, ComplaintVictim, ComplaintSuspect)
ON_MYSQL = connection.vendor == "mysql"
CHANGEABLE = {Complaint: "narrative", Person: "alias", ComplaintVictim: "age", ComplaintSuspect: "description"}


def _frozen_rows(frozen: Complaint) -> dict[type, models.Model]:
    victim = frozen.victims.get()
    return {Complaint: frozen, ComplaintVictim: victim, ComplaintSuspect: frozen.suspects.get(), Person: victim.person}


def _raw_update_refused(frozen: Complaint) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE complaints_complaint SET narrative = 'alterado' WHERE id = %s", [frozen.pk])
    except DatabaseError as error:
        return "frozen complaint" in str(error)
    return False


@pytest.mark.parametrize("model", GUARDED, ids=lambda model: model.__name__)
def test_the_base_manager_is_the_freeze_guard(model: type[models.Model]) -> None:
    assert isinstance(model._base_manager.all(), FrozenGuardQuerySet)


@pytest.mark.parametrize("model", GUARDED, ids=lambda model: model.__name__)
def test_base_manager_update_delete_and_bulk_update_of_a_frozen_row_are_refused(
    model: type[models.Model], complaints: dict
) -> None:
    row = _frozen_rows(complaints["frozen"])[model]
    queryset = model._base_manager.filter(pk=row.pk)
    with pytest.raises(FrozenRecordError):
        queryset.update(pk=row.pk)
    with pytest.raises(FrozenRecordError):
        queryset.delete()
    with pytest.raises(FrozenRecordError):
        queryset._raw_delete(queryset.db)
    with pytest.raises(FrozenRecordError), transaction.atomic():
        model._base_manager.bulk_update([row], [CHANGEABLE[model]])
    with pytest.raises(FrozenRecordError), transaction.atomic():  # Model.save's UPDATE, past the model's check
        models.Model.save(row)
    assert model._base_manager.filter(pk=row.pk).exists()


def test_bulk_update_of_a_frozen_complaint_does_not_change_it(complaints: dict) -> None:
    frozen = complaints["frozen"]
    frozen.narrative = "alterado por bulk_update"
    with pytest.raises(FrozenRecordError), transaction.atomic():
        Complaint._base_manager.bulk_update([frozen], ["narrative"])
    with pytest.raises(FrozenRecordError), transaction.atomic():
        Complaint.objects.bulk_update([frozen], ["narrative"])
    assert Complaint.objects.get(pk=frozen.pk).narrative != "alterado por bulk_update"


def test_drafts_still_change_through_every_path(complaints: dict) -> None:
    draft = complaints["draft"]
    draft.narrative = "uno"
    Complaint._base_manager.bulk_update([draft], ["narrative"])
    Complaint._base_manager.filter(pk=draft.pk).update(narrative="dos")
    draft.narrative = "tres"
    models.Model.save(draft)
    assert Complaint.objects.get(pk=draft.pk).narrative == "tres"
    victim = draft.victims.get()
    victim.age = 33
    ComplaintVictim._base_manager.bulk_update([victim], ["age"])
    assert ComplaintVictim.objects.get(pk=victim.pk).age == 33


def test_inside_an_amendment_the_frozen_rows_change(complaints: dict) -> None:
    frozen = complaints["frozen"]
    with transaction.atomic(), amendment(frozen.pk):
        Complaint._base_manager.filter(pk=frozen.pk).update(narrative="enmendado")
    assert Complaint.objects.get(pk=frozen.pk).narrative == "enmendado"


def test_an_exception_in_the_block_restores_the_guards(complaints: dict) -> None:
    frozen = complaints["frozen"]
    with pytest.raises(RuntimeError), transaction.atomic(), amendment(frozen.pk):
        assert amendment_active()
        raise RuntimeError("falla a mitad de la enmienda")
    assert not amendment_active()
    with pytest.raises(FrozenRecordError):
        Complaint.objects.filter(pk=frozen.pk).update(narrative="después")
    if ON_MYSQL:
        assert _raw_update_refused(frozen)


def test_a_database_error_in_the_block_restores_the_guards_and_keeps_its_own_exception(complaints: dict) -> None:
    """The old guard ran `SET @reta_amendment = NULL` in a broken transaction: that raised, hid the
    IntegrityError, and left both guards lifted."""
    frozen, draft = complaints["frozen"], complaints["draft"]
    with pytest.raises(IntegrityError), transaction.atomic(), amendment(frozen.pk):
        Complaint.objects.filter(pk=draft.pk).update(number=frozen.number)  # unique: the transaction breaks
    assert not amendment_active()
    with pytest.raises(FrozenRecordError):
        Person.objects.filter(pk=frozen.victims.get().person_id).delete()
    if ON_MYSQL:
        assert _raw_update_refused(frozen)


def test_a_nested_amendment_leaves_the_guards_to_the_outer_one(complaints: dict) -> None:
    frozen = complaints["frozen"]
    with transaction.atomic(), amendment(frozen.pk):
        with amendment(frozen.pk):
            pass
        assert amendment_active()
        Complaint.objects.filter(pk=frozen.pk).update(narrative="dentro de la enmienda externa")
    assert not amendment_active()
    with pytest.raises(FrozenRecordError):
        Complaint.objects.filter(pk=frozen.pk).update(narrative="después")
    if ON_MYSQL:
        assert _raw_update_refused(frozen)


def test_a_failed_amendment_service_call_restores_the_guards(complaints: dict, personas: dict) -> None:
    frozen = complaints["frozen"]
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    with pytest.raises(services.ComplaintError):  # raised inside the amendment block: nothing changed
        services.complaint_amend(
            actor=admin,
            complaint=frozen,
            data=services.complaint_data_of(frozen),
            reason="sin cambios",
            expected_version=1,
        )
    assert not amendment_active()
    with pytest.raises(FrozenRecordError):
        ComplaintVictim.objects.filter(complaint=frozen).update(age=50)
    if ON_MYSQL:
        assert _raw_update_refused(frozen)


@pytest.mark.mysql
@pytest.mark.skipif(not ON_MYSQL, reason="The lease and the triggers exist on MySQL/MariaDB only.")
@pytest.mark.django_db(transaction=True)  # autocommit: the lease is committed, closing the session ends it
def test_when_closing_the_lease_fails_the_connection_is_dropped_with_it(
    complaints: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = complaints["frozen"]
    monkeypatch.setattr(freeze, "CLOSE_LEASE", "CALL reta_no_such_procedure()")
    with pytest.raises(DatabaseError), amendment(frozen.pk):
        pass
    assert not amendment_active()
    assert connection.connection is None  # closed: its lease is no longer anyone's
    assert _raw_update_refused(frozen)  # a new session, a new CONNECTION_ID: no lease


@pytest.mark.mysql
@pytest.mark.skipif(not ON_MYSQL, reason="The lease and the triggers exist on MySQL/MariaDB only.")
def test_a_new_connection_never_inherits_a_lease(complaints: dict) -> None:
    frozen = complaints["frozen"]
    with connection.cursor() as cursor:
        cursor.execute("CALL reta_amendment_open(%s)", [frozen.pk])  # as a crashed session would leave it
    assert not _raw_update_refused(frozen)
    freeze._close_stale_lease(sender=None, connection=connection)  # what connection_created runs
    assert _raw_update_refused(frozen)
