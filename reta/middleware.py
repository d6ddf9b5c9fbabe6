"""Cross-cutting request handling: the client's address behind the proxy, request ids, security
headers, language, session limits, the routing of reads to the read replica."""

from __future__ import annotations

import ipaddress
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from administration.policies import can_sign_in
from audit import context as audit_context
from reta import db_router

Handler = Callable[[HttpRequest], HttpResponse]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxy_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """RETA_TRUSTED_PROXIES (addresses or networks) as networks; ImproperlyConfigured naming every
    entry that is neither (a host name, a typo), rather than trusting less than was meant."""
    networks, wrong = [], []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(str(proxy).strip(), strict=False))
        except ValueError:
            wrong.append(repr(proxy))
    if wrong:
        raise ImproperlyConfigured(
            f"RETA_TRUSTED_PROXIES holds what is no address or network: {', '.join(wrong)} (docs/deploy.md)."
        )
    return tuple(networks)


def trusted_proxy(address: str, networks: Iterable[Network]) -> bool:
    """Is `address` in one of `networks` (trusted_proxy_networks)?"""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class ForwardedClientMiddleware:
    """Behind nginx, REMOTE_ADDR is the proxy's address (gunicorn does not read X-Forwarded-For).
    When the request comes from a proxy of RETA_TRUSTED_PROXIES, the client is the last address of
    its X-Forwarded-For (the one that proxy saw), so that the audit trail records the client; from
    anywhere else the header is ignored, since a client can write whatever it likes in it.
    RETA_TRUSTED_PROXIES is read once, when the server starts: a malformed entry stops it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.proxies = trusted_proxy_networks(settings.RETA_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and self.proxies and trusted_proxy(request.META.get("REMOTE_ADDR", ""), self.proxies):
            client = forwarded.split(",")[-1].strip()
            try:
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
            except ValueError:
                pass  # not an address: keep the proxy's rather than record a made-up one
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id that groups its audit events and appears in the response."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex
        token = audit_context.bind(request)
        try:
            response = self.get_response(request)
        finally:
            audit_context.unbind(token)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """CSP with no inline scripts, and no caching of any page a signed-in user sees."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            if "no-store" not in response.get("Cache-Control", ""):  # a view's "private, no-store" stays
                response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class CookieLocaleMiddleware:
    """Spanish unless the user chose another language with the switch (a cookie).

    The browser's Accept-Language is deliberately ignored: police computers often run
    English-language browsers, and the interface must open in Spanish.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.setdefault("Content-Language", language)
        translation.deactivate()
        return response


SESSION_STARTED = "reta_started_at"
SESSION_SEEN = "reta_seen_at"


class SessionLimitsMiddleware:
    """Ends a session after the idle limit or the absolute limit, and when the account lapses.

    The session row is flushed on the server, not just forgotten by the browser.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            reason = None
            if now - seen > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                reason = "absolute"
            elif not can_sign_in(user):
                reason = "account"
            if reason:
                return self._end(request, reason)
            request.session[SESSION_STARTED] = started
            request.session[SESSION_SEEN] = now
            if user.must_change_password and request.path not in self._exempt_paths():
                messages.info(request, _("Choose a new password before you continue."))
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt_paths() -> set[str]:
        return {reverse("password_change"), reverse("logout"), reverse("set_language")}

    @staticmethod
    def _keeps_expired_post(request: HttpRequest) -> bool:
        """The view of this path is marked `keeps_expired_post` (and is login_not_required)."""
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return False
        return bool(getattr(view, "keeps_expired_post", False))

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        from audit.events import AuditEventType
        from audit.services import audit_record

        audit_record(event=AuditEventType.SESSION_EXPIRED, details={"reason": reason})
        logout(request)
        if reason == "account":
            text = _("Your account is no longer active. Contact your administrator.")
        else:
            text = _("Your session expired. Please sign in again.")
        messages.warning(request, text)
        if request.method == "POST" and reason != "account" and self._keeps_expired_post(request):
            # A form that keeps what was typed (complaints.pending): its view gets the POST signed
            # out (the CSRF check still runs) and parks the data for the same user.
            return self.get_response(request)
        login_url = reverse("login")
        if request.method == "GET":
            return redirect(f"{login_url}?next={request.path}")
        return redirect(login_url)


# The pages whose reads may go to the read replica (README "Read replica"): the statistics and the
# HTCDS export (their URL namespaces), cross-case analysis (candidate search, network, routes and
# their exports), and the other downloads of many rows. Their GET and HEAD only: a POST is a write.
REPLICA_NAMESPACES = frozenset({"stats", "htcds", "analysis"})
REPLICA_VIEWS = frozenset({"complaints:complaint_export", "investigations:compliance_export", "audit:event_export"})
PRIMARY_COOKIE = "reta_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReplicaRoutingMiddleware:
    """Sends the reads of the pages above to the replica, and keeps read-your-own-writes.

    Installed by settings only with DATABASE_REPLICA_URL. A request that writes (a POST, or any
    statement that changes a row of the primary but the session's and the audit trail's) reads the
    primary from then on, and the response sets the `reta_primary` cookie: the same browser's
    requests read the primary for RETA_REPLICA_PIN_SECONDS more (the redirect after a POST, the
    list it returns to), longer than the replica's usual lag. The cookie holds the moment it ends;
    one from the future beyond that window is ignored.
    """

    def __init__(self, get_response: Handler) -> None:
        if not db_router.replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        pinned = not safe or self._pinned_by_cookie(request)
        with db_router.routing(replica=False, pinned=pinned) as writes:
            response = self.get_response(request)  # process_view routes the view's reads
        replica = safe and self._routed(request)
        if replica and isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse):
            # A CSV export reads its rows while the server sends them, after this call returned.
            response.streaming_content = self._routed_stream(response.streaming_content, pinned=pinned or writes.wrote)
        if writes.wrote or not safe:
            seconds = settings.RETA_REPLICA_PIN_SECONDS
            response.set_cookie(
                PRIMARY_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _routed_stream(chunks: Iterable[bytes], *, pinned: bool) -> Iterator[bytes]:
        """The chunks of a streamed response, each read under the request's routing."""
        iterator = iter(chunks)
        while True:
            with db_router.routing(replica=True, pinned=pinned):
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        """Called by Django once it resolved the URL (request.resolver_match), just before the
        view: the URL is resolved once per request, by Django. Last in MIDDLEWARE, nothing but the
        view reads after it."""
        if request.method in SAFE_METHODS and self._routed(request):
            db_router.replica_reads_from_here()

    @staticmethod
    def _routed(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)  # None: no view matched (a 404)
        return match is not None and (match.namespace in REPLICA_NAMESPACES or match.view_name in REPLICA_VIEWS)

    @staticmethod
    def _pinned_by_cookie(request: HttpRequest) -> bool:
        try:
            until = int(request.COOKIES.get(PRIMARY_COOKIE, ""))
        except ValueError:
            return False
        now = time.time()
        return now < until <= now + settings.RETA_REPLICA_PIN_SECONDS + 1
