"""Permission-matrix rows of the paper screens (see tests/permissions.py)."""

from __future__ import annotations

from tests.permissions import Route

ROUTES: list[Route] = []
