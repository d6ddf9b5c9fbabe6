"""Every named URL, every persona: the status each one gets (SECURITY.md 8-9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import signed_in_client
from tests.permissions import MATRIX, PERSONA_NAMES, named_urls

CASES = [
    pytest.param(route, persona, id=f"{route.name}-{route.method}-{persona}")
    for route in MATRIX
    for persona in PERSONA_NAMES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "persona"), CASES)
def test_each_persona_gets_the_expected_status(
    route: Any, persona: str, units: dict, personas: dict, request: pytest.FixtureRequest
) -> None:
    ctx = {"units": units, "personas": personas}
    ctx.update({name: request.getfixturevalue(name) for name in route.fixtures})
    client = Client() if persona == "anonymous" else signed_in_client(personas[persona])
    url = reverse(route.name, kwargs=route.kwargs(ctx))
    response = getattr(client, route.method)(url, data=route.data)
    assert response.status_code == route.expected[persona], (
        f"{route.method.upper()} {url} as {persona}: {response.status_code}"
    )


def test_every_named_url_is_in_the_matrix() -> None:
    covered = {route.name for route in MATRIX}
    missing = named_urls() - covered
    assert not missing, f"Named URLs missing from tests/permissions.py MATRIX: {sorted(missing)}"


def test_the_matrix_names_only_existing_urls() -> None:
    unknown = {route.name for route in MATRIX} - named_urls()
    assert not unknown, f"MATRIX names URLs that do not exist: {sorted(unknown)}"
