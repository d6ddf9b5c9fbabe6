"""The alert inbox of a unit, its acknowledgement, and the unread count in the navigation bar."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from administration.models import Role
from audit.models import AuditEvent
from complaints.models import Alert
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/denuncias/alertas/"


def ack_url(alert: Alert) -> str:
    return reverse("complaints:alert_acknowledge", kwargs={"pk": alert.pk})


def divintrap_alert(complaints: dict) -> Alert:
    return Alert.objects.get(complaint=complaints["frozen"], unit__code="DIVINTRAP")


@pytest.fixture
def madre_de_dios_investigator(units: dict) -> Client:
    user = UserFactory(
        username="mdd.investigator", unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"], role=Role.REGIONAL_INVESTIGATOR
    )
    return signed_in_client(user)


def test_the_inbox_shows_the_alerts_of_the_users_unit_only(
    clients: dict, complaints: dict, madre_de_dios_investigator: Client
) -> None:
    frozen = complaints["frozen"]
    national = clients["national_investigator"].get(INBOX)
    assert national.status_code == 200
    assert [(a.unit.code, a.complaint_id) for a in national.context["page"]] == [("DIVINTRAP", frozen.pk)]
    html = national.content.decode()
    assert frozen.number in html and "consistente con trata de personas" in html
    assert 'class="error priority-high"' in html and f'id="acknowledge-{divintrap_alert(complaints).pk}"' in html
    assert reverse("complaints:complaint_detail", kwargs={"pk": frozen.pk}) in html

    regional = madre_de_dios_investigator.get(INBOX)
    assert [a.unit.code for a in regional.context["page"]] == ["DIRTEPOL-MADRE-DE-DIOS-TRATA"]
    # Cusco's specialised unit is not competent for facts in Madre de Dios.
    assert list(clients["regional_investigator"].get(INBOX).context["page"]) == []


def test_unacknowledged_alerts_come_first_and_high_priority_first_among_them(
    clients: dict, complaints: dict, personas: dict
) -> None:
    frozen, unit = complaints["frozen"], personas["national_investigator"].unit
    high = divintrap_alert(complaints)
    now = timezone.now()
    old_read = Alert.objects.create(
        complaint=frozen, unit=unit, priority="high", outcome="trafficking", acknowledged_at=now
    )
    normal = Alert.objects.create(
        complaint=frozen, unit=unit, priority="normal", outcome="trafficking_incomplete", created_at=now
    )
    high.created_at = now - datetime.timedelta(days=1)
    high.save()
    page = clients["national_investigator"].get(INBOX).context["page"]
    assert [alert.pk for alert in page] == [high.pk, normal.pk, old_read.pk]


def test_acknowledging_records_who_and_when_and_an_audit_event(clients: dict, complaints: dict, personas: dict) -> None:
    alert = divintrap_alert(complaints)
    before = timezone.now()
    response = clients["national_investigator"].post(ack_url(alert), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == INBOX
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas["national_investigator"]
    assert alert.acknowledged_at >= before
    event = AuditEvent.objects.get(event="alert_acknowledged", object_id=str(alert.pk))
    assert event.user_name == "national.investigator" and event.unit_code == "DIVINTRAP"
    html = clients["national_investigator"].get(INBOX).content.decode()
    assert f'id="acknowledge-{alert.pk}"' not in html
    assert alert.acknowledged_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M") in html


def test_acknowledging_twice_keeps_the_first_acknowledgement(clients: dict, complaints: dict, personas: dict) -> None:
    alert = divintrap_alert(complaints)
    clients["national_investigator"].post(ack_url(alert))
    clients["national_admin"].post(ack_url(alert))
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas["national_investigator"]
    assert AuditEvent.objects.filter(event="alert_acknowledged").count() == 1


@pytest.mark.parametrize("persona", ["station_officer", "hotline_operator", "monitor", "auditor", "outsider"])
def test_roles_without_alerts_are_refused(clients: dict, complaints: dict, persona: str) -> None:
    alert = divintrap_alert(complaints)
    assert clients[persona].get(INBOX).status_code == 403
    assert clients[persona].post(ack_url(alert)).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_alert_of_another_unit_is_not_found(clients: dict, complaints: dict) -> None:
    alert = divintrap_alert(complaints)
    assert clients["regional_investigator"].post(ack_url(alert)).status_code == 404
    missing = reverse("complaints:alert_acknowledge", kwargs={"pk": 999999})
    assert clients["national_investigator"].post(missing).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_needs_a_post(clients: dict, complaints: dict) -> None:
    assert clients["national_investigator"].get(ack_url(divintrap_alert(complaints))).status_code == 405


# ---------------------------------------------------------------- the badge in the navigation bar


def test_the_unread_count_is_on_every_page_and_drops_after_acknowledging(clients: dict, complaints: dict) -> None:
    client = clients["national_investigator"]
    for url in ("/", INBOX, "/administracion/unidades/"):
        response = client.get(url)
        assert response.context["unread_alerts"] == 1
        entry = next(e for e in response.context["nav_entries"] if e["url"] == INBOX)
        assert entry["badge"] == 1
        assert 'id="nav-badge-unread_alerts">1<' in response.content.decode()
    client.post(ack_url(divintrap_alert(complaints)))
    response = client.get("/")
    assert response.context["unread_alerts"] == 0
    assert 'id="nav-badge-unread_alerts"' not in response.content.decode()
    assert any(e["url"] == INBOX for e in response.context["nav_entries"])  # the entry stays


def test_users_who_may_not_see_alerts_get_no_count_and_no_entry(clients: dict, complaints: dict) -> None:
    response = clients["station_officer"].get("/")
    assert "unread_alerts" not in response.context
    assert all(e["url"] != INBOX for e in response.context["nav_entries"])


def test_the_unread_count_costs_one_query_per_page(clients: dict, complaints: dict) -> None:
    client = clients["national_investigator"]
    for url in ("/", INBOX):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper() and "alert" in q["sql"]]
        counts = [sql for sql in counts if "acknowledged_at" in sql and "IS NULL" in sql.upper()]
        assert len(counts) == (1 if url == "/" else 2)  # the inbox also counts its own summary


def test_the_inbox_runs_a_bounded_number_of_queries(
    clients: dict, complaints: dict, personas: dict, django_assert_max_num_queries: Any
) -> None:
    unit = personas["national_investigator"].unit
    for number in range(30):
        Alert.objects.create(
            complaint=complaints["frozen"],
            unit=unit,
            priority="high" if number % 2 else "normal",
            outcome="trafficking",
            acknowledged_at=timezone.now() if number % 3 == 0 else None,
            acknowledged_by=personas["national_investigator"] if number % 3 == 0 else None,
        )
    with django_assert_max_num_queries(10):
        response = clients["national_investigator"].get(INBOX)
    assert len(response.context["page"]) == 31
    assert response.context["unread"] == 21 and response.context["unread_high"] == 11
