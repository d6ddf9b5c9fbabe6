from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from reta.navigation import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = []
    for entry in NAVIGATION:
        if entry.allowed(user):
            current = request.path == "/" if entry.prefix == "/" else request.path.startswith(entry.prefix)
            entries.append({"url": reverse(entry.url_name), "label": entry.label, "current": current})
    return {"nav_entries": entries}
