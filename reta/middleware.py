"""Cross-cutting request handling: the client's address behind the proxy, request ids, security
headers, language, session limits."""

from __future__ import annotations

import ipaddress
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from administration.policies import can_sign_in
from audit import context as audit_context

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


def trusted_proxy(address: str, proxies: list[str]) -> bool:
    """Is `address` one of `proxies` (addresses or networks, as in RETA_TRUSTED_PROXIES)?"""
    try:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
    except ValueError:
        return False


class ForwardedClientMiddleware:
    """Behind nginx, REMOTE_ADDR is the proxy's address (gunicorn does not read X-Forwarded-For).
    When the request comes from a proxy of RETA_TRUSTED_PROXIES, the client is the last address of
    its X-Forwarded-For (the one that proxy saw), so that the audit trail records the client; from
    anywhere else the header is ignored, since a client can write whatever it likes in it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.proxies = list(settings.RETA_TRUSTED_PROXIES)

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
