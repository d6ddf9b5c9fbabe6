"""Template helpers shared by every module."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def query_with(request: HttpRequest, **params: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
