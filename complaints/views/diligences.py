"""Views of the Reporting module (diligences)."""

from __future__ import annotations

urlpatterns: list = []
