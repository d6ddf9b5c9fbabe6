"""The permission matrix helper: (url name, method, persona, expected status).

Every named URL of the project must appear in MATRIX with both methods a browser sends, GET and
POST (tests/test_permission_matrix.py walks the URL configuration and fails on a missing pair);
where a view refuses a method the row expects 405. The rows of each module are kept beside its
tests, in tests/**/matrix_*.py (a list named ROUTES), found here by their file name.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

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

# Every route is tried with each of these (a browser sends nothing else).
METHODS = ("get", "post")

# Shorthands for the common cases.
SIGNED_IN = {name: 200 for name in PERSONA_NAMES if name != "anonymous"}
LOGIN_REDIRECT = {"anonymous": 302}
# A page that only answers GET: 405 to a POST from anyone signed in (before any other check).
POST_REFUSED = {**{name: 405 for name in SIGNED_IN}, **LOGIN_REDIRECT}


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
    # The form data, or a function of the context giving it (when it names objects of the test).
    data: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] = field(default_factory=dict)
    # Fixtures the kwargs need besides `units` and `personas` (e.g. "complaints").
    fixtures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = set(PERSONA_NAMES) - set(self.expected)
        if missing:
            raise ValueError(f"{self.name} {self.method}: no expected status for {sorted(missing)}")
        if self.method not in ("get", "post", "put", "patch", "delete", "head", "options"):
            raise ValueError(f"{self.name}: {self.method!r} is not a method of Django's test client (lower case)")

    def data_for(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return self.data(ctx) if callable(self.data) else self.data


def _cusco_station(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"].pk}


def _officer_account(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ctx["personas"]["station_officer"].pk}


def _new_account(ctx: dict[str, Any]) -> dict[str, Any]:
    """A valid new account: only the administrator's POST may create it."""
    return {
        "username": "nuevo.oficial",
        "first_name": "Pedro",
        "last_name": "Apaza",
        "document_number": "31234567",
        "email": "pedro.apaza@policia.gob.pe",
        "unit": ctx["units"]["DIRTEPOL-CUSCO-CPNP-1"].pk,
        "role": "station_officer",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "new_password1": "clave temporal de pedro",
        "new_password2": "clave temporal de pedro",
    }


def _officer_edited(ctx: dict[str, Any]) -> dict[str, Any]:
    """The station officer's account with a new first name: a valid edit."""
    officer = ctx["personas"]["station_officer"]
    return {
        "username": officer.username,
        "first_name": "Ana María",
        "last_name": officer.last_name,
        "document_number": officer.document_number,
        "email": officer.email,
        "unit": officer.unit_id,
        "role": officer.role,
        "expires_on": officer.expires_on.isoformat(),
    }


ADMIN_ONLY_GET = only({"national_admin": 200})
ADMIN_ONLY_POST = only({"national_admin": 302})
# The administrator's own forms refuse GET on an action that only a POST may do.
ADMIN_ONLY_405 = only({"national_admin": 405})
AUDIT_ONLY = only({"national_admin": 200, "auditor": 200})
# Pages that change nothing answer a POST as they answer a GET (the CSRF token is still required).
UNIT_DETAIL = {**SIGNED_IN, "hotline_operator": 404, "outsider": 404, **LOGIN_REDIRECT}
EVERYONE_405 = {n: 405 for n in PERSONA_NAMES}

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
    Route("administration:unit_detail", "get", UNIT_DETAIL, kwargs=_cusco_station),
    Route("audit:event_list", "get", AUDIT_ONLY),
    Route("audit:event_export", "get", AUDIT_ONLY),
    # The other method of each route above.
    Route("home", "post", {**SIGNED_IN, **LOGIN_REDIRECT}),
    # Empty credentials: the form again for the anonymous; the signed-in are sent home.
    Route("login", "post", {**{n: 302 for n in SIGNED_IN}, "anonymous": 200}),
    # No sign-in under way: back to the sign-in page, whoever asks.
    Route("otp_verify", "post", {n: 302 for n in PERSONA_NAMES}, data={"token": "123456"}),
    Route("set_language", "get", EVERYONE_405),
    Route("account", "post", {**SIGNED_IN, **LOGIN_REDIRECT}),
    # A wrong current password: the form again with the error; nobody's password changes.
    Route(
        "password_change",
        "post",
        {**SIGNED_IN, **LOGIN_REDIRECT},
        data={"old_password": "not the password", "new_password1": "otra clave", "new_password2": "otra clave"},
    ),
    Route("otp_enrol", "post", {**SIGNED_IN, "national_admin": 302, **LOGIN_REDIRECT}, data={"token": "x"}),
    Route("password_reset", "post", {n: 200 for n in PERSONA_NAMES}),
    Route("password_reset_done", "post", EVERYONE_405),
    Route(
        "password_reset_confirm",
        "post",
        {n: 200 for n in PERSONA_NAMES},
        kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-token"},
        data={"new_password1": "otra clave larga", "new_password2": "otra clave larga"},
    ),
    Route("password_reset_complete", "post", EVERYONE_405),
    Route("administration:user_list", "post", ADMIN_ONLY_GET),
    # Valid data: the administrator's change goes through (302), everyone else is refused.
    Route("administration:user_create", "post", ADMIN_ONLY_POST, data=_new_account),
    Route("administration:user_detail", "post", ADMIN_ONLY_GET, kwargs=_officer_account),
    Route("administration:user_edit", "post", ADMIN_ONLY_POST, kwargs=_officer_account, data=_officer_edited),
    Route("administration:user_set_active", "get", ADMIN_ONLY_405, kwargs=_officer_account),
    Route(
        "administration:user_reset_password",
        "post",
        ADMIN_ONLY_POST,
        kwargs=_officer_account,
        data={"new_password1": "temporal larga de prueba", "new_password2": "temporal larga de prueba"},
    ),
    Route("administration:user_unlock", "get", ADMIN_ONLY_405, kwargs=_officer_account),
    Route("administration:unit_list", "post", {**SIGNED_IN, **LOGIN_REDIRECT}),
    Route("administration:unit_detail", "post", UNIT_DETAIL, kwargs=_cusco_station),
    Route("audit:event_list", "post", AUDIT_ONLY),
    Route("audit:event_export", "post", AUDIT_ONLY),
]


def matrix_modules() -> list[str]:
    """The modules that keep rows beside their tests: tests/**/matrix_*.py, each with a list ROUTES."""
    tests = Path(__file__).resolve().parent
    return sorted(
        ".".join(("tests", *path.relative_to(tests).with_suffix("").parts)) for path in tests.rglob("matrix_*.py")
    )


def _module_rows() -> list[Route]:
    rows = []
    for name in matrix_modules():
        module = importlib.import_module(name)
        if not isinstance(getattr(module, "ROUTES", None), list):
            raise TypeError(f"{name} must define ROUTES, a list of tests.permissions.Route")
        rows += module.ROUTES
    return rows


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
