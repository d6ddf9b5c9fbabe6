"""Every named URL, both methods, every persona: the status each one gets (SECURITY.md 8-9)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse

from tests.conftest import signed_in_client
from tests.permissions import MATRIX, METHODS, PERSONA_NAMES, matrix_modules, named_urls

CASES = [
    pytest.param(route, persona, id=f"{route.name}-{route.method}-{persona}")
    for route in MATRIX
    for persona in PERSONA_NAMES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "persona"), CASES)
def test_each_persona_gets_the_expected_status(
    route: Any, persona: str, shared_world: dict, request: pytest.FixtureRequest
) -> None:
    # The units, personas and complaints are built once for the module (tests/conftest.py
    # shared_world, rolled back at its end); what a route builds of its own is built per test.
    world = copy.deepcopy(shared_world)
    ctx = {"units": world["units"], "personas": world["personas"]}
    ctx.update({name: world[name] if name in world else request.getfixturevalue(name) for name in route.fixtures})
    personas = ctx["personas"]
    client = Client() if persona == "anonymous" else signed_in_client(personas[persona])
    url = reverse(route.name, kwargs=route.kwargs(ctx))
    response = getattr(client, route.method)(url, data=route.data_for(ctx))
    assert response.status_code == route.expected[persona], (
        f"{route.method.upper()} {url} as {persona}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == 302 and getattr(resolve(url).func, "login_required", True):
        # A page that needs a session sends the anonymous to the sign-in page, and nowhere else.
        assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next="), response["Location"]


def test_every_named_url_is_in_the_matrix_with_each_method() -> None:
    covered = {(route.name, route.method) for route in MATRIX}
    missing = {(name, method) for name in named_urls() for method in METHODS} - covered
    assert not missing, (
        "(URL name, method) pairs missing from the permission matrix (tests/permissions.py or a "
        f"tests/**/matrix_*.py; expect 405 where the view refuses the method): {sorted(missing)}"
    )


def test_the_matrix_names_only_existing_urls() -> None:
    unknown = {route.name for route in MATRIX} - named_urls()
    assert not unknown, f"MATRIX names URLs that do not exist: {sorted(unknown)}"


def test_the_matrix_modules_are_found_by_their_file_name() -> None:
    modules = matrix_modules()
    assert "tests.complaints.matrix_form" in modules and "tests.paperforms.matrix_paper" in modules
    assert all(name.rsplit(".", 1)[1].startswith("matrix_") for name in modules)
