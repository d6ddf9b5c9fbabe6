"""The request being served, so services can stamp audit events and history rows without
threading it through, and the id that groups everything one request writes.

The request is bound by reta.middleware.RequestIdMiddleware. Outside a request (a management
command, a script, a test calling a service) `request_id_scope` binds a generated id instead:
manage.py opens one per command run, and the services that write row history open one per call,
which a request or an outer scope overrides. So every row one amendment writes (its audit event and
every history version) carries the same id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

_current_request: ContextVar[Any] = ContextVar("reta_current_request", default=None)
_bound_request_id: ContextVar[str] = ContextVar("reta_request_id", default="")


def bind(request: Any) -> Token:
    return _current_request.set(request)


def unbind(token: Token) -> None:
    _current_request.reset(token)


def current_request() -> Any:
    return _current_request.get()


def client_ip(request: Any) -> str:
    """The client's address. Behind the production proxy, REMOTE_ADDR is set from the proxy's
    X-Forwarded-For by reta.middleware.ForwardedClientMiddleware, only for requests from
    RETA_TRUSTED_PROXIES (docs/deploy.md); it is never read from a raw header here."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


def current_request_id() -> str:
    """The id of what is being written now: the request's, else the one bound by
    `request_id_scope`, else "" (nothing bound)."""
    request = current_request()
    request_id = getattr(request, "request_id", "") if request is not None else ""
    return request_id or _bound_request_id.get()


@contextmanager
def request_id_scope() -> Iterator[str]:
    """Bind a new id for the writes inside, unless one is already current (a request or an outer
    scope keeps its own). Also a decorator: ``@request_id_scope()``."""
    current = current_request_id()
    if current:
        yield current
        return
    token = _bound_request_id.set(uuid.uuid4().hex)
    try:
        yield _bound_request_id.get()
    finally:
        _bound_request_id.reset(token)
