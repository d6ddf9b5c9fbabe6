"""What an officer of the Reporting module hands over when she moves to another unit
(administration.handover, registered in ComplaintsConfig.ready()).

- `complaint_drafts`: her open drafts in the unit she leaves (complaints she authored, not
  submitted) pass to the colleague, who becomes their author and may submit them. The change is in
  each draft's history (simple-history, reason "hand-over"); a registered complaint is never touched.
- `alerts_pending`: an alert is raised to a unit, not to a person, and any account of the unit may
  acknowledge it. Nothing changes on the alerts: the unit's alerts still unacknowledged at the
  move are listed in the hand-over, so that the colleague knows what is waiting.
"""

from __future__ import annotations

from typing import Any

from complaints.models import Alert, Complaint


def hand_over_drafts(*, actor: Any, officer: Any, colleague: Any, old_unit: Any) -> list[int]:
    drafts = Complaint.objects.select_for_update().filter(
        author=officer, status=Complaint.Status.DRAFT, registering_unit=old_unit, frozen_at__isnull=True
    )
    moved = []
    for draft in drafts:
        draft.author = colleague
        draft._change_reason = "hand-over"
        draft.save()
        moved.append(draft.pk)
    return moved


def list_pending_alerts(*, actor: Any, officer: Any, colleague: Any, old_unit: Any) -> list[int]:
    return list(Alert.objects.filter(unit=old_unit, acknowledged_at__isnull=True).values_list("pk", flat=True))
