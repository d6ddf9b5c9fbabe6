"""The request being served, so services can stamp audit events without threading it through.

Bound by reta.middleware.RequestIdMiddleware; commands and tests run without one.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

_current_request: ContextVar[Any] = ContextVar("reta_current_request", default=None)


def bind(request: Any) -> Token:
    return _current_request.set(request)


def unbind(token: Token) -> None:
    _current_request.reset(token)


def current_request() -> Any:
    return _current_request.get()


def client_ip(request: Any) -> str:
    """The client's address. Behind the production proxy, REMOTE_ADDR is set by gunicorn from
    the proxy's X-Forwarded-For (see README, deployment); it is never read from a raw header here."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""
