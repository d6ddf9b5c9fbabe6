"""The receivers of the complaints' domain signals (complaints.signals), connected in
stats.apps.StatsConfig.ready(): they keep the statistics read model in step with the records, in
the transaction of each registration and amendment. Each only calls a service.

May import: complaints.models, complaints.signals, stats.services.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from complaints.models import Complaint
from complaints.signals import complaint_amended, complaint_recorded
from stats.services import statistics_record, statistics_replace


@receiver(complaint_recorded, sender=Complaint, dispatch_uid="stats.complaint_recorded")
def complaint_recorded_receiver(sender: Any, *, complaint: Complaint, **kwargs: Any) -> None:
    statistics_record(complaint=complaint)


@receiver(complaint_amended, sender=Complaint, dispatch_uid="stats.complaint_amended")
def complaint_amended_receiver(sender: Any, *, complaint: Complaint, **kwargs: Any) -> None:
    statistics_replace(complaint=complaint)
