"""Views of the Reporting module (form)."""

from __future__ import annotations

urlpatterns: list = []
