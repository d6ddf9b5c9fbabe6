"""Submit = classify + number + alert + freeze, in one transaction; frozen means frozen."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction

from administration.models import Unit, UnitCounter
from audit.models import AuditEvent
from complaints import services
from complaints.freeze import FrozenRecordError
from complaints.models import Alert, Complaint, ComplaintVictim, Person
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


def test_filing_classifies_numbers_alerts_and_freezes(personas: dict, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert complaint.number.startswith("DIRTEPOL-CUSCO-CPNP-1-") and complaint.number.endswith("-000001")
    assert complaint.outcome == "trafficking"
    assert complaint.purpose_categories == ["sexual_exploitation"]
    assert complaint.law_profile == "PE-2021" and complaint.classification["article"] == "129-A"
    assert {"code": "victim_14_to_17_or_incapable", "degree": 1, "article": "129-B"} in (
        complaint.classification["aggravating"]
    )
    assert complaint.is_frozen and complaint.status == Complaint.Status.SUBMITTED
    assert complaint.competent_directorate.code == "DIRTEPOL-MADRE-DE-DIOS"
    alerts = {(a.unit.code, a.priority) for a in Alert.objects.filter(complaint=complaint)}
    # Madre de Dios' specialised unit has no account in this tree: its directorate is alerted too.
    assert alerts == {
        ("DIRTEPOL-MADRE-DE-DIOS-TRATA", "high"),
        ("DIRTEPOL-MADRE-DE-DIOS", "high"),
        ("DIVINTRAP", "high"),
    }
    assert complaint.registration_delay_days >= 9
    assert AuditEvent.objects.filter(event="complaint_submitted", object_id=str(complaint.pk)).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "national.investigator@policia.gob.pe" in recipients
    assert all("Lucía" not in message.body for message in mail.outbox)


def test_the_second_complaint_of_a_unit_gets_the_next_number(personas: dict) -> None:
    first = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    second = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    other = services.complaint_file(actor=personas["hotline_operator"], data=bar_in_madre_de_dios(origin="hotline"))
    assert other.number.startswith("LINEA-0800-") and other.number.endswith("-000001")


def test_the_same_form_sent_twice_creates_one_complaint(personas: dict) -> None:
    first = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(), form_token="t-1")
    again = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(), form_token="t-1")
    assert first.pk == again.pk and Complaint.objects.count() == 1


def test_an_incomplete_complaint_is_refused_and_nothing_is_saved(personas: dict) -> None:
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(victims=[]))
    assert "víctima" in error.value.message
    assert Complaint.objects.count() == 0 and Person.objects.count() == 0


def test_an_error_in_the_middle_of_submission_leaves_nothing_half_saved(personas: dict, monkeypatch) -> None:
    def broken(complaint, **kwargs):  # noqa: ANN001, ANN003, ANN202
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(services, "_raise_alerts", broken)
    with pytest.raises(RuntimeError):
        services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert Complaint.objects.count() == 0
    assert UnitCounter.objects.filter(series="complaint").filter(last_number__gt=0).count() == 0
    assert not AuditEvent.objects.filter(event__startswith="complaint_").exists()


def test_a_frozen_complaint_refuses_save_delete_and_bulk_writes(complaints: dict) -> None:
    frozen = complaints["frozen"]
    frozen.narrative = "otro relato"
    with pytest.raises(FrozenRecordError):
        frozen.save()
    with pytest.raises(FrozenRecordError):
        Complaint.objects.get(pk=frozen.pk).delete()
    with pytest.raises(FrozenRecordError):
        Complaint.objects.filter(pk=frozen.pk).update(narrative="otro")
    with pytest.raises(FrozenRecordError):
        Complaint.objects.filter(pk=frozen.pk).delete()
    victim = frozen.victims.get()
    victim.age = 19
    with pytest.raises(FrozenRecordError):
        victim.save()
    with pytest.raises(FrozenRecordError):
        ComplaintVictim.objects.filter(complaint=frozen).update(age=19)
    person = victim.person
    person.first_names = "Otra"
    with pytest.raises(FrozenRecordError):
        person.save()
    with pytest.raises(FrozenRecordError):
        Person.objects.filter(pk=person.pk).update(first_names="Otra")
    assert Complaint.objects.get(pk=frozen.pk).narrative != "otro relato"


def test_drafts_are_neither_classified_nor_numbered(complaints: dict) -> None:
    draft = complaints["draft"]
    assert draft.number is None and draft.outcome == "" and not draft.is_frozen
    draft.narrative = "se puede corregir"
    draft.save()


@pytest.mark.mysql
def test_the_database_refuses_raw_updates_of_frozen_rows(complaints: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The freeze triggers exist on MySQL/MariaDB only (SQLite is the try-out database).")
    frozen = complaints["frozen"]
    victim = frozen.victims.get()
    statements = [
        ("UPDATE complaints_complaint SET narrative = 'x' WHERE id = %s", frozen.pk),
        ("UPDATE complaints_complaintvictim SET age = 30 WHERE id = %s", victim.pk),
        ("UPDATE complaints_person SET first_names = 'x' WHERE id = %s", victim.person_id),
    ]
    for sql, pk in statements:
        with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
        assert "frozen complaint" in str(error.value)
    assert Complaint.objects.get(pk=frozen.pk).narrative == frozen.narrative


def test_the_alert_goes_to_the_competent_directorate_of_the_place_not_of_the_station(complaints: dict) -> None:
    units = set(Alert.objects.filter(complaint=complaints["frozen"]).values_list("unit__code", flat=True))
    assert "DIRTEPOL-CUSCO-TRATA" not in units
    assert Unit.objects.get(code="DIRTEPOL-MADRE-DE-DIOS-TRATA").code in units
