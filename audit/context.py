"""The request being served, so services can stamp audit events and history rows without
threading it through, and the id that groups everything one request writes.

The request is bound by reta.middleware.RequestIdMiddleware. Outside a request (a management
command, a script, a test calling a service) `request_id_scope` binds a generated id instead:
manage.py opens one per command run, and the services that write row history open one per call,
which a request or an outer scope overrides. So every row one amendment writes (its audit event and
every history version) carries the same id.

`request_cache(name)` holds what a request reads once (the catalogues, the research variables) on
the request itself, or for the bound scope outside a request: never in a module-level slot that two
threads would share.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

_current_request: ContextVar[Any] = ContextVar("reta_current_request", default=None)
_bound_request_id: ContextVar[str] = ContextVar("reta_request_id", default="")
# The caches of the bound `request_id_scope` outside a request: (its id, caches by name).
_scope_caches: ContextVar[tuple[str, dict[str, dict[str, Any]]] | None] = ContextVar("reta_scope_caches", default=None)


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


def request_cache(name: str) -> dict[str, Any] | None:
    """A dict named `name` that lives as long as what is being served: held on the current request
    (one request is served by one thread, so two requests never share it), else, outside a
    request, in this thread's context for the bound `request_id_scope` (a service call, a command
    run); None when neither is current (the caller reads afresh)."""
    request = current_request()
    if request is not None:
        caches = getattr(request, "_reta_caches", None)
        if caches is None:
            caches = {}
            request._reta_caches = caches
        return caches.setdefault(name, {})
    bound = _bound_request_id.get()
    if not bound:
        return None
    held = _scope_caches.get()
    if held is None or held[0] != bound:
        held = (bound, {})
        _scope_caches.set(held)
    return held[1].setdefault(name, {})


@contextmanager
def request_id_scope() -> Iterator[str]:
    """Bind a new id for the writes inside, unless one is already current (a request or an outer
    scope keeps its own). Also a decorator: ``@request_id_scope()``."""
    current = current_request_id()
    if current:
        yield current
        return
    token = _bound_request_id.set(uuid.uuid4().hex)
    caches = _scope_caches.set(None)
    try:
        yield _bound_request_id.get()
    finally:
        _scope_caches.reset(caches)  # what the scope read goes with it
        _bound_request_id.reset(token)
