"""Views of the Reporting module (lists)."""

from __future__ import annotations

urlpatterns: list = []
