from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from complaints import policies as complaint_policies
from complaints.selectors import unread_alert_count
from reta.navigation import NAVIGATION


def _unread_alerts(user: Any) -> int | None:
    if not complaint_policies.can_view_alerts(user):
        return None
    return unread_alert_count(user)


# Counts shown in the navigation bar, by the name a NavEntry gives as its `badge`. Each is also put
# in the context under that name, for the users it applies to (None: it does not apply).
BADGES: dict[str, Callable[[Any], int | None]] = {
    "unread_alerts": _unread_alerts,
}
BADGE_CACHE = "_reta_nav_badges"


def _badges(request: HttpRequest, user: Any) -> dict[str, int]:
    """Computed once per request (one query each), however many templates the request renders."""
    cached = getattr(request, BADGE_CACHE, None)
    if cached is None:
        cached = {name: value for name, count in BADGES.items() if (value := count(user)) is not None}
        setattr(request, BADGE_CACHE, cached)
    return cached


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    badges = _badges(request, user)
    allowed = [entry for entry in NAVIGATION if entry.allowed(user)]
    # The current entry has the longest prefix of the path ("/denuncias/alertas/" is Alerts, not
    # Complaints); the home entry ("/") is current on the home page only.
    matching = [e for e in allowed if request.path.startswith(e.prefix) and (e.prefix != "/" or request.path == "/")]
    current = max(matching, key=lambda e: len(e.prefix), default=None)
    entries = [
        {
            "url": reverse(entry.url_name),
            "label": entry.label,
            "current": entry is current,
            "badge": badges.get(entry.badge) if entry.badge else None,
            "badge_name": entry.badge or "",
        }
        for entry in allowed
    ]
    return {"nav_entries": entries, **badges}
