"""Behind nginx the audit trail records the client's address, not the proxy's (docs/deploy.md):
gunicorn leaves REMOTE_ADDR at the proxy's address, so reta.middleware.ForwardedClientMiddleware
takes the last address of X-Forwarded-For when, and only when, the request comes from a proxy of
RETA_TRUSTED_PROXIES. A client cannot choose the address recorded for it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client

from audit.models import AuditEvent
from reta.middleware import ForwardedClientMiddleware

pytestmark = pytest.mark.django_db


def sign_in_from(peer: str, forwarded: str | None, password: str) -> str:
    """The address the login event records for a sign-in reaching RETA from `peer`."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    Client(REMOTE_ADDR=peer).post("/acceso/", {"username": "station.officer", "password": password}, **headers)
    return AuditEvent.objects.filter(event="login").latest("id").ip


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "recorded"),
    [
        (["10.0.0.10"], "10.0.0.10", "203.0.113.7", "203.0.113.7"),  # nginx names the client
        (["10.0.0.0/24"], "10.0.0.10", "203.0.113.7", "203.0.113.7"),  # a network of proxies
        (["10.0.0.10"], "10.0.0.10", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the one nginx saw
        (["10.0.0.10"], "10.0.0.10", "2001:db8::7", "2001:db8::7"),
        (["10.0.0.10"], "198.51.100.9", "203.0.113.7", "198.51.100.9"),  # not the proxy: header ignored
        ([], "10.0.0.10", "203.0.113.7", "10.0.0.10"),  # no trusted proxy: nothing read
        (["10.0.0.10"], "10.0.0.10", "not-an-address", "10.0.0.10"),  # garbage: the proxy's, not garbage
        (["10.0.0.10"], "10.0.0.10", None, "10.0.0.10"),
    ],
)
def test_the_audit_trail_records_the_client_behind_a_trusted_proxy_only(
    settings: Any, personas: dict, password: str, proxies: list[str], peer: str, forwarded: str | None, recorded: str
) -> None:
    settings.RETA_TRUSTED_PROXIES = proxies
    assert sign_in_from(peer, forwarded, password) == recorded


@pytest.mark.parametrize("proxies", [["10.0.0.10", "nginx"], ["10.0.0.300"], ["10.0.0.0/33"]])
def test_a_malformed_trusted_proxy_stops_the_server_naming_it(settings: Any, proxies: list[str]) -> None:
    """Read once when the middleware is built (the server's start), not at every request: an entry
    that is no address or network is refused, never silently trusted as nothing."""
    settings.RETA_TRUSTED_PROXIES = proxies
    with pytest.raises(ImproperlyConfigured, match=re.escape(repr(proxies[-1]))):
        ForwardedClientMiddleware(lambda request: HttpResponse())
    with pytest.raises(ImproperlyConfigured):
        Client(REMOTE_ADDR="10.0.0.10").get("/acceso/")  # the first request loads the middleware
