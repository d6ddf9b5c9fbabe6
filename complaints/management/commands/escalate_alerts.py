"""`python manage.py escalate_alerts` (cron, e.g. every 15 minutes)

Every alert not acknowledged within its deadline (settings RETA_ALERT_DEADLINE_HIGH_HOURS, 24 h, and
RETA_ALERT_DEADLINE_NORMAL_HOURS, 72 h) is marked overdue and escalated one level up the tree
(complaints.services.alert_escalate: one transaction per alert, the row locked and checked again,
audited). Idempotent: an alert is escalated once, however often and however concurrently the
command runs. Prints how many alerts were escalated.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand

from audit.context import request_id_scope
from complaints.alerts import overdue_alerts
from complaints.models import Alert
from complaints.services import alert_escalate


class Command(BaseCommand):
    help = (
        "Escala las alertas no recibidas dentro del plazo (24 h prioridad alta, 72 h normal) a la unidad "
        "superior y las marca como vencidas. Se puede ejecutar varias veces: cada alerta se escala una vez."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        actor_name = f"escalate_alerts ({getpass.getuser()})"
        marked = raised = 0
        with request_id_scope():
            for pk in list(overdue_alerts().values_list("pk", flat=True)):
                alert = alert_escalate(alert=Alert(pk=pk), actor_name=actor_name)
                if alert is not None:
                    marked += 1
                    raised += alert.escalations.count()
        self.stdout.write(
            self.style.SUCCESS(f"Alertas vencidas: {marked}; alertas escaladas a la unidad superior: {raised}.")
        )
