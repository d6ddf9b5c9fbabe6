"""Days and moments computed from today (never a literal date), in Lima's time, for the tests of
the statistics by the unit tree over time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LIMA = ZoneInfo("America/Lima")


def days_ago(ago: int) -> datetime.date:
    """The day `ago` days before today in Lima."""
    return timezone.localdate() - datetime.timedelta(days=ago)


def lima_at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute` in Lima."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LIMA)
