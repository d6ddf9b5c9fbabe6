"""Views of the statistics screens."""

from __future__ import annotations

urlpatterns: list = []
