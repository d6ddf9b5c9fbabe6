"""Sign-in as a person does it: Spanish with the use notice, lockout, language, expiry."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_page_is_in_spanish_with_the_use_notice(page: Any, personas: dict, password: str) -> None:
    page.goto(page.base_url + "/")
    assert page.url.startswith(page.base_url + "/acceso/")
    assert page.locator("html").get_attribute("lang") == "es-PE"
    assert page.get_by_role("heading", name="Aviso de uso").is_visible()
    assert "uso es monitoreado" in page.locator(".use-notice").inner_text()
    shot(page, "login-es")
    sign_in(page, "station.officer", password)
    assert page.get_by_role("heading", name="Bienvenido, Ana").is_visible()
    assert "Comisaría PNP Cusco" in page.locator(".user-box").inner_text()
    shot(page, "home-station-officer")


def test_five_failures_lock_the_account_with_a_clear_message(page: Any, personas: dict, password: str) -> None:
    for _attempt in range(5):
        sign_in(page, "station.officer", "una-clave-equivocada")
    message = page.get_by_role("alert").inner_text()
    assert "bloqueada" in message and "10 minutos" in message
    shot(page, "login-locked")
    sign_in(page, "station.officer", password)  # the right password does not open it now
    assert "bloqueada" in page.get_by_role("alert").inner_text()


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(page: Any, personas: dict) -> None:
    sign_in(page, "nadie.existe", "una-clave-equivocada")
    unknown = page.locator(".form-errors").inner_text()
    sign_in(page, "station.officer", "una-clave-equivocada")
    wrong = page.locator(".form-errors").inner_text()
    assert unknown == wrong
    assert "no son correctos" in wrong


def test_the_language_switch_turns_the_interface_to_english_and_back(page: Any, personas: dict, password: str) -> None:
    sign_in(page, "station.officer", password)
    # With JavaScript the choice submits the switch by itself (static/js/reta.js).
    with page.expect_navigation():
        page.get_by_label("Idioma").select_option("en")
    page.get_by_role("heading", name="Welcome, Ana").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "home-english")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("es")
    page.get_by_role("heading", name="Bienvenido, Ana").wait_for()


def test_the_language_switch_works_without_javascript(browser: Any, live_server: Any, personas: dict) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(live_server.url + "/acceso/")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    page.get_by_role("heading", name="Use notice").wait_for()
    context.close()


def test_an_expired_session_sends_the_user_back_to_sign_in(page: Any, personas: dict, password: str) -> None:
    sign_in(page, "station.officer", password)
    page.get_by_role("heading", name="Bienvenido, Ana").wait_for()
    # Thirty idle minutes, without waiting them: age the server-side session.
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from reta.middleware import SESSION_SEEN

    for row in Session.objects.all():
        store = SessionStore(session_key=row.session_key)
        if store.get("_auth_user_id"):
            store[SESSION_SEEN] = time.time() - 31 * 60
            store.save()
    page.goto(page.base_url + "/administracion/unidades/")
    assert "/acceso/" in page.url
    assert "Su sesión expiró" in page.locator(".messages").inner_text()
    shot(page, "session-expired")
