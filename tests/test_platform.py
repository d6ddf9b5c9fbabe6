"""Headers, language, error pages and the try-out data (SECURITY.md 17, 21; BRIEF.md Language)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from administration.models import User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(personas: dict) -> None:
    response = signed_in_client(personas["station_officer"]).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_the_interface_is_spanish_even_for_an_english_browser() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/acceso/")
    assert response["Content-Language"] == "es"
    assert "Aviso de uso" in response.content.decode()


def test_the_language_switch_keeps_english_until_switched_back() -> None:
    client = Client()
    response = client.post("/idioma/", {"language": "en", "next": "/acceso/"})
    assert response.status_code == 302
    assert "Use notice" in client.get("/acceso/").content.decode()
    client.post("/idioma/", {"language": "es", "next": "/acceso/"})
    assert "Aviso de uso" in client.get("/acceso/").content.decode()


def test_an_unknown_page_gets_the_spanish_not_found_page(personas: dict) -> None:
    response = signed_in_client(personas["station_officer"]).get("/no-existe/")
    assert response.status_code == 404
    assert "No encontrado" in response.content.decode()


def test_every_page_requires_sign_in_except_the_allow_list() -> None:
    response = Client().get("/administracion/unidades/")
    assert response.status_code == 302 and response["Location"].startswith("/acceso/")


def test_the_demo_data_loads_twice_without_changing_anything(settings: Any, monkeypatch: Any) -> None:
    """The accounts; the demo complaints' own idempotence is tests/demo/test_demo_data.py's (loading
    them twice here cost a minute of the suite)."""
    settings.DEBUG = True  # a try-out (make run writes DEBUG=True); the test runner turns it off
    monkeypatch.setattr(
        "demo.management.commands.load_demo_data.demo_complaints_ensure",
        lambda: {"imported": 0, "present": 0, "recent": 0},
    )
    call_command("load_reference_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "admin.nacional" in out.getvalue() and "clave:" in out.getvalue()
    users = {u.username: (u.password, u.unit_id) for u in User.objects.all()}
    history = User.history.count()
    call_command("load_demo_data", stdout=io.StringIO())
    assert {u.username: (u.password, u.unit_id) for u in User.objects.all()} == users
    assert User.history.count() == history
    assert set(users) == {
        "oficial.cusco",
        "operador.0800",
        "investigador.cusco",
        "investigador.divintrap",
        "admin.nacional",
        "monitor.ddhh",
        "auditor",
        "oficial.lima",
    }


def test_the_demo_data_refuses_to_load_when_debug_is_off(settings: Any) -> None:
    """Known passwords and a printed TOTP secret have no place outside a try-out."""
    settings.DEBUG = False
    call_command("load_reference_data", stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError, match="DEBUG=True"):
        call_command("load_demo_data", stdout=out)
    assert User.objects.count() == 0
    assert "clave:" not in out.getvalue() and "admin.nacional" not in out.getvalue()
