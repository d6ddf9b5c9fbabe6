"""Shared fixtures: the small unit tree, one persona per role plus an outsider, signed-in clients."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.administration import PERSONAS, TEST_PASSWORD, UserFactory, small_tree

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves are synchronous and safe (DEVELOPERS.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def units(db: Any) -> dict:
    return small_tree()


@pytest.fixture
def personas(units: dict) -> dict:
    """One user per role (BRIEF.md), plus `outsider`: a station officer in Lima."""
    users = {}
    for name, (unit_code, role) in PERSONAS.items():
        users[name] = UserFactory(username=name.replace("_", "."), unit=units[unit_code], role=role)
    TOTPDevice.objects.get_or_create(user=users["national_admin"], name="RETA", defaults={"confirmed": True})
    return users


def signed_in_client(user: Any) -> Client:
    """A client with a session opened as a real sign-in would (second factor included)."""
    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clients(personas: dict) -> dict:
    return {name: signed_in_client(user) for name, user in personas.items()}


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def complaints(personas: dict) -> dict:
    """A frozen complaint of the Cusco station about facts in Madre de Dios, and a draft."""
    from complaints.services import complaint_file, complaint_save_draft
    from tests.factories.complaints import bar_in_madre_de_dios

    officer = personas["station_officer"]
    frozen = complaint_file(actor=officer, data=bar_in_madre_de_dios())
    draft = complaint_save_draft(actor=officer, data=bar_in_madre_de_dios(narrative="Borrador en curso."))
    return {"frozen": frozen, "draft": draft}
