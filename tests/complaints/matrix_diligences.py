"""Permission-matrix rows of the diligences screens (see tests/permissions.py)."""

from __future__ import annotations

from tests.permissions import Route

ROUTES: list[Route] = []
