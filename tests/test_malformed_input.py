"""No 500 on any input (issue 9, item 6): every form of the project, fed malformed values.

The forms are found, not listed: every GET row of the permission matrix (tests/permissions.py and
tests/**/matrix_*.py) is opened by a persona the matrix lets in, the page's <form> elements are
read (fields, method, action), and each field is sent, one at a time, each malformed value below,
the other fields keeping what the page (or the matrix row's valid data) holds. A new screen with a
matrix row is covered without touching this file. Besides: the ids of the URLs (huge integers),
invalid UTF-8 and repeated parameters in query strings, and the second-factor page met half-way
through a sign-in.

Expected: never a 500 (a test client that does not re-raise sees what a browser would); bad input
gets 200 (the form again), 302, 400, 403, 404 or 405. Run it on MariaDB too, where an over-long
or out-of-range value is an error (1406, 1264) instead of being stored:
`DATABASE_URL=mysql://root@127.0.0.1:3306/reta_<name> pytest tests/test_malformed_input.py`.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.conftest import signed_in_client
from tests.permissions import MATRIX, Route

pytestmark = pytest.mark.django_db

ALLOWED = {200, 302, 400, 403, 404, 405}

# Values a browser, a script or a copy-paste can send. Each is tried in every field.
MALFORMED: dict[str, Any] = {
    "long": "A" * 10_000,
    "nfkd-expanding": "\ufdfa" * 30,  # ARABIC LIGATURE SALLALLAHOU...: 18 characters in NFKD
    "nfkd-square": "\u3310" * 60,  # SQUARE GIGA: 4 characters in NFKD
    "nfkd-ascii": "\u3371" * 40,  # SQUARE HPA: "hPa", letters a document key keeps
    "nul": "ab\x00cd",
    "emoji": "\U0001f600\U0001f9d1\u200d\U0001f692",
    "huge-integer": str(10**30),
    "negative": "-1",
    "zero-date": "0000-00-00",
    "far-date": "99999-01-01",
    "no-such-day": "2026-02-30",
    "list": ["1", "2"],
}

# Each field alone gets the values that can hurt a field of its kind (the others keep their values,
# so a save can be reached); every value of MALFORMED also goes into all the fields of a form at once.
# ("list" and the other values go into every field at once above; a text field alone gets the
# values that pass or break its length check after normalisation.)
TEXT_VALUES = ("long", "nfkd-expanding", "nul")
ONE_FIELD: dict[str, tuple[str, ...]] = {
    "text": TEXT_VALUES,
    "textarea": TEXT_VALUES,
    "hidden": (*TEXT_VALUES, "huge-integer"),
    "number": ("huge-integer", "long"),
    "date": ("far-date", "no-such-day"),
    "select": ("huge-integer",),
    "checkbox": ("huge-integer",),
    "radio": ("huge-integer",),
    "submit": ("long",),
}
ANY_KIND = ("long", "nfkd-expanding", "nul", "huge-integer", "far-date", "list")

# Personas tried in this order; the first one the matrix lets in (200) opens the page.
PREFERENCE = (
    "station_officer",
    "national_admin",
    "regional_investigator",
    "national_investigator",
    "hotline_operator",
    "monitor",
    "auditor",
    "outsider",
    "anonymous",
)
# Forms that would end the test's own session.
SKIP_ACTIONS = {"/salir/"}


class _Forms(HTMLParser):
    """The <form> elements of a page: method, action and the fields with their current values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}, "kinds": {}}
            )
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        name = a["name"]
        if tag in ("select", "textarea"):
            self.forms[-1]["kinds"][name] = tag
        if tag == "input":
            kind = a.get("type", "text").lower()
            self.forms[-1]["kinds"].setdefault(name, "submit" if kind in ("button", "image", "reset") else kind)
            if kind in ("submit", "button", "image", "reset"):
                fields.setdefault(name, a.get("value", ""))
            elif kind == "file":
                return
            elif kind in ("checkbox", "radio"):
                fields.setdefault(name, [])
                if "checked" in a:
                    fields[name] = (
                        [*fields[name], a.get("value", "on")] if kind == "checkbox" else [a.get("value", "on")]
                    )
            else:
                fields[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def _forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _persona_for(route: Route) -> str | None:
    return next((name for name in PREFERENCE if route.expected.get(name) == 200), None)


def _client(persona: str, personas: dict) -> Client:
    client = Client() if persona == "anonymous" else signed_in_client(personas[persona])
    client.raise_request_exception = False
    return client


def _pages() -> list[Any]:
    seen, params = set(), []
    for route in MATRIX:
        if route.method != "get" or _persona_for(route) is None:
            continue
        if route.name in seen:
            continue
        seen.add(route.name)
        params.append(pytest.param(route, id=route.name))
    return params


def _valid_post_data(route: Route, url: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """The valid data the matrix posts to the same URL, if any (a base that reaches the save)."""
    for other in MATRIX:
        if other.name == route.name and other.method == "post" and set(other.fixtures) <= set(ctx):
            try:
                if reverse(other.name, kwargs=other.kwargs(ctx)) == url:
                    return dict(other.data_for(ctx))
            except (KeyError, NoReverseMatch):
                continue
    return {}


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> int:
    return getattr(client, method if method in ("get", "post") else "get")(url, data=data).status_code


@pytest.mark.parametrize("route", _pages())
def test_no_form_answers_500_to_malformed_values(
    route: Route, units: dict, personas: dict, request: pytest.FixtureRequest
) -> None:
    ctx: dict[str, Any] = {"units": units, "personas": personas}
    ctx.update({name: request.getfixturevalue(name) for name in route.fixtures})
    persona = _persona_for(route)
    client = _client(persona, personas)
    url = reverse(route.name, kwargs=route.kwargs(ctx))
    failures: list[str] = []

    page = client.get(url, data=route.data_for(ctx))
    assert page.status_code == 200, f"GET {url} as {persona}: {page.status_code}"
    forms = _forms_of(page.content.decode()) if "html" in page.get("Content-Type", "") else []

    # The page's own query string: every value, and invalid UTF-8, in each known parameter.
    names = set(route.data_for(ctx)) | {"page", "q", "sort"}
    for name in sorted(names):
        for label, value in MALFORMED.items():
            status = client.get(url, data={**route.data_for(ctx), name: value}).status_code
            if status not in ALLOWED:
                failures.append(f"GET {url} ?{name}={label}: {status}")
        status = client.get(f"{url}?{name}=%FF%FE").status_code
        if status not in ALLOWED:
            failures.append(f"GET {url} ?{name}=%FF%FE: {status}")

    for form in forms:
        action = form["action"] or url
        if urlsplit(action).netloc or action in SKIP_ACTIONS:
            continue
        base = {**form["fields"], **(_valid_post_data(route, action, ctx) if form["method"] == "post" else {})}
        fields = sorted(name for name in base if name != "csrfmiddlewaretoken")
        for label, value in MALFORMED.items():
            status = _send(client, form["method"], action, {**base, **dict.fromkeys(fields, value)})
            if status not in ALLOWED:
                failures.append(f"{form['method'].upper()} {action} every field={label}: {status}")
        for field in fields:
            for label in ONE_FIELD.get(form["kinds"].get(field, ""), ANY_KIND):
                status = _send(client, form["method"], action, {**base, field: MALFORMED[label]})
                if status not in ALLOWED:
                    failures.append(f"{form['method'].upper()} {action} {field}={label}: {status}")
        if form["method"] == "get":
            for field in sorted(base):
                status = client.get(f"{action}?{field}=%FF").status_code
                if status not in ALLOWED:
                    failures.append(f"GET {action}?{field}=%FF: {status}")
    assert not failures, f"{len(failures)} answers outside {sorted(ALLOWED)}:\n" + "\n".join(failures)


def _routes_with_ids() -> list[Any]:
    seen, params = set(), []
    for route in MATRIX:
        if route.name in seen or _persona_for(route) is None:
            continue
        seen.add(route.name)
        params.append(pytest.param(route, id=route.name))
    return params


@pytest.mark.parametrize("route", _routes_with_ids())
def test_an_id_out_of_every_range_is_a_404(
    route: Route, units: dict, personas: dict, request: pytest.FixtureRequest
) -> None:
    ctx: dict[str, Any] = {"units": units, "personas": personas}
    ctx.update({name: request.getfixturevalue(name) for name in route.fixtures})
    kwargs = route.kwargs(ctx)
    huge = [name for name, value in kwargs.items() if isinstance(value, int)]
    if not huge:
        pytest.skip("no integer in this URL")
    client = _client(_persona_for(route), personas)
    for value in (10**30, 2**63, 2**31):
        url = reverse(route.name, kwargs={**kwargs, **dict.fromkeys(huge, value)})
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in ALLOWED - {200, 302}, f"{method.upper()} {url}: {status}"


def test_the_second_factor_page_takes_any_code(personas: dict, password: str) -> None:
    admin = personas["national_admin"]
    admin.set_password(password)
    admin.save()
    for label, value in MALFORMED.items():
        client = Client(raise_request_exception=False)
        response = client.post(reverse("login"), {"username": admin.username, "password": password})
        assert response.status_code == 302, label
        assert client.post(reverse("otp_verify"), {"token": value}).status_code in ALLOWED, label
        assert client.get(reverse("otp_verify"), {"token": value}).status_code in ALLOWED, label


# ---------------------------------------------------------------- the cases of issue 9, item 6


@pytest.mark.parametrize(
    "username",
    [pytest.param("u" * 10_000, id="10000-characters"), pytest.param("\ufdfa" * 30, id="nfkc-expanding")],
)
def test_an_overlong_user_name_gets_the_spanish_field_error_at_sign_in(username: str, personas: dict) -> None:
    """On MariaDB the lockout record (django-axes) overflowed: DataError 1406, a 500."""
    from axes.models import AccessAttempt

    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": username, "password": "una clave cualquiera"})
    assert response.status_code == 200
    assert "Asegúrese de que este valor tenga menos de 150 caracteres" in response.content.decode()
    assert not AccessAttempt.objects.exists()


NFKD_NAME = "\ufdfa" * 30  # 30 characters typed, 540 once normalised for search
NFKD_DOCUMENT = "\u3371" * 20  # 20 typed, 60 ("hpahpa...") normalised; the document key keeps them


@pytest.mark.parametrize("action", ["register", "save_draft"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("victims-0-first_names", NFKD_NAME),
        ("victims-0-last_names", NFKD_NAME),
        ("victims-0-document_number", NFKD_DOCUMENT),
        ("suspects-0-alias", NFKD_NAME),
        ("complainant_first_names", NFKD_NAME),
    ],
)
def test_a_name_that_expands_under_normalisation_is_refused_and_nothing_is_saved(
    personas: dict, field: str, value: str, action: str
) -> None:
    """Person.search_name (400) and the identity keys overflowed: silently stored on SQLite,
    DataError 1406 (a 500) on MariaDB."""
    from complaints.models import Complaint, Person
    from people.models import Identity
    from tests.complaints.test_form import post_data
    from tests.factories.complaints import bar_in_madre_de_dios

    client = _client("station_officer", personas)
    before = (Complaint.objects.count(), Person.objects.count(), Identity.objects.count())
    data = post_data(bar_in_madre_de_dios(), action=action, **{field: value})
    response = client.post(reverse("complaints:complaint_create"), data)
    assert response.status_code == 200
    assert "Este valor es demasiado largo con sus caracteres especiales desarrollados" in response.content.decode()
    assert (Complaint.objects.count(), Person.objects.count(), Identity.objects.count()) == before


def test_the_same_form_with_ordinary_names_registers(personas: dict) -> None:
    """The control of the test above: its data registers when the names are ordinary."""
    from complaints.models import Complaint
    from tests.complaints.test_form import post_data, register
    from tests.factories.complaints import bar_in_madre_de_dios

    client = _client("station_officer", personas)
    response = register(client, reverse("complaints:complaint_create"), post_data(bar_in_madre_de_dios()))
    assert response.status_code == 302
    assert Complaint.objects.filter(status="submitted").count() == 1
