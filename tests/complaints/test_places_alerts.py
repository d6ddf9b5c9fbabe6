"""Issue 10, item 4: the places of the route, alerts that reach someone, and their escalation."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from administration.models import District, Role
from audit.models import AuditEvent
from complaints import services
from complaints.alerts import alert_receivers, no_account_notes
from complaints.freeze import FrozenRecordError
from complaints.models import Alert, Complaint, ComplaintPlace
from complaints.services import PlaceData
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

# A fixed moment, whatever today is (the facts of the sample are of 2026-11-20).
T0 = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


def cusco() -> District:
    return District.objects.get(code="080101")


def recruited_in_cusco(**overrides: object) -> services.ComplaintData:
    """The issue's case: recruited in Cusco, exploited in a bar of Madre de Dios (the place of the facts)."""
    places = [PlaceData(role="recruitment", district=cusco(), address="Terminal terrestre", kind="transport")]
    return bar_in_madre_de_dios(places=places, **overrides)


@pytest.fixture
def mdd_investigator(units: dict) -> object:
    return UserFactory(
        username="mdd.investigator", unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"], role=Role.REGIONAL_INVESTIGATOR
    )


@pytest.fixture
def at_t0() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def received(complaint: object) -> list[str]:
    return sorted(Alert.objects.filter(complaint=complaint).values_list("unit__code", flat=True))


# ---------------------------------------------------------------- routing


def test_recruitment_in_cusco_and_exploitation_in_madre_de_dios_alert_both_units_and_divintrap_once(
    personas: dict, mdd_investigator: object
) -> None:
    data = recruited_in_cusco()
    # The same department twice (the bar is the place of the facts AND a place of exploitation):
    # still one alert to its unit.
    data.places.append(PlaceData(role="exploitation", district=data.place_district))
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    assert received(complaint) == ["DIRTEPOL-CUSCO-TRATA", "DIRTEPOL-MADRE-DE-DIOS-TRATA", "DIVINTRAP"]
    mdd = Alert.objects.get(complaint=complaint, unit__code="DIRTEPOL-MADRE-DE-DIOS-TRATA")
    assert mdd.place_roles == ["facts", "exploitation"] and mdd.basis == "place" and mdd.priority == "high"
    assert Alert.objects.get(complaint=complaint, unit__code="DIRTEPOL-CUSCO-TRATA").place_roles == ["recruitment"]
    assert Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP").basis == "national"
    # The route is kept with the complaint, frozen, and read back for the form.
    assert [(p.role, p.district_id, p.position) for p in complaint.places.all()] == [
        ("recruitment", "080101", 1),
        ("exploitation", "170101", 2),
    ]
    assert services.complaint_data_of(complaint).places[0] == data.places[0]
    # The Cusco unit was alerted about facts it does not hold: it sees the complaint it must act on.
    assert Complaint.objects.visible_to(personas["regional_investigator"]).filter(pk=complaint.pk).exists()


def test_the_receivers_are_known_before_anything_is_saved(personas: dict, mdd_investigator: object) -> None:
    """The review page asks the same function with the form's data."""
    receivers = alert_receivers(recruited_in_cusco())
    assert sorted(unit.code for unit, _reason in receivers) == [
        "DIRTEPOL-CUSCO-TRATA",
        "DIRTEPOL-MADRE-DE-DIOS-TRATA",
        "DIVINTRAP",
    ]
    reasons = {unit.code: str(reason) for unit, reason in receivers}
    assert reasons["DIRTEPOL-CUSCO-TRATA"] == "competente por: captación"
    assert no_account_notes(receivers) == []  # every unit has an account here
    assert alert_receivers(bar_in_madre_de_dios(conducts=[], means=[], purposes=[])) == []
    assert Alert.objects.count() == 0


def test_an_alert_to_a_unit_without_an_account_also_reaches_its_directorate_and_the_officer_is_told(
    personas: dict, clients: dict
) -> None:
    """Nobody works in Madre de Dios' specialised unit (no account there in this tree)."""
    complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    assert received(complaint) == ["DIRTEPOL-MADRE-DE-DIOS", "DIRTEPOL-MADRE-DE-DIOS-TRATA", "DIVINTRAP"]
    directorate = Alert.objects.get(complaint=complaint, unit__code="DIRTEPOL-MADRE-DE-DIOS")
    assert directorate.basis == "no_account" and directorate.instead_of.code == "DIRTEPOL-MADRE-DE-DIOS-TRATA"
    assert Alert.objects.get(complaint=complaint, unit__code="DIRTEPOL-MADRE-DE-DIOS-TRATA").no_account
    # The same sentence before anything is saved (a review page) and after (the result page).
    assert no_account_notes(alert_receivers(bar_in_madre_de_dios())) == no_account_notes(complaint.alerts.all())
    page = clients["station_officer"].get(f"/denuncias/{complaint.pk}/resultado/").content.decode()
    assert "DIRTEPOL Madre de Dios" in page and "no tiene ninguna cuenta activa" in page


def test_an_expired_or_non_investigator_account_does_not_count(personas: dict, units: dict) -> None:
    UserFactory(username="mdd.officer", unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"], role=Role.STATION_OFFICER)
    UserFactory(
        username="mdd.gone",
        unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"],
        role=Role.REGIONAL_INVESTIGATOR,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    codes = sorted(unit.code for unit, _reason in alert_receivers(bar_in_madre_de_dios()))
    assert "DIRTEPOL-MADRE-DE-DIOS" in codes


def test_a_related_crime_with_no_account_goes_to_divintrap_too(personas: dict) -> None:
    data = bar_in_madre_de_dios(conducts=[], means=[], purposes=[], related_facts=["promotes_prostitution"])
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    assert complaint.outcome == "related_crime" and complaint.alert_priority == "normal"
    assert received(complaint) == ["DIRTEPOL-MADRE-DE-DIOS", "DIRTEPOL-MADRE-DE-DIOS-TRATA", "DIVINTRAP"]


def test_a_place_of_the_route_without_a_district_is_refused_and_nothing_is_saved(personas: dict) -> None:
    data = bar_in_madre_de_dios(places=[PlaceData(role="recruitment")])
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=personas["station_officer"], data=data)
    assert "distrito del lugar 1" in error.value.message
    assert not ComplaintPlace.objects.exists() and not Alert.objects.exists()


# ---------------------------------------------------------------- frozen with the complaint


def test_the_places_are_frozen_with_the_complaint(personas: dict) -> None:
    complaint = services.complaint_file(actor=personas["station_officer"], data=recruited_in_cusco())
    place = complaint.places.get()
    place.address = "otra"
    with pytest.raises(FrozenRecordError):
        place.save()
    with pytest.raises(FrozenRecordError):
        place.delete()
    with pytest.raises(FrozenRecordError):
        ComplaintPlace.objects.filter(pk=place.pk).update(address="otra")
    with pytest.raises(FrozenRecordError):
        ComplaintPlace(complaint=complaint, role="transit", district=cusco()).save()
    assert complaint.places.get().address == "Terminal terrestre"


def test_a_draft_keeps_its_places_and_an_amendment_changes_them_with_history(personas: dict) -> None:
    officer = personas["station_officer"]
    draft = services.complaint_save_draft(actor=officer, data=recruited_in_cusco())
    data = services.complaint_data_of(draft)
    assert [(p.role, p.district.code) for p in data.places] == [("recruitment", "080101")]
    data.places = []
    draft = services.complaint_save_draft(actor=officer, data=data, complaint=draft)
    assert not draft.places.exists()
    data.places = [PlaceData(role="transit", district=cusco())]
    complaint = services.complaint_file(actor=officer, data=data, complaint=draft)
    amended = services.complaint_data_of(complaint)
    amended.places[0].role = "recruitment"
    admin = personas["national_admin"]
    admin.is_verified = lambda: True  # signed in with the second factor
    complaint = services.complaint_amend(
        actor=admin, complaint=complaint, data=amended, reason="Captación, no tránsito.", expected_version=1
    )
    assert complaint.places.get().role == "recruitment"
    assert [r.role for r in ComplaintPlace.history.filter(complaint_id=complaint.pk).order_by("history_id")][-2:] == [
        "transit",
        "recruitment",
    ]
    # A place added by an amendment alerts the unit competent for it (and its directorate: no account
    # there in this tree), never again the units alerted already.
    before = set(Alert.objects.filter(complaint=complaint).values_list("unit__code", flat=True))
    assert "DIRTEPOL-LIMA-TRATA" not in before
    amended = services.complaint_data_of(complaint)
    amended.places.append(PlaceData(role="exploitation", district=District.objects.get(code="150101")))
    complaint = services.complaint_amend(
        actor=admin, complaint=complaint, data=amended, reason="También fue explotada en Lima.", expected_version=2
    )
    new = Alert.objects.filter(complaint=complaint, reason="amended")
    assert sorted(new.values_list("unit__code", flat=True)) == ["DIRTEPOL-LIMA", "DIRTEPOL-LIMA-TRATA"]


# ---------------------------------------------------------------- escalation


def test_an_unacknowledged_high_alert_escalates_after_24_hours_and_not_before(
    personas: dict, at_t0: time_machine.Coordinates
) -> None:
    complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    divintrap = Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP")
    assert divintrap.priority == "high"
    at_t0.move_to(T0 + datetime.timedelta(hours=23, minutes=59))
    call_command("escalate_alerts", verbosity=0)
    divintrap.refresh_from_db()
    assert divintrap.overdue_at is None and not Alert.objects.filter(escalated_from__isnull=False).exists()

    at_t0.move_to(T0 + datetime.timedelta(hours=24))
    call_command("escalate_alerts", verbosity=0)
    divintrap.refresh_from_db()
    assert divintrap.overdue_at == T0 + datetime.timedelta(hours=24)
    escalation = divintrap.escalations.get()
    assert escalation.unit.code == "DIRINCRI" and escalation.basis == "escalation" and escalation.priority == "high"
    # The specialised unit's alert goes to its directorate, which has one already (no account
    # there): marked overdue, no second alert in the directorate's inbox.
    trata = Alert.objects.get(complaint=complaint, unit__code="DIRTEPOL-MADRE-DE-DIOS-TRATA")
    assert trata.overdue_at is not None and not trata.escalations.exists()
    assert Alert.objects.filter(complaint=complaint, unit__code="DIRTEPOL-MADRE-DE-DIOS").count() == 1
    assert AuditEvent.objects.filter(event="alert_escalated", object_id=str(divintrap.pk)).count() == 1

    # Idempotent: a second run (and a third, later) escalates nothing again.
    total = Alert.objects.count()
    call_command("escalate_alerts", verbosity=0)
    at_t0.move_to(T0 + datetime.timedelta(hours=30))
    call_command("escalate_alerts", verbosity=0)
    assert Alert.objects.count() == total
    assert AuditEvent.objects.filter(event="alert_escalated", object_id=str(divintrap.pk)).count() == 1


def test_an_acknowledged_alert_never_escalates(personas: dict, at_t0: time_machine.Coordinates) -> None:
    complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    divintrap = Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP")
    services.alert_acknowledge(actor=personas["national_investigator"], alert=divintrap)
    at_t0.move_to(T0 + datetime.timedelta(days=10))
    call_command("escalate_alerts", verbosity=0)
    divintrap.refresh_from_db()
    assert divintrap.overdue_at is None and not divintrap.escalations.exists()


def test_a_normal_alert_escalates_after_72_hours(personas: dict, at_t0: time_machine.Coordinates) -> None:
    data = bar_in_madre_de_dios(conducts=[], means=[], purposes=[], related_facts=["promotes_prostitution"])
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    divintrap = Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP")
    assert divintrap.priority == "normal"
    at_t0.move_to(T0 + datetime.timedelta(hours=71, minutes=59))
    call_command("escalate_alerts", verbosity=0)
    assert not Alert.objects.filter(overdue_at__isnull=False).exists()
    at_t0.move_to(T0 + datetime.timedelta(hours=72))
    call_command("escalate_alerts", verbosity=0)
    assert divintrap.escalations.get().unit.code == "DIRINCRI"


def test_the_inbox_shows_overdue_and_escalated_alerts(
    personas: dict, clients: dict, at_t0: time_machine.Coordinates
) -> None:
    complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    at_t0.move_to(T0 + datetime.timedelta(hours=25))
    inbox = clients["national_investigator"].get("/denuncias/alertas/").content.decode()
    assert "Vencida" in inbox  # past its deadline, before the command ran
    call_command("escalate_alerts", verbosity=0)
    inbox = clients["national_investigator"].get("/denuncias/alertas/").content.decode()
    assert "Vencida" in inbox and "Escalada a DIRINCRI" in inbox
    dirincri = UserFactory(
        username="dirincri.jefe", unit=personas["national_investigator"].unit.parent, role=Role.NATIONAL_INVESTIGATOR
    )
    page = signed_in_client(dirincri).get("/denuncias/alertas/").content.decode()
    assert complaint.number in page and "Escalada desde DIVINTRAP" in page


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_escalate_once(personas: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Row locks: MySQL/MariaDB only.")
    import threading

    with time_machine.travel(T0, tick=False):
        complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    divintrap = Alert.objects.get(complaint=complaint, unit__code="DIVINTRAP")
    later = T0 + datetime.timedelta(hours=25)
    barrier = threading.Barrier(4)

    def run() -> None:
        try:
            barrier.wait()
            services.alert_escalate(alert=divintrap, now=later, actor_name="test")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert divintrap.escalations.count() == 1
    assert AuditEvent.objects.filter(event="alert_escalated", object_id=str(divintrap.pk)).count() == 1
    with transaction.atomic():
        assert Alert.objects.get(pk=divintrap.pk).overdue_at == later
