"""National administrators manage accounts; every change is recorded (SECURITY.md 1, 13)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from administration.models import User
from audit.models import AuditEvent
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def new_account_data(units: dict, **overrides: object) -> dict:
    data = {
        "username": "Nuevo.Oficial",
        "first_name": "Pedro",
        "last_name": "Apaza",
        "document_number": "31234567",
        "email": "pedro.apaza@policia.gob.pe",
        "unit": units["DIRTEPOL-CUSCO-CPNP-1"].pk,
        "role": "station_officer",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "new_password1": "clave temporal de pedro",
        "new_password2": "clave temporal de pedro",
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_an_account_that_must_change_its_password(personas: dict, units: dict) -> None:
    admin = signed_in_client(personas["national_admin"])
    response = admin.post(reverse("administration:user_create"), new_account_data(units))
    account = User.objects.get(username="nuevo.oficial")
    assert response["Location"] == reverse("administration:user_detail", kwargs={"pk": account.pk})
    assert account.must_change_password and account.unit.code == "DIRTEPOL-CUSCO-CPNP-1"
    event = AuditEvent.objects.get(event="user_created")
    assert event.user_name == "national.admin" and event.object_repr == "nuevo.oficial"
    assert "clave temporal" not in str(event.details)
    client = Client()
    client.post("/acceso/", {"username": "nuevo.oficial", "password": "clave temporal de pedro"})
    assert client.get("/")["Location"] == reverse("password_change")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"new_password1": "corta", "new_password2": "corta"}, "new_password1"),
        ({"new_password2": "otra clave distinta"}, "new_password2"),
        ({"expires_on": "2001-01-01"}, "expires_on"),
        ({"username": "station.officer"}, "username"),
        ({"role": "hotline_operator"}, "unit"),  # a hotline operator cannot sit in a police station
        ({"unit": ""}, "unit"),
    ],
)
def test_bad_account_data_is_refused_with_a_message_and_saves_nothing(
    personas: dict, units: dict, overrides: dict, field: str
) -> None:
    admin = signed_in_client(personas["national_admin"])
    before = User.objects.count()
    response = admin.post(reverse("administration:user_create"), new_account_data(units, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == before


def test_deactivating_an_account_closes_it_and_is_recorded(personas: dict, password: str) -> None:
    officer_client = signed_in_client(personas["station_officer"])
    admin = signed_in_client(personas["national_admin"])
    pk = personas["station_officer"].pk
    admin.post(reverse("administration:user_set_active", kwargs={"pk": pk}), {"active": "0"})
    assert not User.objects.get(pk=pk).is_active
    assert officer_client.get("/").status_code == 302
    assert Client().post("/acceso/", {"username": "station.officer", "password": password}).status_code == 200
    assert AuditEvent.objects.filter(event="user_deactivated", object_id=str(pk)).exists()


def test_editing_an_account_records_old_and_new_values_in_history(personas: dict, units: dict) -> None:
    admin = signed_in_client(personas["national_admin"])
    officer = personas["station_officer"]
    data = {
        "username": officer.username,
        "first_name": "Ana María",
        "last_name": officer.last_name,
        "document_number": "",
        "email": officer.email,
        "unit": officer.unit_id,
        "role": officer.role,
        "expires_on": officer.expires_on.isoformat(),
    }
    response = admin.post(reverse("administration:user_edit", kwargs={"pk": officer.pk}), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(event="user_updated")
    assert event.details["changes"]["first_name"] == ["Ana", "Ana María"]
    latest = officer.history.latest()
    assert latest.first_name == "Ana María" and latest.history_user == personas["national_admin"]


def test_a_temporary_password_set_by_an_administrator_is_recorded(personas: dict) -> None:
    admin = signed_in_client(personas["national_admin"])
    pk = personas["station_officer"].pk
    response = admin.post(
        reverse("administration:user_reset_password", kwargs={"pk": pk}),
        {"new_password1": "temporal larga 2026", "new_password2": "temporal larga 2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=pk).must_change_password
    assert AuditEvent.objects.filter(event="password_reset_by_admin", object_id=str(pk)).exists()


def test_an_outsider_gets_not_found_for_a_unit_of_another_directorate(personas: dict, units: dict) -> None:
    outsider = signed_in_client(personas["outsider"])
    cusco_station = units["DIRTEPOL-CUSCO-CPNP-1"].pk
    assert outsider.get(reverse("administration:unit_detail", kwargs={"pk": cusco_station})).status_code == 404
    listing = outsider.get(reverse("administration:unit_list")).content.decode()
    assert "Comisaría PNP Cusco" not in listing and "Comisaría PNP Lima" in listing


def test_a_regional_investigator_sees_the_whole_directorate_and_nothing_else(personas: dict, units: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    listing = client.get(reverse("administration:unit_list")).content.decode()
    assert "Comisaría PNP Cusco" in listing and "X DIRTEPOL Cusco" in listing
    assert "Comisaría PNP Lima" not in listing
