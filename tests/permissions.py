"""The permission matrix helper: (url name, method, persona, expected status).

Every named URL of the project must appear in MATRIX (tests/test_permission_matrix.py walks the
URL configuration and fails on a missing one). Each module appends its own routes here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PERSONA_NAMES = (
    "station_officer",
    "hotline_operator",
    "regional_investigator",
    "national_investigator",
    "national_admin",
    "monitor",
    "auditor",
    "outsider",
    "anonymous",
)

# Shorthands for the common cases.
SIGNED_IN = {name: 200 for name in PERSONA_NAMES if name != "anonymous"}
LOGIN_REDIRECT = {"anonymous": 302}


def only(allowed: dict[str, int], *, others: int = 403) -> dict[str, int]:
    """Statuses for a page that some personas may use and the others are refused."""
    statuses = {name: others for name in PERSONA_NAMES}
    statuses["anonymous"] = 302
    statuses.update(allowed)
    return statuses


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    expected: dict[str, int]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda ctx: {})
    data: dict[str, Any] = field(default_factory=dict)
    # Fixtures the kwargs need besides `units` and `personas` (e.g. "complaints").
    fixtures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = set(PERSONA_NAMES) - set(self.expected)
        if missing:
            raise ValueError(f"{self.name} {self.method}: no expected status for {sorted(missing)}")


def _cusco_station(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"].pk}


def _officer_account(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["personas"]["station_officer"].pk}


ADMIN_ONLY_GET = only({"national_admin": 200})
ADMIN_ONLY_POST = only({"national_admin": 302})
AUDIT_ONLY = only({"national_admin": 200, "auditor": 200})

MATRIX: list[Route] = [
    Route("home", "get", {**SIGNED_IN, **LOGIN_REDIRECT}),
    Route("login", "get", {**{n: 302 for n in SIGNED_IN}, "anonymous": 200}),
    Route("otp_verify", "get", {**{n: 302 for n in PERSONA_NAMES}}),
    Route("logout", "post", {n: 302 for n in PERSONA_NAMES}),
    Route("logout", "get", {**{n: 405 for n in SIGNED_IN}, "anonymous": 302}),
    Route("set_language", "post", {n: 302 for n in PERSONA_NAMES}, data={"language": "en", "next": "/"}),
    Route("account", "get", {**SIGNED_IN, **LOGIN_REDIRECT}),
    Route("password_change", "get", {**SIGNED_IN, **LOGIN_REDIRECT}),
    # The demo administrator already has a confirmed device: the page sends it back to its account.
    Route("otp_enrol", "get", {**SIGNED_IN, "national_admin": 302, **LOGIN_REDIRECT}),
    Route("password_reset", "get", {n: 200 for n in PERSONA_NAMES}),
    Route("password_reset_done", "get", {n: 200 for n in PERSONA_NAMES}),
    Route(
        "password_reset_confirm",
        "get",
        {n: 200 for n in PERSONA_NAMES},
        kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    Route("password_reset_complete", "get", {n: 200 for n in PERSONA_NAMES}),
    Route("administration:user_list", "get", ADMIN_ONLY_GET),
    Route("administration:user_create", "get", ADMIN_ONLY_GET),
    Route("administration:user_detail", "get", ADMIN_ONLY_GET, kwargs=_officer_account),
    Route("administration:user_edit", "get", ADMIN_ONLY_GET, kwargs=_officer_account),
    Route("administration:user_set_active", "post", ADMIN_ONLY_POST, kwargs=_officer_account, data={"active": "0"}),
    Route("administration:user_reset_password", "get", ADMIN_ONLY_GET, kwargs=_officer_account),
    Route("administration:user_unlock", "post", ADMIN_ONLY_POST, kwargs=_officer_account),
    Route("administration:unit_list", "get", {**SIGNED_IN, **LOGIN_REDIRECT}),
    Route(
        "administration:unit_detail",
        "get",
        {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT},
        kwargs=_cusco_station,
    ),
    Route("audit:event_list", "get", AUDIT_ONLY),
    Route("audit:event_export", "get", AUDIT_ONLY),
]


def _module_rows() -> list[Route]:
    """Rows kept beside each module's tests (tests/<app>/matrix_*.py, a list named ROUTES)."""
    from tests.complaints import (
        matrix_alerts,
        matrix_amend,
        matrix_form,
        matrix_lists,
    )
    from tests.diligences import matrix_diligences
    from tests.paperforms import matrix_complaint_pdf, matrix_paper
    from tests.stats import matrix_statistics

    modules = (
        matrix_form,
        matrix_lists,
        matrix_alerts,
        matrix_amend,
        matrix_statistics,
        matrix_complaint_pdf,
        matrix_diligences,
        matrix_paper,
    )
    return [route for module in modules for route in module.ROUTES]


MATRIX += _module_rows()


def named_urls() -> set[str]:
    """Every named URL of the project, with its namespace ("audit:event_list")."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                ns = ":".join(filter(None, [namespace, inner])) if inner else namespace
                yield from walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))
