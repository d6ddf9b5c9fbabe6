"""Fields the historical migrations of complaints need that no longer live in complaints.

The statistics read model was created by 0003/0005/0006 while it lived in complaints; it moved to
the stats app (0008 here, stats 0001), whose models now define its field. complaints imports
nothing from stats, so these migrations keep their own copy (the loader skips modules whose
name starts with "_").
"""

from __future__ import annotations

from typing import Any

from django.db import models


class StatCodeField(models.SmallIntegerField):
    """As stats.models.StatCodeField: a code or bitmask, 0-255, one byte on MySQL/MariaDB."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            return "tinyint unsigned"
        return super().db_type(connection)
