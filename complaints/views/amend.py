"""Views of the Reporting module (amend)."""

from __future__ import annotations

urlpatterns: list = []
