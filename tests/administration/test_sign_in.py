"""Sign-in, lockout, sessions and passwords (SECURITY.md 1-7)."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration import services
from audit.models import AuditEvent
from reta.middleware import SESSION_SEEN, SESSION_STARTED
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
LOGIN = "/acceso/"


def post_login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_station_officer_signs_in_and_lands_on_home(personas: dict, password: str) -> None:
    client = Client()
    response = post_login(client, "station.officer", password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event="login", user_name="station.officer").exists()


def test_five_failures_lock_the_user_name_even_for_the_right_password(personas: dict, password: str) -> None:
    client = Client()
    statuses = [post_login(client, "station.officer", "incorrecta-123456").status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    response = post_login(client, "station.officer", password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="lockout", user_name="station.officer").exists()


def test_the_lock_is_per_user_name_not_per_address(personas: dict, password: str) -> None:
    client = Client()
    for _ in range(5):
        post_login(client, "station.officer", "incorrecta-123456")
    assert post_login(Client(), "hotline.operator", password).status_code == 302


def test_the_lock_ends_after_ten_minutes(personas: dict, password: str) -> None:
    client = Client()
    for _ in range(5):
        post_login(client, "station.officer", "incorrecta-123456")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=11))
    assert post_login(client, "station.officer", password).status_code == 302


def test_an_administrator_can_release_a_locked_account(personas: dict, password: str) -> None:
    for _ in range(5):
        post_login(Client(), "station.officer", "incorrecta-123456")
    services.user_unlock(actor=personas["national_admin"], user=personas["station_officer"])
    assert post_login(Client(), "station.officer", password).status_code == 302
    assert AuditEvent.objects.filter(event="user_unlocked").exists()


def test_an_unknown_user_and_a_wrong_password_get_the_same_page(personas: dict) -> None:
    unknown = post_login(Client(), "nadie", "incorrecta-123456")
    wrong = post_login(Client(), "station.officer", "incorrecta-123456")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_an_expired_or_deactivated_account_gets_the_same_answer_as_a_wrong_password(
    personas: dict, password: str
) -> None:
    officer = personas["station_officer"]
    officer.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    officer.save()
    expired = post_login(Client(), "station.officer", password)
    wrong = post_login(Client(), "hotline.operator", "incorrecta-123456")
    assert expired.status_code == 200
    assert expired.context["form"].errors == wrong.context["form"].errors


def test_an_open_session_ends_when_the_account_expires(personas: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    assert client.get("/").status_code == 200
    officer = personas["station_officer"]
    officer.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    officer.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def age_session(client: Client, *, idle: float = 0, started: float = 0) -> None:
    session = client.session
    now = time.time()
    session[SESSION_SEEN] = now - idle
    session[SESSION_STARTED] = now - started
    session.save()


def test_thirty_idle_minutes_end_the_session_on_the_server(personas: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    client.get("/")
    age_session(client, idle=31 * 60, started=31 * 60)
    key = client.session.session_key
    response = client.get("/administracion/unidades/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/administracion/unidades/"
    assert not Session.objects.filter(session_key=key).exists()


def test_a_busy_session_still_ends_after_twelve_hours(personas: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    client.get("/")
    age_session(client, idle=60, started=12 * 3600 + 60)
    assert client.get("/").status_code == 302


def test_an_active_session_goes_on(personas: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    client.get("/")
    age_session(client, idle=29 * 60, started=11 * 3600)
    assert client.get("/").status_code == 200


def test_sign_out_deletes_the_session_on_the_server(personas: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    client.get("/")
    key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("new_password", "accepted"),
    [
        ("corto-11chr", False),  # 11 characters
        ("password1234", False),  # common
        ("123456789012", False),  # common and numeric
        ("x" * 129, False),
        ("mi llama come quinua", True),  # a phrase, no composition rules
        ("y" * 12 + "z" * 116, True),  # exactly 128
    ],
)
def test_password_rules(personas: dict, password: str, new_password: str, accepted: bool) -> None:
    client = signed_in_client(personas["station_officer"])
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert (response.status_code == 302) is accepted


def test_changing_the_password_ends_the_session_and_the_new_one_works(personas: dict, password: str) -> None:
    client = signed_in_client(personas["station_officer"])
    new = "cuatro palabras bien largas"
    response = client.post(
        reverse("password_change"), {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302
    assert post_login(Client(), "station.officer", new).status_code == 302
    assert AuditEvent.objects.filter(event="password_changed", object_repr="station.officer").exists()


def test_a_temporary_password_must_be_changed_before_anything_else(personas: dict) -> None:
    services.user_reset_password(
        actor=personas["national_admin"], user=personas["station_officer"], temporary_password="temporal-de-prueba-1"
    )
    client = Client()
    assert post_login(client, "station.officer", "temporal-de-prueba-1").status_code == 302
    response = client.get("/administracion/unidades/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


def test_a_hand_over_to_another_unit_ends_the_open_sessions(personas: dict, units: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    assert client.get("/").status_code == 200
    services.user_update(
        actor=personas["national_admin"], user=personas["station_officer"], unit=units["DIRTEPOL-LIMA-CPNP-1"]
    )
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(event="user_handover")
    assert event.details["changes"]["unit"] == ["DIRTEPOL-CUSCO-CPNP-1", "DIRTEPOL-LIMA-CPNP-1"]


# ------------------------------------------------------------------ second factor


def test_a_national_administrator_needs_the_code_after_the_password(personas: dict, password: str) -> None:
    client = Client()
    response = post_login(client, "national.admin", password)
    assert response["Location"] == reverse("otp_verify")
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get(reverse("administration:user_list")).status_code == 302
    device = TOTPDevice.objects.get(user=personas["national_admin"])
    response = client.post(reverse("otp_verify"), {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert response.status_code == 200 and response.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait; the test does not
    response = client.post(reverse("otp_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("administration:user_list")).status_code == 200


def test_five_wrong_codes_send_the_administrator_back_to_the_password(personas: dict, password: str) -> None:
    client = Client()
    post_login(client, "national.admin", password)
    device = TOTPDevice.objects.get(user=personas["national_admin"])
    wrong = "000000" if current_code(device) != "000000" else "111111"
    for _ in range(5):
        response = client.post(reverse("otp_verify"), {"token": wrong})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("otp_verify"))["Location"] == reverse("login")


def test_an_administrator_session_without_the_second_factor_cannot_administer(personas: dict) -> None:
    client = Client()
    client.force_login(personas["national_admin"])  # password only, no code
    assert client.get(reverse("administration:user_list")).status_code == 403


def test_a_new_administrator_enrols_a_device_at_first_sign_in(personas: dict, password: str) -> None:
    TOTPDevice.objects.filter(user=personas["national_admin"]).delete()
    client = Client()
    post_login(client, "national.admin", password)
    page = client.get(reverse("otp_verify"))
    assert page.context["enrolling"] and page.context["otp_secret"]
    device = TOTPDevice.objects.get(user=personas["national_admin"], confirmed=False)
    assert client.post(reverse("otp_verify"), {"token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_any_user_may_turn_on_the_second_factor(personas: dict, password: str) -> None:
    client = signed_in_client(personas["station_officer"])
    client.get(reverse("otp_enrol"))
    device = TOTPDevice.objects.get(user=personas["station_officer"])
    assert client.post(reverse("otp_enrol"), {"token": current_code(device)}).status_code == 302
    assert post_login(Client(), "station.officer", password)["Location"] == reverse("otp_verify")


# ------------------------------------------------------------------ password recovery


def test_password_recovery_answers_the_same_for_a_known_and_an_unknown_address(personas: dict, mailoutbox) -> None:
    known = Client().post(reverse("password_reset"), {"email": "station.officer@policia.gob.pe"})
    unknown = Client().post(reverse("password_reset"), {"email": "nadie@policia.gob.pe"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [message.to for message in mailoutbox] == [["station.officer@policia.gob.pe"]]


def test_the_recovery_link_sets_a_new_password_once(personas: dict, mailoutbox) -> None:
    import re

    Client().post(reverse("password_reset"), {"email": "station.officer@policia.gob.pe"})
    link = re.search(r"https?://[^/]+(/acceso/recuperar/\S+/)", mailoutbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    new = "una frase nueva y larga"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("password_reset_complete")
    assert post_login(Client(), "station.officer", new).status_code == 302
    assert not client.get(link, follow=True).context["validlink"]
    assert AuditEvent.objects.filter(event="password_reset_by_email").exists()
