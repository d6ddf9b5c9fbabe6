"""Views of the Reporting module (alerts)."""

from __future__ import annotations

urlpatterns: list = []
