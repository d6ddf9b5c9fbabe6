from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # What an officer who moves hands over (administration.handover).
        from administration.handover import register_handover
        from complaints.handover import hand_over_drafts, list_pending_alerts

        register_handover("complaint_drafts", _("Draft complaints"), hand_over_drafts)
        register_handover("alerts_pending", _("Unacknowledged alerts of the unit"), list_pending_alerts)
