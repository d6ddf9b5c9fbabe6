"""Views of the register of printed carbonless forms (serial batches)."""

from __future__ import annotations

urlpatterns: list = []
