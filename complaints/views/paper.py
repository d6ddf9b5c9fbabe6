"""Views of the Reporting module (paper)."""

from __future__ import annotations

urlpatterns: list = []
